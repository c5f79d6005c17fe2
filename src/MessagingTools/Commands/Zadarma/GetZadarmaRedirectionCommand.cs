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
    /// <para type="synopsis">Shows the call forwarding of the account's SIP numbers.</para>
    /// <para type="description">Reads /v1/sip/redirection/ for one SIP number (-Sip, or piped from Get-ZadarmaSip) or for all.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaRedirection -Sip 100 -Credential $cred</code>
    /// <para>Shows whether SIP 100 forwards its calls, and where to.</para>
    /// </example>
    /// <seealso cref="GetZadarmaSipCommand"/>
    /// <seealso cref="SetZadarmaRedirectionCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaRedirection", HelpUri = OnlineHelp.Base + "Get-ZadarmaRedirection.md")]
    [OutputType(typeof(ZadarmaRedirection))]
    public sealed class GetZadarmaRedirectionCommand : ZadarmaRowCmdlet<string, IReadOnlyList<ZadarmaRedirection>>
    {
        /// <summary>One SIP number; all of them when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "SipId", "Sip_Id")]
        [AllowEmptyString]
        public string? Sip { get; set; }

        protected override string Activity => "Reading Zadarma call forwarding";

        protected override string CreateItem() => string.IsNullOrWhiteSpace(Sip) ? "" : ZadarmaClient.NormalizeNumber(Sip, "Sip");

        protected override (string Target, string Action) Describe(string item) => (item.Length == 0 ? "every SIP number" : "SIP " + item, "Read the call forwarding");

        protected override Task<IReadOnlyList<Outcome<IReadOnlyList<ZadarmaRedirection>>>> RunAsync(IReadOnlyList<string> items, CancellationToken cancellationToken) =>
            One(Client.GetRedirectionsAsync(items[0].Length == 0 ? null : items[0], cancellationToken));
    }
}
