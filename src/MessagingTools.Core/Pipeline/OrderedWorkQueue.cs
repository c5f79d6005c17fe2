using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Throttling;

namespace MessagingTools.Core.Pipeline
{
    /// <summary>
    /// Runs work for a stream of inputs concurrently and hands the outcomes back in input order, one per input.
    /// It is driven from one thread (the PowerShell pipeline thread): <see cref="Add"/> and <see cref="TryTake"/> never
    /// block; <see cref="Take"/> blocks until the oldest input is done. The worker runs on the thread pool and must not
    /// touch the caller's thread-bound objects.
    /// </summary>
    /// <remarks>
    /// Three bounds, all counted in batches of up to <see cref="BatchSize"/> inputs (one request each):
    /// <list type="bullet">
    /// <item>In flight: at most <see cref="ThrottleLimit"/> batches hold a slot. A slot is held from the start until the
    /// work ends, except while the work waits out a back-off (<see cref="ThrottleSlot.DelayAsync"/>), when it is lent.</item>
    /// <item>Started and not taken: while no input is retrying, at most <see cref="ThrottleLimit"/> batches are started
    /// and not every outcome of theirs taken (in flight, or finished and waiting to be written, in order or behind an
    /// earlier one). So a stopped run (-ErrorAction Stop, Select-Object -First) leaves at most ThrottleLimit batches sent
    /// but unseen, one with ThrottleLimit 1: a flash call nobody sees must not ring (issue 16).</item>
    /// <item>Lookahead: while the oldest unfinished input is retrying (it lent its slot for a back-off, and has not finished
    /// since), the bound above is lifted so that the inputs after it keep every slot busy: outcomes that wait behind it
    /// hold no slot. Without that, results written in input order would hold the whole run back behind one retry
    /// (head-of-line blocking, issue 11). Even then no input starts more than <see cref="Lookahead"/> inputs past the
    /// oldest one not taken yet: that bounds the memory held for reordering, and what a run stopped during a retry leaves
    /// sent but unseen.</item>
    /// </list>
    /// Batches start in input order, so the oldest input not taken has always started or is next to start: waiting for
    /// it never deadlocks.
    /// </remarks>
    internal sealed partial class OrderedWorkQueue<TItem, TResult> : IDisposable
    {
        /// <summary>
        /// Batches of lookahead per slot: covers a retrying input that takes up to about 64 times as long as the others,
        /// such as a third back-off (2 s, +20 % jitter) behind 50 ms requests. Open only while the oldest unfinished input is
        /// retrying, so it no longer bounds what a clean run leaves unseen when stopped (ThrottleLimit does). At 16 (until
        /// issue 16) a row retried three times stalled the run once the rows after it had used up the lookahead: with a
        /// 500 on every 7th request, retries included, 2,000 rows took 2.8x the clean run; at 64, 1.7x, as at 1,024.
        /// </summary>
        public const int LookaheadPerSlot = 64;

        /// <summary>The most inputs of lookahead (unless two rounds of slots need more): bounds memory for large batches.</summary>
        public const int LookaheadCap = 16_384;

        private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> _worker;
        private readonly IWorkObserver<TItem, TResult>? _observer;
        private readonly CancellationToken _cancellationToken;
        private readonly CancellationTokenRegistration _cancelled;

        // The driver's thread only.
        private readonly Queue<Entry> _pending = new Queue<Entry>();
        private readonly List<Entry> _open = new List<Entry>();
        private long _sequence;

        // Shared by the driver and the workers: under _lock.
        private readonly object _lock = new object();
        private readonly Queue<Batch> _waiting = new Queue<Batch>();          // dispatched, not started; input order
        private readonly Queue<Batch> _returning = new Queue<Batch>();        // lent their slot and want one back; served first
        private readonly LinkedList<Batch> _started = new LinkedList<Batch>(); // started, not every outcome taken; input order
        private LinkedListNode<Batch>? _firstUnfinished;                       // in _started; every batch before it finished
        private int _ready;                                                    // batches before _firstUnfinished: takeable now
        private int _running;                                                  // batches holding a slot
        private readonly HashSet<Batch> _working = new HashSet<Batch>();       // started, and their work has not ended
        private long _takenSequence;                                           // the last input taken
        private bool _closed;

        // The driver's wait for the oldest outcome (WaitForOldest). Not disposed: it holds nothing unmanaged (its wait
        // handle is never asked for), and a signal from a wait that timed out may come after the queue is disposed.
        private readonly ManualResetEventSlim _oldestDone = new ManualResetEventSlim(false, 0);
        private readonly Action _signalOldestDone;

        /// <summary>
        /// A queue whose worker takes a batch of up to <paramref name="batchSize"/> inputs and returns one outcome each, in
        /// order; <paramref name="observer"/>, if any, sees each batch just before it is sent and just after.
        /// </summary>
        public OrderedWorkQueue(Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> worker,
            int throttleLimit, int batchSize, CancellationToken cancellationToken, IWorkObserver<TItem, TResult>? observer = null)
        {
            _observer = observer;
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), "ThrottleLimit must be at least 1.");
            if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "BatchSize must be at least 1.");
            _worker = worker ?? throw new ArgumentNullException(nameof(worker));
            ThrottleLimit = throttleLimit;
            BatchSize = batchSize;
            _cancellationToken = cancellationToken;
            _signalOldestDone = _oldestDone.Set;
            long perRound = (long)throttleLimit * batchSize;
            long lookahead = Math.Max(Math.Min(LookaheadPerSlot * perRound, LookaheadCap), 2 * perRound);
            Lookahead = (int)Math.Min(lookahead, int.MaxValue / 2);
            // Enough inputs added to start a full round of slots again as soon as the lookahead moves on.
            Window = (int)Math.Min(Lookahead + perRound, int.MaxValue);
            // Ctrl+C: batches waiting for a slot (to start, or back from a back-off) end cancelled at once.
            _cancelled = cancellationToken.Register(Close);
        }

        /// <summary>A queue that does one input at a time.</summary>
        public OrderedWorkQueue(Func<TItem, CancellationToken, Task<TResult>> worker, int throttleLimit, CancellationToken cancellationToken)
            : this(WrapSingle(worker), throttleLimit, 1, cancellationToken) { }

        /// <summary>The most batches (requests) in flight at once.</summary>
        public int ThrottleLimit { get; }

        public int BatchSize { get; }

        /// <summary>
        /// How far past the oldest input not taken yet an input may start while the oldest unfinished input is retrying
        /// (otherwise no further than ThrottleLimit x BatchSize): at most this many inputs are ever started and not taken
        /// (in flight, in back-off, or finished and waiting for an earlier one), so a stopped run leaves at most this many
        /// sent but unseen. <see cref="LookaheadPerSlot"/> x ThrottleLimit x BatchSize, at most
        /// <see cref="LookaheadCap"/> unless 2 x ThrottleLimit x BatchSize is more.
        /// </summary>
        public int Lookahead { get; }

        /// <summary>How many inputs may wait for their outcome before the driver should <see cref="Take"/>: <see cref="Lookahead"/> + ThrottleLimit x BatchSize.</summary>
        public int Window { get; }

        /// <summary>Inputs added whose outcome has not been taken yet.</summary>
        public int Pending => _pending.Count;

        /// <summary>True when the driver should take an outcome before adding more (bounds memory on long runs).</summary>
        public bool IsFull => _pending.Count >= Window;

        public long Added => _sequence;

        /// <summary>
        /// Work started and not finished, not counting work that waits out a back-off: the requests in flight now
        /// (at most <see cref="ThrottleLimit"/>; for work of several requests, such as a batch of status reads, one each).
        /// </summary>
        public int InFlight
        {
            get { lock (_lock) return _running; }
        }
        public long Taken { get; private set; }

        /// <summary>Adds an input; it starts once its batch is full (or on <see cref="Flush"/>), a slot is free and it is within the bounds (see the remarks).</summary>
        public void Add(TItem item, object? tag = null)
        {
            var entry = new Entry(++_sequence, item, tag);
            _pending.Enqueue(entry);
            _open.Add(entry);
            if (_open.Count >= BatchSize) Dispatch();
        }

        /// <summary>Adds an input that already failed (invalid before any work), so its error keeps its place in order.</summary>
        public void AddFailed(object? tag, Exception error) => AddCompleted(tag, Outcome<TResult>.Failure(error));

        /// <summary>
        /// Adds an input whose outcome is already known without any work (invalid before any work; done in an earlier
        /// run, as a journal says), so that it keeps its place in order. It is neither sent nor seen by the observer.
        /// </summary>
        public void AddCompleted(object? tag, Outcome<TResult> outcome)
        {
            var entry = new Entry(++_sequence, default, tag) { Known = true, Outcome = outcome };
            _pending.Enqueue(entry);
        }

        /// <summary>Starts the partly filled batch, if any.</summary>
        public void Flush()
        {
            if (_open.Count > 0) Dispatch();
        }

        /// <summary>True when the oldest input's outcome is ready: <see cref="TryTake"/> will take it.</summary>
        public bool OldestIsDone => _pending.Count > 0 && _pending.Peek().IsDone;

        /// <summary>Takes the oldest outcome if it is ready; never blocks.</summary>
        public bool TryTake(out Completion<TItem, TResult>? completion)
        {
            completion = null;
            if (_pending.Count == 0) return false;
            if (!_pending.Peek().IsDone) return false;
            completion = Dequeue();
            return true;
        }

        /// <summary>
        /// Waits for the oldest outcome and takes it; returns null when nothing is pending.
        /// Throws <see cref="OperationCanceledException"/> when the queue's token is cancelled.
        /// </summary>
        public Completion<TItem, TResult>? Take()
        {
            if (_pending.Count == 0) return null;
            var head = _pending.Peek();
            if (head.IsUndispatched) Flush();
            try
            {
                if (!head.Known) head.Batch!.Outcomes.Wait(_cancellationToken);
            }
            catch (AggregateException) { /* outcomes never fault: see Run */ }
            // A cancelled worker may finish before Wait notices the token: cancellation still wins.
            _cancellationToken.ThrowIfCancellationRequested();
            return Dequeue();
        }

        /// <summary>
        /// Waits at most <paramref name="timeout"/> for the oldest input to finish (starting its batch if needed);
        /// returns true when <see cref="TryTake"/> will succeed. Lets the driver do other work (progress, logs) while waiting.
        /// </summary>
        public bool WaitForOldest(TimeSpan timeout)
        {
            if (_pending.Count == 0) return false;
            var head = _pending.Peek();
            if (head.IsUndispatched) Flush();
            return head.Known || WaitWithoutSpinning(head.Batch!.Outcomes, (int)Math.Min(int.MaxValue, Math.Max(0, timeout.TotalMilliseconds)));
        }

        /// <summary>
        /// Waits for <paramref name="done"/> by blocking at once. Task.Wait spins first, which pays when the wait is short;
        /// the driver waits for the oldest outcome once a row when the provider is the slower side, and that spinning took
        /// a core's time from the requests and the provider sharing the machine (issue 16: Send-BaleMessage at
        /// ThrottleLimit 16 spent twice the processor time of the previous release in this wait). The signal may come
        /// late (after a timeout) or for an earlier oldest: the caller looks again, so it only costs a look.
        /// </summary>
        private bool WaitWithoutSpinning(Task done, int milliseconds)
        {
            if (done.IsCompleted) return true;
            _oldestDone.Reset();
            done.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_signalOldestDone);
            if (done.IsCompleted) return true;
            _oldestDone.Wait(milliseconds, _cancellationToken);
            return done.IsCompleted;
        }

        private Completion<TItem, TResult> Dequeue()
        {
            var entry = _pending.Dequeue();
            Taken++;
            lock (_lock)
            {
                // Taking moves the lookahead on; taking a batch's last outcome frees the place it held among the
                // outcomes the driver could take (its slot went back when its work ended).
                _takenSequence = entry.Sequence;
                var batch = entry.Batch;
                if (batch != null && --batch.Untaken == 0 && batch.Node != null && batch.Node == _started.First)
                {
                    Debug.Assert(_ready > 0, "a batch whose outcomes were all taken had finished");
                    _started.RemoveFirst();
                    batch.Node = null;
                    _ready--;
                }
                Schedule();
            }
            return new Completion<TItem, TResult>(entry.Sequence, entry.Item, entry.Tag, entry.Result);
        }

        /// <summary>
        /// Makes the open entries a batch that waits for its start. A waiting batch is its inputs and the signal of its
        /// outcomes, nothing more: the work (its state machine, continuations) is made when it starts. Up to a
        /// <see cref="Window"/> of inputs wait through a long run, long enough for the collector to copy them again and
        /// again, so what they hold is paid at every collection (issue 16: about 1 KB an input made Send-BaleMessage
        /// spend 13-15 us a row in collector pauses, against 3 us for d7b952f).
        /// </summary>
        private void Dispatch()
        {
            var entries = _open; // emptied below for the next batch: nothing keeps it
            var items = new TItem[entries.Count];
            var tags = new object?[entries.Count];
            for (int i = 0; i < items.Length; i++)
            {
                items[i] = entries[i].Item!;
                tags[i] = entries[i].Tag;
            }
            var batch = new Batch(this, items, tags, entries[entries.Count - 1].Sequence);
            for (int i = 0; i < entries.Count; i++)
            {
                entries[i].Batch = batch;
                entries[i].Index = i;
            }
            entries.Clear();
            lock (_lock)
            {
                if (!_closed)
                {
                    _waiting.Enqueue(batch);
                    Schedule();
                    return;
                }
            }
            EndUnstarted(batch);
        }

        /// <summary>A batch that will never start (the queue closed first): every input gets the cancellation, so none is lost.</summary>
        private static void EndUnstarted(Batch batch)
        {
            batch.Finished = true;
            batch.Queue = null;
            batch.SetOutcomes(AllFailed(new TaskCanceledException(), batch.Items.Length));
        }

        private static readonly Action<object?> s_start = state =>
        {
            var batch = (Batch)state!;
            _ = batch.Queue!.Run(batch);
        };

        /// <summary>Hands out free slots: first to work back from a back-off (it is older), then to new batches in order. Under _lock.</summary>
        private void Schedule()
        {
            if (_closed) return;
            while (_running < ThrottleLimit && _returning.Count > 0)
            {
                var batch = _returning.Dequeue();
                var back = batch.Return;
                if (batch.Finished || back is null) continue;
                batch.Return = null;
                batch.HoldsSlot = true;
                _running++;
                back.TrySetResult(true);
            }
            while (_waiting.Count > 0 && _running + _ready < ThrottleLimit && MayStart(_waiting.Peek()))
            {
                var batch = _waiting.Dequeue();
                batch.HoldsSlot = true;
                _running++;
                batch.Node = _started.AddLast(batch);
                if (_firstUnfinished is null) _firstUnfinished = batch.Node;
                _working.Add(batch);
                // On the thread pool, never on the driver's thread nor under the lock; with the flow of the thread that
                // starts it (the driver's, or a worker's that began as the driver's).
                Task.Factory.StartNew(s_start, batch, CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
            }
        }

        /// <summary>
        /// Whether the next batch may start, a slot being free. At most ThrottleLimit batches are started and not taken
        /// (<see cref="_started"/>), unless the oldest unfinished one is retrying: then the lookahead is open, so that its
        /// back-off and retry do not idle the slots while the rows after it wait to be written. Under _lock.
        /// </summary>
        /// <remarks>
        /// Open for the whole retry, not only the back-off delay: the retry's request is as slow as any, and with a 500
        /// every few rows the next retrying row is already the oldest when this one finishes, so closing during each retry
        /// request would stop new rows for one request time per retried row (measured: the bale-faults benchmark went from
        /// 1.2x to 1.95x the clean run's time). Nothing retries in a clean run, so the bound holds there exactly. A finished
        /// batch the driver could take now still holds its place among the slots (Schedule's _ready), open or not. The oldest unfinished batch, rather than the oldest untaken: the finished ones before it
        /// are the driver's to take now, and it waits for this one next.
        /// </remarks>
        private bool MayStart(Batch next)
        {
            if (next.Last - _takenSequence > Lookahead) return false;
            return _started.Count < ThrottleLimit || (_firstUnfinished != null && _firstUnfinished.Value.Retrying);
        }

        private void Lend(Batch batch)
        {
            lock (_lock)
            {
                if (!batch.HoldsSlot) return;
                batch.HoldsSlot = false;
                // Lent for a back-off: it retries from now until it finishes, and may open the lookahead (MayStart).
                batch.Retrying = true;
                _running--;
                Schedule();
            }
        }

        private Task TakeBack(Batch batch)
        {
            lock (_lock)
            {
                // Disposed (the pipeline stopped) or cancelled: the work must not send again.
                if (_closed) return CanceledTask();
                if (batch.HoldsSlot) return Task.CompletedTask;
                if (batch.Return is null)
                {
                    batch.Return = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _returning.Enqueue(batch);
                }
                var back = batch.Return.Task;
                Schedule();
                return back;
            }
        }

        /// <summary>
        /// The batch's work ended with <paramref name="outcomes"/>: its slot goes back, and then its outcomes become
        /// visible (the driver must never take a batch that still counts as running).
        /// </summary>
        private void Finish(Batch batch, IReadOnlyList<Outcome<TResult>> outcomes)
        {
            lock (_lock)
            {
                batch.Finished = true;
                _working.Remove(batch);
                // The work's flow (and whatever captured it, such as a pooled connection) keeps the batch: not the queue.
                batch.Queue = null;
                if (batch.HoldsSlot)
                {
                    batch.HoldsSlot = false;
                    _running--;
                }
                batch.Return?.TrySetCanceled();
                batch.Return = null;
                if (batch.Node != null && batch.Node == _firstUnfinished)
                {
                    var node = _firstUnfinished;
                    while (node != null && node.Value.Finished)
                    {
                        _ready++;
                        node = node.Next;
                    }
                    _firstUnfinished = node;
                }
                Schedule();
                // Under the lock, so that WaitForWork never misses a batch between the two; the only continuations are
                // the driver's waits (an event set).
                batch.SetOutcomes(outcomes);
            }
        }

        /// <summary>No batch starts or gets its slot back after this; those waiting for one end cancelled.</summary>
        private void Close()
        {
            Batch[] unstarted;
            lock (_lock)
            {
                if (_closed) return;
                _closed = true;
                unstarted = _waiting.ToArray();
                _waiting.Clear();
                foreach (var batch in _returning)
                {
                    batch.Return?.TrySetCanceled();
                    batch.Return = null;
                }
                _returning.Clear();
            }
            foreach (var batch in unstarted) EndUnstarted(batch);
        }

        /// <summary>A started batch's work, on the thread pool; ends with <see cref="Finish"/>, and never throws.</summary>
        private async Task Run(Batch batch)
        {
            var items = batch.Items;
            var tags = batch.Tags;
            IReadOnlyList<Outcome<TResult>> outcomes;
            bool sent = false;
            try
            {
                // The work's back-off waits find its slot here (ThrottleSlot.DelayAsync); this flow only.
                ThrottleSlot.Current = batch;
                if (_observer != null) await _observer.BeforeSendAsync(items, tags, _cancellationToken).ConfigureAwait(false);
                sent = true;
                batch.Sent = true;
                outcomes = Checked(await _worker(items, _cancellationToken).ConfigureAwait(false), items.Length);
            }
            catch (Exception ex)
            {
                // The whole batch failed: every input in it gets the error, so none is lost.
                outcomes = AllFailed(ex, items.Length);
            }
            try
            {
                // Only what may have been sent: a batch that never started, or whose intent could not be recorded, was not.
                if (sent && _observer != null) outcomes = Checked(await _observer.AfterSendAsync(items, tags, outcomes).ConfigureAwait(false), items.Length);
            }
            catch (Exception ex)
            {
                outcomes = AllFailed(ex, items.Length);
            }
            Finish(batch, outcomes);
        }

        private static IReadOnlyList<Outcome<TResult>> Checked(IReadOnlyList<Outcome<TResult>>? outcomes, int count) =>
            outcomes != null && outcomes.Count == count
                ? outcomes
                : throw new InvalidOperationException($"{outcomes?.Count ?? 0} outcomes came back for a batch of {count}.");

        private static Outcome<TResult>[] AllFailed(Exception error, int count)
        {
            var outcomes = new Outcome<TResult>[count];
            for (int i = 0; i < count; i++) outcomes[i] = Outcome<TResult>.Failure(error);
            return outcomes;
        }

        private static Task CanceledTask()
        {
            var cancelled = new TaskCompletionSource<bool>();
            cancelled.SetCanceled();
            return cancelled.Task;
        }

        private static Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> WrapSingle(
            Func<TItem, CancellationToken, Task<TResult>> worker)
        {
            if (worker is null) throw new ArgumentNullException(nameof(worker));
            return async (items, ct) =>
            {
                try
                {
                    return new[] { Outcome<TResult>.Success(await worker(items[0], ct).ConfigureAwait(false)) };
                }
                catch (Exception ex)
                {
                    return new[] { Outcome<TResult>.Failure(ex) };
                }
            };
        }

        /// <summary>
        /// Waits at most <paramref name="timeout"/> until the work of every batch has ended (after <see cref="Dispose"/>: the
        /// requests already sent, and their observer's records); true when it has. A stopped run calls this before it
        /// closes what the observer writes to (a journal), so that a request sent before the stop is recorded with its
        /// outcome rather than left unknown.
        /// </summary>
        public bool WaitForWork(TimeSpan timeout)
        {
            var runs = new List<Task>();
            lock (_lock)
                foreach (var batch in _working) runs.Add(batch.Outcomes);
            try
            {
                return Task.WaitAll(runs.ToArray(), (int)Math.Min(int.MaxValue, Math.Max(0, timeout.TotalMilliseconds)));
            }
            catch (AggregateException)
            {
                return true; // Run never faults; ended all the same
            }
        }

        /// <summary>
        /// The inputs whose work went out (their requests may have reached the provider) and whose outcomes were not taken,
        /// in input order: what a stopped run sent that its pipeline will not see. Each with its outcome, or null while its
        /// work has not ended. The driver's thread; after <see cref="Dispose"/> and <see cref="WaitForWork"/>, so that the
        /// list is final and the outcomes known.
        /// </summary>
        public IReadOnlyList<Completion<TItem, TResult>?> SentNotTaken(out int unsettled)
        {
            var sent = new List<Completion<TItem, TResult>?>();
            unsettled = 0;
            foreach (var entry in _pending)
            {
                if (entry.Batch is null || !entry.Batch.Sent) continue;
                if (entry.IsDone)
                    sent.Add(new Completion<TItem, TResult>(entry.Sequence, entry.Item, entry.Tag, entry.Result));
                else
                {
                    sent.Add(new Completion<TItem, TResult>(entry.Sequence, entry.Item, entry.Tag, null));
                    unsettled++;
                }
            }
            return sent;
        }

        /// <summary>
        /// Stops the queue: nothing starts after this, and work in back-off does not send again (its wait ends
        /// cancelled). Work in flight runs on; only the queue's token cancels it.
        /// </summary>
        public void Dispose()
        {
            Close();
            _cancelled.Dispose();
        }
    }
}
