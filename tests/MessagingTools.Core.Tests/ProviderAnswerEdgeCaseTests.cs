using System.Net;
using System.Text;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Core.Providers.FlashCall;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// Answers a provider might give that the sandbox does not: an answer that took effect must never be reported as
/// failed, and one that may have taken effect must never be reported as certainly not.
/// </summary>
public sealed class ProviderAnswerEdgeCaseTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public ProviderAnswerEdgeCaseTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private sealed class FixedHandler : HttpMessageHandler
    {
        private readonly HttpStatusCode _status;
        private readonly string _body;
        private readonly (string Name, string Value)[] _headers;

        public FixedHandler(HttpStatusCode status, string body, params (string, string)[] headers)
        {
            _status = status;
            _body = body;
            _headers = headers;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var response = new HttpResponseMessage(_status) { Content = new StringContent(_body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in _headers) response.Headers.TryAddWithoutValidation(name, value);
            return Task.FromResult(response);
        }
    }

    private static FeedbotClient Feedbot(HttpMessageHandler handler) =>
        new(new Secret("tok-123456"), new Uri("http://feedbot.test/send"), new Uri("http://feedbot.test/status"), new HttpTransport(handler));

    [Fact]
    public async Task AFeedbot500SayingSuccessFalseMayStillHaveQueuedTheMessages()
    {
        var client = Feedbot(new FixedHandler(HttpStatusCode.InternalServerError,
            "{\"success\": false, \"errorCode\": \"INTERNAL\", \"message\": \"firestore write timed out\"}"));
        var outcomes = await client.SendAsync(new[] { new FeedbotMessage("972586666644", "hi") });
        var error = Assert.IsType<MessagingException>(outcomes[0].Error);
        Assert.True(error.MayHaveTakenEffect, $"HTTP 500 reported as certainly not queued: {error.Message}");
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "", "FeedbotCredentialsWereRejected")]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "FeedbotServerError")]
    [InlineData(HttpStatusCode.OK, "<html>not json</html>", "FeedbotAnswerWasMalformed")]
    public async Task EveryFeedbotErrorIdBeginsWithFeedbotAsTheOthersDo(HttpStatusCode status, string body, string errorId)
    {
        // The ids FeedBot's own codes give are FeedbotUserIsNotAuthorized..., and the transport's FeedbotAnswerWasARedirect:
        // an HTTP status or an unreadable answer must not spell the provider differently (FeedBotServerError).
        var client = new FeedbotClient(new Secret("tok-123456"), new Uri("http://feedbot.test/send"), new Uri("http://feedbot.test/status"),
            new HttpTransport(new FixedHandler(status, body), new TransportOptions { InitialBackoff = TimeSpan.FromMilliseconds(1) }));
        var outcomes = await client.SendAsync(new[] { new FeedbotMessage("972586666644", "hi") });
        Assert.Equal(errorId, Assert.IsType<MessagingException>(outcomes[0].Error).ErrorId);
        var read = await Assert.ThrowsAsync<MessagingException>(() => client.GetStatusAsync("abc"));
        Assert.Equal(errorId, read.ErrorId);
    }

    [Fact]
    public async Task AFeedbotSuccessWithIdsIsASuccessEvenWithAnErrorCodeOfZero()
    {
        var client = Feedbot(new FixedHandler(HttpStatusCode.OK, "{\"errorCode\": 0, \"success\": true, \"ids\": [\"wwFSlUQCEB6WQ8egk42n\"]}"));
        var outcomes = await client.SendAsync(new[] { new FeedbotMessage("972586666644", "hi") });
        Assert.True(outcomes[0].Succeeded, outcomes[0].Error?.Message);
        Assert.Equal("wwFSlUQCEB6WQ8egk42n", outcomes[0].Result!.Id);
    }

    [Theory]
    [InlineData("1763840000000")]          // unix time in milliseconds
    [InlineData("99999999999999999")]      // out of any range
    [InlineData("-5")]
    public async Task AnOddRateLimitResetHeaderDoesNotTurnAPlacedCallIntoAnError(string reset)
    {
        var client = new FlashCallClient(new Secret("tok-123456"), new Uri("http://flash.test/services/call/call/"),
            new HttpTransport(new FixedHandler(HttpStatusCode.OK,
                "{\"message\":\"ok\",\"code\":\"1234\",\"tracking_code\":\"t1\",\"head_number\":\"0217991\"}",
                ("X-RateLimit-Reset", reset), ("X-RateLimit-Remaining", "5"), ("Retry-After", "999999999999"))));
        var result = await client.CallAsync(new FlashCallRequest("09123456789"));
        Assert.Equal("1234", result.Code);
    }

    [Fact]
    public void UnixTimesInSecondsOrMillisecondsAreRead()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1763840000), HttpTransport.UnixTime(1763840000));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1763840000), HttpTransport.UnixTime(1763840000123));
        Assert.Null(HttpTransport.UnixTime(0));
        Assert.Null(HttpTransport.UnixTime(null));
    }

    [Fact]
    public async Task ATokenWithATrailingNewlineStillAuthenticates()
    {
        // A key read with Get-Content -Raw or from an env file ends in a newline, which HttpClient would drop the header for.
        var t = new TestTransport();
        var client = new FeedbotClient(new Secret(FeedbotSandbox.DefaultToken + "\r\n"), _sandbox.Server.FeedbotSendEndpoint,
            _sandbox.Server.FeedbotStatusEndpoint, t.Transport);
        var outcomes = await client.SendAsync(new[] { new FeedbotMessage("972586666644", "hi") });
        Assert.True(outcomes[0].Succeeded, outcomes[0].Error?.Message);
    }
}
