using System.Linq;
using System.Management.Automation;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Journal;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Journal
{
    /// <summary>
    /// <para type="synopsis">Reads the journal of a resumable run (-Journal): how many rows are done, failed or unknown, and which.</para>
    /// <para type="description">Without -State, gives one summary per journal: the cmdlet it belongs to, and how many rows are
    /// Done (sent; not sent again), Failed (tried again on the next run) and Unknown (sent, with no answer recorded: they may
    /// have been carried out). With -State, gives the rows in those states in their input's own columns, in input order, ready
    /// to pipe into the cmdlet again or to Export-Csv. With -Entry, gives each row's typed journal entry: its key, state,
    /// attempts, result and error. A journal that a run holds open cannot be read until that run ends.</para>
    /// </summary>
    /// <example>
    /// <code>Get-MessagingJournal -Path ./send.journal</code>
    /// <para>Shows how many rows of the run are done, failed and unknown.</para>
    /// </example>
    /// <example>
    /// <code>Get-MessagingJournal -Path ./send.journal -State Unknown | Export-Csv unknown.csv -NoTypeInformation</code>
    /// <para>Writes the rows that may or may not have been sent (in their own columns) to a CSV, to check them with the provider.</para>
    /// </example>
    /// <example>
    /// <code>Get-MessagingJournal -Path ./send.journal -Entry | Select-Object Position, State, Attempt, RequestId, @{ n = 'ErrorId'; e = { $_.Error.ErrorId } }</code>
    /// <para>Lists every row the journal knows: its state, how many times it was sent, its request id and why it failed.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MessagingJournal", DefaultParameterSetName = SummarySet, HelpUri = OnlineHelp.Base + "Get-MessagingJournal.md")]
    [OutputType(typeof(JournalContents), ParameterSetName = new[] { SummarySet })]
    [OutputType(typeof(PSObject), ParameterSetName = new[] { RowsSet })]
    [OutputType(typeof(JournalEntry), ParameterSetName = new[] { EntrySet })]
    public sealed class GetMessagingJournalCommand : PSCmdlet
    {
        private const string SummarySet = "Summary";
        private const string RowsSet = "Rows";
        private const string EntrySet = "Entry";

        /// <summary>The journal file (the -Journal of the run).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = SummarySet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = RowsSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = EntrySet)]
        [Alias("FullName", "Journal")]
        public string[] Path { get; set; } = new string[0];

        /// <summary>Gives the rows in these states (Done, Failed, Unknown) in their own columns; with -Entry, filters the entries.</summary>
        [Parameter(Mandatory = true, ParameterSetName = RowsSet)]
        [Parameter(ParameterSetName = EntrySet)]
        public JournalState[]? State { get; set; }

        /// <summary>Gives each row's journal entry (key, state, position, attempts, result, error) instead.</summary>
        [Parameter(Mandatory = true, ParameterSetName = EntrySet)]
        public SwitchParameter Entry { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var given in Path)
            {
                JournalContents contents;
                try
                {
                    contents = RunJournal.Read(SessionState.Path.GetUnresolvedProviderPathFromPSPath(given));
                }
                catch (MessagingException ex)
                {
                    WriteError(ErrorRecords.For(ex, given, null));
                    continue;
                }
                if (contents.Warning != null) WriteWarning(contents.Warning);
                if (ParameterSetName == SummarySet)
                {
                    WriteObject(contents);
                    continue;
                }
                var entries = contents.Entries.Where(e => State is null || State.Contains(e.State)).OrderBy(e => e.Position);
                foreach (var entry in entries) WriteObject(Entry ? (object)entry : AsRow(entry));
            }
        }

        /// <summary>The row in its own columns, as it came in.</summary>
        private static PSObject AsRow(JournalEntry entry)
        {
            var row = new PSObject();
            foreach (var column in entry.Columns) row.Properties.Add(new PSNoteProperty(column.Key, column.Value));
            return row;
        }
    }
}
