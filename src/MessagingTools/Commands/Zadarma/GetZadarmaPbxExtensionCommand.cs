using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Lists the extensions of the Zadarma PBX.</para>
    /// <para type="description">Reads /v1/pbx/internal/: one object per extension, with the PBX's id. Pipe the output to Get-ZadarmaPbxExtensionStatus or Set-ZadarmaPbxRecording (Extension binds).</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaPbxExtension -Credential $cred</code>
    /// <para>Lists the PBX's extensions.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaPbxExtension -Credential $cred | Get-ZadarmaPbxExtensionStatus -Credential $cred | Where-Object -Not IsOnline</code>
    /// <para>The extensions that are not registered now.</para>
    /// </example>
    /// <seealso cref="GetZadarmaPbxExtensionStatusCommand"/>
    /// <seealso cref="SetZadarmaPbxRecordingCommand"/>
    /// <seealso cref="InvokeZadarmaRequestCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaPbxExtension", HelpUri = OnlineHelp.Base + "Get-ZadarmaPbxExtension.md")]
    [OutputType(typeof(ZadarmaPbxExtension))]
    public sealed class GetZadarmaPbxExtensionCommand : ZadarmaAccountReadCmdlet<IReadOnlyList<ZadarmaPbxExtension>>
    {
        protected override string Activity => "Reading Zadarma PBX extensions";

        protected override ZadarmaAccountRead Read => ZadarmaAccountRead.PbxExtensions;

        protected override string Action => "List the PBX extensions";

        protected override Task<IReadOnlyList<ZadarmaPbxExtension>> ReadAsync(CancellationToken cancellationToken) => Client.GetPbxExtensionsAsync(cancellationToken);
    }
}
