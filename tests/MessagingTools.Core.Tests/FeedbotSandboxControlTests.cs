using System.Text;
using System.Text.Json;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>The HTTP control commands the Pester files and the demo use for the flash-call and FeedBot sandboxes.</summary>
public sealed class FeedbotSandboxControlTests : IClassFixture<FeedbotSandboxFixture>
{
    private readonly SandboxServer _sandbox;
    private static readonly HttpClient Http = new();

    public FeedbotSandboxControlTests(FeedbotSandboxFixture fixture)
    {
        _sandbox = fixture.Server;
        _sandbox.Reset();
    }

    private async Task<JsonElement> Control(HttpMethod method, string command)
    {
        var answer = await Http.SendAsync(new HttpRequestMessage(method, new Uri(_sandbox.BaseUri, "_sandbox/" + command)));
        Assert.True(answer.IsSuccessStatusCode, $"{command}: {(int)answer.StatusCode}");
        return JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task StatusDelayAndMalformedModeAreSetOverHttp()
    {
        await Control(HttpMethod.Post, "feedbot/status-delay/250");
        await Control(HttpMethod.Post, "feedbot/malformed/on");
        Assert.Equal(TimeSpan.FromMilliseconds(250), _sandbox.Feedbot.StatusDelay);
        Assert.True(_sandbox.Feedbot.MalformedAnswers);
        await Control(HttpMethod.Post, "feedbot/malformed/off");
        Assert.False(_sandbox.Feedbot.MalformedAnswers);
        await Control(HttpMethod.Post, "flashcall/invalid-token-status/200");
        Assert.Equal(200, _sandbox.FlashCall.InvalidTokenStatus);
    }

    [Fact]
    public async Task QueuedMessagesAndCallsAreListedInCamelCase()
    {
        var send = new HttpRequestMessage(HttpMethod.Post, _sandbox.FeedbotSendEndpoint)
        {
            Content = new StringContent("{\"messages\":[{\"message\":\"hi\",\"phone\":\"972586666644\",\"invalidationTime\":\"1900000000000\"}]}", Encoding.UTF8, "application/json"),
        };
        send.Headers.Add("auth", FeedbotSandbox.DefaultToken);
        Assert.True((await Http.SendAsync(send)).IsSuccessStatusCode);
        var call = await Http.PostAsync(_sandbox.FlashCallEndpoint,
            new StringContent($"{{\"destination\":\"09123456789\",\"token\":\"{FlashCallSandbox.DefaultToken}\"}}", Encoding.UTF8, "application/json"));
        Assert.True(call.IsSuccessStatusCode);

        var queued = (await Control(HttpMethod.Get, "feedbot/queued")).EnumerateArray().Single();
        Assert.Equal("972586666644", queued.GetProperty("phone").GetString());
        Assert.Equal(1900000000000, queued.GetProperty("invalidationTime").GetInt64());
        var calls = (await Control(HttpMethod.Get, "flashcall/calls")).EnumerateArray().Single();
        Assert.Equal("09123456789", calls.GetProperty("destination").GetString());
        Assert.Equal(_sandbox.FlashCall.Calls.Snapshot().Single().Code, calls.GetProperty("code").GetString());
        Assert.False(calls.TryGetProperty("token", out _)); // the sandbox does not keep tokens
    }

    [Fact]
    public async Task TheMalformedAnswerIsExactlyTheSeedsShape()
    {
        _sandbox.Feedbot.MalformedAnswers = true;
        var send = new HttpRequestMessage(HttpMethod.Post, _sandbox.FeedbotSendEndpoint)
        {
            Content = new StringContent("{\"messages\":[{\"message\":\"a\",\"phone\":\"972586666641\"},{\"message\":\"b\",\"phone\":\"972586666642\"}]}", Encoding.UTF8, "application/json"),
        };
        send.Headers.Add("auth", FeedbotSandbox.DefaultToken);
        var body = await (await Http.SendAsync(send)).Content.ReadAsStringAsync();
        Assert.Contains("\"ids:\" : [", body);
        Assert.Contains("\",\n]", body); // trailing comma
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body)); // not valid JSON for a strict parser
    }
}
