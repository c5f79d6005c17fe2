using System;
using System.Globalization;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Pipeline
{
    /// <summary>
    /// What a run did, counted as its outcomes are written, and said in one line when it ends (issue 19, item 4): the line
    /// that an Azure Automation job or a CI log keeps of the run. Counted on the pipeline thread only.
    /// </summary>
    internal sealed class RunTally
    {
        /// <summary>Inputs the run received (pipeline rows, or 1 for a call without pipeline input).</summary>
        public long Inputs { get; set; }

        /// <summary>Under -Partition: this worker's share ("2/4"); null otherwise.</summary>
        public string? Partition { get; set; }

        /// <summary>Under -Partition: requests (or bad rows) that were other workers' share, skipped.</summary>
        public long OtherShares { get; set; }

        /// <summary>Outcomes written as results (a read that gives a list counts once).</summary>
        public long Results { get; private set; }

        /// <summary>Outcomes written as errors.</summary>
        public long Errors { get; private set; }

        /// <summary>Errors whose request may have taken effect all the same (a call placed, a message sent).</summary>
        public long Uncertain { get; private set; }

        /// <summary>Results that an earlier run of the journal did (this one only read them back).</summary>
        public long FromJournal { get; private set; }

        public void Count<TResult>(Outcome<TResult> outcome, bool fromJournal)
        {
            if (outcome.Succeeded)
            {
                Results++;
                if (fromJournal) FromJournal++;
                return;
            }
            Errors++;
            if (outcome.Error is MessagingException m && m.MayHaveTakenEffect) Uncertain++;
        }

        /// <summary>
        /// The run's line, e.g. "Send-BaleMessage: 40 rows, 38 results, 2 errors (1 may have taken effect), 12.3 s, 3.3 rows/s."
        /// A stopped run says where it stopped and how many sent rows it named in warnings.
        /// </summary>
        public string Summary(string command, TimeSpan elapsed, int? unseenSent = null)
        {
            var c = CultureInfo.InvariantCulture;
            var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
            var line = string.Format(c, "{0}{1}: {2} {3}", command, Partition is null ? "" : " (partition " + Partition + ")", Inputs, Inputs == 1 ? "row" : "rows");
            if (Partition != null) line += string.Format(c, " ({0} other workers')", OtherShares);
            line += string.Format(c, ", {0} {1}, {2} {3}", Results, Results == 1 ? "result" : "results", Errors, Errors == 1 ? "error" : "errors");
            if (Uncertain > 0) line += string.Format(c, " ({0} may have taken effect)", Uncertain);
            if (FromJournal > 0) line += string.Format(c, ", {0} from the journal", FromJournal);
            line += string.Format(c, ", {0:0.0} s, {1:0.#} rows/s", elapsed.TotalSeconds, Inputs / seconds);
            if (unseenSent is int unseen)
                line += string.Format(c, "; stopped: {0} sent {1} not written, named in warnings", unseen, unseen == 1 ? "row was" : "rows were");
            return line + ".";
        }
    }
}
