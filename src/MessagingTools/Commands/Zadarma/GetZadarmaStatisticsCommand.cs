using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Pipeline;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Gets every call of a period from Zadarma's overall statistics.</para>
    /// <para type="description">Reads /v1/statistics/ page by page, in pieces of at most 30 days, so every call of the
    /// period comes out however long it is. Times without a zone (typed, or from CSV) are read in the account's zone
    /// (-UtcOffset); statistics have their own lower rate limit (3 requests a minute), which the run waits out. A period of
    /// more than 12 months is refused, with the number of requests it would take, unless -Force is given.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaStatistics -Start '2026-10-01' -End '2026-11-15' -UtcOffset 03:00 -Credential $cred</code>
    /// <para>Returns every call from 1 October to 15 November in an account whose zone is UTC+3, over several 30-day pieces and pages.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaStatistics -Sip 100 -Credential $cred | Measure-Object BillCost -Sum</code>
    /// <para>Adds up what the calls of SIP 100 cost this month.</para>
    /// </example>
    /// <seealso cref="GetZadarmaPbxStatisticsCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaStatistics", HelpUri = OnlineHelp.Base + "Get-ZadarmaStatistics.md")]
    [OutputType(typeof(ZadarmaCallRecord))]
    public sealed class GetZadarmaStatisticsCommand : ZadarmaCmdlet<ZadarmaStatisticsQuery, IReadOnlyList<ZadarmaCallRecord>>
    {
        /// <summary>The start of the period. Default: the first day of this month.</summary>
        [Parameter(Position = 0)]
        public DateTime? Start { get; set; }

        /// <summary>The end of the period, included. A date without a time of day (2026-11-15) means the whole of that day. Default: now.</summary>
        [Parameter(Position = 1)]
        public DateTime? End { get; set; }

        /// <summary>Only the calls of this SIP number.</summary>
        [Parameter]
        [Alias("Id", "SipId")]
        public string? Sip { get; set; }

        /// <summary>The UTC offset of the account's time zone (Zadarma reports times in it). Default: 00:00.</summary>
        [Parameter]
        public TimeSpan UtcOffset { get; set; }

        /// <summary>Read a period of more than 12 months. Without -Force such a period is refused (ZadarmaPeriodIsTooLong)
        /// with the number of requests it would take: it is read in 30-day pieces, at Zadarma's 3 statistics requests a minute.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override string Activity => "Reading Zadarma statistics";

        protected override void BeginZadarmaRun(ZadarmaClient client) => client.AccountUtcOffset = UtcOffset;

        protected override ZadarmaStatisticsQuery CreateItem()
        {
            var period = ZadarmaStatisticsPeriod.Resolve(Start, End, UtcOffset, Force);
            return ZadarmaClient.Prepare(new ZadarmaStatisticsQuery(period.Start, period.End) { Sip = Sip });
        }

        protected override (string Target, string Action) Describe(ZadarmaStatisticsQuery item) =>
            ($"{item.Start:yyyy-MM-dd HH:mm:ss} to {item.End:yyyy-MM-dd HH:mm:ss}", "Read the call statistics");

        protected override Task<IReadOnlyList<Outcome<IReadOnlyList<ZadarmaCallRecord>>>> RunAsync(IReadOnlyList<ZadarmaStatisticsQuery> items, CancellationToken cancellationToken) =>
            One(Client.GetStatisticsAsync(items[0], cancellationToken));
    }
}
