using MessagingTools.Core;
using MessagingTools.Core.Http;
using MessagingTools.Core.Logging;
using MessagingTools.Core.Pipeline;

namespace MessagingTools.Benchmarks;

/// <summary>
/// Drives inputs through the cmdlets' own <see cref="PipelinePump{TItem,TResult}"/> (the pump AsyncPipelineCmdlet uses:
/// Add per input, Complete at the end), so a benchmark measures the same drain policy as the cmdlets. Outcomes must
/// come back one per input, in input order.
/// </summary>
internal static class PipelineDriver
{
    public static IReadOnlyList<Completion<TItem, TResult>> Run<TItem, TResult>(
        IEnumerable<TItem> inputs,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> worker,
        int throttleLimit, int batchSize = 1, CancellationToken cancellationToken = default,
        IWorkObserver<TItem, TResult>? observer = null) =>
        // The cmdlet's tag is the row; here the item itself.
        Run(inputs.Select(input => (input, (object?)input)), worker, throttleLimit, batchSize, cancellationToken, observer);

    /// <summary>
    /// The same with a tag of the caller's per input (a journaled run's tags carry each request's journal row). The inputs
    /// are enumerated on the driving thread as the pump takes them, as the cmdlet's rows arrive.
    /// </summary>
    public static IReadOnlyList<Completion<TItem, TResult>> Run<TItem, TResult>(
        IEnumerable<(TItem Item, object? Tag)> inputs,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> worker,
        int throttleLimit, int batchSize = 1, CancellationToken cancellationToken = default,
        IWorkObserver<TItem, TResult>? observer = null)
    {
        var output = new Collector<TItem, TResult>();
        using (var pump = new PipelinePump<TItem, TResult>(worker, throttleLimit, batchSize, output, cancellationToken, observer))
        {
            foreach (var (item, tag) in inputs) pump.Add(item, tag);
            pump.Complete();
        }

        var taken = output.Taken;
        for (int i = 0; i < taken.Count; i++)
            if (taken[i].Sequence != i + 1)
                throw new InvalidOperationException($"Outcome {i + 1} came back with sequence {taken[i].Sequence}: order was lost.");
        return taken;
    }

    private sealed class Collector<TItem, TResult> : IPipelineOutput<TItem, TResult>
    {
        public List<Completion<TItem, TResult>> Taken { get; } = new();

        public void Write(Completion<TItem, TResult> done) => Taken.Add(done);

        public void Log(LogLevel level, string message) { }

        public void Progress(PumpProgress progress) { }
    }
}
