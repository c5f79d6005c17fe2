using MessagingTools.Core.Errors;
using MessagingTools.Core.Text;

namespace MessagingTools.Core.Tests;

/// <summary>
/// Issue 11, items 11 and 12: a text holding a lone surrogate (half of a UTF-16 pair, e.g. [char]0xD800) cannot be
/// written as UTF-8. Seen in PowerShell 7.6.9: Zadarma SMS failed with .NET's "Unable to translate Unicode character"
/// naming no field, Bale and FeedBot silently sent U+FFFD instead. One rule in Core (<see cref="UnicodeText"/>) now
/// refuses such a text before any request, for every text a cmdlet sends, with one error id and the field at fault.
/// </summary>
public sealed class UnicodeTextTests
{
    /// <summary>The text the client tests send: a high surrogate at position 5 with no low one after it.</summary>
    internal const string Lone = "Code\uD800x";

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("سلام! کد شما ۴۸۲۱۳ است")]
    [InlineData(@"an emoji is a pair: \uD83D\uDE00 and \uD83D\uDC4D")]
    public void WellFormedTextPasses(string escaped)
    {
        var text = System.Text.RegularExpressions.Regex.Unescape(escaped);
        Assert.Equal(-1, UnicodeText.IndexOfLoneSurrogate(text));
        UnicodeText.RequireWellFormed(text, "Bale", "Text"); // does not throw
    }

    // Written escaped (@"\uD800") and unescaped in the test: xunit carries theory data through UTF-8, which turns a
    // lone surrogate in an attribute into U+FFFD before the test sees it.
    [Theory]
    [InlineData(@"Code\uD800x", 5, "D800")] // high surrogate followed by a letter
    [InlineData(@"Code\uD800", 5, "D800")] // high surrogate at the end
    [InlineData(@"\uDE00 first", 1, "DE00")] // low surrogate with no high one before it
    [InlineData(@"ok \uD83D\uDE00 then \uDE00", 12, "DE00")] // a good pair, then a lone low one
    [InlineData(@"\uD83D\uD83D\uDE00", 1, "D83D")] // a high surrogate followed by another high one
    public void ALoneSurrogateIsRefusedWithItsPositionAndField(string escaped, int position, string hex)
    {
        var text = System.Text.RegularExpressions.Regex.Unescape(escaped);
        Assert.Equal(position - 1, UnicodeText.IndexOfLoneSurrogate(text));
        var ex = Assert.Throws<MessagingException>(() => UnicodeText.RequireWellFormed(text, "FeedBot", "Message"));
        Assert.Equal(UnicodeText.ErrorId, ex.ErrorId);
        Assert.Equal("TextIsNotValidUnicode", ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal("FeedBot", ex.Provider);
        Assert.Equal("Message", ex.Field);
        Assert.StartsWith($"The text holds a lone surrogate (half of a character) at position {position} ", ex.Message);
        Assert.Contains("U+" + hex, ex.Message);
    }

    [Fact]
    public void NullTextPasses() => UnicodeText.RequireWellFormed(null, "Zadarma", "Message");
}
