using System.Net;
using System.Net.Sockets;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;

namespace MessagingTools.Core.Tests;

public sealed class TransportTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxServer _sandbox;

    public TransportTests(SandboxFixture fixture)
    {
        _sandbox = fixture.Server;
        _sandbox.Reset();
    }

    public void Dispose() => _sandbox.Reset();

    private TransportRequest Request(bool idempotent, string path = "bale/api/v3/send_message") =>
        new("Test", "op", HttpMethod.Post, new Uri(_sandbox.BaseUri, path))
        {
            Idempotent = idempotent,
            Content = () => new StringContent("{}"),
            UncertainOutcome = "the phone may already have been called",
        };

    [Fact]
    public async Task ANonIdempotentRequestIsNotRepeatedAfterATimeoutAndSaysItMayHaveTakenEffect()
    {
        var t = new TestTransport(timeout: TimeSpan.FromMilliseconds(300));
        _sandbox.Faults.Add(FaultKind.Hang, "send_message", count: 5, delayMs: 3_000);

        var ex = await Assert.ThrowsAsync<MessagingException>(() => t.Transport.SendAsync(Request(idempotent: false)));

        Assert.Equal(ErrorKind.Timeout, ex.Kind);
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Equal("RequestTimedOutMayHaveTakenEffect", ex.ErrorId);
        Assert.Contains("the phone may already have been called", ex.Message);
        Assert.Equal(1, _sandbox.Requests.Count);
    }

    [Fact]
    public async Task ANonIdempotentRequestIsNotRepeatedAfterADroppedConnection()
    {
        var t = new TestTransport();
        _sandbox.Faults.Add(FaultKind.Drop, "send_message", count: 5);

        var ex = await Assert.ThrowsAsync<MessagingException>(() => t.Transport.SendAsync(Request(idempotent: false)));

        Assert.Equal(ErrorKind.Network, ex.Kind);
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Equal(1, _sandbox.Requests.Count);
    }

    [Fact]
    public async Task ANonIdempotentRequestGets5xxBackWithoutRetry()
    {
        var t = new TestTransport();
        _sandbox.Faults.Add(FaultKind.Status, "send_message", count: 5, status: 500);

        var response = await t.Transport.SendAsync(Request(idempotent: false));

        Assert.Equal(500, response.StatusCode);
        Assert.Equal(1, response.Attempts);
        Assert.Equal(1, _sandbox.Requests.Count);
    }

    [Fact]
    public async Task ANonIdempotentRequestIsRetriedAfterA429BecauseTheServerDidNotActOnIt()
    {
        var t = new TestTransport();
        _sandbox.Faults.Add(FaultKind.RateLimit, "send_message", count: 1, retryAfterSeconds: 0);

        var response = await t.Transport.SendAsync(Request(idempotent: false));

        Assert.Equal(2, response.Attempts);
    }

    [Fact]
    public async Task ARefusedConnectionIsRetriedEvenWhenNotIdempotentBecauseNothingWasSent()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var t = new TestTransport(maxAttempts: 3);
        var request = new TransportRequest("Test", "op", HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/x"))
        {
            Idempotent = false,
            Content = () => new StringContent("{}"),
        };

        var ex = await Assert.ThrowsAsync<MessagingException>(() => t.Transport.SendAsync(request));

        Assert.Equal(ErrorKind.Network, ex.Kind);
        Assert.False(ex.MayHaveTakenEffect);
        Assert.Equal("ConnectionFailed", ex.ErrorId);
        Assert.Contains("after 3 attempts", ex.Message);
    }

    [Fact]
    public async Task SecretsInHeadersAndBodyAreMaskedInLogsAndErrors()
    {
        var t = new TestTransport(timeout: TimeSpan.FromMilliseconds(200));
        var token = new Secret("tok-SECRET-123");
        var request = Request(idempotent: false);
        request.SecretHeaders["auth"] = token;
        request.Secrets.Add(token);
        request.LoggableBody = "{\"token\":\"tok-SECRET-123\"}"; // even a careless body is scrubbed
        _sandbox.Faults.Add(FaultKind.Hang, "send_message", count: 1, delayMs: 2_000);

        var ex = await Assert.ThrowsAsync<MessagingException>(() => t.Transport.SendAsync(request));

        Assert.DoesNotContain("tok-SECRET-123", t.Log);
        Assert.DoesNotContain("tok-SECRET-123", ex.ToString());
        Assert.Contains("auth: ********", t.Log);
        Assert.Equal("tok-SECRET-123", _sandbox.Requests.Snapshot()[0].Header("auth"));
    }

    [Fact]
    public void RetryAfterReadsSecondsDatesAndRateLimitReset()
    {
        TransportResponse With(string name, string value) =>
            new(429, "", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [name] = value }, 1);

        Assert.Equal(TimeSpan.FromSeconds(7), HttpTransport.RetryAfter(With("Retry-After", "7")));
        var date = HttpTransport.RetryAfter(With("Retry-After", DateTimeOffset.UtcNow.AddSeconds(30).ToString("r")));
        Assert.InRange(date!.Value.TotalSeconds, 25, 31);
        var reset = HttpTransport.RetryAfter(With("X-RateLimit-Reset", DateTimeOffset.UtcNow.AddSeconds(10).ToUnixTimeSeconds().ToString()));
        Assert.InRange(reset!.Value.TotalSeconds, 8, 11.5);
        Assert.Null(HttpTransport.RetryAfter(With("X-Other", "1")));
    }
}

public class RateLimitGateTests
{
    [Fact]
    public async Task APauseHoldsEveryRequestBack()
    {
        var gate = new RateLimitGate();
        gate.PauseUntil(DateTimeOffset.UtcNow.AddMilliseconds(300));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(gate.WaitTurnAsync(default), gate.WaitTurnAsync(default));
        Assert.True(watch.ElapsedMilliseconds >= 250, $"{watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task TheAnnouncedBudgetIsHandedOutThenTheRestWaitsForTheNextWindow()
    {
        var now = DateTimeOffset.UtcNow;
        var clock = now;
        var gate = new RateLimitGate(() => clock) { ResetMargin = TimeSpan.Zero };
        gate.Observe(limit: 5, remaining: 2, reset: now.AddSeconds(10));

        await gate.WaitTurnAsync(default);
        await gate.WaitTurnAsync(default);
        var third = gate.WaitTurnAsync(default);
        await Task.Delay(100);
        Assert.False(third.IsCompleted); // budget used up: waits for the reset

        clock = now.AddSeconds(11);
        await third.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task ABudgetThatWouldHoldTheRunTooLongFailsTheRequestAsRateLimited()
    {
        var now = DateTimeOffset.UtcNow;
        var gate = new RateLimitGate(() => now) { MaxWait = TimeSpan.FromMinutes(2) };
        gate.Observe(limit: 100, remaining: 0, reset: now.AddHours(1));
        var request = new TransportRequest("Test", "op", HttpMethod.Get, new Uri("http://127.0.0.1:9/never")) { Gate = gate, Idempotent = true };

        var ex = await Assert.ThrowsAsync<MessagingTools.Core.Errors.MessagingException>(() => new TestTransport().Transport.SendAsync(request));

        Assert.Equal(MessagingTools.Core.Errors.ErrorKind.RateLimited, ex.Kind);
        Assert.False(ex.MayHaveTakenEffect);
        Assert.Contains("not sent", ex.Message);
    }

    [Fact]
    public void AnswersFromAnOlderWindowDoNotRaiseTheBudget()
    {
        var now = DateTimeOffset.UtcNow;
        var gate = new RateLimitGate(() => now) { ResetMargin = TimeSpan.Zero };
        gate.Observe(10, 3, now.AddSeconds(5));
        gate.Observe(10, 8, now.AddSeconds(5)); // same window, stale higher figure
        var waits = 0;
        gate.Waiting += _ => waits++;
        for (int i = 0; i < 3; i++) Assert.True(gate.WaitTurnAsync(default).IsCompleted);
        Assert.False(gate.WaitTurnAsync(default).IsCompleted);
    }
}
