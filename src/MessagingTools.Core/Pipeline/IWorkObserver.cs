using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MessagingTools.Core.Pipeline
{
    /// <summary>
    /// Sees every batch of an <see cref="OrderedWorkQueue{TItem,TResult}"/> just before its request goes out and just
    /// after its outcomes are known, before the driver can take them: the place for a record that must be durable
    /// before a request leaves (a journal's intent) and before an outcome reaches the pipeline (its outcome). Both run
    /// on the thread pool, inside the batch's slot.
    /// </summary>
    internal interface IWorkObserver<TItem, TResult>
    {
        /// <summary>
        /// The batch is about to be sent. Throwing fails every input of the batch with that exception, and nothing is
        /// sent: a run that cannot record its intent must not send.
        /// </summary>
        Task BeforeSendAsync(IReadOnlyList<TItem> items, IReadOnlyList<object?> tags, CancellationToken cancellationToken);

        /// <summary>
        /// The batch's outcomes, one per input, before the driver can take them; returns the outcomes to hand on (the same,
        /// or replaced). It is also called when the work failed or was cancelled, so that every input sent is accounted
        /// for; it is given no token, since the record of a request already sent must be written even after Ctrl+C.
        /// Throwing replaces every outcome of the batch with that exception.
        /// </summary>
        Task<IReadOnlyList<Outcome<TResult>>> AfterSendAsync(IReadOnlyList<TItem> items, IReadOnlyList<object?> tags, IReadOnlyList<Outcome<TResult>> outcomes);
    }
}
