using System;
using System.Management.Automation;
using MessagingTools.Core.Providers.Zadarma;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// A Zadarma statistics cmdlet: a period from -Start to -End, whose times without a zone are read in the account's zone
    /// (-UtcOffset, or else the zone Zadarma gives for the account, read once per run), and which refuses a period of more
    /// than 12 months without -Force. The period is resolved per input by <see cref="ResolvePeriod"/>.
    /// </summary>
    public abstract class ZadarmaStatisticsCmdlet<TItem, TResult> : ZadarmaCmdlet<TItem, TResult>
    {
        private readonly ZadarmaAccountZone _zone = new ZadarmaAccountZone();

        /// <summary>The start of the period. Default: the first day of this month.</summary>
        [Parameter(Position = 0)]
        public DateTime? Start { get; set; }

        /// <summary>The end of the period, included. A date without a time of day (2026-11-15) means the whole of that day. Default: now.</summary>
        [Parameter(Position = 1)]
        public DateTime? End { get; set; }

        /// <summary>The UTC offset of the account's time zone (Zadarma reports times in it). Default: the zone Zadarma gives for the account (/v1/info/timezone/), each date at its own offset.</summary>
        [Parameter]
        public TimeSpan? UtcOffset { get; set; }

        /// <summary>Read a period of more than 12 months. Without -Force such a period is refused (ZadarmaPeriodIsTooLong)
        /// with the number of requests it would take: it is read in 30-day pieces, at Zadarma's 3 statistics requests a minute.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The period of the current input, in the account's zone (asked of Zadarma once per run when -UtcOffset is not given).</summary>
        protected ZadarmaStatisticsQuery ResolvePeriod() =>
            ZadarmaStatisticsPeriod.Resolve(Start, End, _zone.Get(this, Client, UtcOffset, StopToken), Force);

        /// <summary>The period of a query as ShouldProcess and errors name it.</summary>
        protected static string DescribePeriod(DateTimeOffset start, DateTimeOffset end) => ZadarmaAccountZone.Describe(start, end);
    }
}
