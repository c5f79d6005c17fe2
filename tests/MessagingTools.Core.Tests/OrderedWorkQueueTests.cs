using MessagingTools.Core.Pipeline;

namespace MessagingTools.Core.Tests;

public class OrderedWorkQueueTests
{
    private static List<Completion<int, int>> DrainAll(OrderedWorkQueue<int, int> queue)
    {
        var all = new List<Completion<int, int>>();
        queue.Flush();
        Completion<int, int>? c;
        while ((c = queue.Take()) != null) all.Add(c);
        return all;
    }

    [Fact]
    public void OutcomesComeBackInInputOrderWhateverTheFinishingOrder()
    {
        var random = new Random(1);
        var delays = Enumerable.Range(0, 200).Select(_ => random.Next(0, 15)).ToArray();
        using var queue = new OrderedWorkQueue<int, int>(async (i, ct) => { await Task.Delay(delays[i], ct); return i * 10; }, 16, default);

        var results = new List<Completion<int, int>>();
        for (int i = 0; i < 200; i++)
        {
            queue.Add(i, "row" + i);
            while (queue.TryTake(out var done)) results.Add(done!);
            while (queue.IsFull) results.Add(queue.Take()!);
        }
        results.AddRange(DrainAll(queue));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i * 10), results.Select(r => r.Outcome.Result));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => "row" + i), results.Select(r => (string)r.Tag!));
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), results.Select(r => r.Sequence));
    }

    [Fact]
    public void NoMoreThanTheThrottleLimitRunAtOnce()
    {
        int running = 0, peak = 0;
        using var queue = new OrderedWorkQueue<int, int>(async (i, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            lock (this) peak = Math.Max(peak, now);
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref running);
            return i;
        }, 4, default);

        for (int i = 0; i < 100; i++) queue.Add(i);
        var all = DrainAll(queue);

        Assert.Equal(100, all.Count);
        Assert.Equal(4, peak);
    }

    [Fact]
    public void TheThrottleLimitCountsWorkWhoseOutcomeWasNotTakenYet()
    {
        var started = new System.Collections.Concurrent.ConcurrentQueue<int>();
        using var queue = new OrderedWorkQueue<int, int>((i, ct) => { started.Enqueue(i); return Task.FromResult(i); }, 1, default);
        for (int i = 0; i < 3; i++) queue.Add(i);

        Assert.True(queue.WaitForOldest(TimeSpan.FromSeconds(5)));
        Thread.Sleep(200);
        Assert.Equal(new[] { 0 }, started); // finished, but not taken: the next one has not started

        Assert.True(queue.TryTake(out var first));
        Assert.Equal(0, first!.Outcome.Result);
        Assert.True(queue.WaitForOldest(TimeSpan.FromSeconds(5)));
        Assert.Equal(new[] { 0, 1 }, started);
    }

    [Fact]
    public void SlotsGoToTheOldestWorkFirstSoWaitingForItNeverDeadlocks()
    {
        // Many batches racing for 2 slots; each slot is held until its outcome is taken. Later batches must never
        // take the slots the oldest one needs.
        using var queue = new OrderedWorkQueue<int, int>(async (i, ct) => { await Task.Yield(); return i; }, 2, default);
        for (int i = 0; i < 500; i++) queue.Add(i);
        var all = DrainAll(queue);
        Assert.Equal(Enumerable.Range(0, 500), all.Select(c => c.Outcome.Result));
    }

    [Fact]
    public void EveryInputGetsExactlyOneOutcomeEvenWhenSomeFail()
    {
        using var queue = new OrderedWorkQueue<int, int>((i, ct) =>
            i % 3 == 0 ? Task.FromException<int>(new InvalidOperationException("bad " + i)) : Task.FromResult(i), 8, default);

        for (int i = 0; i < 30; i++)
        {
            if (i == 7) queue.AddFailed("invalid row", new ArgumentException("row 7 is invalid"));
            else queue.Add(i);
        }
        var all = DrainAll(queue);

        Assert.Equal(30, all.Count);
        Assert.Equal(10, all.Count(c => !c.Outcome.Succeeded && c.Outcome.Error is InvalidOperationException)); // 0, 3, ..., 27
        Assert.IsType<ArgumentException>(all[7].Outcome.Error);
        Assert.Equal("invalid row", all[7].Tag);
        Assert.Equal(19, all.Count(c => c.Outcome.Succeeded));
    }

    [Fact]
    public void BatchesCarryUpToBatchSizeAndAFailedBatchFailsEachOfItsInputs()
    {
        var sizes = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var queue = new OrderedWorkQueue<int, int>((items, ct) =>
        {
            sizes.Add(items.Count);
            if (items.Contains(42)) throw new InvalidOperationException("batch rejected");
            return Task.FromResult<IReadOnlyList<Outcome<int>>>(items.Select(i => Outcome<int>.Success(-i)).ToList());
        }, 2, 10, default);

        for (int i = 0; i < 95; i++) queue.Add(i);
        var all = DrainAll(queue);

        Assert.Equal(95, all.Count);
        Assert.Equal(new[] { 5, 10, 10, 10, 10, 10, 10, 10, 10, 10 }, sizes.OrderBy(s => s));
        Assert.All(all.Where(c => c.Item is >= 40 and < 50), c => Assert.Equal("batch rejected", c.Outcome.Error!.Message));
        Assert.All(all.Where(c => c.Item is < 40 or >= 50), c => Assert.Equal(-c.Item, c.Outcome.Result));
    }

    [Fact]
    public void AWorkerReturningTheWrongNumberOfOutcomesFailsTheBatchInsteadOfLosingRows()
    {
        using var queue = new OrderedWorkQueue<int, int>((items, ct) =>
            Task.FromResult<IReadOnlyList<Outcome<int>>>(new[] { Outcome<int>.Success(1) }), 1, 3, default);
        for (int i = 0; i < 3; i++) queue.Add(i);
        var all = DrainAll(queue);
        Assert.Equal(3, all.Count);
        Assert.All(all, c => Assert.IsType<InvalidOperationException>(c.Outcome.Error));
    }

    [Fact]
    public void CancellationStopsWaitingAndCancelsTheWork()
    {
        using var cts = new CancellationTokenSource();
        int cancelled = 0, started = 0;
        using var queue = new OrderedWorkQueue<int, int>(async (i, ct) =>
        {
            Interlocked.Increment(ref started);
            try { await Task.Delay(10_000, ct); }
            catch (OperationCanceledException) { Interlocked.Increment(ref cancelled); throw; }
            return i;
        }, 4, cts.Token);
        for (int i = 0; i < 4; i++) queue.Add(i);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref started) == 4, 10_000), "the four requests never started");

        cts.CancelAfter(100);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => queue.Take());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}"); // generous: CI machines are busy
        SpinWait.SpinUntil(() => Volatile.Read(ref cancelled) == 4, 5000);
        Assert.Equal(4, cancelled);
    }
}
