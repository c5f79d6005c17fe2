using System;
using System.Threading;
using System.Threading.Tasks;

namespace MessagingTools.Core.Pipeline
{
    /// <summary>
    /// Waits that work run by an <see cref="OrderedWorkQueue{TItem, TResult}"/> does between two requests (a retry's
    /// back-off). Not implemented yet: for now it is <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.
    /// </summary>
    public static class ThrottleSlot
    {
        /// <summary>Waits <paramref name="delay"/>, like <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.</summary>
        public static Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken = default) => Task.Delay(delay, cancellationToken);

        /// <summary>Until disposed, waits in this flow behave as plain delays.</summary>
        public static IDisposable KeepDuringDelays() => new Restore();

        private sealed class Restore : IDisposable
        {
            public void Dispose() { }
        }
    }
}
