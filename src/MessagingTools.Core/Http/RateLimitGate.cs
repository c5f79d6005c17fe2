using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MessagingTools.Core.Http
{
    /// <summary>
    /// One gate shared by all concurrent requests of a run. It holds every request back while the provider asked
    /// for a pause (429 with Retry-After), and, where the provider announces its budget
    /// (<c>X-RateLimit-Limit/Remaining/Reset</c>), it hands out the remaining requests of the window and makes the
    /// rest wait for the next window instead of running into 429. Requests let through but not yet answered are
    /// counted against any window the gate learns of or turns to, since the server may count them there: the first
    /// figure of a run, a figure from a window that turned early, and the window after a reset.
    /// </summary>
    public sealed class RateLimitGate
    {
        private readonly object _lock = new object();
        private readonly Func<DateTimeOffset> _clock;
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
        private int? _limit;
        private int? _remaining;
        private DateTimeOffset? _reset;
        // When each request let through and not yet answered was let through (oldest first). Such requests may reach
        // the server after a figure was computed, or after its window turned, so they are taken off the budget of a
        // window the gate learns of. A request that never gets an answer (a timeout) is forgotten after a minute.
        private readonly Queue<DateTimeOffset> _unanswered = new Queue<DateTimeOffset>();
        private static readonly TimeSpan s_forgetUnanswered = TimeSpan.FromMinutes(1);
        // After a window turned and its assumed budget is used up, requests wait this long for an answer announcing
        // the new window before they go anyway.
        private DateTimeOffset _blindUntil = DateTimeOffset.MinValue;
        private static readonly TimeSpan s_blindWait = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan s_blindPoll = TimeSpan.FromMilliseconds(25);
        // How far the server's clock is ahead of ours (negative: behind), as a lower bound from the answers' Date
        // headers: announced resets are unix times on the server's clock. A lower bound makes a reset look later,
        // never earlier, than it is. Null until an answer had a Date: then our clock is taken as the server's.
        private TimeSpan? _serverAhead;

        public RateLimitGate() : this(() => DateTimeOffset.UtcNow) { }

        public RateLimitGate(Func<DateTimeOffset> clock) => _clock = clock ?? throw new ArgumentNullException(nameof(clock));

        /// <summary>A margin added to every announced reset time, for clock skew and rounding.</summary>
        public TimeSpan ResetMargin { get; set; } = TimeSpan.FromMilliseconds(100);

        /// <summary>
        /// The longest wait the gate imposes; a provider asking for more (a budget of 0 until an hour from now) makes the
        /// request fail as rate limited instead of holding the run without a word.
        /// </summary>
        public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>
        /// Raised (on a worker thread) with the length of each wait the gate imposes: before a request waits its turn, and
        /// when an answer (a 429) holds the run back (<see cref="PauseUntil"/>).
        /// </summary>
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
                    var serverNow = ServerNow(now);
                    if (now < _pausedUntil)
                    {
                        wait = _pausedUntil - now;
                    }
                    else if (_reset is DateTimeOffset reset && _remaining is int remaining)
                    {
                        if (serverNow >= reset)
                        {
                            // A new window began: assume the announced limit, less the requests still unanswered (the
                            // server may count them in this window), until an answer says otherwise; then look again.
                            _reset = null;
                            _remaining = _limit is int limit ? limit - Unanswered(now) : (int?)null;
                            _blindUntil = now + s_blindWait;
                            continue;
                        }
                        if (remaining > 0)
                        {
                            _remaining = remaining - 1;
                            _unanswered.Enqueue(now);
                            return;
                        }
                        wait = reset - serverNow;
                    }
                    else if (_remaining is int r && _reset is null)
                    {
                        // A window began whose reset no answer has announced yet: spend the assumed budget, then wait
                        // (briefly) for an answer, which will tell the new reset time.
                        if (r > 0 || now >= _blindUntil)
                        {
                            _remaining = r - 1;
                            _unanswered.Enqueue(now);
                            return;
                        }
                        wait = _blindUntil - now < s_blindPoll ? _blindUntil - now : s_blindPoll;
                    }
                    else
                    {
                        _unanswered.Enqueue(now);
                        return;
                    }
                }
                if (wait > MaxWait) throw new RateLimitWaitTooLongException(wait, MaxWait);
                Waiting?.Invoke(wait);
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Holds every request of the run back until <paramref name="until"/>.</summary>
        public void PauseUntil(DateTimeOffset until)
        {
            TimeSpan wait;
            lock (_lock)
            {
                if (until <= _pausedUntil) return;
                _pausedUntil = until;
                wait = until - _clock();
            }
            if (wait > TimeSpan.Zero) Waiting?.Invoke(wait);
        }

        /// <summary>Takes in the budget a response announced.</summary>
        public void Observe(int? limit, int? remaining, DateTimeOffset? reset) => Observe(limit, remaining, reset, null);

        /// <summary>
        /// Takes in the budget a response announced (the transport calls it for every answer), with the answer's Date
        /// header (the server's clock), which places the announced reset on ours.
        /// </summary>
        public void Observe(int? limit, int? remaining, DateTimeOffset? reset, DateTimeOffset? serverDate)
        {
            lock (_lock)
            {
                var now = _clock();
                if (Unanswered(now) > 0) _unanswered.Dequeue(); // one request fewer in flight
                if (serverDate is DateTimeOffset date && (_serverAhead is null || date - now > _serverAhead))
                    _serverAhead = date - now;
                if (remaining is null || reset is null) return;
                if (limit is int l) _limit = l;
                var resetWithMargin = reset.Value + ResetMargin;
                if (resetWithMargin <= ServerNow(now)) return;                         // that window is over
                if (_reset is DateTimeOffset known && resetWithMargin < known) return; // an answer from an older window
                // Requests let through after the server counted this one are not in its figure yet, so where we
                // have been counting in this window already, keep the lower of the two figures.
                if (_remaining is int mine && (_reset is null || _reset == resetWithMargin))
                {
                    _remaining = Math.Min(mine, remaining.Value);
                }
                else
                {
                    // A figure of a window we have not counted in (the first of a run, or the server's window turned
                    // before ours did): the requests still unanswered may reach the server after this figure was
                    // computed, so take them off; otherwise a run with N requests in flight overshoots by up to N.
                    _remaining = Math.Max(0, remaining.Value - Unanswered(now));
                }
                _reset = resetWithMargin;
            }
        }

        private DateTimeOffset ServerNow(DateTimeOffset now) => now + (_serverAhead ?? TimeSpan.Zero);

        /// <summary>Requests let through and not yet answered (forgetting those older than a minute). Under the lock.</summary>
        private int Unanswered(DateTimeOffset now)
        {
            while (_unanswered.Count > 0 && now - _unanswered.Peek() > s_forgetUnanswered) _unanswered.Dequeue();
            return _unanswered.Count;
        }
    }

    /// <summary>The provider's budget would hold the request back longer than <see cref="RateLimitGate.MaxWait"/>.</summary>
    public sealed class RateLimitWaitTooLongException : Exception
    {
        public RateLimitWaitTooLongException(TimeSpan wait, TimeSpan maxWait)
            : base($"The provider's rate limit would hold the request back for {wait.TotalSeconds:0} s.")
        {
            Wait = wait;
            MaxWait = maxWait;
        }

        public TimeSpan Wait { get; }
        public TimeSpan MaxWait { get; }

        /// <summary>The error a caller gets: rate limited, and certainly not sent.</summary>
        public Errors.MessagingException ToError(string provider, string operation, string? errorIdPrefix = null) =>
            Errors.MessagingException.RateLimitExceeded(provider, errorIdPrefix,
                $"{provider} {operation}: not sent: the provider's rate limit allows no more requests for " +
                $"{Wait.TotalMinutes:0.#} minutes (more than the {MaxWait.TotalMinutes:0.#} the run may wait). Try again later.");
    }
}
