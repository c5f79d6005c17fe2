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
}
