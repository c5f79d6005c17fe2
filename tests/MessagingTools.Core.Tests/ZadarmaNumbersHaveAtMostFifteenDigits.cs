using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;

namespace MessagingTools.Core.Tests;

/// <summary>
/// Issue 11, item 11: Get-ZadarmaPrice priced an 18-digit number although the error for a longer one says "a phone
/// number has at most 15" (E.164). A number of more than 15 digits is refused before any request, with that message.
/// </summary>
public sealed class ZadarmaNumbersHaveAtMostFifteenDigits : IClassFixture<ZadarmaFixture>
{
    private readonly ZadarmaFixture _f;

    public ZadarmaNumbersHaveAtMostFifteenDigits(ZadarmaFixture f)
    {
        _f = f;
        _f.Server.Reset();
    }

    [Theory]
    [InlineData("1234567890123456", 16)]
    [InlineData("123456789012345678", 18)]
    [InlineData("+44 20 3769 1880 1234 5678", 20)]
    public void ANumberOfMoreThanFifteenDigitsIsRefusedNamingItsField(string number, int digits)
    {
        var ex = Assert.Throws<MessagingException>(() => ZadarmaClient.NormalizeNumber(number, "Number"));
        Assert.Equal("ZadarmaNumberIsInvalid", ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal("Number", ex.Field);
        Assert.Contains($"has {digits} digits; a phone number has at most 15", ex.Message);
    }

    [Theory]
    [InlineData("+123 456 789 012 345", "123456789012345")]
    [InlineData("00 123 456 789 012 345", "00123456789012345")] // 00 is the international prefix, not part of the number
    public void FifteenDigitsAreAccepted(string number, string expected) =>
        Assert.Equal(expected, ZadarmaClient.NormalizeNumber(number, "Number"));

    [Fact]
    public async Task PriceOfAnEighteenDigitNumberIsRefusedBeforeAnyRequest()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().GetPriceAsync(new ZadarmaPriceQuery("123456789012345678")));
        Assert.Equal("ZadarmaNumberIsInvalid", ex.ErrorId);
        Assert.Equal("Number", ex.Field);
        Assert.Empty(_f.Server.Requests.Snapshot());
    }
}
