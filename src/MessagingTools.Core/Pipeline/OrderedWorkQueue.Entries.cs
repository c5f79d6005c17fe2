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
            public Task<Outcome<TResult>>? Done { get; set; }
            public Batch? Batch { get; set; }
        }

        /// <summary>The inputs run by one worker call (one request), and its place among the slots. State under the queue's lock.</summary>
        private sealed class Batch : ThrottleSlot.ILender
        {
            public Batch(OrderedWorkQueue<TItem, TResult> queue, int size, long last)
            {
                Queue = queue;
                Untaken = size;
                Last = last;
            }

            /// <summary>The queue, until the batch finished.</summary>
            public OrderedWorkQueue<TItem, TResult>? Queue { get; set; }

            /// <summary>The sequence number of its last input: it may start once that is within the lookahead.</summary>
            public long Last { get; }

            /// <summary>Outcomes not taken yet.</summary>
            public int Untaken { get; set; }

            /// <summary>Completed when it gets its first slot; cancelled when the queue closes first.</summary>
            public TaskCompletionSource<bool> Start { get; } = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

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
