using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Core.Security;
using MessagingTools.Core.Text;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// Issue 11, items 11 and 12: a text holding a lone surrogate (half of a UTF-16 pair, e.g. [char]0xD800) cannot be
/// written as UTF-8. Seen in PowerShell 7.6.9: Zadarma SMS failed with .NET's "Unable to translate Unicode character"
/// naming no field, Bale and FeedBot silently sent U+FFFD instead. One rule in Core (<see cref="UnicodeText"/>) now
/// refuses such a text before any request, for every text a cmdlet sends, with one error id and the field at fault.
/// </summary>
public sealed class TextsMustBeValidUnicode : IClassFixture<SandboxFixture>
{
    private const string Lone = "Code\uD800x"; // a high surrogate at position 5 with no low one after it
    private readonly SandboxServer _sandbox;

    public TextsMustBeValidUnicode(SandboxFixture fixture)
    {
        _sandbox = fixture.Server;
        _sandbox.Reset();
        _sandbox.Latency = TimeSpan.Zero;
    }

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

    // ----- Bale: text (also a file's caption), copy text, file id, request id -----

    private BaleClient Bale() => new(new Secret(BaleSandbox.DefaultApiKey), _sandbox.BaleEndpoint, new TestTransport().Transport);

    [Theory]
    [InlineData("Text")]
    [InlineData("Caption")]
    [InlineData("CopyText")]
    [InlineData("RequestId")]
    public async Task BaleRefusesEachTextFieldBeforeSending(string field)
    {
        var message = field switch
        {
            "Text" => new BaleMessage(123, "09123456789") { Text = Lone },
            "Caption" => new BaleMessage(123, "09123456789") { FileId = "file-1", Text = Lone },
            "CopyText" => new BaleMessage(123, "09123456789") { Text = "ok", CopyText = Lone },
            _ => new BaleMessage(123, "09123456789") { Text = "ok", RequestId = Lone },
        };
        var expected = field == "Caption" ? "Text" : field;

        var prepared = Assert.Throws<MessagingException>(() => BaleClient.Prepare(message));
        Assert.Equal("TextIsNotValidUnicode", prepared.ErrorId);
        Assert.Equal(expected, prepared.Field);
        var sent = await Assert.ThrowsAsync<MessagingException>(() => Bale().SendMessageAsync(message));
        Assert.Equal("TextIsNotValidUnicode", sent.ErrorId);
        Assert.Equal(expected, sent.Field);
        Assert.Equal(0, _sandbox.Requests.Count);
        Assert.Empty(_sandbox.Bale.Deliveries.Snapshot());
    }

    // ----- FeedBot: the message text -----

    private FeedbotClient Feedbot() => new(new Secret(FeedbotSandbox.DefaultToken), _sandbox.FeedbotSendEndpoint, _sandbox.FeedbotStatusEndpoint,
        new TestTransport().Transport);

    [Fact]
    public async Task FeedbotRefusesTheMessageOfThatRowAndSendsTheOthers()
    {
        var ex = Assert.Throws<MessagingException>(() => FeedbotClient.Prepare(new FeedbotMessage("972586666641", Lone)));
        Assert.Equal("TextIsNotValidUnicode", ex.ErrorId);
        Assert.Equal("Message", ex.Field);

        var outcomes = await Feedbot().SendAsync(new[] { new FeedbotMessage("972586666641", "fine"), new FeedbotMessage("972586666642", "  " + Lone) });
        Assert.True(outcomes[0].Succeeded);
        var error = Assert.IsType<MessagingException>(outcomes[1].Error);
        Assert.Equal("TextIsNotValidUnicode", error.ErrorId);
        Assert.Equal("Message", error.Field);
        Assert.Contains("at position 7 ", error.Message); // the position in the text as given, before trimming
        Assert.Equal(new[] { "fine" }, _sandbox.Feedbot.Queued.Snapshot().Select(q => q.Message));
    }

    // ----- Zadarma: the SMS text -----

    private ZadarmaClient Zadarma() => new(ZadarmaSandbox.DefaultKey, new Secret(ZadarmaSandbox.DefaultSecret), _sandbox.ZadarmaEndpoint,
        new TestTransport().Transport);

    [Fact]
    public async Task ZadarmaSmsRefusesTheTextNamingMessageBeforeSending()
    {
        var prepared = Assert.Throws<MessagingException>(() => ZadarmaClient.Prepare(new ZadarmaSmsRequest("79001234567", Lone)));
        Assert.Equal("TextIsNotValidUnicode", prepared.ErrorId);
        Assert.Equal("Message", prepared.Field);
        Assert.Equal("Zadarma", prepared.Provider);

        var ex = await Assert.ThrowsAsync<MessagingException>(() => Zadarma().SendSmsAsync(new ZadarmaSmsRequest("79001234567", Lone)));
        Assert.Equal("TextIsNotValidUnicode", ex.ErrorId);
        Assert.Equal("Message", ex.Field);
        Assert.Contains("at position 5 ", ex.Message);
        Assert.Equal(0, _sandbox.Requests.Count);
        Assert.Empty(_sandbox.Zadarma.Sms.Snapshot());
    }
}
