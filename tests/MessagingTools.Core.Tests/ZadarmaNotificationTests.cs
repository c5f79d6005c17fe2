using System.Text;
using System.Text.Json;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Core.Providers.Zadarma.Calls;
using MessagingTools.Core.Security;

namespace MessagingTools.Core.Tests;

/// <summary>Reading Zadarma's incoming-call notifications, their signatures and the route answers, without a listener.</summary>
public sealed class ZadarmaNotificationTests
{
    public sealed record Vector(string Name, string Secret, List<KeyValuePair<string, string>> Post, string Signature);

    /// <summary>
    /// tests/vectors/zadarma-notification-signatures.json: computed by PHP exactly as Zadarma's example checks the
    /// Signature header; ZadarmaSignerTests.TheRepositoryCopyOfTheVectorsIsTheSharedOne keeps it equal to ../shared.
    /// </summary>
    public static IReadOnlyList<Vector> Vectors()
    {
        var file = Path.Combine(Path.GetDirectoryName(ZadarmaSignerTests.VectorFile())!, "zadarma-notification-signatures.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.EnumerateArray().Select(v => new Vector(v.GetProperty("name").GetString()!, v.GetProperty("secret").GetString()!,
            v.GetProperty("post").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList(),
            v.GetProperty("signature").GetString()!)).ToList();
    }

    public static IEnumerable<object[]> VectorNames() => Vectors().Select(v => new object[] { v.Name });

    private static string Form(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join("&", fields.Select(f => ZadarmaSigner.FormEncode(f.Key) + "=" + ZadarmaSigner.FormEncode(f.Value)));

    private static KeyValuePair<string, string?>[] Headers(string? signature) =>
        signature is null ? Array.Empty<KeyValuePair<string, string?>>() : new[] { new KeyValuePair<string, string?>("signature", signature) };

    [Fact]
    public void TheVectorFileHoldsCases() => Assert.True(Vectors().Count >= 3, "expected at least 3 notification vectors");

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void EveryVectorIsReproducedAndVerified(string name)
    {
        var v = Vectors().Single(x => x.Name == name);
        var post = v.Post.ToDictionary(p => p.Key, p => p.Value);
        var secret = new Secret(v.Secret);
        Assert.Equal(v.Signature, ZadarmaNotifications.ComputeSignature(post["caller_id"], post["called_did"], post["call_start"], secret));

        // As posted (form-encoded: '+' of the number as %2B, the space of the time as '+'), and under the seed's name.
        var call = ZadarmaNotifications.Parse(Form(v.Post), Headers(v.Signature), secret);
        Assert.Equal(ZadarmaSignatureStatus.Verified, call.Signature);
        Assert.Equal(post["caller_id"], call.CallerId);
        Assert.Equal(post["call_start"], call.CallStartText);
        var seedNames = v.Post.Select(p => p.Key == "call_start" ? new KeyValuePair<string, string>("callstart", p.Value) : p);
        Assert.Equal(ZadarmaSignatureStatus.Verified, ZadarmaNotifications.Parse(Form(seedNames), Headers(v.Signature), secret).Signature);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void EveryVectorAlteredIsForged(string name)
    {
        var v = Vectors().Single(x => x.Name == name);
        var secret = new Secret(v.Secret);
        // Another caller with the same signature, the right fields with another secret, a signature cut short.
        var altered = v.Post.Select(p => p.Key == "caller_id" ? new KeyValuePair<string, string>(p.Key, p.Value + "1") : p);
        Assert.Equal(ZadarmaSignatureStatus.Forged, ZadarmaNotifications.Parse(Form(altered), Headers(v.Signature), secret).Signature);
        Assert.Equal(ZadarmaSignatureStatus.Forged, ZadarmaNotifications.Parse(Form(v.Post), Headers(v.Signature), new Secret(v.Secret + "x")).Signature);
        Assert.Equal(ZadarmaSignatureStatus.Forged, ZadarmaNotifications.Parse(Form(v.Post), Headers(v.Signature[..^2]), secret).Signature);
        Assert.Equal(ZadarmaSignatureStatus.Unsigned, ZadarmaNotifications.Parse(Form(v.Post), Headers(null), secret).Signature);
        Assert.Equal(ZadarmaSignatureStatus.Unsigned, ZadarmaNotifications.Parse(Form(v.Post), Headers(" "), secret).Signature);
        Assert.Equal(ZadarmaSignatureStatus.NotChecked, ZadarmaNotifications.Parse(Form(v.Post), Headers(v.Signature), secret: null).Signature);
    }

    [Fact]
    public void BothNamesOfTheStartTimeAreRead()
    {
        var a = ZadarmaNotifications.Parse("caller_id=%2B79261234567&called_did=74951234567&call_start=2026-11-30+12%3A34%3A56", null);
        var b = ZadarmaNotifications.Parse("caller_id=%2B79261234567&called_did=74951234567&callstart=2026-11-30+12%3A34%3A56", null,
            accountUtcOffset: TimeSpan.FromHours(3));
        Assert.Equal("call_start", a.CallStartField);
        Assert.Equal("callstart", b.CallStartField);
        Assert.Equal("2026-11-30 12:34:56", b.CallStartText);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 34, 56, TimeSpan.Zero), a.CallStart);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 34, 56, TimeSpan.FromHours(3)), b.CallStart);
        // Unix seconds are read too; anything else keeps its text and has no time.
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1435573082), ZadarmaNotifications.Parse("caller_id=1&called_did=2&call_start=1435573082", null).CallStart);
        var odd = ZadarmaNotifications.Parse("caller_id=1&called_did=2&call_start=yesterday", null);
        Assert.Null(odd.CallStart);
        Assert.Equal("yesterday", odd.CallStartText);
    }

    [Theory]
    [InlineData("253402300799", 3)]   // 9999-12-31 23:59:59 UTC: past DateTimeOffset.MaxValue at +03:00
    [InlineData("0", -5)]             // 1970 is fine anywhere: read
    public void AUnixStartOutOfRangeAtTheAccountOffsetHasNoTimeAndKeepsItsText(string start, int hours)
    {
        var call = ZadarmaNotifications.Parse($"caller_id=1&called_did=2&call_start={start}", null, accountUtcOffset: TimeSpan.FromHours(hours));
        Assert.Equal(start, call.CallStartText);
        if (start == "0") Assert.Equal(DateTimeOffset.UnixEpoch, call.CallStart);
        else Assert.Null(call.CallStart);
    }

    [Fact]
    public void WhenBothNamesArePostedCallStartIsTheOneSignedAndTheOtherIsKept()
    {
        var secret = new Secret("k");
        var signature = ZadarmaNotifications.ComputeSignature("1", "2", "2026-01-01 00:00:00", secret);
        var call = ZadarmaNotifications.Parse("callstart=1999-01-01+00%3A00%3A00&caller_id=1&called_did=2&call_start=2026-01-01+00%3A00%3A00",
            Headers(signature), secret);
        Assert.Equal(ZadarmaSignatureStatus.Verified, call.Signature);
        Assert.Equal("call_start", call.CallStartField);
        Assert.Equal("1999-01-01 00:00:00", call.OtherFields["callstart"]);
    }

    [Fact]
    public void ExtraFieldsAreKeptInOrderAndTheLastOfARepeatedNameWins()
    {
        var call = ZadarmaNotifications.Parse(
            "pbx_call_id=in_1&caller_id=0&called_did=74951234567&z=1&call_start=2026-11-30+00%3A00%3A00&a=2&z=3&empty=&flag", null,
            remoteAddress: "185.45.152.42");
        Assert.Equal(new[] { "pbx_call_id", "a", "z", "empty", "flag" }, call.OtherFields.Keys.ToArray());
        Assert.Equal("3", call.OtherFields["z"]);
        Assert.Equal("", call.OtherFields["flag"]);
        Assert.Equal("0", call.CallerId); // a hidden number
        Assert.Equal("185.45.152.42", call.RemoteAddress);
        Assert.Equal("pbx_call_id=in_1; a=2; z=3; empty=; flag=", call.OtherFields.ToString());
        Assert.False(call.OtherFields.ContainsKey("caller_id"));
    }

    [Theory]
    [InlineData("caller_id=%2B7+926&called_did=1&call_start=x", "+7 926")]
    [InlineData("caller_id=a%2bb%2Fc&called_did=1&call_start=x", "a+b/c")]
    [InlineData("caller_id=%D8%B3%D9%84%D8%A7%D9%85&called_did=1&call_start=x", "سلام")]
    [InlineData("caller_id=100%&called_did=1&call_start=x", "100%")]      // a '%' without two hex digits stays, as in PHP
    [InlineData("caller_id=%zz1&called_did=1&call_start=x", "%zz1")]
    [InlineData("caller_id=a=b&called_did=1&call_start=x", "a=b")]        // split at the first '='
    [InlineData("&&caller_id=7&&called_did=1&call_start=x&", "7")]
    public void FormDecodingIsRfc(string body, string callerId)
    {
        Assert.Equal(callerId, ZadarmaNotifications.Parse(body, null).CallerId);
    }

    [Theory]
    [InlineData("called_did=1&call_start=x", "caller_id")]
    [InlineData("caller_id=1&call_start=x", "called_did")]
    [InlineData("caller_id=1&called_did=+&call_start=x", "called_did")]
    [InlineData("caller_id=1&called_did=2", "call_start")]
    [InlineData("caller_id=1&called_did=2&callstart=", "callstart")]
    [InlineData("", "caller_id")]
    [InlineData("{\"caller_id\":\"1\",\"called_did\":\"2\",\"call_start\":\"x\"}", "caller_id")]
    public void AMissingFieldIsNamed(string body, string field)
    {
        var ex = Assert.Throws<MessagingException>(() => ZadarmaNotifications.Parse(body, null));
        Assert.Equal("ZadarmaNotificationIsMissingAField", ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal(field, ex.Field);
        Assert.Contains(field == "callstart" ? "callstart" : field, ex.Message);
        Assert.Equal(400, ex.HttpStatus);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreMalformed()
    {
        var ex = Assert.Throws<MessagingException>(() => ZadarmaNotifications.Parse("caller_id=%FF%FE&called_did=1&call_start=x", null));
        Assert.Equal("ZadarmaNotificationIsMalformed", ex.ErrorId);
        var raw = Encoding.ASCII.GetBytes("caller_id=1&called_did=1&call_start=x&x=").Concat(new byte[] { 0xC3 }).ToArray();
        Assert.Equal("ZadarmaNotificationIsMalformed", Assert.Throws<MessagingException>(() => ZadarmaNotifications.Parse(raw, null)).ErrorId);
    }

    [Fact]
    public void AnOversizedBodyIsRefusedUnread()
    {
        var body = "caller_id=1&called_did=2&call_start=x&pad=" + new string('a', ZadarmaNotifications.DefaultMaxBodyBytes);
        var ex = Assert.Throws<MessagingException>(() => ZadarmaNotifications.Parse(body, null));
        Assert.Equal("ZadarmaNotificationIsTooLarge", ex.ErrorId);
        Assert.Equal(413, ex.HttpStatus);
        Assert.Equal("ZadarmaNotificationIsTooLarge",
            Assert.Throws<MessagingException>(() => ZadarmaNotifications.Parse("caller_id=1&called_did=2&call_start=x", null, maxBodyBytes: 20)).ErrorId);
        // Exactly at the limit is read.
        var fits = "caller_id=1&called_did=2&call_start=x&pad=";
        fits += new string('a', ZadarmaNotifications.DefaultMaxBodyBytes - fits.Length);
        Assert.Equal("1", ZadarmaNotifications.Parse(fits, null).CallerId);
    }

    [Fact]
    public void FieldsAHostDecodedAreReadTheSameWay()
    {
        var secret = new Secret("a8c7b3f2e1d0");
        var v = Vectors()[0];
        var call = ZadarmaNotifications.FromFields(v.Post.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)), v.Signature, new Secret(v.Secret));
        Assert.Equal(ZadarmaSignatureStatus.Verified, call.Signature);
        Assert.Equal("Zadarma", Assert.Throws<MessagingException>(() =>
            ZadarmaNotifications.FromFields(new[] { new KeyValuePair<string, string?>("caller_id", "1") }, null, secret)).Provider);
    }

    [Theory]
    [InlineData("?zd_echo=abc", "abc")]
    [InlineData("zd_echo=a+b%21", "a b!")]
    [InlineData("?x=1&zd_echo=", "")]
    [InlineData("?x=1", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void TheEchoIsTheDecodedValue(string? query, string? echo) => Assert.Equal(echo, ZadarmaNotifications.Echo(query));

    [Fact]
    public void TheAnswerHoldsOnlyWhatTheRouteGives()
    {
        Assert.Equal("", ZadarmaNotifications.Answer(null));
        Assert.Equal("", ZadarmaRoute.Default.ToAnswer());
        Assert.True(ZadarmaRoute.Default.IsDefault);
        // A plain number is a JSON number, as Zadarma's example writes 'redirect' => 1.
        Assert.Equal("{\"redirect\":1,\"caller_name\":\"TestName\"}", ZadarmaRoute.To("1", "TestName").ToAnswer());
        Assert.Equal("{\"redirect\":100}", ZadarmaRoute.To("100").ToAnswer());
        Assert.Equal("{\"redirect\":\"0100\"}", ZadarmaRoute.To("0100").ToAnswer());
        Assert.Equal("{\"redirect\":\"scenario-2\"}", ZadarmaRoute.To(" scenario-2 ").ToAnswer());
        Assert.Equal("{\"redirect\":\"blacklist\"}", ZadarmaRoute.Blacklist().ToAnswer());
        Assert.True(ZadarmaRoute.Blacklist().IsBlacklist);
        Assert.Equal("{\"caller_name\":\"Иван \\\"VIP\\\"\"}", new ZadarmaRoute(null, "Иван \"VIP\"").ToAnswer());
        Assert.Equal("application/json; charset=utf-8", ZadarmaRoute.Blacklist().AnswerContentType);
        using var doc = JsonDocument.Parse(ZadarmaRoute.To("12345678901234567890", "<b>").ToAnswer());
        Assert.Equal("12345678901234567890", doc.RootElement.GetProperty("redirect").GetString()); // too long for a number
        Assert.Equal("<b>", doc.RootElement.GetProperty("caller_name").GetString());
    }

    [Theory]
    [InlineData("", null, "Redirect")]
    [InlineData("  ", null, "Redirect")]
    [InlineData("1\n2", null, "Redirect")]
    [InlineData("1", "a\r\nb", "CallerName")]
    [InlineData(null, "", "CallerName")]
    public void AnUnusableRouteIsRefused(string? redirect, string? name, string field)
    {
        var ex = Assert.Throws<MessagingException>(() => new ZadarmaRoute(redirect, name));
        Assert.Equal("ZadarmaRouteIsInvalid", ex.ErrorId);
        Assert.Equal(field, ex.Field);
        Assert.Equal("ZadarmaRouteIsInvalid", Assert.Throws<MessagingException>(() => ZadarmaRoute.To(new string('1', 101))).ErrorId);
    }
}
