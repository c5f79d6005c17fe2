using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MessagingTools.Core.Pipeline
{
    /// <summary>
    /// Runs work for a stream of inputs with at most <c>throttleLimit</c> batches started whose outcomes have not been
    /// taken yet (running, or finished and waiting to be written), and hands the outcomes
    /// back in input order, one per input. It is driven from one thread (the PowerShell pipeline thread):
    /// <see cref="Add"/> and <see cref="TryTake"/> never block; <see cref="Take"/> blocks until the oldest input is done.
    /// The worker runs on the thread pool and must not touch the caller's thread-bound objects.
    /// </summary>
    public sealed class OrderedWorkQueue<TItem, TResult> : IDisposable
    {
        private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> _worker;
        private readonly SemaphoreSlim _slots;
        private readonly CancellationToken _cancellationToken;
        private readonly Queue<Entry> _pending = new Queue<Entry>();
        private List<Entry> _open = new List<Entry>();
        private Task _slotChain = Task.CompletedTask;
        private long _sequence;

        /// <summary>A queue whose worker takes a batch of up to <paramref name="batchSize"/> inputs and returns one outcome each, in order.</summary>
        public OrderedWorkQueue(Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> worker,
            int throttleLimit, int batchSize, CancellationToken cancellationToken)
        {
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), "ThrottleLimit must be at least 1.");
            if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "BatchSize must be at least 1.");
            _worker = worker ?? throw new ArgumentNullException(nameof(worker));
            _slots = new SemaphoreSlim(throttleLimit, throttleLimit);
            ThrottleLimit = throttleLimit;
            BatchSize = batchSize;
            _cancellationToken = cancellationToken;
            // Enough dispatched work to keep every slot busy while the oldest is being written out.
            Window = Math.Max(2 * throttleLimit * batchSize + batchSize, 16);
        }

        /// <summary>A queue that does one input at a time.</summary>
        public OrderedWorkQueue(Func<TItem, CancellationToken, Task<TResult>> worker, int throttleLimit, CancellationToken cancellationToken)
            : this(WrapSingle(worker), throttleLimit, 1, cancellationToken) { }

        public int ThrottleLimit { get; }
        public int BatchSize { get; }

        /// <summary>How many inputs may wait for their outcome before the driver should <see cref="Take"/>.</summary>
        public int Window { get; }

        /// <summary>Inputs added whose outcome has not been taken yet.</summary>
        public int Pending => _pending.Count;

        /// <summary>True when the driver should take an outcome before adding more (bounds memory on long runs).</summary>
        public bool IsFull => _pending.Count >= Window;

        public long Added => _sequence;
        public long Taken { get; private set; }

        /// <summary>Adds an input; it starts once its batch is full (or on <see cref="Flush"/>) and a slot is free.</summary>
        public void Add(TItem item, object? tag = null)
        {
            var entry = new Entry(++_sequence, item, tag);
            _pending.Enqueue(entry);
            _open.Add(entry);
            if (_open.Count >= BatchSize) Dispatch();
        }

        /// <summary>Adds an input that already failed (invalid before any work), so its error keeps its place in order.</summary>
        public void AddFailed(object? tag, Exception error)
        {
            var entry = new Entry(++_sequence, default, tag) { Done = Task.FromResult(Outcome<TResult>.Failure(error)) };
            _pending.Enqueue(entry);
        }

        /// <summary>Starts the partly filled batch, if any.</summary>
        public void Flush()
        {
            if (_open.Count > 0) Dispatch();
        }

        /// <summary>Takes the oldest outcome if it is ready; never blocks.</summary>
        public bool TryTake(out Completion<TItem, TResult>? completion)
        {
            completion = null;
            if (_pending.Count == 0) return false;
            var head = _pending.Peek();
            if (head.Done is null || !head.Done.IsCompleted) return false;
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
            if (head.Done is null) Flush();
            try
            {
                head.Done!.Wait(_cancellationToken);
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
            if (head.Done is null) Flush();
            try
            {
                return head.Done!.Wait((int)Math.Min(int.MaxValue, Math.Max(0, timeout.TotalMilliseconds)), _cancellationToken);
            }
            catch (AggregateException)
            {
                return true;
            }
        }

        private Completion<TItem, TResult> Dequeue()
        {
            var entry = _pending.Dequeue();
            Taken++;
            // A slot is given back when the driver has taken every outcome of its batch, not when the work ends:
            // ThrottleLimit bounds the requests whose outcome the caller has not seen yet, so when the caller stops
            // (an error with -ErrorAction Stop, Select-Object -First), no more than that many went out unseen.
            if (entry.Batch != null && --entry.Batch.Untaken == 0 && entry.Batch.HoldsSlot) _slots.Release();
            return new Completion<TItem, TResult>(entry.Sequence, entry.Item, entry.Tag, entry.Done!.Result);
        }

        private void Dispatch()
        {
            var entries = _open;
            _open = new List<Entry>(BatchSize);
            var batch = new Batch(entries.Count);
            // Slots are granted in input order (each batch queues for one only after the batch before it got one),
            // so the oldest unfinished batch always holds a slot and waiting for it can never deadlock.
            var previous = _slotChain;
            var slot = AcquireSlotAsync(previous, batch);
            _slotChain = slot;
            var run = Task.Run(() => Run(entries, slot));
            foreach (var (entry, index) in entries.Select((e, i) => (e, i)))
            {
                entry.Batch = batch;
                entry.Done = run.ContinueWith(t => t.Result[index], CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        private async Task AcquireSlotAsync(Task previous, Batch batch)
        {
            try { await previous.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            await _slots.WaitAsync(_cancellationToken).ConfigureAwait(false);
            batch.HoldsSlot = true;
        }

        private async Task<Outcome<TResult>[]> Run(List<Entry> batch, Task slot)
        {
            var outcomes = new Outcome<TResult>[batch.Count];
            try
            {
                await slot.ConfigureAwait(false);
                var items = new TItem[batch.Count];
                for (int i = 0; i < items.Length; i++) items[i] = batch[i].Item!;
                var results = await _worker(items, _cancellationToken).ConfigureAwait(false);
                if (results is null || results.Count != batch.Count)
                    throw new InvalidOperationException($"The worker returned {results?.Count ?? 0} outcomes for a batch of {batch.Count}.");
                for (int i = 0; i < outcomes.Length; i++) outcomes[i] = results[i];
            }
            catch (Exception ex)
            {
                // The whole batch failed: every input in it gets the error, so none is lost.
                for (int i = 0; i < outcomes.Length; i++) outcomes[i] = Outcome<TResult>.Failure(ex);
            }
            return outcomes;
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

        public void Dispose() => _slots.Dispose();

        private sealed class Entry
        {
            public Entry(long sequence, TItem? item, object? tag)
            {
                Sequence = sequence;
                Item = item;
                Tag = tag;
            }

            public long Sequence { get; }
            public TItem? Item { get; }
            public object? Tag { get; }
            public Task<Outcome<TResult>>? Done { get; set; }
            public Batch? Batch { get; set; }
        }

        /// <summary>The inputs run by one worker call, and the slot they hold until all their outcomes are taken.</summary>
        private sealed class Batch
        {
            private int _holdsSlot;

            public Batch(int size) => Untaken = size;

            /// <summary>Outcomes not taken yet (changed on the driver thread only).</summary>
            public int Untaken { get; set; }

            /// <summary>Set on a worker thread when the slot is granted; read by the driver after the batch finished.</summary>
            public bool HoldsSlot
            {
                get => Volatile.Read(ref _holdsSlot) == 1;
                set => Volatile.Write(ref _holdsSlot, value ? 1 : 0);
            }
        }
    }
}
