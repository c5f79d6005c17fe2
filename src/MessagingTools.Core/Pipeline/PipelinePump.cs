using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Logging;

namespace MessagingTools.Core.Pipeline
{
    /// <summary>What a <see cref="PipelinePump{TItem,TResult}"/> hands to the pipeline thread (a cmdlet writes it out).</summary>
    internal interface IPipelineOutput<TItem, TResult>
    {
        /// <summary>One finished input, in input order. Throwing stops the pump (the pipeline stopped).</summary>
        void Write(Completion<TItem, TResult> done);

        /// <summary>One log line of the work, already redacted.</summary>
        void Log(LogLevel level, string message);

        /// <summary>Progress of a run that has lasted long enough to be worth showing.</summary>
        void Progress(PumpProgress progress);
    }

    /// <summary>Where a run stands, for Write-Progress.</summary>
    internal sealed class PumpProgress
    {
        internal PumpProgress(long taken, long added, int inFlight, TimeSpan elapsed, bool totalKnown, bool completed)
        {
            Taken = taken;
            Added = added;
            InFlight = inFlight;
            Elapsed = elapsed;
            TotalKnown = totalKnown;
            Completed = completed;
        }

        /// <summary>Inputs whose outcome has been written.</summary>
        public long Taken { get; }

        /// <summary>Inputs received so far; the total once <see cref="TotalKnown"/>.</summary>
        public long Added { get; }

        /// <summary>Requests in flight now.</summary>
        public int InFlight { get; }

        public TimeSpan Elapsed { get; }

        /// <summary>True once every input has arrived (the pipeline's end), so that "N of M" can be said.</summary>
        public bool TotalKnown { get; }

        /// <summary>True for the last record of a run whose progress was shown: the bar goes away.</summary>
        public bool Completed { get; }

        public double PerSecond => Taken / Math.Max(Elapsed.TotalSeconds, 0.001);

        /// <summary>0 to 100 once the total is known, else -1.</summary>
        public int PercentComplete => TotalKnown && Added > 0 ? (int)(100 * Taken / Added) : -1;
    }

    /// <summary>
    /// Log lines from worker threads, kept until the pipeline thread writes them (PowerShell's streams may be written
    /// from that thread only). A cmdlet holds one from its start, since its transport logs before the pump exists, and
    /// hands it to the pump, which writes the lines as it waits.
    /// </summary>
    internal sealed class PipelineLog
    {
        private readonly ConcurrentQueue<KeyValuePair<LogLevel, string>> _lines = new ConcurrentQueue<KeyValuePair<LogLevel, string>>();

        /// <summary>Keeps a line; any thread.</summary>
        public void Add(LogLevel level, string message) => _lines.Enqueue(new KeyValuePair<LogLevel, string>(level, message));

        /// <summary>Hands every kept line to <paramref name="write"/>, oldest first; the pipeline thread.</summary>
        public void DrainTo(Action<LogLevel, string> write)
        {
            while (_lines.TryDequeue(out var line)) write(line.Key, line.Value);
        }
    }

    /// <summary>
    /// The pipeline-thread side of a run: inputs go into an <see cref="OrderedWorkQueue{TItem,TResult}"/>, and the
    /// outcomes, log lines and progress come back to one <see cref="IPipelineOutput{TItem,TResult}"/>, all on the
    /// thread that calls <see cref="Add"/>, <see cref="Pump"/> and <see cref="Complete"/>. It holds the drain policy every
    /// caller shares: write what is ready without waiting while inputs still arrive, wait only when the queue is full
    /// (so a long run keeps a bounded amount queued), and wait for everything at the end, showing progress and log
    /// lines while waiting. PowerShell-free, so the benchmarks drive exactly what the cmdlets drive.
    /// </summary>
    internal sealed class PipelinePump<TItem, TResult> : IDisposable
    {
        /// <summary>No progress for runs shorter than this: a quick command shows no bar.</summary>
        public static readonly TimeSpan ProgressDelay = TimeSpan.FromSeconds(1);

        /// <summary>How often progress is shown, and the longest the pump waits without writing log lines.</summary>
        public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly IPipelineOutput<TItem, TResult> _output;
        private readonly PipelineLog _log;
        private readonly Action<LogLevel, string> _writeLog; // made once: the pump drains the log at every row
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastProgress = TimeSpan.Zero;
        private bool _progressShown;

        public PipelinePump(Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> worker,
            int throttleLimit, int batchSize, IPipelineOutput<TItem, TResult> output, CancellationToken cancellationToken,
            IWorkObserver<TItem, TResult>? observer = null, PipelineLog? log = null)
        {
            _output = output ?? throw new ArgumentNullException(nameof(output));
            _log = log ?? new PipelineLog();
            _writeLog = output.Log;
            Queue = new OrderedWorkQueue<TItem, TResult>(worker, throttleLimit, batchSize, cancellationToken, observer);
        }

        public OrderedWorkQueue<TItem, TResult> Queue { get; }

        /// <summary>Adds an input and writes whatever is ready; waits only while the queue is full.</summary>
        public void Add(TItem item, object? tag)
        {
            Queue.Add(item, tag);
            Pump(block: false);
        }

        /// <summary>Adds an input whose outcome is known without work (an invalid row, a row a journal has done), in its place.</summary>
        public void AddCompleted(object? tag, Outcome<TResult> outcome)
        {
            Queue.AddCompleted(tag, outcome);
            Pump(block: false);
        }

        /// <summary>Writes every outcome that is ready, in order; see the class comment for when it waits.</summary>
        public void Pump(bool block)
        {
            while (true)
            {
                DrainLog();
                if (Queue.TryTake(out var done))
                {
                    _output.Write(done!);
                    continue;
                }
                // Between taking what is ready and waiting: an input that finished during the wait is taken first.
                ShowProgress(totalKnown: block);
                if (Queue.Pending == 0 || !(block || Queue.IsFull)) break;
                Queue.WaitForOldest(ProgressInterval);
            }
        }

        /// <summary>Every input has arrived: starts the last batch, writes every outcome, and ends the progress bar.</summary>
        public void Complete()
        {
            try
            {
                Queue.Flush();
                Pump(block: true);
                if (_progressShown)
                    _output.Progress(new PumpProgress(Queue.Taken, Queue.Added, 0, _clock.Elapsed, totalKnown: true, completed: true));
            }
            finally
            {
                DrainLog();
            }
        }

        private void DrainLog() => _log.DrainTo(_writeLog);

        private void ShowProgress(bool totalKnown)
        {
            var now = _clock.Elapsed;
            if (now < ProgressDelay || now - _lastProgress < ProgressInterval || Queue.Pending == 0) return;
            var inFlight = Queue.InFlight;
            // The oldest input finished since it was looked at: it is taken next, and a record now would show it as
            // neither in flight nor done ("0 of 1 saved, 0 in flight").
            if (Queue.OldestIsDone) return;
            _lastProgress = now;
            _progressShown = true;
            _output.Progress(new PumpProgress(Queue.Taken, Queue.Added, inFlight, now, totalKnown, completed: false));
        }

        /// <summary>Nothing starts after this, and work in back-off does not send again (see <see cref="OrderedWorkQueue{TItem,TResult}.Dispose"/>).</summary>
        public void Dispose() => Queue.Dispose();
    }
}
