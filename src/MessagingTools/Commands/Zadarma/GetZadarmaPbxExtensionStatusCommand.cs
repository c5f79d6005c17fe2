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
    /// <para type="synopsis">Shows whether PBX extensions are registered (online).</para>
    /// <para type="description">Reads /v1/pbx/internal/&lt;extension&gt;/status/ for each extension: -Extension, or piped from Get-ZadarmaPbxExtension. Each extension is its own read, retried as reads are, and gets its own result or error.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaPbxExtensionStatus -Extension 100 -Credential $cred</code>
    /// <para>Shows whether extension 100 is online.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaPbxExtension -Credential $cred | Get-ZadarmaPbxExtensionStatus -Credential $cred</code>
    /// <para>Shows the status of every extension of the PBX.</para>
    /// </example>
    /// <seealso cref="GetZadarmaPbxExtensionCommand"/>
    /// <seealso cref="InvokeZadarmaRequestCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaPbxExtensionStatus", HelpUri = OnlineHelp.Base + "Get-ZadarmaPbxExtensionStatus.md")]
    [OutputType(typeof(ZadarmaPbxExtensionStatus))]
    public sealed class GetZadarmaPbxExtensionStatusCommand : ZadarmaRowCmdlet<string, ZadarmaPbxExtensionStatus>
    {
        /// <summary>The PBX extension, e.g. 100 (the Extension of Get-ZadarmaPbxExtension).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Internal", "PbxNumber", "Pbx_Number", "InternalNumber", "Internal_Number")]
        [AllowEmptyString]
        public string Extension { get; set; } = "";

        protected override string Activity => "Reading Zadarma extension status";

        protected override string CreateItem() => ZadarmaClient.NormalizeNumber(Extension, "Extension");

        protected override (string Target, string Action) Describe(string item) => ($"Extension {item}", "Read the status");

        protected override Task<IReadOnlyList<Outcome<ZadarmaPbxExtensionStatus>>> RunAsync(IReadOnlyList<string> items, CancellationToken cancellationToken) =>
            One(Client.GetPbxExtensionStatusAsync(items[0], cancellationToken));
    }
}
