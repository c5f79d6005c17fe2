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
    /// <para type="synopsis">Gets temporary download links of Zadarma call recordings.</para>
    /// <para type="description">Reads /v1/pbx/record/request/: for a recording id (-RecordingId, Zadarma's call_id_with_rec)
    /// one link, for a PBX call (-PbxCallId) one link for each of its recordings. Each link works until its ExpiresAt
    /// (-Lifetime, 180 seconds to 60 days; Zadarma's default 30 minutes) and needs no credential: Save-ZadarmaRecording
    /// downloads the files. Rows of Get-ZadarmaPbxStatistics and call events (Receive-ZadarmaCall) pipe in by their
    /// PbxCallId and RecordingId; given both, the recording id is asked for. A row whose call was not recorded
    /// (IsRecorded false, is_recorded 0) is skipped with a verbose line, without a request. A read: retried after timeouts
    /// and 5xx.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaRecording -RecordingId '1458832388.1585217' -Lifetime 3600 -Credential $cred</code>
    /// <para>Gets a link to that recording that works for an hour.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaPbxStatistics -Start 2026-11-01 -End 2026-11-07 -Credential $cred | Get-ZadarmaRecording -Credential $cred | Export-Csv links.csv</code>
    /// <para>Lists a link for every recording of the week's PBX calls (calls not recorded are skipped) and keeps them in a CSV file.</para>
    /// </example>
    /// <seealso cref="SaveZadarmaRecordingCommand"/>
    /// <seealso cref="GetZadarmaPbxStatisticsCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaRecording", HelpUri = OnlineHelp.Base + "Get-ZadarmaRecording.md")]
    [OutputType(typeof(ZadarmaRecordingLink))]
    public sealed class GetZadarmaRecordingCommand : ZadarmaRowCmdlet<ZadarmaRecordingQuery, IReadOnlyList<ZadarmaRecordingLink>>
    {
        /// <summary>The recording's id: Zadarma's call_id, the call_id_with_rec of a call event (its RecordingId). Quote it on the command line ('1458832388.1585217'): unquoted, PowerShell reads it as a number and drops digits, which is refused (ZadarmaRecordingIdIsANumber).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("call_id_with_rec", "CallIdWithRec")]
        [RecordingIdTransformation]
        [AllowEmptyString]
        public string? RecordingId { get; set; }

        /// <summary>The PBX call (pbx_call_id of a PBX statistics row or a call event): a link for each of its recordings.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("pbx_call_id")]
        [AllowEmptyString]
        public string? PbxCallId { get; set; }

        /// <summary>How long the links work: seconds (180 to 5184000) or a TimeSpan such as 01:00:00. Default: Zadarma's, 30 minutes.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        public TimeSpan? Lifetime { get; set; }

        /// <summary>Whether the piped call was recorded (IsRecorded of a PBX statistics row, is_recorded of a call event): a row that says no is skipped.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("is_recorded")]
        public object? IsRecorded { get; set; }

        protected override string Activity => "Getting Zadarma recording links";

        protected override IReadOnlyList<Part> CreateItems()
        {
            if (ZadarmaRecordingInput.SaysNotRecorded(IsRecorded))
            {
                WriteVerbose(ZadarmaRecordingInput.Skipped(RowNumber, RecordingId, PbxCallId));
                return Array.Empty<Part>();
            }
            return new[] { Part.Of(ZadarmaClient.Prepare(new ZadarmaRecordingQuery { RecordingId = RecordingId, PbxCallId = PbxCallId, Lifetime = Lifetime })) };
        }

        protected override (string Target, string Action) Describe(ZadarmaRecordingQuery item) => (item.ToString(), "Get the recording links");

        protected override Task<IReadOnlyList<Outcome<IReadOnlyList<ZadarmaRecordingLink>>>> RunAsync(IReadOnlyList<ZadarmaRecordingQuery> items, CancellationToken cancellationToken) =>
            One(Client.GetRecordingLinksAsync(items[0], cancellationToken));
    }
}
