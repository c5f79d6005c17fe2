using System;
using System.Threading;
using System.Threading.Tasks;

namespace MessagingTools.Core.Http
{
    /// <summary>
    /// One gate shared by all concurrent requests of a run. It holds every request back while the provider asked
    /// for a pause (429 with Retry-After), and, where the provider announces its budget
    /// (<c>X-RateLimit-Limit/Remaining/Reset</c>), it hands out the remaining requests of the window and makes the
    /// rest wait for the next window instead of running into 429.
    /// </summary>
    public sealed class RateLimitGate
    {
        private readonly object _lock = new object();
        private readonly Func<DateTimeOffset> _clock;
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
        private int? _limit;
        private int? _remaining;
        private DateTimeOffset? _reset;
        // Requests let through while no window was known (the start of a run, or after a window ended and before an
        // answer announced the next one). The first answer's figure may count only itself, not these.
        private int _blind;
        // Requests let through at the very end of a window (within the margin of its reset): they may reach the
        // server after its window turned and count against the next one, so the next window's budget is lowered by them.
        private int _carry;
        // After a window turned and its assumed budget is used up, requests wait this long for an answer announcing
        // the new window before they go anyway.
        private DateTimeOffset _blindUntil = DateTimeOffset.MinValue;
        private static readonly TimeSpan s_blindWait = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan s_blindPoll = TimeSpan.FromMilliseconds(25);

        public RateLimitGate() : this(() => DateTimeOffset.UtcNow) { }

        public RateLimitGate(Func<DateTimeOffset> clock) => _clock = clock ?? throw new ArgumentNullException(nameof(clock));

        /// <summary>A margin added to every announced reset time, for clock skew and rounding.</summary>
        public TimeSpan ResetMargin { get; set; } = TimeSpan.FromMilliseconds(100);

        /// <summary>Raised (on a worker thread) with the length of each wait the gate imposes.</summary>
        public event Action<TimeSpan>? Waiting;

        /// <summary>Waits until a request may be sent, and counts it against the known budget.</summary>
        public async Task WaitTurnAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                TimeSpan wait;
                lock (_lock)
                {
                    var now = _clock();
                    if (now < _pausedUntil)
                    {
                        wait = _pausedUntil - now;
                    }
                    else if (_reset is DateTimeOffset reset && _remaining is int remaining)
                    {
                        if (now >= reset)
                        {
                            // A new window began: assume the announced limit, less the requests the server may count
                            // in it already, until an answer says otherwise; then look again.
                            _reset = null;
                            _remaining = _limit is int limit ? limit - _carry : (int?)null;
                            _carry = 0;
                            _blind = 0;
                            _blindUntil = now + s_blindWait;
                            continue;
                        }
                        if (remaining > 0)
                        {
                            _remaining = remaining - 1;
                            if (now >= reset - ResetMargin - ResetMargin) _carry++;
                            return;
                        }
                        wait = reset - now;
                    }
                    else if (_remaining is int r && _reset is null)
                    {
                        // A window began whose reset no answer has announced yet: spend the assumed budget, then wait
                        // (briefly) for an answer, which will tell the new reset time.
                        if (r > 0 || now >= _blindUntil)
                        {
                            _remaining = r - 1;
                            _blind++;
                            return;
                        }
                        wait = _blindUntil - now < s_blindPoll ? _blindUntil - now : s_blindPoll;
                    }
                    else
                    {
                        _blind++;
                        return;
                    }
                }
                Waiting?.Invoke(wait);
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Holds every request of the run back until <paramref name="until"/>.</summary>
        public void PauseUntil(DateTimeOffset until)
        {
            lock (_lock)
            {
                if (until > _pausedUntil) _pausedUntil = until;
            }
        }

        /// <summary>Takes in the budget a response announced.</summary>
        public void Observe(int? limit, int? remaining, DateTimeOffset? reset)
        {
            if (remaining is null || reset is null) return;
            lock (_lock)
            {
                if (limit is int l) _limit = l;
                var resetWithMargin = reset.Value + ResetMargin;
                if (resetWithMargin <= _clock()) return;                           // that window is over
                if (_reset is DateTimeOffset known && resetWithMargin < known) return; // an answer from an older window
                // Requests let through after the server counted this one are not in its figure yet, so where we
                // have been counting in this window already, keep the lower of the two figures.
                var counting = _remaining is int mine && (_reset is null || _reset == resetWithMargin);
                if (!counting && _reset is null && _blind > 1)
                {
                    // The first figure of a run: the other requests let through before it may not be counted in it yet
                    // (they may reach the server after this one), so take them off, or a run with N requests in flight
                    // overshoots the limit by up to N.
                    _remaining = Math.Max(0, remaining.Value - (_blind - 1));
                }
                else if (counting)
                {
                    _remaining = Math.Min(_remaining!.Value, remaining.Value);
                }
                else
                {
                    // The server's window turned before ours did: the requests we let through at the end of ours may
                    // be counted in this one after this answer was computed.
                    _remaining = Math.Max(0, remaining.Value - _carry);
                    _carry = 0;
                }
                _blind = 0;
                _reset = resetWithMargin;
            }
        }
    }
}
