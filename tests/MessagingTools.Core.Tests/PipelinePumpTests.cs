using System.Collections.Concurrent;
using MessagingTools.Core;
using MessagingTools.Core.Http;
using MessagingTools.Core.Logging;
using MessagingTools.Core.Pipeline;

namespace MessagingTools.Core.Tests;

/// <summary>
/// The pipeline pump (what every cmdlet and the benchmarks drive) and the queue's observer hook (where a journal records
/// its intent before a request goes out and its outcome before the pipeline sees it).
/// </summary>
public class PipelinePumpTests
{
    private sealed class Output : IPipelineOutput<int, int>
    {
        public int Thread { get; } = Environment.CurrentManagedThreadId;
        public List<Completion<int, int>> Written { get; } = new();
        public List<string> Lines { get; } = new();
        public List<PumpProgress> Progress { get; } = new();
        public List<int> WrongThread { get; } = new();

        private void Here()
        {
            if (Environment.CurrentManagedThreadId != Thread) WrongThread.Add(Environment.CurrentManagedThreadId);
        }

        public void Write(Completion<int, int> done) { Here(); Written.Add(done); }
        public void Log(LogLevel level, string message) { Here(); Lines.Add($"{level}: {message}"); }
        void IPipelineOutput<int, int>.Progress(PumpProgress progress) { Here(); Progress.Add(progress); }
    }

    [Fact]
    public void Outcomes_log_lines_and_progress_reach_the_output_on_the_driving_thread_only_in_input_order()
    {
        var output = new Output();
        var log = new PipelineLog();
        var random = new Random(7);
        var delays = Enumerable.Range(0, 60).Select(_ => random.Next(0, 60)).ToArray();
        using (var pump = new PipelinePump<int, int>(async (items, ct) =>
               {
                   await Task.Delay(delays[items[0]], ct);
                   log.Add(LogLevel.Verbose, $"did {items[0]}");
                   return new[] { Outcome<int>.Success(items[0] * 10) };
               }, throttleLimit: 4, batchSize: 1, output, CancellationToken.None, log: log))
        {
            for (int i = 0; i < 60; i++)
            {
                if (i == 30) pump.AddCompleted("row 30", Outcome<int>.Failure(new ArgumentException("row 30 is invalid")));
                else pump.Add(i, i);
            }
            pump.Complete();
        }

        Assert.Empty(output.WrongThread);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), output.Written.Select(c => c.Sequence));
        Assert.Equal("row 30 is invalid", output.Written[30].Outcome.Error!.Message);
        Assert.Equal(590, output.Written[59].Outcome.Result);
        Assert.Equal(59, output.Lines.Count); // every line of the work, none lost at the end
        Assert.Contains("Verbose: did 59", output.Lines);
    }

    [Fact]
    public void A_run_longer_than_the_progress_delay_shows_progress_with_the_total_at_the_end_then_completes_it()
    {
        var output = new Output();
        using (var pump = new PipelinePump<int, int>(async (items, ct) =>
               {
                   await Task.Delay(150, ct);
                   return new[] { Outcome<int>.Success(items[0]) };
               }, throttleLimit: 1, batchSize: 1, output, CancellationToken.None))
        {
            for (int i = 0; i < 12; i++) pump.Add(i, i); // 12 x 150 ms with one slot: about 1.8 s
            pump.Complete();
        }

        Assert.NotEmpty(output.Progress);
        Assert.True(output.Progress[^1].Completed, "the last record ends the bar");
        var final = output.Progress.Where(p => !p.Completed && p.TotalKnown).ToList();
        Assert.NotEmpty(final);
        Assert.All(final, p => Assert.Equal(12, p.Added));
        Assert.All(final, p => Assert.InRange(p.PercentComplete, 0, 100));
        Assert.True(output.Progress.Where(p => !p.Completed).All(p => p.Elapsed >= PipelinePump<int, int>.ProgressDelay),
            "no progress before the delay");
        // One slot, always busy until the end: a record with none in flight would show an input finished and not taken.
        Assert.All(output.Progress.Where(p => !p.Completed), p => Assert.Equal(1, p.InFlight));
    }

    [Fact]
    public void A_quick_run_shows_no_progress_at_all()
    {
        var output = new Output();
        using (var pump = new PipelinePump<int, int>((items, ct) => Task.FromResult<IReadOnlyList<Outcome<int>>>(new[] { Outcome<int>.Success(items[0]) }),
                   throttleLimit: 2, batchSize: 1, output, CancellationToken.None))
        {
            for (int i = 0; i < 10; i++) pump.Add(i, i);
            pump.Complete();
        }
        Assert.Equal(10, output.Written.Count);
        Assert.Empty(output.Progress);
    }

    /// <summary>Records what the observer saw, and when, against what the worker did.</summary>
    private sealed class Recorder : IWorkObserver<int, int>
    {
        public ConcurrentQueue<string> Events { get; } = new();
        public Func<IReadOnlyList<int>, Exception?> FailBefore { get; set; } = _ => null;
        public Func<IReadOnlyList<int>, Exception?> FailAfter { get; set; } = _ => null;

        public Task BeforeSendAsync(IReadOnlyList<int> items, IReadOnlyList<object?> tags, CancellationToken cancellationToken)
        {
            Events.Enqueue($"before {string.Join(",", items)} tags {string.Join(",", tags)}");
            if (FailBefore(items) is Exception ex) throw ex;
            return Task.CompletedTask;
        }

        public async Task<IReadOnlyList<Outcome<int>>> AfterSendAsync(IReadOnlyList<int> items, IReadOnlyList<object?> tags, IReadOnlyList<Outcome<int>> outcomes)
        {
            await Task.Delay(20); // a durable write takes time: the outcome must not be taken before it ends
            Events.Enqueue($"after {string.Join(",", items)}: {string.Join(",", outcomes.Select(o => o.Succeeded ? o.Result.ToString() : "error " + o.Error!.Message))}");
            if (FailAfter(items) is Exception ex) throw ex;
            return outcomes;
        }
    }

    [Fact]
    public void The_observer_sees_each_batch_with_its_tags_before_the_worker_and_after_it_before_the_outcome_can_be_taken()
    {
        var recorder = new Recorder();
        var output = new Output();
        using (var pump = new PipelinePump<int, int>((items, ct) =>
               {
                   recorder.Events.Enqueue($"send {string.Join(",", items)}");
                   return Task.FromResult<IReadOnlyList<Outcome<int>>>(items.Select(i => i == 4 ? Outcome<int>.Failure(new InvalidOperationException("refused")) : Outcome<int>.Success(i * 2)).ToArray());
               }, throttleLimit: 1, batchSize: 2, new TakingOutput(output, recorder), CancellationToken.None, recorder))
        {
            for (int i = 1; i <= 5; i++) pump.Add(i, "row" + i);
            pump.Complete();
        }

        // Per batch: intent, send, outcome record, and only then may its outcomes be taken. (The next batch may start
        // while the driver is still writing the last outcome of this one, so the batches' events may interleave there.)
        var events = recorder.Events.ToList();
        int At(string e) => events.IndexOf(e) is var i && i >= 0 ? i : throw new Xunit.Sdk.XunitException($"'{e}' never happened: {string.Join(" | ", events)}");
        foreach (var (items, tags, after, taken) in new[]
                 {
                     ("1,2", "row1,row2", "after 1,2: 2,4", new[] { 1, 2 }),
                     ("3,4", "row3,row4", "after 3,4: 6,error refused", new[] { 3, 4 }),
                     ("5", "row5", "after 5: 10", new[] { 5 }),
                 })
        {
            Assert.True(At($"before {items} tags {tags}") < At($"send {items}"));
            Assert.True(At($"send {items}") < At(after));
            foreach (var t in taken) Assert.True(At(after) < At($"taken {t}"), $"outcome {t} was taken before it was recorded: {string.Join(" | ", events)}");
        }
        // One slot: a batch starts only when the one before has ended, and the outcomes are taken in input order.
        Assert.True(At("after 1,2: 2,4") < At("before 3,4 tags row3,row4") && At("after 3,4: 6,error refused") < At("before 5 tags row5"));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"taken {i}"), events.Where(e => e.StartsWith("taken", StringComparison.Ordinal)));
    }

    /// <summary>Notes in the recorder when each outcome is taken, so the order against the observer shows.</summary>
    private sealed class TakingOutput(Output inner, Recorder recorder) : IPipelineOutput<int, int>
    {
        public void Write(Completion<int, int> done)
        {
            recorder.Events.Enqueue($"taken {done.Sequence}");
            inner.Write(done);
        }

        public void Log(LogLevel level, string message) => inner.Log(level, message);
        public void Progress(PumpProgress progress) { }
    }

    [Fact]
    public void When_the_observer_cannot_record_the_intent_nothing_of_that_batch_is_sent_and_each_of_its_inputs_gets_the_error()
    {
        var recorder = new Recorder { FailBefore = items => items.Contains(2) ? new IOException("disk full") : null };
        var sent = new ConcurrentBag<int>();
        var output = new Output();
        using (var pump = new PipelinePump<int, int>((items, ct) =>
               {
                   foreach (var i in items) sent.Add(i);
                   return Task.FromResult<IReadOnlyList<Outcome<int>>>(items.Select(i => Outcome<int>.Success(i)).ToArray());
               }, throttleLimit: 2, batchSize: 1, output, CancellationToken.None, recorder))
        {
            for (int i = 1; i <= 3; i++) pump.Add(i, i);
            pump.Complete();
        }

        Assert.Equal(new[] { 1, 3 }, sent.OrderBy(i => i));
        Assert.Equal("disk full", output.Written[1].Outcome.Error!.Message);
        Assert.True(output.Written[0].Outcome.Succeeded && output.Written[2].Outcome.Succeeded);
        Assert.DoesNotContain(recorder.Events, e => e.StartsWith("after 2", StringComparison.Ordinal)); // never sent: nothing to record
    }

    [Fact]
    public void When_the_outcome_cannot_be_recorded_the_input_ends_as_that_error_and_a_failed_send_is_still_recorded()
    {
        var recorder = new Recorder { FailAfter = items => items.Contains(1) ? new IOException("journal lost") : null };
        var output = new Output();
        using (var pump = new PipelinePump<int, int>((items, ct) =>
                   items[0] == 2 ? throw new TimeoutException("no answer") : Task.FromResult<IReadOnlyList<Outcome<int>>>(new[] { Outcome<int>.Success(items[0]) }),
                   throttleLimit: 1, batchSize: 1, output, CancellationToken.None, recorder))
        {
            pump.Add(1, 1);
            pump.Add(2, 2);
            pump.Complete();
        }

        Assert.Equal("journal lost", output.Written[0].Outcome.Error!.Message);
        Assert.Equal("no answer", output.Written[1].Outcome.Error!.Message);
        Assert.Contains("after 2: error no answer", recorder.Events); // a worker that threw may have sent: it is recorded
    }

    [Fact]
    public async Task After_ctrl_c_a_batch_in_flight_is_still_recorded_and_batches_that_never_started_are_not()
    {
        var recorder = new Recorder();
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource<bool>();
        var queue = new OrderedWorkQueue<int, int>(async (items, ct) =>
        {
            started.TrySetResult(true);
            await Task.Delay(Timeout.Infinite, ct);
            return new[] { Outcome<int>.Success(items[0]) };
        }, throttleLimit: 1, batchSize: 1, stop.Token, recorder);
        queue.Add(1);
        queue.Add(2);
        await started.Task;
        stop.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => queue.Take());
        await Task.Delay(200);
        Assert.Contains(recorder.Events, e => e.StartsWith("after 1: error", StringComparison.Ordinal));
        Assert.DoesNotContain(recorder.Events, e => e.Contains("before 2", StringComparison.Ordinal));
        queue.Dispose();
    }
}
