using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MessagingTools.Core;
using MessagingTools.Core.Http;
using MessagingTools.Core.Journal;
using MessagingTools.Core.Pipeline;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Benchmarks;

/// <summary>
/// What -Journal costs (issue 9: at most 10 % at 50 ms latency). N Bale messages through the cmdlets' path (PipelinePump,
/// BaleClient.SendMessageAsync against the in-process sandbox), without a journal and with one, at the sandbox latency and
/// at none, side by side in one run; the two are run alternately, --repeat times, and compared by their medians.
/// <para>With a journal it is the path of Send-BaleMessage -Journal: a <see cref="RunJournal"/> on a new temporary file,
/// a <see cref="JournaledRun{TItem,TResult}"/> with the cmdlet's policy as the pump's observer (the intent recorded and
/// flushed before each request, the outcome before the pipeline sees it), and each request's key taken by
/// <see cref="JournaledRun{TItem,TResult}.Decide"/> on the driving thread as the pump takes the rows. The observer is
/// wrapped only to time its two calls, to say where the time goes.</para>
/// </summary>
public static class JournalBenchmark
{
    public const string Description = "2,000 Bale messages with and without -Journal, at 50 ms latency and at none, side by side";

    private sealed class Options
    {
        public int Count = 2000;
        public int LatencyMs = 50;
        public int Throttle = 8;
        public int Repeat = 3;
        public double Goal = 1.10;
        public string? JournalFolder;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var o = Parse(args);
        var folder = o.JournalFolder ?? Path.GetTempPath();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { LatencyMs = o.LatencyMs });
        var options = HttpTransport.Shared.Options.Clone();
        options.Timeout = TimeSpan.FromSeconds(30);
        var client = new BaleClient(new Secret(BaleSandbox.DefaultApiKey), sandbox.BaleEndpoint, HttpTransport.Shared.With(options));

        Console.WriteLine($"Journal benchmark: {o.Count:N0} Bale messages, ThrottleLimit {o.Throttle}, {Environment.ProcessorCount} CPU(s), .NET {Environment.Version}");
        Console.WriteLine($"Journals in {folder} (a new file each run)");

        // Warm-up (JIT, first connections, the journal's code), not timed.
        sandbox.Latency = TimeSpan.Zero;
        Run(sandbox, client, 64, o.Throttle, folder, journal: false);
        Run(sandbox, client, 64, o.Throttle, folder, journal: true);

        var summary = new List<(int Latency, Measured Without, Measured With)>();
        foreach (var latency in o.LatencyMs > 0 ? new[] { o.LatencyMs, 0 } : new[] { 0 })
        {
            sandbox.Latency = TimeSpan.FromMilliseconds(latency);
            Console.WriteLine();
            Console.WriteLine($"Latency {latency} ms");
            var without = new List<Measured>();
            var with = new List<Measured>();
            for (int i = 1; i <= o.Repeat; i++)
            {
                // Alternate, so that a change in the machine's load falls on both.
                without.Add(Report($"  #{i} without journal", Run(sandbox, client, o.Count, o.Throttle, folder, journal: false)));
                with.Add(Report($"  #{i} with journal   ", Run(sandbox, client, o.Count, o.Throttle, folder, journal: true)));
            }
            summary.Add((latency, Median(without), Median(with)));
        }

        Console.WriteLine();
        Console.WriteLine($"Summary (medians of {o.Repeat}; {o.Count:N0} messages, ThrottleLimit {o.Throttle})");
        Console.WriteLine("  latency | without journal | with journal |  ratio | journal wait per request (intent + outcome)");
        bool met = true;
        foreach (var (latency, without, with) in summary)
        {
            var ratio = with.Seconds / without.Seconds;
            var goal = latency == o.LatencyMs && o.LatencyMs > 0 ? $"  (goal at {o.LatencyMs} ms: at most {o.Goal:F2}x) -> {(ratio <= o.Goal ? "MET" : "MISSED")}" : "";
            if (latency == o.LatencyMs && ratio > o.Goal) met = false;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,4} ms | {1,13:F2} s | {2,10:F2} s | {3,6:F3} | {4,5:F1} ms ({5:F1} + {6:F1}){7}",
                latency, without.Seconds, with.Seconds, ratio, with.IntentMs + with.OutcomeMs, with.IntentMs, with.OutcomeMs, goal));
        }
        return met ? 0 : 1;
    }

    private static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--count": o.Count = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--latency-ms": o.LatencyMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--throttle": o.Throttle = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--repeat": o.Repeat = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--goal": o.Goal = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--journal-folder": o.JournalFolder = Next(); break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'. Options: --count N, --latency-ms N, --throttle N, --repeat N, --goal 1.10, --journal-folder DIR");
            }
        }
        if (o.Count < 1 || o.LatencyMs < 0 || o.Throttle < 1 || o.Repeat < 1) throw new ArgumentException("--count, --throttle and --repeat must be positive, --latency-ms not negative.");
        return o;
    }

    /// <summary>Send-BaleMessage's journal policy (SendBaleMessageCommand.JournalPolicy), for rows that give no RequestId.</summary>
    private static readonly JournalPolicy<BaleMessage> Policy = new(BaleClient.ProviderName,
        m => new[]
        {
            Pair("BotId", m.BotId.ToString(CultureInfo.InvariantCulture)), Pair("PhoneNumber", m.PhoneNumber), Pair("Text", m.Text),
            Pair("FileId", m.FileId), Pair("CopyText", m.CopyText), Pair("Secure", m.IsSecure ? "1" : "0"), Pair("RequestId", null),
        },
        m => m.RequestId,
        (m, id) => new BaleMessage(m.BotId, m.PhoneNumber) { Text = m.Text, FileId = m.FileId, CopyText = m.CopyText, IsSecure = m.IsSecure, RequestId = id });

    private static KeyValuePair<string, string?> Pair(string name, string? value) => new(name, value);

    private sealed record Measured(double Seconds, int Failures, double SendMs, double IntentMs, double OutcomeMs, int Delivered, long JournalBytes);

    private static Measured Median(List<Measured> runs) => runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);

    private static Measured Report(string label, Measured m)
    {
        var journal = m.JournalBytes > 0
            ? string.Format(CultureInfo.InvariantCulture, ", journal wait per request {0:F1} ms (intent {1:F1} + outcome {2:F1}), {3:N0} bytes", m.IntentMs + m.OutcomeMs, m.IntentMs, m.OutcomeMs, m.JournalBytes)
            : "";
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}: {1,6:F2} s, {2:N0} delivered, {3} failed, send {4:F1} ms a request{5}",
            label, m.Seconds, m.Delivered, m.Failures, m.SendMs, journal));
        return m;
    }

    private static Measured Run(SandboxServer sandbox, BaleClient client, int count, int throttle, string folder, bool journal)
    {
        sandbox.Reset();
        // As the cmdlet makes them: CreateItem prepares each row (its request_id drawn there), then the journal decides.
        var messages = Enumerable.Range(0, count)
            .Select(i => BaleClient.Prepare(new BaleMessage(123, "0912" + (i % 10_000_000).ToString("D7", CultureInfo.InvariantCulture)) { Text = $"benchmark message {i}" }))
            .ToList();
        var sends = new ConcurrentBag<double>();

        async Task<IReadOnlyList<Outcome<BaleMessageResult>>> Worker(IReadOnlyList<BaleMessage> items, CancellationToken ct)
        {
            var sw = Stopwatch.StartNew();
            try
            {
                return new[] { Outcome<BaleMessageResult>.Success(await client.SendMessageAsync(items[0], ct).ConfigureAwait(false)) };
            }
            catch (Exception ex)
            {
                return new[] { Outcome<BaleMessageResult>.Failure(ex) };
            }
            finally
            {
                sends.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        IReadOnlyList<Completion<BaleMessage, BaleMessageResult>> taken;
        Stopwatch clock;
        long bytes = 0;
        TimedObserver? timed = null;
        if (!journal)
        {
            clock = Stopwatch.StartNew();
            taken = PipelineDriver.Run(messages, Worker, throttle);
            clock.Stop();
        }
        else
        {
            var path = Path.Combine(folder, $"messagingtools-journal-benchmark-{Guid.NewGuid():N}.journal");
            try
            {
                clock = Stopwatch.StartNew();
                using (var runJournal = RunJournal.Open(path, "Send-BaleMessage", BaleClient.ProviderName))
                {
                    var run = new JournaledRun<BaleMessage, BaleMessageResult>(runJournal, Policy, resendUnknown: false);
                    timed = new TimedObserver(run);
                    long position = 0;
                    IEnumerable<(BaleMessage, object?)> Decided()
                    {
                        foreach (var message in messages)
                        {
                            // On the driving thread, as the pump takes each row (AsyncPipelineCmdlet.ProcessRecord).
                            var decision = run.Decide(message, ++position, null);
                            if (decision.Kind != JournalDecisionKind.Send) throw new InvalidOperationException($"A new journal decided {decision.Kind}.");
                            yield return (decision.Item, new Tag(decision.Row));
                        }
                    }
                    taken = PipelineDriver.Run(Decided(), Worker, throttle, observer: timed);
                }
                clock.Stop();
                bytes = new FileInfo(path).Length;
                var contents = RunJournal.Read(path);
                if (contents.Done != count - taken.Count(t => !t.Outcome.Succeeded))
                    throw new InvalidOperationException($"The journal says {contents.Done} done for {taken.Count(t => t.Outcome.Succeeded)} sent.");
            }
            finally
            {
                File.Delete(path);
            }
        }

        var failures = taken.Count(t => !t.Outcome.Succeeded);
        return new Measured(clock.Elapsed.TotalSeconds, failures, sends.Average(),
            timed?.IntentMs / count ?? 0, timed?.OutcomeMs / count ?? 0, sandbox.Bale.Deliveries.Count, bytes);
    }

    /// <summary>The cmdlet's row tag, as the journal sees it: the request's journal row.</summary>
    private sealed class Tag : IJournaledTag
    {
        public Tag(JournalRow row) => JournalRow = row;
        public JournalRow? JournalRow { get; }
    }

    /// <summary>Passes every call to the journaled run, and adds up how long the slots waited for it.</summary>
    private sealed class TimedObserver : IWorkObserver<BaleMessage, BaleMessageResult>
    {
        private readonly IWorkObserver<BaleMessage, BaleMessageResult> _inner;
        private long _intentTicks, _outcomeTicks;

        public TimedObserver(IWorkObserver<BaleMessage, BaleMessageResult> inner) => _inner = inner;

        public double IntentMs => _intentTicks * 1000.0 / Stopwatch.Frequency;
        public double OutcomeMs => _outcomeTicks * 1000.0 / Stopwatch.Frequency;

        public async Task BeforeSendAsync(IReadOnlyList<BaleMessage> items, IReadOnlyList<object?> tags, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            try { await _inner.BeforeSendAsync(items, tags, cancellationToken).ConfigureAwait(false); }
            finally { Interlocked.Add(ref _intentTicks, Stopwatch.GetTimestamp() - start); }
        }

        public async Task<IReadOnlyList<Outcome<BaleMessageResult>>> AfterSendAsync(IReadOnlyList<BaleMessage> items, IReadOnlyList<object?> tags,
            IReadOnlyList<Outcome<BaleMessageResult>> outcomes)
        {
            var start = Stopwatch.GetTimestamp();
            try { return await _inner.AfterSendAsync(items, tags, outcomes).ConfigureAwait(false); }
            finally { Interlocked.Add(ref _outcomeTicks, Stopwatch.GetTimestamp() - start); }
        }
    }
}
