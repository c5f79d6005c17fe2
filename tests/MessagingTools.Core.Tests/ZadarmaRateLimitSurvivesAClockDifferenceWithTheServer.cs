using System.Globalization;
using System.Net;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Core.Security;

namespace MessagingTools.Core.Tests;

/// <summary>
/// X-RateLimit-Reset is a unix time on Zadarma's clock. A machine whose clock is a couple of seconds ahead of Zadarma's
/// (common on Windows hosts between time syncs) must still get every read through a spent window: the gate must not
/// release the next window early into 429s, and a 429 whose reset looks past must not be retried every 100 ms until
/// the rate-limit retries are used up.
/// </summary>
public sealed class ZadarmaRateLimitSurvivesAClockDifferenceWithTheServer
{
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
