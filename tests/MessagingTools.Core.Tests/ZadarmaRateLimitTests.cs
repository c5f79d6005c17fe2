using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>The shared gate keeps a concurrent run under Zadarma's announced limit.</summary>
public sealed class ZadarmaRateLimitTests : IClassFixture<ZadarmaFixture>
{
    private readonly ZadarmaFixture _f;

    public ZadarmaRateLimitTests(ZadarmaFixture f)
    {
        _f = f;
        _f.Server.Reset();
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(64)]
    public async Task ThreeHundredReadsAgainstAHundredAWindowNeverMeetA429(int concurrency)
    {
        var sandbox = _f.Server.Zadarma;
        sandbox.RateLimit = 100;
        sandbox.RateLimitWindow = TimeSpan.FromSeconds(2); // "100 a minute", in a short window so the test is fast
        var warnings = 0;
        // One client = one gate shared by every concurrent request of the run.
        var client = _f.Client(log: (level, _) => { if (level == LogLevel.Warning) Interlocked.Increment(ref warnings); });
        var started = DateTimeOffset.UtcNow;

        using var slots = new SemaphoreSlim(concurrency);
        var reads = Enumerable.Range(0, 300).Select(async i =>
        {
            await slots.WaitAsync();
            try
            {
                return i % 3 == 0 ? (await client.GetBalanceAsync()).Currency
                    : i % 3 == 1 ? (await client.GetSipsAsync()).Count.ToString()
                    : (await client.GetRedirectionsAsync()).Count.ToString();
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        var results = await Task.WhenAll(reads);

        Assert.Equal(300, results.Length);
        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r)));
        // Not one 429 was even sent by the server, let alone reached the caller.
        Assert.Equal(0, sandbox.RateLimitedCount);
        Assert.Equal(0, warnings);
        Assert.Equal(300, _f.Server.Requests.Count);
        // 300 requests at 100 a window need at least three windows: the run was slowed down, not refused.
        var elapsed = DateTimeOffset.UtcNow - started;
        Assert.True(elapsed >= TimeSpan.FromSeconds(2), $"the run took {elapsed}, too fast to have respected the limit");
    }

    [Fact]
    public async Task GatePausesAtZeroRemainingUntilReset()
    {
        var now = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        var gate = new RateLimitGate(() => now) { ResetMargin = TimeSpan.Zero };
        gate.Observe(100, 0, now.AddSeconds(1));
        var turn = gate.WaitTurnAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(turn.IsCompleted);
        now = now.AddSeconds(1);
        await turn.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RequestsSentBeforeTheFirstFigureAreCountedAgainstIt()
    {
        var now = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        var gate = new RateLimitGate(() => now) { ResetMargin = TimeSpan.Zero };
        for (int i = 0; i < 10; i++) await gate.WaitTurnAsync(CancellationToken.None); // nothing known yet: all pass
        // The first answer counted only itself; the nine others may reach the server after it.
        gate.Observe(20, 19, now.AddSeconds(10));
        for (int i = 0; i < 10; i++)
            Assert.True(gate.WaitTurnAsync(CancellationToken.None).IsCompleted, $"turn {i} should pass");
        Assert.False(gate.WaitTurnAsync(CancellationToken.None).IsCompleted); // 10 + 10 = the limit of 20
    }

    [Fact]
    public async Task RequestsInFlightWhenAWindowTurnsAreCountedAgainstTheNext()
    {
        var reset = new DateTimeOffset(2026, 11, 22, 10, 0, 2, TimeSpan.Zero);
        var now = reset.AddSeconds(-1);
        var gate = new RateLimitGate(() => now) { ResetMargin = TimeSpan.FromMilliseconds(100) };
        gate.Observe(20, 15, reset);
        for (int i = 0; i < 5; i++) await gate.WaitTurnAsync(CancellationToken.None); // well inside the window...
        for (int i = 0; i < 5; i++) gate.Observe(20, 10, reset);                    // ...and answered
        now = reset.AddMilliseconds(-50);
        for (int i = 0; i < 6; i++) await gate.WaitTurnAsync(CancellationToken.None); // still unanswered when the window turns
        now = reset.AddMilliseconds(150); // the next window
        // 20 a window, of which the 6 unanswered may reach the server in the new one: 14 pass, the 15th waits.
        for (int i = 0; i < 14; i++)
            Assert.True(gate.WaitTurnAsync(CancellationToken.None).IsCompleted, $"turn {i} should pass");
        var waiting = gate.WaitTurnAsync(CancellationToken.None);
        await Task.Delay(60);
        Assert.False(waiting.IsCompleted);
        // An answer announces the new window: its figure cannot raise our count, so the request waits for that
        // window to end, and then goes.
        gate.Observe(20, 3, reset.AddSeconds(2));
        await Task.Delay(60);
        Assert.False(waiting.IsCompleted);
        now = reset.AddSeconds(2.2);
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AFigureFromTheNextWindowArrivingEarlyIsLoweredByTheRequestsInFlight()
    {
        var reset = new DateTimeOffset(2026, 11, 22, 10, 0, 2, TimeSpan.Zero);
        var now = reset.AddMilliseconds(-20);
        var gate = new RateLimitGate(() => now) { ResetMargin = TimeSpan.FromMilliseconds(100) };
        gate.Observe(10, 9, reset);
        for (int i = 0; i < 4; i++) await gate.WaitTurnAsync(CancellationToken.None); // edge requests
        now = reset.AddMilliseconds(30); // the server's window turned, ours not yet
        gate.Observe(10, 9, reset.AddSeconds(2)); // the answer to one of them, counted in the new window before the other 3 arrived
        for (int i = 0; i < 6; i++)
            Assert.True(gate.WaitTurnAsync(CancellationToken.None).IsCompleted, $"turn {i} should pass");
        Assert.False(gate.WaitTurnAsync(CancellationToken.None).IsCompleted); // 9 - 3 = 6
    }

    [Fact]
    public async Task RequestsThatNeverGotAnAnswerAreForgottenAfterAMinute()
    {
        var now = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        var gate = new RateLimitGate(() => now) { ResetMargin = TimeSpan.Zero };
        for (int i = 0; i < 5; i++) await gate.WaitTurnAsync(CancellationToken.None); // all five time out: no answers
        now = now.AddSeconds(61);
        await gate.WaitTurnAsync(CancellationToken.None);
        gate.Observe(10, 9, now.AddSeconds(30)); // the answer to the sixth
        for (int i = 0; i < 9; i++)
            Assert.True(gate.WaitTurnAsync(CancellationToken.None).IsCompleted, $"turn {i} should pass");
        Assert.False(gate.WaitTurnAsync(CancellationToken.None).IsCompleted);
    }
}
