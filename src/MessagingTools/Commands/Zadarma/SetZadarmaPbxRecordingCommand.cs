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
    /// <para type="synopsis">Switches the call recording of PBX extensions on or off.</para>
    /// <para type="description">Puts /v1/pbx/internal/recording/ for each extension (-Extension, or piped from Get-ZadarmaPbxExtension):
    /// -Status on or off records the extension's calls or stops; on_email and off_email send the recordings to -Email or stop;
    /// on_store and off_store keep them in Zadarma's cloud or stop. Setting a value twice does no harm, so a request is retried as reads are.</para>
    /// </summary>
    /// <example>
    /// <code>Set-ZadarmaPbxRecording -Extension 100 -Status on -Credential $cred</code>
    /// <para>Records the calls of extension 100.</para>
    /// </example>
    /// <example>
    /// <code>Set-ZadarmaPbxRecording -Extension 101 -Status on_email -Email recordings@example.com -Credential $cred</code>
    /// <para>Sends the recordings of extension 101 to an e-mail address.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaPbxExtension -Credential $cred | Set-ZadarmaPbxRecording -Status off -Credential $cred -WhatIf</code>
    /// <para>Shows which extensions would stop recording, changing nothing.</para>
    /// </example>
    /// <seealso cref="GetZadarmaPbxExtensionCommand"/>
    /// <seealso cref="InvokeZadarmaRequestCommand"/>
    [Cmdlet(VerbsCommon.Set, "ZadarmaPbxRecording", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = OnlineHelp.Base + "Set-ZadarmaPbxRecording.md")]
    [OutputType(typeof(ZadarmaPbxRecordingChange))]
    public sealed class SetZadarmaPbxRecordingCommand : ZadarmaRowCmdlet<ZadarmaPbxRecordingRequest, ZadarmaPbxRecordingChange>
    {
        /// <summary>The PBX extension, e.g. 100 (the Extension of Get-ZadarmaPbxExtension).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Internal", "PbxNumber", "Pbx_Number", "InternalNumber", "Internal_Number", "Id")]
        [AllowEmptyString]
        public string Extension { get; set; } = "";

        /// <summary>on, off, on_email, off_email, on_store or off_store.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Recording")]
        // Checked by ZadarmaClient.Prepare (ZadarmaRecordingStatusIsNotValid, naming the row): a transformation that
        // refused it would leave this mandatory parameter null, and PowerShell's own error would not say why.
        [ArgumentCompleter(typeof(RecordingStatusCompleter))]
        [AllowEmptyString]
        public string Status { get; set; } = "";

        /// <summary>The e-mail address the recordings go to (with on_email).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "EmailAddress")]
        [AllowEmptyString]
        public string? Email { get; set; }

        protected override string Activity => "Changing Zadarma call recording";

        protected override string DoneWord => "changed";

        protected override ZadarmaPbxRecordingRequest CreateItem() =>
            ZadarmaClient.Prepare(new ZadarmaPbxRecordingRequest(Extension, Status ?? "") { Email = Email });

        protected override (string Target, string Action) Describe(ZadarmaPbxRecordingRequest item) =>
            ($"Extension {item.Extension}", $"Set the call recording to {item.Status}" + (item.Email is null ? "" : " for " + item.Email));

        protected override Task<IReadOnlyList<Outcome<ZadarmaPbxRecordingChange>>> RunAsync(IReadOnlyList<ZadarmaPbxRecordingRequest> items, CancellationToken cancellationToken) =>
            One(Client.SetPbxRecordingAsync(items[0], cancellationToken));
    }

    /// <summary>Completes -Status of Set-ZadarmaPbxRecording.</summary>
    public sealed class RecordingStatusCompleter : FixedValuesCompleter
    {
        public RecordingStatusCompleter() : base("on", "off", "on_email", "off_email", "on_store", "off_store") { }
    }
}
