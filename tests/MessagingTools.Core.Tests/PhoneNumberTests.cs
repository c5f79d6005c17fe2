using MessagingTools.Core.Errors;
using MessagingTools.Core.Phones;

namespace MessagingTools.Core.Tests;

public class PhoneNumberTests
{
    public static TheoryData<string, string> Valid => new()
    {
        { "0912 345 6789", "989123456789" },
        { "09123456789", "989123456789" },
        { "+98-912-345-6789", "989123456789" },
        { "+989123456789", "989123456789" },
        { "989123456789", "989123456789" },
        { "00989123456789", "989123456789" },
        { "0098 912 345 6789", "989123456789" },
        { "9123456789", "989123456789" },
        { "912 345 6789", "989123456789" },
        { "(0912) 345-6789", "989123456789" },
        { "0912.345.6789", "989123456789" },
        { "  09123456789  ", "989123456789" },
        { "۰۹۱۲۳۴۵۶۷۸۹", "989123456789" },              // Persian digits
        { "۰۹۱۲ ۳۴۵ ۶۷۸۹", "989123456789" },
        { "+۹۸۹۱۲۳۴۵۶۷۸۹", "989123456789" },
        { "٠٩١٢٣٤٥٦٧٨٩", "989123456789" },              // Arabic-Indic digits
        { "٩٨٩١٢٣٤٥٦٧٨٩", "989123456789" },
        { "\u200E0912 345 6789\u200F", "989123456789" }, // direction marks from RTL editors
        { "0912\u2011345\u20116789", "989123456789" },   // non-breaking hyphens
        { "0912\u00A0345\u00A06789", "989123456789" },   // non-breaking spaces
        { "09196111003", "989196111003" },
        { "0919-611-1003", "989196111003" },
        { "۰۹۱۹-۶۱۱-۱۰۰۳", "989196111003" },
        { "+98 (0)912 345 6789", "989123456789" },      // trunk zero in parentheses
    };

    public static TheoryData<string?> Invalid => new()
    {
        null,
        "",
        "   ",
        "12345",
        "0912345678",          // one digit short
        "091234567890",        // one digit long
        "02112345678",         // Tehran landline, not a mobile
        "982112345678",        // landline in Bale form
        "+1 555 123 4567",     // another country
        "+44 7911 123456",
        "0912-345-67a9",       // a letter
        "phone: 09123456789",
        "9.12346E+09",         // Excel scientific notation
        "09123456789;09123456780",
        "0912+3456789",        // plus in the middle
        "++989123456789",
        "98-912-345-678",      // too short in Bale form
        "٠٩١٢٣٤٥٦٧٨",          // Arabic-Indic, one digit short
        "۰۲۱۱۲۳۴۵۶۷۸",         // Persian landline
        "@{Name=Ali; Text=hi}",
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void AcceptedFormsBecomeTheBaleForm(string input, string expected)
    {
        Assert.Equal(expected, PhoneNumbers.ToBale(input));
        Assert.Equal("0" + expected.Substring(2), PhoneNumbers.ToIranLocal(input));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void OtherValuesAreRejectedWithTheValueAndTheAcceptedForms(string? input)
    {
        var ex = Assert.Throws<MessagingException>(() => PhoneNumbers.ToBale(input));
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal("PhoneNumberIsNotAnIranianMobileNumber", ex.ErrorId);
        Assert.Contains($"'{input}'", ex.Message);
        Assert.Contains("09123456789", ex.Message);
        Assert.Contains("Persian", ex.Message);
    }

    [Fact]
    public void TheTableCoversAtLeastThirtyInputs() => Assert.True(Valid.Count + Invalid.Count >= 30);

    [Fact]
    public void PersianAndArabicIndicDigitsBecomeAscii()
    {
        Assert.Equal("0123456789", PhoneNumbers.ToAsciiDigits("۰۱۲۳۴۵۶۷۸۹"));
        Assert.Equal("0123456789", PhoneNumbers.ToAsciiDigits("٠١٢٣٤٥٦٧٨٩"));
        Assert.Equal("a-1", PhoneNumbers.ToAsciiDigits("a-۱"));
    }

    [Theory]
    [InlineData("+972 (0)58-666-6644", "972586666644")]
    [InlineData("00972 (0)58 666 6644", "972586666644")]
    [InlineData("+972586666644", "972586666644")]
    public void TheTrunkZeroOfInternationalNumbersIsDropped(string input, string expected) =>
        Assert.Equal(expected, PhoneNumbers.ToInternational(input));

    // Issue 17, item 2: Zadarma's form (digits only; a leading + dropped, a leading 00 kept) was decided in ZadarmaClient,
    // apart from the other providers' forms. This table pins every answer of that rule, so that it keeps them all
    // wherever it lives: its separators are fewer than the Iranian and international forms accept ('/', '_', tabs,
    // direction marks and a '+' after a space are refused), and it has no trunk-zero rule ("(0)" stays a 0).
    public static TheoryData<string?, string?, string> Zadarma => new()
    {
        // input; its digits, or null and the error id (with ":n", the digits counted, for a number too long)
        { "442037691881", "442037691881", "" },
        { "+44 20 3769-1881", "442037691881", "" },
        { "(044) 20.3769.1881", "0442037691881", "" },
        { "  +79001234567  ", "79001234567", "" },
        { "00 123 456 789 012 345", "00123456789012345", "" },
        { "+123 456 789 012 345", "123456789012345", "" },
        { "۰۹۱۲ ۳۴۵ ۶۷۸۹", "09123456789", "" },
        { "٠٩١٢٣٤٥٦٧٨٩", "09123456789", "" },
        { "0912\u00A0345\u00A06789", "09123456789", "" },
        { "\u00A0100\u00A0", "100", "" },
        { "100", "100", "" },
        { "+972 (0)58-666-6644", "9720586666644", "" },
        { "+", null, "ZadarmaNumberIsMissing" },
        { "", null, "ZadarmaNumberIsMissing" },
        { "   ", null, "ZadarmaNumberIsMissing" },
        { null, null, "ZadarmaNumberIsMissing" },
        { "()-. ", null, "ZadarmaNumberIsMissing" },
        { "- +1", null, "ZadarmaNumberIsInvalid" },
        { "1+2", null, "ZadarmaNumberIsInvalid" },
        { "++1", null, "ZadarmaNumberIsInvalid" },
        { "058/666", null, "ZadarmaNumberIsInvalid" },
        { "058_666", null, "ZadarmaNumberIsInvalid" },
        { "058\t666", null, "ZadarmaNumberIsInvalid" },
        { "\u200E0912 345 6789", null, "ZadarmaNumberIsInvalid" },
        { "0912\u2011345", null, "ZadarmaNumberIsInvalid" },
        { "0-1x", null, "ZadarmaNumberIsInvalid" },
        { "sip:100", null, "ZadarmaNumberIsInvalid" },
        { "1234567890123456", null, "ZadarmaNumberIsInvalid:16" },
        { "001234567890123456", null, "ZadarmaNumberIsInvalid:16" },
        { "00123456789012345", "00123456789012345", "" },
        { "0012345678901234567", null, "ZadarmaNumberIsInvalid:17" },
        { "00", "00", "" },
    };

    [Theory]
    [MemberData(nameof(Zadarma))]
    public void ZadarmaFormIsDigitsOnly(string? input, string? expected, string error)
    {
        // error: the id, and after a colon the digits counted when the number is too long.
        var errorId = error.Split(':')[0];
        if (expected != null)
        {
            Assert.Equal(expected, ZadarmaForm(input, "Number"));
            return;
        }
        var ex = Assert.Throws<MessagingException>(() => ZadarmaForm(input, "Number"));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal("Zadarma", ex.Provider);
        Assert.Equal("Number", ex.Field);
        Assert.Equal(errorId == "ZadarmaNumberIsMissing" ? "Number is empty."
            : error.Contains(':') ? $"Number '{input}' has {error.Split(':')[1]} digits; a phone number has at most 15."
            : $"Number '{input}' is not a phone number, SIP number or extension: only digits, spaces, dashes, brackets and a leading + are allowed.",
            ex.Message);
    }

    // The rule is PhoneNumbers.ToZadarma; ZadarmaClient.NormalizeNumber, public before it moved, gives the same answers.
    private static string ZadarmaForm(string? value, string field)
    {
        var form = PhoneNumbers.ToZadarma(value, field);
        Assert.Equal(form, MessagingTools.Core.Providers.Zadarma.ZadarmaClient.NormalizeNumber(value, field));
        return form;
    }

    // Issue 18, item 6: Send-ZadarmaSms -Number 09121234567 sent the number unchanged. A Zadarma phone number in local
    // form (a leading 0) needs a country code: refused without one, the 0 replaced by -DefaultCountryCode with one.
    [Theory]
    [InlineData("0912 345 6789", "98", "989123456789")]
    [InlineData("09123456789", "+98", "989123456789")]
    [InlineData("۰۹۱۲۳۴۵۶۷۸۹", "0098", "989123456789")]
    [InlineData("058-666-6644", "972", "972586666644")]
    [InlineData("989123456789", null, "989123456789")]
    [InlineData("+44 20 3769 1881", null, "442037691881")]
    [InlineData("00989123456789", null, "00989123456789")]
    [InlineData("100", null, "100")]
    [InlineData("989123456789", "972", "989123456789")]
    public void AZadarmaPhoneInLocalFormTakesTheDefaultCountryCode(string input, string? countryCode, string expected)
    {
        Assert.Equal(expected, PhoneNumbers.ToZadarmaPhone(input, "Number", countryCode));
        Assert.Equal(expected, MessagingTools.Core.Providers.Zadarma.ZadarmaClient.NormalizePhone(input, "Number", countryCode));
    }

    [Fact]
    public void AZadarmaPhoneInLocalFormWithoutACountryCodeIsRefusedNamingItsField()
    {
        var ex = Assert.Throws<MessagingException>(() => PhoneNumbers.ToZadarmaPhone("0912 345 6789", "To", null));
        Assert.Equal("ZadarmaNumberHasNoCountryCode", ex.ErrorId);
        Assert.Equal("To", ex.Field);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("'0912 345 6789'", ex.Message);
        Assert.Contains("-DefaultCountryCode", ex.Message);
        var bad = Assert.Throws<MessagingException>(() => PhoneNumbers.ToZadarmaPhone("0912 345 6789", "To", "0098x"));
        Assert.Equal("CountryCodeIsInvalid", bad.ErrorId);
        Assert.Equal("DefaultCountryCode", bad.Field);
    }

    [Fact]
    public void EveryZadarmaRequestWithAPhoneNumberTakesTheDefaultCountryCode()
    {
        Assert.Equal("989123456789", MessagingTools.Core.Providers.Zadarma.ZadarmaClient.Prepare(
            new MessagingTools.Core.Providers.Zadarma.ZadarmaSmsRequest("09123456789", "hi") { DefaultCountryCode = "98" }).Number);
        var call = MessagingTools.Core.Providers.Zadarma.ZadarmaClient.Prepare(
            new MessagingTools.Core.Providers.Zadarma.ZadarmaCallbackRequest("100", "09123456789") { DefaultCountryCode = "98" });
        Assert.Equal(("100", "989123456789"), (call.From, call.To));
        Assert.Equal("989123456789", MessagingTools.Core.Providers.Zadarma.ZadarmaClient.Prepare(
            new MessagingTools.Core.Providers.Zadarma.ZadarmaPriceQuery("09123456789") { DefaultCountryCode = "98" }).Number);
        Assert.Equal("989123456789", MessagingTools.Core.Providers.Zadarma.ZadarmaClient.Prepare(
            new MessagingTools.Core.Providers.Zadarma.ZadarmaCallerIdRequest("100", "09123456789") { DefaultCountryCode = "98" }).Number);
        Assert.Equal("989123456789", MessagingTools.Core.Providers.Zadarma.ZadarmaClient.Prepare(
            new MessagingTools.Core.Providers.Zadarma.ZadarmaRedirectionRequest("100") { Number = "09123456789", DefaultCountryCode = "98" }).Number);
        Assert.Throws<MessagingException>(() => MessagingTools.Core.Providers.Zadarma.ZadarmaClient.Prepare(
            new MessagingTools.Core.Providers.Zadarma.ZadarmaSmsRequest("09123456789", "hi")));
    }
}
