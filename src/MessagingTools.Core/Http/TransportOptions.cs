using System;

namespace MessagingTools.Core.Http
{
    /// <summary>Timeouts and retry limits of a <see cref="HttpTransport"/>.</summary>
    public sealed class TransportOptions
    {
        /// <summary>The time one attempt may take when the request names none.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Attempts in all for a request that may be repeated (network faults, timeouts, 5xx).</summary>
        public int MaxAttempts { get; set; } = 4;

        /// <summary>Further attempts allowed after 429 / rate-limit answers, on top of <see cref="MaxAttempts"/>.</summary>
        public int MaxRateLimitRetries { get; set; } = 6;

        /// <summary>The first back-off delay; it doubles on every retry, with jitter, up to <see cref="MaxBackoff"/>.</summary>
        public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

        public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>The longest single wait a rate-limit answer may impose before the request fails as rate limited.</summary>
        public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>Back-off used for a 429 that says nothing of when to come back.</summary>
        public TimeSpan DefaultRateLimitWait { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>
        /// The largest answer read from a provider. Providers answer a few KB (a page of Zadarma statistics some
        /// hundreds); a larger answer is refused rather than held in memory whole.
        /// </summary>
        public long MaxAnswerBytes { get; set; } = 16 * 1024 * 1024;

        public TransportOptions Clone() => (TransportOptions)MemberwiseClone();
    }
}
