using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// Issue 11, item 12: an id FeedBot does not know (FeedbotMessageWasNotFound) gave an error whose Field was empty, so
/// the cmdlet's error did not say "Id:" (nor "Row 2, Id:"). The error now names Id in its Field and in its message.
/// </summary>
public sealed class FeedbotUnknownIdNamesId : IClassFixture<FeedbotSandboxFixture>
{
    private readonly SandboxServer _sandbox;

    public FeedbotUnknownIdNamesId(FeedbotSandboxFixture fixture)
    {
        _sandbox = fixture.Server;
        _sandbox.Reset();
        _sandbox.Latency = TimeSpan.Zero;
    }

    private FeedbotClient Client() => new(new Secret(FeedbotSandbox.DefaultToken), _sandbox.FeedbotSendEndpoint, _sandbox.FeedbotStatusEndpoint,
        new HttpTransport(options: new TransportOptions { InitialBackoff = TimeSpan.FromMilliseconds(10) }));

    private static void AssertNamesId(MessagingException ex, string id)
    {
        Assert.Equal("FeedbotMessageWasNotFound", ex.ErrorId);
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("Id", ex.Field);
        Assert.Contains($"Id '{id}'", ex.Message);
    }

    [Fact]
    public async Task AnUnknownIdIsNotFoundNamingId()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => Client().GetStatusAsync("no-such-id"));
        AssertNamesId(ex, "no-such-id");
    }

    [Fact]
    public async Task AnUnknownIdAmongOthersIsThatIdsErrorNamingId()
    {
        var sent = await Client().SendAsync(new[] { new FeedbotMessage("972586666641", "hello") });
        var id = sent[0].Result!.Id;
        var outcomes = await Client().WaitForStatusAsync(new[] { id, "no-such-id" });
        Assert.True(outcomes[0].Succeeded);
        AssertNamesId(Assert.IsType<MessagingException>(outcomes[1].Error), "no-such-id");
    }
}
