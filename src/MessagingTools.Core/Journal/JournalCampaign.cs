using System;
using System.Collections.Generic;
using System.Linq;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Journal
{
    /// <summary>
    /// Several journals read as one: the state of a campaign that N workers sent with -Partition, each with its own journal
    /// (issue 19, item 5). Its rows are every journal's rows, in input order (their row numbers: each worker read the same
    /// rows); its counts are their sums.
    /// </summary>
    public sealed class JournalCampaign
    {
        private JournalCampaign(IReadOnlyList<JournalContents> journals)
        {
            Journals = journals;
            Cmdlet = journals[0].Cmdlet;
            Provider = journals[0].Provider;
            Entries = journals.SelectMany(j => j.Entries).OrderBy(e => e.Position).ToArray();
            Done = journals.Sum(j => j.Done);
            Failed = journals.Sum(j => j.Failed);
            Unknown = journals.Sum(j => j.Unknown);
        }

        /// <summary>
        /// The journals as one. They must all belong to the same cmdlet (a campaign is one command run by several workers):
        /// otherwise a <see cref="MessagingException"/> (JournalsAreOfDifferentCmdlets) names them.
        /// </summary>
        public static JournalCampaign Of(IReadOnlyList<JournalContents> journals)
        {
            if (journals is null || journals.Count == 0) throw new ArgumentException("No journal was given.", nameof(journals));
            var cmdlets = journals.Select(j => j.Cmdlet).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            if (cmdlets.Length > 1)
                throw new MessagingException(JournalFormat.ErrorProvider, ErrorKind.InvalidInput, "JournalsAreOfDifferentCmdlets",
                    "These journals are not one campaign: they belong to " + string.Join(", ", cmdlets) + " (" +
                    string.Join(", ", journals.Select(j => j.Path + ": " + j.Cmdlet)) + "). Read them without -Combine.");
            return new JournalCampaign(journals);
        }

        /// <summary>The cmdlet whose runs wrote the journals.</summary>
        public string Cmdlet { get; }

        public string? Provider { get; }

        /// <summary>Each journal as read.</summary>
        public IReadOnlyList<JournalContents> Journals { get; }

        /// <summary>How many journals.</summary>
        public int JournalCount => Journals.Count;

        /// <summary>The journals' files.</summary>
        public IReadOnlyList<string> Paths => Journals.Select(j => j.Path).ToArray();

        /// <summary>Every row of every journal, in input order (<see cref="JournalEntry.Position"/>).</summary>
        public IReadOnlyList<JournalEntry> Entries { get; }

        public int Done { get; }
        public int Failed { get; }
        public int Unknown { get; }

        /// <summary>Every row the journals know.</summary>
        public int Total => Entries.Count;
    }
}
