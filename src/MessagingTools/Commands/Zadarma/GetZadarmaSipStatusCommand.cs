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
    /// <para type="synopsis">Shows whether SIP numbers are registered (online).</para>
    /// <para type="description">Reads /v1/sip/&lt;sip&gt;/status/ for each SIP number: -Sip, or piped from Get-ZadarmaSip (its Id binds). Each number is its own read, retried as reads are, and gets its own result or error.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaSipStatus -Sip 100 -Credential $cred</code>
    /// <para>Shows whether SIP 100 is online.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaSip -Credential $cred | Get-ZadarmaSipStatus -Credential $cred</code>
    /// <para>Shows the status of every SIP number of the account.</para>
    /// </example>
    /// <seealso cref="GetZadarmaSipCommand"/>
    /// <seealso cref="InvokeZadarmaRequestCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaSipStatus", HelpUri = OnlineHelp.Base + "Get-ZadarmaSipStatus.md")]
    [OutputType(typeof(ZadarmaSipStatus))]
    public sealed class GetZadarmaSipStatusCommand : ZadarmaRowCmdlet<string, ZadarmaSipStatus>
    {
        /// <summary>The SIP number (the Id of Get-ZadarmaSip).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "SipId", "Sip_Id")]
        [AllowEmptyString]
        public string Sip { get; set; } = "";

        protected override string Activity => "Reading Zadarma SIP status";

        protected override string CreateItem() => ZadarmaClient.NormalizeNumber(Sip, "Sip");

        protected override (string Target, string Action) Describe(string item) => ($"SIP {item}", "Read the status");

        protected override Task<IReadOnlyList<Outcome<ZadarmaSipStatus>>> RunAsync(IReadOnlyList<string> items, CancellationToken cancellationToken) =>
            One(Client.GetSipStatusAsync(items[0], cancellationToken));
    }
}
