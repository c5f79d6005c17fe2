using System;
using System.Collections.Generic;
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
    /// <code>Get-MessagingJournal -Path ./campaign-*.journal -Combine</code>
    /// <para>Reads the journals of the workers of one campaign (-Partition 1/4 ... 4/4, each with its own -Journal) as one:
    /// how many rows of the whole campaign are done, failed and unknown.</para>
    /// </example>
    /// <example>
    /// <code>Get-MessagingJournal -Path ./send.journal -Entry | Select-Object Position, State, Attempt, RequestId, @{ n = 'ErrorId'; e = { $_.Error.ErrorId } }</code>
    /// <para>Lists every row the journal knows: its state, how many times it was sent, its request id and why it failed.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "MessagingJournal", DefaultParameterSetName = SummarySet, HelpUri = OnlineHelp.Base + "Get-MessagingJournal.md")]
    [OutputType(typeof(JournalContents), ParameterSetName = new[] { SummarySet })]
    [OutputType(typeof(JournalCampaign), ParameterSetName = new[] { SummarySet })]
    [OutputType(typeof(PSObject), ParameterSetName = new[] { RowsSet })]
    [OutputType(typeof(JournalEntry), ParameterSetName = new[] { EntrySet })]
    public sealed class GetMessagingJournalCommand : PSCmdlet
    {
        private const string SummarySet = "Summary";
        private const string RowsSet = "Rows";
        private const string EntrySet = "Entry";

        /// <summary>The journal file (the -Journal of the run); several, or wildcards, for several journals.</summary>
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

        /// <summary>
        /// Reads every journal given as one campaign (the workers of -Partition, each with its own journal): one summary of
        /// them all, or with -State and -Entry their rows merged in input order. The journals must be of one cmdlet.
        /// </summary>
        [Parameter]
        public SwitchParameter Combine { get; set; }

        private readonly List<JournalContents> _read = new List<JournalContents>();

        protected override void ProcessRecord()
        {
            foreach (var given in Path)
            {
                foreach (var path in Resolve(given))
                {
                    JournalContents contents;
                    try
                    {
                        contents = RunJournal.Read(path);
                    }
                    catch (MessagingException ex)
                    {
                        WriteError(ErrorRecords.For(ex, given, null));
                        continue;
                    }
                    if (contents.Warning != null) WriteWarning(contents.Warning);
                    if (Combine)
                    {
                        _read.Add(contents);
                        continue;
                    }
                    if (ParameterSetName == SummarySet)
                    {
                        WriteObject(contents);
                        continue;
                    }
                    WriteEntries(contents.Entries);
                }
            }
        }

        protected override void EndProcessing()
        {
            if (!Combine || _read.Count == 0) return;
            JournalCampaign campaign;
            try
            {
                campaign = JournalCampaign.Of(_read);
            }
            catch (MessagingException ex)
            {
                ThrowTerminatingError(ErrorRecords.For(ex, Path, null));
                return;
            }
            if (ParameterSetName == SummarySet) WriteObject(campaign);
            else WriteEntries(campaign.Entries);
        }

        private void WriteEntries(IEnumerable<JournalEntry> entries)
        {
            foreach (var entry in entries.Where(e => State is null || State.Contains(e.State)).OrderBy(e => e.Position))
                WriteObject(Entry ? (object)entry : AsRow(entry));
        }

        /// <summary>The files a -Path names: itself, or what its wildcards match (none is an error naming it).</summary>
        private IEnumerable<string> Resolve(string given)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(given))
                return new[] { SessionState.Path.GetUnresolvedProviderPathFromPSPath(given) };
            try
            {
                return SessionState.Path.GetResolvedProviderPathFromPSPath(given, out _).OrderBy(p => p, StringComparer.Ordinal).ToArray();
            }
            catch (ItemNotFoundException)
            {
                WriteError(ErrorRecords.ForRun("JournalWasNotFound", ErrorCategory.ObjectNotFound, $"No journal matches '{given}'.", given));
                return new string[0];
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
