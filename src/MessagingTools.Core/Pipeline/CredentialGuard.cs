using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Pipeline
{
    /// <summary>
    /// Stops a run from sending anything more once the provider refused its credentials. A wrong key would otherwise
    /// send every row of a 2,000-row CSV and collect 2,000 refusals (and some providers count refused requests).
    /// Work that starts after the refusal ends at once, without a request, as the same error (same id and kind), so
    /// every row still gets its outcome and a run that is fixed and repeated retries exactly those rows; work already
    /// in flight finishes as it will. One guard serves one run.
    /// </summary>
    /// <remarks>
    /// Per-row errors rather than one terminating error: an Import-Csv run keeps its rule of one outcome per row, and
    /// -ErrorVariable (or a journal) gets every unsent row to send again once the key is fixed.
    /// </remarks>
    internal sealed class CredentialGuard
    {
        private MessagingException? _refusal;

        /// <summary>The first refusal of the run, or null while the credentials have not been refused.</summary>
        public MessagingException? Refusal => Volatile.Read(ref _refusal);

        /// <summary>The worker, guarded: it is not called once the credentials were refused.</summary>
        public Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> Wrap<TItem, TResult>(
            Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> worker)
        {
            if (worker is null) throw new ArgumentNullException(nameof(worker));
            return async (items, cancellationToken) =>
            {
                var refusal = Refusal;
                if (refusal != null) return items.Select(_ => Outcome<TResult>.Failure(NotSent(refusal))).ToList();
                IReadOnlyList<Outcome<TResult>> outcomes;
                try
                {
                    outcomes = await worker(items, cancellationToken).ConfigureAwait(false);
                }
                catch (MessagingException error) when (error.Kind == ErrorKind.Authentication)
                {
                    Record(error); // a worker may throw for its whole batch instead of returning failures
                    throw;
                }
                foreach (var outcome in outcomes)
                {
                    if (outcome.Error is MessagingException error && error.Kind == ErrorKind.Authentication)
                    {
                        Record(error);
                        break;
                    }
                }
                return outcomes;
            };
        }

        /// <summary>
        /// A read the pipeline thread makes for an input before its work (Save-ZadarmaRecording asks for an input's links):
        /// refused at once, without a request, once the credentials were refused; its own refusal is recorded as the
        /// worker's would be.
        /// </summary>
        public T Run<T>(Func<T> read)
        {
            if (read is null) throw new ArgumentNullException(nameof(read));
            var refusal = Refusal;
            if (refusal != null) throw NotSent(refusal);
            try
            {
                return read();
            }
            catch (MessagingException error) when (error.Kind == ErrorKind.Authentication)
            {
                Record(error);
                throw;
            }
        }

        private void Record(MessagingException refusal) => Interlocked.CompareExchange(ref _refusal, refusal, null);

        private static MessagingException NotSent(MessagingException refusal) =>
            new MessagingException(refusal.Provider, refusal.Kind, refusal.ErrorId,
                $"Not sent: {refusal.Provider} refused the credentials on an earlier request of this run, so nothing more is sent " +
                $"in it; fix the credentials and run it again. The refusal: {refusal.Message}",
                refusal.ProviderCode, refusal.ProviderMessage, mayHaveTakenEffect: false, httpStatus: refusal.HttpStatus);
    }
}
