using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Downloads Zadarma call recordings into a folder.</para>
    /// <para type="description">Saves each recording as &lt;RecordingId&gt;.mp3 (the extension of the link's file, else of
    /// its media type; a link that names no recording id, &lt;PbxCallId&gt;-&lt;n&gt;) in -Path, which is made when it does not
    /// exist (default: the current folder). It takes the links of Get-ZadarmaRecording (their Url), or recording ids and PBX
    /// calls as Get-ZadarmaRecording takes them (a call event's RecordingId, a PBX statistics row's PbxCallId), and then
    /// asks Zadarma for their links first; a row whose call was not recorded is skipped with a verbose line. The body is
    /// streamed to a temporary file beside the target (&lt;name&gt;.&lt;random&gt;.partial), which is renamed only once it is
    /// whole and removed when the download fails: a file of the recording's name is always complete. An existing file is an
    /// error naming the row and the file (ZadarmaRecordingFileExists), and the other rows go on; -Force replaces it. A
    /// download is a read: after a dropped connection, a timeout (no data for -TimeoutSec) or a 5xx it starts again from
    /// the first byte, as a read is retried. The links need no credential and are not on Zadarma's API address (an expired
    /// one answers 403 or 404: ZadarmaDownloadFailed). Progress shows the files saved and the bytes downloaded. Writes a
    /// ZadarmaRecordingFile per file (its Path pipes into Get-Item, Remove-Item, Copy-Item).</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaPbxStatistics -Start 2026-11-01 -End 2026-11-07 -Credential $cred | Save-ZadarmaRecording -Path ./recordings -Credential $cred</code>
    /// <para>Saves every recording of the week's PBX calls into ./recordings (calls not recorded are skipped).</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaRecording -RecordingId '1458832388.1585217' -Credential $cred | Save-ZadarmaRecording -Path ./calls -Force</code>
    /// <para>Downloads one recording by its link, replacing a file of the same name.</para>
    /// </example>
    /// <example>
    /// <code>[pscustomobject]@{ call_id_with_rec = '1458832388.1585217'; pbx_call_id = 'in_c2b77d04' } | Save-ZadarmaRecording -Path ./recordings -Credential $cred</code>
    /// <para>Saves the recording a call event names (a NOTIFY_RECORD or NOTIFY_END post, or a call event of Receive-ZadarmaCall, which has RecordingId and PbxCallId): the link is asked for first.</para>
    /// </example>
    /// <seealso cref="GetZadarmaRecordingCommand"/>
    /// <seealso cref="GetZadarmaPbxStatisticsCommand"/>
    [Cmdlet(VerbsData.Save, "ZadarmaRecording", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = OnlineHelp.Base + "Save-ZadarmaRecording.md")]
    [OutputType(typeof(ZadarmaRecordingFile))]
    public sealed class SaveZadarmaRecordingCommand : ZadarmaRowCmdlet<ZadarmaRecordingDownload, IReadOnlyList<ZadarmaRecordingFile>>
    {
        private readonly Dictionary<string, int> _positions = new Dictionary<string, int>(StringComparer.Ordinal);
        private long _bytes;

        /// <summary>The folder the files go to; made when it does not exist. Default: the current folder.</summary>
        [Parameter(Position = 0)]
        [Alias("Destination", "Folder")]
        public string? Path { get; set; }

        /// <summary>A recording link (the Url of Get-ZadarmaRecording); without one, the link is asked for by -RecordingId or -PbxCallId.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Link")]
        public Uri? Url { get; set; }

        /// <summary>The recording's id: Zadarma's call_id, the call_id_with_rec of a call event (its RecordingId). Quote it on the command line ('1458832388.1585217'): unquoted, PowerShell reads it as a number and drops digits, which is refused (ZadarmaRecordingIdIsANumber). Names the file.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("call_id_with_rec", "CallIdWithRec")]
        [RecordingIdTransformation]
        [AllowEmptyString]
        public string? RecordingId { get; set; }

        /// <summary>The PBX call (pbx_call_id of a PBX statistics row or a call event): each of its recordings is saved.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("pbx_call_id")]
        [AllowEmptyString]
        public string? PbxCallId { get; set; }

        /// <summary>How long the links asked for work: seconds (180 to 5184000) or a TimeSpan. Default: Zadarma's, 30 minutes.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        public TimeSpan? Lifetime { get; set; }

        /// <summary>Replace a file of the same name. Without it such a file is an error and is left as it is.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Whether the piped call was recorded (IsRecorded of a PBX statistics row, is_recorded of a call event): a row that says no is skipped.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("is_recorded")]
        public object? IsRecorded { get; set; }

        protected override string Activity => "Saving Zadarma recordings";

        protected override string DoneWord => "saved";

        protected override string? ProgressDetail => Megabytes(Interlocked.Read(ref _bytes)) + " downloaded";

        private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

        protected override IReadOnlyList<Part> CreateItems()
        {
            if (ZadarmaRecordingInput.SaysNotRecorded(IsRecorded))
            {
                WriteVerbose(ZadarmaRecordingInput.Skipped(RowNumber, RecordingId, PbxCallId));
                return Array.Empty<Part>();
            }
            var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(string.IsNullOrWhiteSpace(Path) ? "." : Path);
            string? id = string.IsNullOrWhiteSpace(RecordingId) ? null : RecordingId!.Trim();
            string? pbx = string.IsNullOrWhiteSpace(PbxCallId) ? null : PbxCallId!.Trim();
            if (Url != null)
            {
                if (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
                    throw new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaRecordingLinkIsInvalid",
                        $"'{Url}' is not an http or https link.") { Field = "Url" };
                var link = new ZadarmaRecordingLink(id ?? ZadarmaClient.RecordingIdOf(Url), pbx, Url, DateTimeOffset.MaxValue);
                return new[] { Part.Of(new ZadarmaRecordingDownload(link, folder) { Overwrite = Force.IsPresent, Position = NextPosition(link) }) };
            }
            var query = ZadarmaClient.Prepare(new ZadarmaRecordingQuery { RecordingId = id, PbxCallId = pbx, Lifetime = Lifetime });
            // A dry run has no credential to ask with: it says what it would save.
            if (IsDryRun) return new[] { Part.Of(new ZadarmaRecordingDownload(query, folder) { Overwrite = Force.IsPresent }) };
            // The links first (a read, on this thread), so that each file has its own -Confirm, outcome and error.
            var links = WithCredentials(() => Client.GetRecordingLinksAsync(query, StopToken).GetAwaiter().GetResult());
            var parts = new List<Part>();
            foreach (var link in links)
                parts.Add(Part.Of(new ZadarmaRecordingDownload(link, folder) { Overwrite = Force.IsPresent, Position = NextPosition(link) }));
            return parts;
        }

        /// <summary>The position of a link among those of its PBX call: names a file whose link names no recording id.</summary>
        private int NextPosition(ZadarmaRecordingLink link)
        {
            if (link.RecordingId != null || link.PbxCallId is null) return 1;
            _positions.TryGetValue(link.PbxCallId, out var n);
            _positions[link.PbxCallId] = ++n;
            return n;
        }

        protected override (string Target, string Action) Describe(ZadarmaRecordingDownload item)
        {
            if (item.Link is null) return (item.Folder, $"Save the recordings of {item.Query}");
            return (System.IO.Path.Combine(item.Folder, ZadarmaClient.RecordingFileName(item.Link, item.Position, null)),
                item.Overwrite ? "Save the recording, replacing the file" : "Save the recording");
        }

        protected override Task<IReadOnlyList<Outcome<IReadOnlyList<ZadarmaRecordingFile>>>> RunAsync(IReadOnlyList<ZadarmaRecordingDownload> items, CancellationToken cancellationToken) =>
            One(Client.SaveRecordingsAsync(items[0], new ByteCounter(d => Interlocked.Add(ref _bytes, d)), cancellationToken));

        /// <summary>Turns a download's running total (which starts again with a retry) into what it adds to the run's.</summary>
        private sealed class ByteCounter : IProgress<long>
        {
            private readonly Action<long> _add;
            private long _last;

            public ByteCounter(Action<long> add) => _add = add;

            public void Report(long value)
            {
                var delta = value - _last;
                _last = value;
                _add(delta);
            }
        }
    }
}
