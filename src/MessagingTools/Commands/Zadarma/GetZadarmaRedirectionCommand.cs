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
    public sealed class GetZadarmaRedirectionCommand : ZadarmaRowCmdlet<ZadarmaRedirectionQuery, IReadOnlyList<ZadarmaRedirection>>
    {
        /// <summary>One SIP number; all of them when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "SipId", "Sip_Id")]
        [AllowEmptyString]
        public string? Sip { get; set; }

        protected override string Activity => "Reading Zadarma call forwarding";

        protected override ZadarmaRedirectionQuery CreateItem() => ZadarmaClient.Prepare(new ZadarmaRedirectionQuery { Sip = Sip });

        protected override (string Target, string Action) Describe(ZadarmaRedirectionQuery item) => (item.ToString(), "Read the call forwarding");

        protected override Task<IReadOnlyList<Outcome<IReadOnlyList<ZadarmaRedirection>>>> RunAsync(IReadOnlyList<ZadarmaRedirectionQuery> items, CancellationToken cancellationToken) =>
            One(Client.GetRedirectionsAsync(items[0], cancellationToken));
    }
}
