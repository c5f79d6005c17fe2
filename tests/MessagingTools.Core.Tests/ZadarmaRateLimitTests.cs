using System.Globalization;
using System.Net;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Logging;
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

    // Statistics pass the account's overall gate as well as their own. When the overall budget would hold them back
    // longer than MaxWait, they must fail like every other request (a MessagingException, rate limited, not sent), not
    // with the gate's internal RateLimitWaitTooLongException (which the cmdlets report as "UnexpectedError").
    [Fact]
    public async Task StatisticsHeldBackByTheOverallBudgetFailAsRateLimitedNotSent()
    {
        var client = _f.Client();
        client.Gate.MaxWait = TimeSpan.FromSeconds(1);
        client.Gate.Observe(100, 0, DateTimeOffset.UtcNow.AddSeconds(30)); // the overall budget is spent for 30 s

        var balance = await Assert.ThrowsAsync<MessagingException>(() => client.GetBalanceAsync());
        Assert.Equal(ErrorKind.RateLimited, balance.Kind);

        var ex = await Record.ExceptionAsync(() => client.GetStatisticsAsync(new ZadarmaStatisticsQuery(
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero))));
        var me = Assert.IsType<MessagingException>(ex);
        Assert.Equal(ErrorKind.RateLimited, me.Kind);
        Assert.False(me.MayHaveTakenEffect);
        Assert.Empty(_f.Server.Requests.Snapshot());
    }

    /// <summary>A Zadarma-like server with fixed windows on its own clock (<paramref name="serverClockOffset"/> from ours).</summary>
    private sealed class WindowedServer : HttpMessageHandler
    {
        private readonly TimeSpan _offset;
        private readonly int _limit;
        private readonly long _windowSeconds;
        private readonly object _lock = new();
        private long _window = -1;
        private int _count;

        public WindowedServer(TimeSpan serverClockOffset, int limit, int windowSeconds)
        {
            _offset = serverClockOffset;
            _limit = limit;
            _windowSeconds = windowSeconds;
        }

        public int Refused;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var serverNow = DateTimeOffset.UtcNow + _offset;
            var window = serverNow.ToUnixTimeSeconds() / _windowSeconds;
            bool ok;
            int remaining;
            lock (_lock)
            {
                if (window != _window) { _window = window; _count = 0; }
                ok = _count < _limit;
                if (ok) _count++;
                remaining = _limit - _count;
            }
            if (!ok) Interlocked.Increment(ref Refused);
            var answer = new HttpResponseMessage(ok ? HttpStatusCode.OK : (HttpStatusCode)429)
            {
                Content = new StringContent(ok ? "{\"status\":\"success\",\"balance\":1.5,\"currency\":\"USD\"}"
                    : "{\"status\":\"error\",\"message\":\"You exceeded the rate limit\"}"),
            };
            answer.Headers.Date = serverNow;
            answer.Headers.Add("X-RateLimit-Limit", _limit.ToString(CultureInfo.InvariantCulture));
            answer.Headers.Add("X-RateLimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
            answer.Headers.Add("X-RateLimit-Reset", ((window + 1) * _windowSeconds).ToString(CultureInfo.InvariantCulture));
            return Task.FromResult(answer);
        }
    }

    // X-RateLimit-Reset is a unix time on Zadarma's clock. A machine whose clock is a couple of seconds ahead of
    // Zadarma's (common on Windows hosts between time syncs) must still get every read through a spent window: the gate
    // must not release the next window early into 429s, and a 429 whose reset looks past must not be retried every 100
    // ms until the rate-limit retries are used up.
    [Theory]
    [InlineData(0)]
    [InlineData(-2)] // Zadarma's clock 2 s behind ours: the window looked over 2 s early, 429s retried every 100 ms
    [InlineData(150)] // Zadarma's clock 150 s ahead: a 4 s window looked 154 s long, past MaxWait: "not sent"
    public async Task ReadsThroughSpentWindowsAllSucceed(int serverClockOffsetSeconds)
    {
        var server = new WindowedServer(TimeSpan.FromSeconds(serverClockOffsetSeconds), limit: 4, windowSeconds: 4);
        var client = new ZadarmaClient("key", new Secret("secret"), new Uri("http://zadarma.test/"),
            new HttpTransport(server, new TransportOptions { InitialBackoff = TimeSpan.FromMilliseconds(20) }));
        var failures = new List<string>();
        for (int i = 0; i < 10; i++)
        {
            try
            {
                await client.GetBalanceAsync();
            }
            catch (MessagingException ex)
            {
                failures.Add($"read {i + 1}: {ex.Message}");
            }
        }
        Assert.Empty(failures);
    }
}
