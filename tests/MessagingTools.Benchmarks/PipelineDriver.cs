using MessagingTools.Core.Pipeline;

namespace MessagingTools.Benchmarks;

/// <summary>
/// Drives an <see cref="OrderedWorkQueue{TItem,TResult}"/> the way src/MessagingTools/Commands/AsyncPipelineCmdlet.cs
/// does: ProcessRecord = Add, then Drain(block: false); EndProcessing = Flush, then Drain(block: true). Drain takes
/// every ready outcome with TryTake and, while blocking or while the queue is full, waits for the oldest with
/// WaitForOldest(250 ms) (the cmdlet's progress interval). Outcomes must come back one per input, in input order.
/// </summary>
public static class PipelineDriver
{
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(250); // as in AsyncPipelineCmdlet

    public static IReadOnlyList<Completion<TItem, TResult>> Run<TItem, TResult>(
        IEnumerable<TItem> inputs,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Outcome<TResult>>>> worker,
        int throttleLimit, int batchSize = 1, CancellationToken cancellationToken = default)
    {
        var taken = new List<Completion<TItem, TResult>>();
        using var queue = new OrderedWorkQueue<TItem, TResult>(worker, throttleLimit, batchSize, cancellationToken);
        foreach (var input in inputs)
        {
            queue.Add(input, input);     // the cmdlet's tag is the row; here the item itself
            Drain(queue, taken, block: false);
        }
        queue.Flush();
        Drain(queue, taken, block: true);

        for (int i = 0; i < taken.Count; i++)
            if (taken[i].Sequence != i + 1)
                throw new InvalidOperationException($"Outcome {i + 1} came back with sequence {taken[i].Sequence}: order was lost.");
        return taken;
    }

    private static void Drain<TItem, TResult>(OrderedWorkQueue<TItem, TResult> queue, List<Completion<TItem, TResult>> taken, bool block)
    {
        while (true)
        {
            if (queue.TryTake(out var done))
            {
                taken.Add(done!);
                continue;
            }
            if (queue.Pending == 0 || !(block || queue.IsFull)) break;
            queue.WaitForOldest(s_progressInterval);
        }
    }
}
