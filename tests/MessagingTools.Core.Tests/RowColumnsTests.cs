using MessagingTools.Core.Errors;
using MessagingTools.Core.Pipeline;
using MessagingTools.Core.Rows;

namespace MessagingTools.Core.Tests;

public sealed class RowColumnsTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyCollection<string>> Parameters = new Dictionary<string, IReadOnlyCollection<string>>
    {
        ["PhoneNumber"] = new[] { "PhoneNumber", "Phone", "Mobile", "Number" },
        ["Text"] = new[] { "Text", "Message" },
    };

    private static KeyValuePair<string, string?> Cell(string name, string? value) => new(name, value);

    [Fact]
    public void TwoRecipientColumnsWithDifferentValuesAreRefusedNamingBoth()
    {
        var ex = Assert.Throws<MessagingException>(() => RowColumns.RefuseConflicts(Parameters,
            new[] { Cell("Phone", "09123456789"), Cell("Mobile", "09350000000"), Cell("Message", "hi") }));

        Assert.Equal("RowHasConflictingColumns", ex.ErrorId);
        Assert.Equal("PhoneNumber", ex.Field);
        Assert.Contains("Phone ('09123456789')", ex.Message);
        Assert.Contains("Mobile ('09350000000')", ex.Message);
    }

    [Theory]
    [InlineData("09123456789", "09123456789")]
    [InlineData("09123456789", "")]
    [InlineData("09123456789", "  ")]
    [InlineData("09123456789", null)]
    [InlineData(" 09123456789 ", "09123456789")]
    public void AgreeingOrBlankColumnsAreFine(string phone, string? mobile)
    {
        RowColumns.RefuseConflicts(Parameters, new[] { Cell("phone", phone), Cell("MOBILE", mobile), Cell("Text", "a") });
    }

    [Fact]
    public void ColumnsOfDifferentParametersNeverConflict()
    {
        RowColumns.RefuseConflicts(Parameters, new[] { Cell("Phone", "09123456789"), Cell("Message", "something else") });
    }
}
