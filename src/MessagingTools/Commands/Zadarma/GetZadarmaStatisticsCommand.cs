using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Gets every call of a period from Zadarma's overall statistics, or what the calls cost.</para>
    /// <para type="description">Reads /v1/statistics/ page by page, in pieces of at most 30 days, so every call of the
    /// period comes out however long it is; with -CostOnly, one summary of what the period's calls cost and how many
    /// seconds they took (one per currency). -Type picks which calls count. Times without a zone (typed, or from CSV) are
    /// read in the account's zone: -UtcOffset, or else the zone Zadarma gives for the account (/v1/info/timezone/, read
    /// once per run), in which each end of the period gets the offset of its own date. Statistics have their own lower
    /// rate limit (3 requests a minute), which the run waits out. A period of more than 12 months is refused, with the
    /// number of requests it would take, unless -Force is given.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaStatistics -Start '2026-10-01' -End '2026-11-15' -UtcOffset 03:00 -Credential $cred</code>
    /// <para>Returns every call from 1 October to 15 November in an account whose zone is UTC+3, over several 30-day pieces and pages.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaStatistics -Sip 100 -Credential $cred | Measure-Object BillCost -Sum</code>
    /// <para>Adds up what the calls of SIP 100 cost this month.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaStatistics -Start '2026-10-01' -End '2026-10-31' -CostOnly -Credential $cred</code>
    /// <para>Asks Zadarma what the calls of October cost and how long they took, in the account's own time zone (read from Zadarma, daylight-saving change included), without listing the calls.</para>
    /// </example>
    /// <seealso cref="GetZadarmaPbxStatisticsCommand"/>
    /// <seealso cref="GetZadarmaTimeZoneCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaStatistics", HelpUri = OnlineHelp.Base + "Get-ZadarmaStatistics.md")]
    [OutputType(typeof(ZadarmaCallRecord), typeof(ZadarmaCostSummary))]
    public sealed class GetZadarmaStatisticsCommand : ZadarmaStatisticsCmdlet<ZadarmaStatisticsQuery, IReadOnlyList<IZadarmaStatisticsResult>>
    {
        /// <summary>Only the calls of this SIP number.</summary>
        [Parameter]
        [Alias("Id", "SipId")]
        public string? Sip { get; set; }

        /// <summary>Which calls count (Zadarma's type): Overall (every call, nothing sent), Toll or Ru495 (as Zadarma's PHP SDK names them), TollFree (toll-free, 800 numbers, as its OpenAPI description names it).</summary>
        [Parameter]
        public ZadarmaStatisticsType Type { get; set; } = ZadarmaStatisticsType.Overall;

        /// <summary>Only what the calls of the period cost and how many seconds they took (Zadarma's cost_only): one ZadarmaCostSummary per currency instead of the calls.</summary>
        [Parameter]
        public SwitchParameter CostOnly { get; set; }

        protected override string Activity => "Reading Zadarma statistics";

        protected override ZadarmaStatisticsQuery CreateItem()
        {
            var period = ResolvePeriod();
            return ZadarmaClient.Prepare(new ZadarmaStatisticsQuery(period.Start, period.End) { Sip = Sip, Type = Type.ApiValue() });
        }

        protected override (string Target, string Action) Describe(ZadarmaStatisticsQuery item) =>
            (DescribePeriod(item.Start, item.End), CostOnly ? "Read what the calls cost" : "Read the call statistics");

        protected override async Task<IReadOnlyList<Outcome<IReadOnlyList<IZadarmaStatisticsResult>>>> RunAsync(IReadOnlyList<ZadarmaStatisticsQuery> items, CancellationToken cancellationToken)
        {
            // The lists are covariant: the calls, or with -CostOnly the cost summaries, as they are.
            IReadOnlyList<IZadarmaStatisticsResult> result = CostOnly
                ? await Client.GetStatisticsCostAsync(items[0], cancellationToken).ConfigureAwait(false)
                : await Client.GetStatisticsAsync(items[0], cancellationToken).ConfigureAwait(false);
            return new[] { Outcome<IReadOnlyList<IZadarmaStatisticsResult>>.Success(result) };
        }
    }
}
