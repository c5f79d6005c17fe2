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
    /// <para type="synopsis">Switches the call forwarding of a SIP number on or off, or changes where it forwards to.</para>
    /// <para type="description">Puts /v1/sip/redirection/: -Status On|Off switches it (id, status); -Number sets a phone
    /// number as the target (id, type=phone, number). Given both, the target is changed first, then the status.</para>
    /// </summary>
    /// <example>
    /// <code>Set-ZadarmaRedirection -Sip 100 -Number '+7 900 111 22 33' -Status On -Credential $cred</code>
    /// <para>Forwards the calls of SIP 100 to +7 900 111 22 33 and switches forwarding on.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaRedirection -Credential $cred | Where-Object Enabled | Set-ZadarmaRedirection -Status Off -Credential $cred -WhatIf</code>
    /// <para>Shows which forwardings would be switched off, changing nothing; without -WhatIf it switches every active forwarding off (add -Confirm to be asked for each).</para>
    /// </example>
    /// <seealso cref="GetZadarmaRedirectionCommand"/>
    /// <seealso cref="GetZadarmaSipCommand"/>
    [Cmdlet(VerbsCommon.Set, "ZadarmaRedirection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = OnlineHelp.Base + "Set-ZadarmaRedirection.md")]
    [OutputType(typeof(ZadarmaRedirectionChange))]
    public sealed class SetZadarmaRedirectionCommand : ZadarmaPhoneCmdlet<ZadarmaRedirectionRequest, ZadarmaRedirectionChange>
    {
        /// <summary>The SIP number (the Id of Get-ZadarmaSip, the SipId of Get-ZadarmaRedirection).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "SipId", "Sip_Id")]
        [AllowEmptyString]
        public string Sip { get; set; } = "";

        /// <summary>On or Off.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [OneOfTransformation(nameof(Status), "On", "Off")]
        [ArgumentCompleter(typeof(OnOffCompleter))]
        [AllowEmptyString]
        public string? Status { get; set; }

        /// <summary>The phone number calls are forwarded to.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Target", "Phone")] // not Destination/DestinationValue: a piped ZadarmaRedirection has both (Destination = "phone", the kind of target), and binding them would re-target or fail every row of "Get-ZadarmaRedirection | Set-ZadarmaRedirection -Status Off"
        [AllowEmptyString]
        public string? Number { get; set; }

        protected override string Activity => "Changing Zadarma call forwarding";

        protected override string DoneWord => "changed";

        protected override ZadarmaRedirectionRequest CreateItem() =>
            ZadarmaClient.Prepare(new ZadarmaRedirectionRequest(Sip)
            {
                Enabled = string.IsNullOrEmpty(Status) ? (bool?)null : string.Equals(Status, "On", StringComparison.OrdinalIgnoreCase),
                Number = Number,
                DefaultCountryCode = CountryCode,
            });

        protected override (string Target, string Action) Describe(ZadarmaRedirectionRequest item)
        {
            var parts = new List<string>();
            if (item.Number != null) parts.Add("forward calls to " + item.Number);
            if (item.Enabled != null) parts.Add(item.Enabled.Value ? "switch forwarding on" : "switch forwarding off");
            return ($"SIP {item.Sip}", char.ToUpperInvariant(parts[0][0]) + string.Join(" and ", parts).Substring(1));
        }

        protected override Task<IReadOnlyList<Outcome<ZadarmaRedirectionChange>>> RunAsync(IReadOnlyList<ZadarmaRedirectionRequest> items, CancellationToken cancellationToken) =>
            One(Client.SetRedirectionAsync(items[0], cancellationToken));
    }
}
