using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Throttling;

namespace MessagingTools.Core.Pipeline
{
    /// <summary>What the queue keeps of each input and of each batch (one worker call); their state is under the queue's lock.</summary>
    internal sealed partial class OrderedWorkQueue<TItem, TResult>
    {
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

            /// <summary>Its batch, once dispatched; its outcome is the batch's at <see cref="Index"/>.</summary>
            public Batch? Batch { get; set; }
            public int Index { get; set; }

            /// <summary>Its outcome was known when it was added (<see cref="Outcome"/>): it has no batch.</summary>
            public bool Known { get; set; }
            public Outcome<TResult> Outcome { get; set; }

            /// <summary>Neither known nor in a batch yet: in the open batch, which <see cref="Flush"/> dispatches.</summary>
            public bool IsUndispatched => !Known && Batch is null;

            public bool IsDone => Known || (Batch != null && Batch.Outcomes.IsCompleted);

            /// <summary>Its outcome; only once <see cref="IsDone"/>.</summary>
            public Outcome<TResult> Result => Known ? Outcome : Batch!.Outcomes.Result[Index];
        }

        /// <summary>The inputs run by one worker call (one request), and its place among the slots. State under the queue's lock.</summary>
        private sealed class Batch : ThrottleSlot.ILender
        {
            public Batch(OrderedWorkQueue<TItem, TResult> queue, TItem[] items, object?[] tags, long last)
            {
                Queue = queue;
                Items = items;
                Tags = tags;
                Untaken = items.Length;
                Last = last;
            }

            /// <summary>Its inputs and their tags, as the worker and the observer get them.</summary>
            public TItem[] Items { get; }
            public object?[] Tags { get; }

            /// <summary>One outcome per input, set once when its work ended (or when it will never start); never faults.</summary>
            public Task<IReadOnlyList<Outcome<TResult>>> Outcomes => _outcomes.Task;
            private readonly TaskCompletionSource<IReadOnlyList<Outcome<TResult>>> _outcomes = new TaskCompletionSource<IReadOnlyList<Outcome<TResult>>>();

            public void SetOutcomes(IReadOnlyList<Outcome<TResult>> outcomes) => _outcomes.TrySetResult(outcomes);

            /// <summary>The queue, until the batch finished.</summary>
            public OrderedWorkQueue<TItem, TResult>? Queue { get; set; }

            /// <summary>The sequence number of its last input: it may start once that is within the lookahead.</summary>
            public long Last { get; }

            /// <summary>Outcomes not taken yet.</summary>
            public int Untaken { get; set; }

            /// <summary>Set while it waits for a slot back after a back-off.</summary>
            public TaskCompletionSource<bool>? Return { get; set; }

            public bool HoldsSlot { get; set; }
            public bool Finished { get; set; }

            /// <summary>Its work went to the worker (its requests may have reached the provider); set once, by its run.</summary>
            public volatile bool Sent;

            /// <summary>It lent its slot for a back-off (a retry); while unfinished and the oldest unfinished, the lookahead is open.</summary>
            public bool Retrying { get; set; }

            /// <summary>Its node in the queue's started list, from its start until its last outcome is taken.</summary>
            public LinkedListNode<Batch>? Node { get; set; }

            void ThrottleSlot.ILender.Lend() => Queue?.Lend(this);

            async Task ThrottleSlot.ILender.TakeBackAsync(CancellationToken cancellationToken)
            {
                var back = Queue?.TakeBack(this) ?? Task.CompletedTask;
                if (back.IsCompleted || !cancellationToken.CanBeCanceled)
                {
                    await back.ConfigureAwait(false);
                    return;
                }
                // A token other than the queue's (the queue's own cancels the wait through Close).
                var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken)))
                    await (await Task.WhenAny(back, cancelled.Task).ConfigureAwait(false)).ConfigureAwait(false);
            }
        }
    }
}
