using System.Collections;
using System.Collections.Specialized;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Core.Security;

namespace MessagingTools.Core.Tests;

/// <summary>
/// ZadarmaPhpQuery against PHP 8.2 itself: each expected query and signature below was printed by
/// <c>ksort($p); $q = http_build_query($p, '', '&amp;', PHP_QUERY_RFC1738); base64_encode(hash_hmac('sha1', $method . $q . md5($q), $secret))</c>
/// with the secret sandbox-zadarma-secret (issue 18: lists as numbers[0]=..., maps, true/false, null and empty lists left out).
/// </summary>
public sealed class ZadarmaPhpQueryTests
{
    private static readonly Secret s_secret = new("sandbox-zadarma-secret");

    private static KeyValuePair<string, object?> P(string name, object? value) => new(name, value);

    [Fact]
    public void AListIsWrittenWithItsIndexesAsPhpWritesIt()
    {
        var q = ZadarmaPhpQuery.Build(new[] { P("numbers", new[] { "79001234567", "442037691880" }) });
        Assert.Equal("numbers%5B0%5D=79001234567&numbers%5B1%5D=442037691880", q);
        Assert.Equal("YjkwZDA0MzExYmQ3MDliMDYyMTU4YTVkNWY1MzYxZjBjZTVjZTA5Yw==", ZadarmaSigner.Sign("/v1/info/number_lookup/", q, s_secret));
    }

    [Fact]
    public void AListKeepsItsOrderPastTenItems()
    {
        // Sorting the flat names "numbers[10]" before "numbers[2]" would break the signature: ksort sorts the top level only.
        var q = ZadarmaPhpQuery.Build(new[] { P("numbers", Enumerable.Range(1, 12).Select(i => i.ToString()).ToList()) });
        Assert.Equal("numbers%5B0%5D=1&numbers%5B1%5D=2&numbers%5B2%5D=3&numbers%5B3%5D=4&numbers%5B4%5D=5&numbers%5B5%5D=6&numbers%5B6%5D=7&numbers%5B7%5D=8&numbers%5B8%5D=9&numbers%5B9%5D=10&numbers%5B10%5D=11&numbers%5B11%5D=12", q);
        Assert.Equal("YjQwZjE2NzlmNWEyYWM1MmM3NjllMTE5N2E2MTI0MWEwYzg1NGRiOQ==", ZadarmaSigner.Sign("/v1/info/number_lookup/", q, s_secret));
    }

    [Fact]
    public void MapsBooleansNumbersNullsAndEmptyListsAreWrittenAsPhpWritesThem()
    {
        var phone = new OrderedDictionary { ["type"] = "work", ["phone"] = "+44 20 (3769) 1880" };
        var customer = new OrderedDictionary { ["name"] = "Ана Смит", ["phones"] = new object[] { phone } };
        var q = ZadarmaPhpQuery.Build(new[]
        {
            P("z", "last"), P("customer", customer), P("a", true), P("b", false), P("n", null), P("e", Array.Empty<string>()),
            P("f", 1.5), P("g", 10), P("list", new object?[] { "x", null, "y" }),
        });
        Assert.Equal("a=1&b=0&customer%5Bname%5D=%D0%90%D0%BD%D0%B0+%D0%A1%D0%BC%D0%B8%D1%82&customer%5Bphones%5D%5B0%5D%5Btype%5D=work&customer%5Bphones%5D%5B0%5D%5Bphone%5D=%2B44+20+%283769%29+1880&f=1.5&g=10&list%5B0%5D=x&list%5B2%5D=y&z=last", q);
        Assert.Equal("ZDFiOTUwZWVmNjI0MTY1YjBjNjFiYmM1MjgyMGY1Yjg4MWQxNjk0NQ==", ZadarmaSigner.Sign("/v1/zcrm/customers/", q, s_secret));
    }

    [Fact]
    public void PlainTextIsSignedAsTheSignerSignsIt()
    {
        var q = ZadarmaPhpQuery.Build(new[] { P("number", "79001234567"), P("message", "Hello world! (test) *ok* it's 50% ~done") });
        Assert.Equal(ZadarmaSigner.BuildQuery(new[] { new KeyValuePair<string, string?>("number", "79001234567"), new KeyValuePair<string, string?>("message", "Hello world! (test) *ok* it's 50% ~done") }), q);
        Assert.Equal("M2YxMmVmMGExMWVjMjk2ZTI4ZTIyOTUzNjhhNDk1NWI4M2EzZWExYQ==", ZadarmaSigner.Sign("/v1/sms/send/", q, s_secret));
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("a b")]
    [InlineData("numbers[0]")]
    [InlineData("10")]
    [InlineData("")]
    public void ANamePhpWouldReadAsAnotherIsRefused(string name)
    {
        var ex = Assert.Throws<MessagingException>(() => ZadarmaPhpQuery.Build(new[] { P(name, "1") }));
        Assert.Equal("ZadarmaParameterIsNotValid", ex.ErrorId);
        Assert.Equal("Parameter", ex.Field);
    }

    [Fact]
    public void DatesAreWrittenInZadarmasForm()
    {
        Assert.Equal("start=2026-11-01+00%3A00%3A00", ZadarmaPhpQuery.Build(new[] { P("start", new DateTime(2026, 11, 1)) }));
        Assert.Equal("x=1.25", ZadarmaPhpQuery.Build(new[] { P("x", 1.25m) }));
    }
}
