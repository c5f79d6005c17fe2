using MessagingTools.Core.Errors;
using MessagingTools.Core.Text;

namespace MessagingTools.Core.Tests;

public sealed class MessageTemplateTests
{
    private static Dictionary<string, string?> Row(params (string Name, string? Value)[] cells) =>
        cells.ToDictionary(c => c.Name, c => c.Value); // a case-sensitive dictionary: the template does the matching

    [Fact]
    public void PersianTextIsFilledFromTheRow()
    {
        var template = MessageTemplate.Parse("سلام {Name}، کد شما {Code} است", "Text", "Bale");

        Assert.True(template.HasPlaceholders);
        Assert.Equal(new[] { "Name", "Code" }, template.Placeholders);
        Assert.Equal("سلام مریم، کد شما ۴۲۱۷ است", template.Fill(Row(("Name", "مریم"), ("Code", "۴۲۱۷"), ("Phone", "09123456789"))));
    }

    [Fact]
    public void PersianColumnNamesAndNamesWithSpacesWork()
    {
        var template = MessageTemplate.Parse("{نام} / {Phone Number}", "Text");

        Assert.Equal("علی / 0912", template.Fill(Row(("نام", "علی"), ("Phone Number", "0912"))));
    }

    [Fact]
    public void NamesMatchColumnsCaseInsensitivelyAndAnExactMatchWins()
    {
        var template = MessageTemplate.Parse("Hi {name}, {NAME}", "Text");

        Assert.Equal("Hi Ann, Ann", template.Fill(Row(("Name", "Ann"))));
        Assert.Equal("Hi exact, other", MessageTemplate.Parse("Hi {name}, {NAME}", "Text").Fill(Row(("NAME", "other"), ("name", "exact"))));
        Assert.Equal(new[] { "name" }, template.Placeholders);
    }

    [Fact]
    public void DoubledBracesAreLiteralBraces()
    {
        var template = MessageTemplate.Parse("{{code}} is {Code}; json {{\"a\":1}}", "Text");

        Assert.Equal(new[] { "Code" }, template.Placeholders);
        Assert.Equal("{code} is 7; json {\"a\":1}", template.Fill(Row(("Code", "7"))));
    }

    [Fact]
    public void ATextWithoutBracesComesBackAsTheSameInstance()
    {
        var text = new string("سلام، hello".ToCharArray()); // not interned
        var template = MessageTemplate.Parse(text, "Text");

        Assert.False(template.HasPlaceholders);
        Assert.Same(text, template.Fill(Row(("Name", "x"))));
        Assert.Same(text, template.Fill(new Dictionary<string, string?>()));
    }

    [Fact]
    public void ATextWithOnlyEscapedBracesIsTheSameUnescapedStringForEveryRow()
    {
        var template = MessageTemplate.Parse("a {{b}}", "Text");

        Assert.False(template.HasPlaceholders);
        var first = template.Fill(Row(("b", "x")));
        Assert.Equal("a {b}", first);
        Assert.Same(first, template.Fill(new Dictionary<string, string?>()));
    }

    [Fact]
    public void ValuesAreInsertedVerbatimWithoutExpandingThemAgain()
    {
        var template = MessageTemplate.Parse("[{A}]", "Text");

        Assert.Equal("[{B} }} {{ {]", template.Fill(Row(("A", "{B} }} {{ {"), ("B", "no"))));
        Assert.Equal("[]", template.Fill(Row(("A", null))));
    }

    [Fact]
    public void APlaceholderWithoutItsColumnIsTheRowsErrorNamingItAndTheColumns()
    {
        var template = MessageTemplate.Parse("سلام {Name}، {Code}", "CopyText", "Bale");

        var ex = Assert.Throws<MessagingException>(() => template.Fill(Row(("Name", "Ali"), ("Phone", "0912"))));

        Assert.Equal(MessageTemplate.NoColumnErrorId, ex.ErrorId);
        Assert.Equal("TemplatePlaceholderHasNoColumn", ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal("CopyText", ex.Field);
        Assert.Equal("Bale", ex.Provider);
        Assert.False(ex.MayHaveTakenEffect);
        Assert.Contains("{Code}", ex.Message);
        Assert.Contains("'Name', 'Phone'", ex.Message);
    }

    [Theory]
    [InlineData("a } b", 3, "closes no placeholder")]
    [InlineData("}", 1, "closes no placeholder")]
    [InlineData("a { b", 3, "never closed")]
    [InlineData("hi {Name", 4, "never closed")]
    [InlineData("{", 1, "never closed")]
    [InlineData("x {} y", 3, "no column name")]
    [InlineData("x {  } y", 3, "no column name")]
    [InlineData("{A{B}}", 3, "inside the placeholder that begins at position 1")]
    [InlineData("{{a}", 4, "closes no placeholder")]
    [InlineData("{A}}", 4, "closes no placeholder")]
    [InlineData("سلام {نام", 6, "never closed")]
    public void AFaultyTemplateIsAnErrorNamingThePosition(string text, int position, string what)
    {
        var ex = Assert.Throws<MessagingException>(() => MessageTemplate.Parse(text, "Message", "FeedBot"));

        Assert.Equal(MessageTemplate.InvalidErrorId, ex.ErrorId);
        Assert.Equal("TemplateIsInvalid", ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal("Message", ex.Field);
        Assert.Equal("FeedBot", ex.Provider);
        Assert.Contains($"at position {position} of {text.Length}", ex.Message);
        Assert.Contains(what, ex.Message);
    }

    [Fact]
    public void TheExcerptOfAnErrorNeverCutsACharacterInHalf()
    {
        var text = "😀" + new string('a', 14) + "}" + new string('b', 14) + "😀" + "c";
        var ex = Assert.Throws<MessagingException>(() => MessageTemplate.Parse(text, "Text"));

        Assert.Equal(-1, UnicodeText.IndexOfLoneSurrogate(ex.Message));
        Assert.Contains("position 17", ex.Message);
    }

    [Fact]
    public void AdjacentAndRepeatedPlaceholdersAreEachFilled()
    {
        var template = MessageTemplate.Parse("{A}{B}{A}", "Text");

        Assert.Equal(new[] { "A", "B" }, template.Placeholders);
        Assert.Equal("12" + "1", template.Fill(Row(("a", "1"), ("b", "2"))));
    }
}
