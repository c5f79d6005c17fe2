using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Journal;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Places Zadarma callbacks: Zadarma calls From, then To, and connects them.</para>
    /// <para type="description">Requests /v1/request/callback/ for each row. From is your phone, SIP number, PBX extension
    /// or scenario; To is the number to call. -Sip picks the SIP whose CallerID is shown; -Predicted calls To first and
    /// connects From only when To answers (for call centres). Rows from Import-Csv bind by the usual column names. A
    /// callback is never repeated once it may have reached Zadarma: a timeout ends as an error saying the call may have
    /// been placed.</para>
    /// </summary>
    /// <example>
    /// <code>Invoke-ZadarmaCallback -From 100 -To '+44 20 3769 1881' -Credential $cred</code>
    /// <para>Zadarma rings SIP 100; when it answers, it calls +44 20 3769 1881 and connects them.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv calls.csv | Invoke-ZadarmaCallback -Credential $cred -ErrorVariable failed</code>
    /// <para>Places one callback per row (columns Caller/Source/Extension and Number/Phone/Destination, optionally Sip and Predicted); failed rows are in $failed.</para>
    /// </example>
    /// <example>
    /// <code>Invoke-ZadarmaCallback -From 100 -To 442037691881 -Predicted -Sip 101 -WhatIf</code>
    /// <para>Shows the predicted callback that would be placed, without placing it.</para>
    /// </example>
    /// <seealso cref="GetZadarmaPriceCommand"/>
    /// <seealso cref="GetZadarmaBalanceCommand"/>
    // ConfirmImpact Medium, not High: a callback costs money and rings real phones, so it honours -WhatIf and -Confirm
    // and asks whenever $ConfirmPreference is Medium or lower; but with High, every row of an Import-Csv run would
    // prompt under the default $ConfirmPreference (High), and an unattended runbook would fail on the prompt. This is
    // the same choice as Send-BaleMessage.
    [Cmdlet(VerbsLifecycle.Invoke, "ZadarmaCallback", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = OnlineHelp.Base + "Invoke-ZadarmaCallback.md")]
    [OutputType(typeof(ZadarmaCallback))]
    public sealed class InvokeZadarmaCallbackCommand : ZadarmaPhoneCmdlet<ZadarmaCallbackRequest, ZadarmaCallback>, IJournaledCmdlet
    {
        /// <summary>Called first: your phone number, SIP number, PBX extension or PBX scenario (0-1).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Caller", "Source", "Extension", "FromNumber", "Agent", "Operator", "Internal")]
        [AllowEmptyString]
        public string From { get; set; } = "";

        /// <summary>The phone or SIP number to call. A piped string binds here.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Number", "Phone", "PhoneNumber", "Destination", "Callee", "Mobile", "Target", "Recipient", "ToNumber")]
        [AllowEmptyString]
        public string To { get; set; } = "";

        /// <summary>The SIP number whose CallerID the call shows.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SipNumber", "Sip_Id", "SipId")]
        [AllowEmptyString]
        public string? Sip { get; set; }

        /// <summary>Predictive call: To is called first, From only when To answers. From CSV: true/false, yes/no, 1/0.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("IsPredicted")]
        [FlexibleBooleanTransformation(nameof(Predicted))]
        public SwitchParameter Predicted { get; set; }


        /// <inheritdoc cref="IJournaledCmdlet.Journal"/>
        [Parameter]
        public string? Journal { get; set; }

        /// <inheritdoc cref="IJournaledCmdlet.ResendUnknown"/>
        [Parameter]
        public SwitchParameter ResendUnknown { get; set; }

        /// <inheritdoc cref="IJournaledCmdlet.Partition"/>
        [Parameter]
        public string? Partition { get; set; }

        protected override string Activity => "Placing Zadarma callbacks";
        protected override string DoneWord => "placed";

        /// <summary>A callback is its two ends, the SIP line and whether it is predicted.</summary>
        protected override JournalPolicy<ZadarmaCallbackRequest>? JournalPolicy => new JournalPolicy<ZadarmaCallbackRequest>(ZadarmaClient.ProviderName,
            c => new[] { Pair("From", c.From), Pair("To", c.To), Pair("Sip", c.Sip), Pair("Predicted", c.Predicted ? "1" : "0") });

        protected override ZadarmaCallbackRequest CreateItem() =>
            ZadarmaClient.Prepare(new ZadarmaCallbackRequest(From, To) { Sip = Sip, Predicted = Predicted.IsPresent, DefaultCountryCode = CountryCode });

        protected override (string Target, string Action) Describe(ZadarmaCallbackRequest item) =>
            ($"{item.From} -> {item.To}",
             item.Predicted
                 ? $"Place a predicted Zadarma callback (call {item.To}, then connect {item.From}){(item.Sip is null ? "" : " showing SIP " + item.Sip)}"
                 : $"Place a Zadarma callback (call {item.From}, then {item.To}){(item.Sip is null ? "" : " showing SIP " + item.Sip)}");

        protected override Task<IReadOnlyList<Outcome<ZadarmaCallback>>> RunAsync(IReadOnlyList<ZadarmaCallbackRequest> items, CancellationToken cancellationToken) =>
            One(Client.RequestCallbackAsync(items[0], cancellationToken));
    }
}
