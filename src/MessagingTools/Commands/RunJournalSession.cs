using System;
using System.Collections.Generic;
using System.Management.Automation;
using MessagingTools.Core;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Journal;
using MessagingTools.Core.Pipeline;
using MessagingTools.Internal;

namespace MessagingTools.Commands
{
    /// <summary>
    /// The journal of one run (-Journal), as the cmdlet sees it: opened before anything is sent, asked about every
    /// request in input order, shown each request as it goes out and each outcome before the pipeline sees it, and
    /// closed once nothing can be recorded in it any more. Core's <see cref="JournaledRun{TItem,TResult}"/> decides and
    /// records (PowerShell-free); this adds what needs the cmdlet: its path, its warnings and terminating errors, the
    /// input's columns as PowerShell reads them, and when the file may close. Used only on the pipeline thread, except
    /// <see cref="LetsInFlightFinish"/> (read by StopProcessing).
    /// </summary>
    internal sealed class RunJournalSession<TItem, TResult>
    {
        private readonly JournaledRun<TItem, TResult> _run;
        private RunJournal? _file; // null for a dry run, which only reads, and once closed
        private long _itemsDecided;

        private RunJournalSession(RunJournal? file, JournaledRun<TItem, TResult> run)
        {
            _file = file;
            _run = run;
        }

        /// <summary>
        /// Opens the run's journal (-Journal): read only for a dry run, which records nothing. Any problem with it (in use
        /// by another run, another cmdlet's, unreadable) stops the run before anything is sent.
        /// </summary>
        public static RunJournalSession<TItem, TResult> Open(PSCmdlet cmdlet, string journalPath, JournalPolicy<TItem>? policy, bool resendUnknown, bool dryRun)
        {
            if (policy is null) throw new InvalidOperationException($"{cmdlet.GetType().Name} takes -Journal but gives no JournalPolicy.");
            var path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(journalPath);
            var name = cmdlet.MyInvocation.MyCommand.Name;
            try
            {
                if (dryRun)
                    return new RunJournalSession<TItem, TResult>(null, new JournaledRun<TItem, TResult>(RunJournal.ReadFor(path, name), policy, resendUnknown));
                var file = RunJournal.Open(path, name, policy.Provider);
                try
                {
                    if (file.Warning != null) cmdlet.WriteWarning(file.Warning);
                }
                catch
                {
                    file.Dispose(); // -WarningAction Stop: the run ends here, and the file is not left open
                    throw;
                }
                return new RunJournalSession<TItem, TResult>(file, new JournaledRun<TItem, TResult>(file, policy, resendUnknown));
            }
            catch (MessagingException ex)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.For(ex, journalPath, null));
                throw; // not reached: ThrowTerminatingError throws
            }
        }

        /// <summary>
        /// The queue's observer: it records each request's intent before the request goes out (so the intent is durable
        /// before anything can take effect) and its outcome before the pipeline sees it.
        /// </summary>
        public IWorkObserver<TItem, TResult> Observer => _run;

        /// <summary>
        /// True while the journal records: a stopped run then lets the requests in flight run on to their answer
        /// instead of cancelling them (see <see cref="Close"/>). A dry run records nothing, so it cancels as a run
        /// without a journal does.
        /// </summary>
        public bool LetsInFlightFinish => _file != null;

        /// <summary>The input's own columns as text, for the journal; null for a call without pipeline input (the request's content serves).</summary>
        public IReadOnlyList<KeyValuePair<string, string?>>? ColumnsOf(PSObject? input)
        {
            if (input is null) return null;
            var columns = new List<KeyValuePair<string, string?>>();
            foreach (var column in OutcomeObjects.InputColumns(input))
                columns.Add(new KeyValuePair<string, string?>(column.Key, column.Value is null ? null : LanguagePrimitives.ConvertTo<string>(column.Value)));
            return columns;
        }

        /// <summary>
        /// The journal's word on one request, before ShouldProcess. Called in input order for every request the inputs
        /// name, sent or not: keys count identical requests in that order. <paramref name="rowNumber"/> is the input's
        /// position; a call without pipeline input numbers its requests as they come.
        /// </summary>
        public JournalVerdict<TItem, TResult> Decide(TItem item, long? rowNumber, IReadOnlyList<KeyValuePair<string, string?>>? columns)
        {
            JournalDecision<TItem, TResult> decision;
            try
            {
                decision = _run.Decide(item, rowNumber ?? ++_itemsDecided, columns);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException || ex is OperationCanceledException))
            {
                // What makes the request cannot be read (a file gone between two looks at it): this one's error.
                return JournalVerdict<TItem, TResult>.Unreadable(item, ex);
            }
            return decision.Kind == JournalDecisionKind.Send
                ? JournalVerdict<TItem, TResult>.Send(decision.Item, decision.Row)
                : JournalVerdict<TItem, TResult>.Settle(item, decision.Outcome, fromJournal: decision.Kind == JournalDecisionKind.Replay);
        }

        /// <summary>
        /// Closes the run's journal once nothing can be recorded in it any more. A run that ends early (Select-Object -First
        /// stops it in the middle of writing, -ErrorAction Stop, Ctrl+C) leaves requests in flight: they were sent and go
        /// on to their answer, and their outcomes must reach the journal before it closes, or the next run would take them
        /// for unknown (and a flash call or an SMS could then only be sent twice). So nothing new starts, and the work in
        /// flight is waited for, each request within its timeout (<paramref name="inFlightWait"/>). After a run that ended
        /// normally there is none. Closing twice, or a dry run's journal, does nothing.
        /// </summary>
        public void Close(PipelinePump<TItem, TResult>? pump, TimeSpan inFlightWait)
        {
            if (_file is null) return;
            pump?.Dispose();
            pump?.Queue.WaitForWork(inFlightWait);
            _file.Dispose();
            _file = null;
        }
    }

    /// <summary>
    /// What the journal says of one request before it may go out: send it (<see cref="Item"/>, under its recorded key
    /// when it is sent again, recorded as <see cref="JournalRow"/>), or not, with <see cref="Settled"/> as its outcome:
    /// an earlier run's result, a refusal (it may have been carried out), or the error of a request the journal could
    /// not look up. A struct: a journaled run asks once per request.
    /// </summary>
    internal readonly struct JournalVerdict<TItem, TResult>
    {
        private JournalVerdict(TItem item, JournalRow? journalRow, Outcome<TResult>? settled, bool fromJournal, bool decided)
        {
            Item = item;
            JournalRow = journalRow;
            Settled = settled;
            FromJournal = fromJournal;
            Decided = decided;
        }

        /// <summary>The request to send; for a settled one, the request as the input named it.</summary>
        public TItem Item { get; }

        /// <summary>The request's row in the journal (key, position, columns); null for one that is not sent.</summary>
        public JournalRow? JournalRow { get; }

        /// <summary>Not null: the request is not sent, and this is its outcome.</summary>
        public Outcome<TResult>? Settled { get; }

        /// <summary>The outcome is an earlier run's, read back from the journal.</summary>
        public bool FromJournal { get; }

        /// <summary>False when the journal could not be asked (the request's content could not be read).</summary>
        public bool Decided { get; }

        public static JournalVerdict<TItem, TResult> Send(TItem item, JournalRow journalRow) =>
            new JournalVerdict<TItem, TResult>(item, journalRow, null, false, true);

        public static JournalVerdict<TItem, TResult> Settle(TItem item, Outcome<TResult> outcome, bool fromJournal) =>
            new JournalVerdict<TItem, TResult>(item, null, outcome, fromJournal, true);

        public static JournalVerdict<TItem, TResult> Unreadable(TItem item, Exception error) =>
            new JournalVerdict<TItem, TResult>(item, null, Outcome<TResult>.Failure(error), false, false);
    }
}
