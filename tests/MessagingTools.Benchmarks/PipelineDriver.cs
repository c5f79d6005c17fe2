using MessagingTools.Core.Http;
using MessagingTools.Core.Pipeline;

namespace MessagingTools.Benchmarks;

/// <summary>
/// Drives inputs through the cmdlets' own <see cref="PipelinePump{TItem,TResult}"/> (the pump AsyncPipelineCmdlet uses:
/// Add per input, Complete at the end), so a benchmark measures the same drain policy as the cmdlets. Outcomes must
/// come back one per input, in input order.
/// </summary>
public static class PipelineDriver
{
    public static IReadOnlyList<Completion<TItem, TResult>> Run<TItem, TResult>(
        IEnumerable<TItem> inputs,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> worker,
        int throttleLimit, int batchSize = 1, CancellationToken cancellationToken = default,
        IWorkObserver<TItem, TResult>? observer = null)
    {
        var output = new Collector<TItem, TResult>();
        using (var pump = new PipelinePump<TItem, TResult>(worker, throttleLimit, batchSize, output, cancellationToken, observer))
        {
            foreach (var input in inputs) pump.Add(input, input); // the cmdlet's tag is the row; here the item itself
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
