using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Pipeline;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Gets every call of a period from Zadarma's overall statistics.</para>
    /// <para type="description">Reads /v1/statistics/ page by page, in pieces of at most 30 days, so every call of the
    /// period comes out however long it is. Times without a zone (typed, or from CSV) are read in the account's zone
    /// (-UtcOffset); statistics have their own lower rate limit, which the run waits out.</para>
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

        protected override string Activity => "Reading Zadarma statistics";

        protected override void BeginZadarmaRun(ZadarmaClient client) => client.AccountUtcOffset = UtcOffset;

        protected override ZadarmaStatisticsQuery CreateItem() => StatisticsPeriod.Query(Start, End, UtcOffset, Sip);

        protected override (string Target, string Action) Describe(ZadarmaStatisticsQuery item) =>
            ($"{item.Start:yyyy-MM-dd HH:mm:ss} to {item.End:yyyy-MM-dd HH:mm:ss}", "Read the call statistics");

        protected override async Task<IReadOnlyList<Outcome<IReadOnlyList<ZadarmaCallRecord>>>> RunAsync(IReadOnlyList<ZadarmaStatisticsQuery> items, CancellationToken cancellationToken) =>
            new[] { Outcome<IReadOnlyList<ZadarmaCallRecord>>.Success(await Client.GetStatisticsAsync(items[0], cancellationToken).ConfigureAwait(false)) };
    }

    internal static class StatisticsPeriod
    {
        public static ZadarmaStatisticsQuery Query(DateTime? start, DateTime? end, TimeSpan offset, string? sip)
        {
            var nowInAccount = DateTimeOffset.UtcNow.ToOffset(offset);
            var from = start is DateTime s ? ZadarmaTimes.ToInstant(s, offset)
                : new DateTimeOffset(nowInAccount.Year, nowInAccount.Month, 1, 0, 0, 0, offset);
            // A date alone ("-End 2026-11-15") means that whole day, as people read "from 1 October to 15 November".
            var to = end is DateTime e ? ZadarmaTimes.ToInstant(e.TimeOfDay == TimeSpan.Zero ? e.AddDays(1).AddSeconds(-1) : e, offset) : nowInAccount;
            if (to < from)
                throw new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaPeriodEndsBeforeItStarts",
                    $"-End ({to:yyyy-MM-dd HH:mm:ss}) is before -Start ({from:yyyy-MM-dd HH:mm:ss}).") { Field = "End" };
            return new ZadarmaStatisticsQuery(from, to) { Sip = string.IsNullOrWhiteSpace(sip) ? null : ZadarmaClient.NormalizeNumber(sip, "Sip") };
        }
    }
}
