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
    /// <para type="synopsis">Gets the sessions of the Zadarma callback widgets in a period.</para>
    /// <para type="description">Reads /v1/statistics/callback_widget/ in pieces of at most 30 days: one object per visitor's
    /// session, with the widget, the SIP number, the visitor's address, the number they gave, whether they asked for a call,
    /// and every event (come, show, call, call_request, rate, fail, close). A statistics method: it waits for Zadarma's
    /// statistics limit (3 requests a minute). Times without a zone are read in the account's zone: -UtcOffset, or else the
    /// zone Zadarma gives for the account. A period of more than 12 months is refused unless -Force is given.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaWidgetStatistics -Start '2026-11-01' -End '2026-11-30' -Credential $cred</code>
    /// <para>The widget sessions of November 2026.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaWidgetStatistics -Start '2026-11-01' -End '2026-11-30' -WidgetId 1 -Credential $cred | Where-Object CallRequested | Select-Object Start, Number</code>
    /// <para>The visitors of widget 1 who asked for a call, and their numbers.</para>
    /// </example>
    /// <seealso cref="InvokeZadarmaRequestCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaWidgetStatistics", HelpUri = OnlineHelp.Base + "Get-ZadarmaWidgetStatistics.md")]
    [OutputType(typeof(ZadarmaWidgetSession))]
    public sealed class GetZadarmaWidgetStatisticsCommand : ZadarmaStatisticsCmdlet<ZadarmaWidgetStatisticsQuery, IReadOnlyList<ZadarmaWidgetSession>>
    {
        /// <summary>One widget; every widget when omitted.</summary>
        [Parameter]
        [Alias("Widget_Id", "Widget")]
        public string? WidgetId { get; set; }

        protected override string Activity => "Reading Zadarma callback-widget statistics";

        protected override ZadarmaWidgetStatisticsQuery CreateItem()
        {
            var period = ResolvePeriod();
            return new ZadarmaWidgetStatisticsQuery(period.Start, period.End) { WidgetId = WidgetId };
        }

        protected override (string Target, string Action) Describe(ZadarmaWidgetStatisticsQuery item) =>
            (DescribePeriod(item.Start, item.End), "Read the callback-widget statistics" + (string.IsNullOrWhiteSpace(item.WidgetId) ? "" : " of widget " + item.WidgetId));

        protected override Task<IReadOnlyList<Outcome<IReadOnlyList<ZadarmaWidgetSession>>>> RunAsync(IReadOnlyList<ZadarmaWidgetStatisticsQuery> items, CancellationToken cancellationToken) =>
            One(Client.GetWidgetStatisticsAsync(items[0], cancellationToken));
    }
}
