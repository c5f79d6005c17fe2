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
    /// <para type="synopsis">Gets every call of a period from the statistics of Zadarma's free PBX.</para>
    /// <para type="description">Reads /v1/statistics/pbx/ (version 2) page by page, in pieces of at most 30 days;
    /// -Direction Incoming or Outgoing filters by call_type. Times without a zone are read in the account's zone: -UtcOffset,
    /// or else the zone Zadarma gives for the account (/v1/info/timezone/, read once per run), each end of the period at
    /// the offset of its own date. A period of more than 12 months is refused, with the number of requests it would take,
    /// unless -Force is given.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaPbxStatistics -Start '2026-11-01' -End '2026-11-30' -Direction Incoming -Credential $cred</code>
    /// <para>Returns every incoming PBX call of November 2026.</para>
    /// </example>
    /// <seealso cref="GetZadarmaStatisticsCommand"/>
    /// <seealso cref="GetZadarmaTimeZoneCommand"/>
    /// <seealso cref="GetZadarmaRecordingCommand"/>
    /// <seealso cref="SaveZadarmaRecordingCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaPbxStatistics", HelpUri = OnlineHelp.Base + "Get-ZadarmaPbxStatistics.md")]
    [OutputType(typeof(ZadarmaPbxCallRecord))]
    public sealed class GetZadarmaPbxStatisticsCommand : ZadarmaStatisticsCmdlet<ZadarmaPbxStatisticsQuery, IReadOnlyList<ZadarmaPbxCallRecord>>
    {
        /// <summary>All, Incoming or Outgoing calls.</summary>
        [Parameter]
        public ZadarmaCallDirection Direction { get; set; } = ZadarmaCallDirection.All;

        protected override string Activity => "Reading Zadarma PBX statistics";

        protected override ZadarmaPbxStatisticsQuery CreateItem()
        {
            var period = ResolvePeriod();
            return new ZadarmaPbxStatisticsQuery(period.Start, period.End) { Direction = Direction };
        }

        protected override (string Target, string Action) Describe(ZadarmaPbxStatisticsQuery item) =>
            (DescribePeriod(item.Start, item.End), "Read the PBX statistics");

        protected override Task<IReadOnlyList<Outcome<IReadOnlyList<ZadarmaPbxCallRecord>>>> RunAsync(IReadOnlyList<ZadarmaPbxStatisticsQuery> items, CancellationToken cancellationToken) =>
            One(Client.GetPbxStatisticsAsync(items[0], cancellationToken));
    }
}
