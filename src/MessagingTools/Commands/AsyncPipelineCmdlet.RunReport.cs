using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Logging;
using MessagingTools.Core.Pipeline;

namespace MessagingTools.Commands
{
    /// <summary>
    /// What a run says of itself, for runbooks (issue 19): one summary line in the information stream when it ends; the
    /// rows it sent that the pipeline will not see, named in warnings, when it is stopped; and, in its progress, the waits
    /// a rate limit imposes.
    /// </summary>
    public abstract partial class AsyncPipelineCmdlet<TItem, TResult>
    {
        private readonly RunTally _tally = new RunTally();
        private readonly Stopwatch _clock = new Stopwatch();
        private bool _stopReported;
        private long _waitUntilTicks; // _clock ticks; under Interlocked
        private volatile string _waitReason = "";

        /// <summary>The tags of the summary line in the information stream (Get-Help about_MessagingTools, "Runbooks").</summary>
        internal static readonly string[] SummaryTags = { "MessagingTools", "Summary" };

        /// <summary>
        /// The id under which the provider knows a request, for the warning that names a row sent but not written when a
        /// run stops (the Bale request_id, the flash call's tracking code, the FeedBot message id); null when there is none.
        /// <paramref name="result"/> is the result when the request succeeded, else null.
        /// </summary>
        protected virtual string? RequestIdOf(TItem? item, TResult? result) => null;

        /// <summary>
        /// Tells the run that its requests wait <paramref name="wait"/> for <paramref name="reason"/> (a rate limit): its
        /// progress says so while the wait lasts, and a verbose line says it once. Any thread.
        /// </summary>
        protected void NoteWait(TimeSpan wait, string reason)
        {
            if (wait <= TimeSpan.Zero) return;
            var until = _clock.Elapsed.Ticks + wait.Ticks;
            long seen;
            while ((seen = Interlocked.Read(ref _waitUntilTicks)) < until)
            {
                if (Interlocked.CompareExchange(ref _waitUntilTicks, until, seen) != seen) continue;
                _waitReason = reason;
                Log(LogLevel.Verbose, string.Format(CultureInfo.InvariantCulture, "Waiting {0:0.#} s for {1}.", wait.TotalSeconds, reason));
                return;
            }
        }

        /// <summary>", waiting 17 s for Zadarma's statistics limit" while a wait lasts, else nothing.</summary>
        private string WaitNote()
        {
            var left = Interlocked.Read(ref _waitUntilTicks) - _clock.Elapsed.Ticks;
            if (left <= 0) return "";
            return string.Format(CultureInfo.InvariantCulture, ", waiting {0:0} s for {1}", Math.Ceiling(TimeSpan.FromTicks(left).TotalSeconds), _waitReason);
        }

        /// <summary>How the pipeline stops a cmdlet: -ErrorAction Stop on an error it wrote, Select-Object -First, Ctrl+C.</summary>
        private static bool IsPipelineStop(Exception ex) => ex is ActionPreferenceStopException || ex is PipelineStoppedException;

        /// <summary>The run's summary line, in the information stream (tags MessagingTools, Summary).</summary>
        private void WriteSummary(int? unseenSent)
        {
            WriteInformation(_tally.Summary(MyInvocation.MyCommand.Name, _clock.Elapsed, unseenSent), SummaryTags);
        }

        /// <summary>
        /// The pipeline is stopping this run (it wrote an error under -ErrorAction Stop, a Select-Object -First has enough,
        /// Ctrl+C): nothing new starts; the requests in flight are let finish (within -TimeoutSec, unless Ctrl+C cancelled
        /// them); then every input that was sent and whose outcome the pipeline will not see is named in a warning, with its
        /// row number, recipient and request id, and the summary line says the run stopped. Without this, a runbook that
        /// stopped at row 5 had sent rows 6 to 12 and said nothing of them (issue 19, item 1). Once; whatever PowerShell no
        /// longer lets the cmdlet write (after Ctrl+C) is left unwritten.
        /// </summary>
        private void ReportStop()
        {
            if (_stopReported || _pump is null) return;
            _stopReported = true;
            try
            {
                _pump.Dispose();
                if (!_stopping.IsCancellationRequested) _pump.Queue.WaitForWork(TimeSpan.FromSeconds(TimeoutSec + 5));
                var unseen = _pump.Queue.SentNotTaken(out _);
                foreach (var sent in unseen) WriteWarning(UnseenLine(sent!));
                WriteSummary(unseen.Count);
            }
            catch (Exception ex) when (IsPipelineStop(ex) || ex is InvalidOperationException)
            {
                // PowerShell no longer takes output from this cmdlet (a stop already under way, or $WarningPreference Stop).
            }
        }

        /// <summary>"Row 7 (989121234567, request id 3f2a...): sent, but the run stopped before writing its result."</summary>
        private string UnseenLine(Completion<TItem, TResult> sent)
        {
            var tag = (ItemTag)sent.Tag!;
            var result = sent.HasOutcome && sent.Outcome.Succeeded ? sent.Outcome.Result : default;
            string? requestId = null;
            try { requestId = RequestIdOf(sent.Item, result); }
            catch (Exception ex) when (!(ex is OutOfMemoryException)) { /* a warning without the id rather than none */ }
            if (string.IsNullOrEmpty(requestId) && sent.HasOutcome && sent.Outcome.Error is MessagingException failed) requestId = failed.RequestId;

            var row = tag.RowNumber is long number ? "Row " + number.ToString(CultureInfo.InvariantCulture) : "Input " + sent.Sequence.ToString(CultureInfo.InvariantCulture);
            var who = DescriptionOf(tag, sent.Item) ?? "";
            if (!string.IsNullOrEmpty(requestId)) who += (who.Length > 0 ? ", " : "") + "request id " + requestId;
            string state;
            if (!sent.HasOutcome) state = "sent, and no answer came before the run stopped: it may have taken effect";
            else if (sent.Outcome.Succeeded) state = "sent, but the run stopped before writing its result";
            else if (sent.Outcome.Error is MessagingException m && m.MayHaveTakenEffect) state = "sent, and may have taken effect: " + m.Message;
            else state = "failed, and the run stopped before writing its error: " + sent.Outcome.Error!.Message;
            return who.Length > 0 ? $"{row} ({who}): {state}" : $"{row}: {state}";
        }
    }
}
