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
    /// <para type="synopsis">Changes the CallerID a SIP number shows.</para>
    /// <para type="description">Puts /v1/sip/callerid/: the new number must be one of the account's purchased or confirmed numbers.</para>
    /// </summary>
    /// <example>
    /// <code>Set-ZadarmaCallerId -Sip 100 -Number 442037691880 -Credential $cred</code>
    /// <para>Makes SIP 100 show +44 20 3769 1880 when it calls.</para>
    /// </example>
    /// <seealso cref="GetZadarmaSipCommand"/>
    [Cmdlet(VerbsCommon.Set, "ZadarmaCallerId", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = OnlineHelp.Base + "Set-ZadarmaCallerId.md")]
    [OutputType(typeof(ZadarmaCallerIdChange))]
    public sealed class SetZadarmaCallerIdCommand : ZadarmaPhoneCmdlet<ZadarmaCallerIdRequest, ZadarmaCallerIdChange>
    {
        /// <summary>The SIP number to change (the Id of Get-ZadarmaSip).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "SipId", "Sip_Id")]
        [AllowEmptyString]
        public string Sip { get; set; } = "";

        /// <summary>The new CallerID, in international format.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("CallerId", "Caller_Id", "NewCallerId", "Phone")]
        [AllowEmptyString]
        public string Number { get; set; } = "";

        protected override string Activity => "Changing Zadarma CallerIDs";

        protected override string DoneWord => "changed";

        protected override ZadarmaCallerIdRequest CreateItem() => ZadarmaClient.Prepare(new ZadarmaCallerIdRequest(Sip, Number) { DefaultCountryCode = CountryCode });

        protected override (string Target, string Action) Describe(ZadarmaCallerIdRequest item) => ($"SIP {item.Sip}", $"Set the CallerID to {item.Number}");

        protected override Task<IReadOnlyList<Outcome<ZadarmaCallerIdChange>>> RunAsync(IReadOnlyList<ZadarmaCallerIdRequest> items, CancellationToken cancellationToken) =>
            One(Client.SetCallerIdAsync(items[0], cancellationToken));
    }
}
