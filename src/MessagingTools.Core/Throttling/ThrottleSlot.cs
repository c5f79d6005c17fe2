using System;
using System.Threading;
using System.Threading.Tasks;

namespace MessagingTools.Core.Throttling
{
    /// <summary>
    /// Waits that work run by an <see cref="Pipeline.OrderedWorkQueue{TItem, TResult}"/> does between two requests (a retry's
    /// back-off). ThrottleLimit bounds the requests in flight; a batch that merely waits has none, so while it waits its
    /// slot is lent to the inputs after it, and it takes a slot back (ahead of inputs that have not started) before its
    /// next request. Without this, every input in back-off idles a slot: with a 500 after every 7th Bale send and a
    /// 0.5 s back-off, 16 slots spent most of their time waiting (issue 11, item 8).
    /// </summary>
    /// <remarks>
    /// The queue marks the work it runs through an <see cref="AsyncLocal{T}"/>, so the transport needs no reference to
    /// the queue: called anywhere else, <see cref="DelayAsync"/> is <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.
    /// One batch owns one slot: a worker that runs several requests of a batch at once must call
    /// <see cref="KeepDuringDelays"/> around them, or one of them backing off would free the slot while the others are
    /// still on the wire.
    /// </remarks>
    internal static class ThrottleSlot
    {
        private static readonly AsyncLocal<ILender?> s_current = new AsyncLocal<ILender?>();

        /// <summary>The slot of the work running in this flow, set by the queue (null outside a queue).</summary>
        internal static ILender? Current
        {
            get => s_current.Value;
            set => s_current.Value = value;
        }

        /// <summary>
        /// Waits <paramref name="delay"/>. Under a queue, the caller's slot is free meanwhile, and this returns once the
        /// caller holds a slot again. Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/>
        /// is cancelled, or when the queue was disposed or cancelled meanwhile (the work must not send again then).
        /// </summary>
        public static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken = default)
        {
            var lender = s_current.Value;
            if (lender is null)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                return;
            }
            lender.Lend();
            // When the delay is cancelled the work ends without its slot: the queue knows it holds none.
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            await lender.TakeBackAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Until the result is disposed, <see cref="DelayAsync"/> in this flow (and the flows it starts) keeps the slot:
        /// for work that runs several requests at once under its one slot.
        /// </summary>
        public static IDisposable KeepDuringDelays()
        {
            var previous = s_current.Value;
            s_current.Value = null;
            return new Restore(previous);
        }

        private sealed class Restore : IDisposable
        {
            private readonly ILender? _previous;

            public Restore(ILender? previous) => _previous = previous;

            public void Dispose() => s_current.Value = _previous;
        }

        /// <summary>What the queue gives the work it runs: its slot, to lend and take back.</summary>
        internal interface ILender
        {
            /// <summary>Gives the slot back to the queue for now (no-op when it holds none).</summary>
            void Lend();

            /// <summary>Completes once the work holds a slot again.</summary>
            Task TakeBackAsync(CancellationToken cancellationToken);
        }
    }
}
