using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Lists the SIP numbers of the Zadarma account.</para>
    /// <para type="description">Reads /v1/sip/. Pipe the output to Get-ZadarmaRedirection or Set-ZadarmaCallerId (Id binds to -Sip).</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaSip -Credential $cred</code>
    /// <para>Lists the SIP numbers of the account.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaSip -Credential $cred | Get-ZadarmaRedirection -Credential $cred</code>
    /// <para>Shows the call forwarding of every SIP number.</para>
    /// </example>
    /// <seealso cref="GetZadarmaRedirectionCommand"/>
    /// <seealso cref="SetZadarmaRedirectionCommand"/>
    /// <seealso cref="SetZadarmaCallerIdCommand"/>
    /// <seealso cref="GetZadarmaSipStatusCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaSip", HelpUri = OnlineHelp.Base + "Get-ZadarmaSip.md")]
    [OutputType(typeof(ZadarmaSip))]
    public sealed class GetZadarmaSipCommand : ZadarmaAccountReadCmdlet<IReadOnlyList<ZadarmaSip>>
    {
        protected override string Activity => "Reading Zadarma SIP numbers";

        protected override ZadarmaAccountRead Read => ZadarmaAccountRead.SipNumbers;

        protected override string Action => "List the SIP numbers";

        protected override Task<IReadOnlyList<ZadarmaSip>> ReadAsync(CancellationToken cancellationToken) => Client.GetSipsAsync(cancellationToken);
    }
}
