using System.Collections.Concurrent;
using System.Diagnostics;
using MessagingTools.Core;
using MessagingTools.Core.Http;
using MessagingTools.Core.Pipeline;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Benchmarks;

/// <summary>
/// Sends N Bale messages through Core (BaleClient.SendMessageAsync over the shared HttpTransport, driven by
/// OrderedWorkQueue as the cmdlet drives it) to the in-process sandbox answering after a fixed latency, once per
/// throttle limit, and compares the time at the highest limit with the ideal N x latency / limit.
/// </summary>
public sealed class BaleBenchmark : IBenchmarkMode
{
    public string Description => "Send-BaleMessage path (Core + OrderedWorkQueue) against the sandbox with fixed latency";

    public async Task<int> RunAsync(BenchmarkOptions o)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { LatencyMs = o.LatencyMs });
        // The transport a cmdlet run gets: the shared connection pool with this run's options (AsyncPipelineCmdlet.BeginProcessing).
        var options = HttpTransport.Shared.Options.Clone();
        options.Timeout = TimeSpan.FromSeconds(30);
        var transport = HttpTransport.Shared.With(options);
        var client = new BaleClient(new Secret(BaleSandbox.DefaultApiKey), sandbox.BaleEndpoint, transport);

        Console.WriteLine($"Bale benchmark: {o.Count:N0} messages, sandbox latency {o.LatencyMs} ms, {Environment.ProcessorCount} CPU(s), .NET {Environment.Version}");
        Console.WriteLine($"Sandbox: {sandbox.BaleEndpoint}");

        // Warm-up (JIT, first connection), not timed.
        Run(sandbox, client, Math.Min(32, o.Count), o.Limits.Max(), "warm-up");

        var results = new List<RunResult>();
        foreach (var limit in o.Limits)
        {
            var r = Run(sandbox, client, o.Count, limit, $"ThrottleLimit {limit}");
            results.Add(r);
            if (r.Failures > 0) Console.WriteLine($"  {r.Failures} sends FAILED; first error: {r.FirstError}");
        }

        var top = results[^1];
        var ideal = TimeSpan.FromMilliseconds((double)o.Count * o.LatencyMs / top.Limit);
        var ratio = top.Elapsed.TotalSeconds / ideal.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine("Summary");
        foreach (var r in results)
            Console.WriteLine($"  time at ThrottleLimit {r.Limit,2}: {r.Elapsed.TotalSeconds,8:F2} s");
        Console.WriteLine($"  ideal at ThrottleLimit {top.Limit,2}: {ideal.TotalSeconds,8:F2} s  ({o.Count:N0} x {o.LatencyMs} ms / {top.Limit})");
        Console.WriteLine($"  ratio time{top.Limit}/ideal:   {ratio,8:F3}  (goal: within {o.Goal:F2}x) -> {(ratio <= o.Goal ? "MET" : "MISSED")}");
        if (results.Count > 1)
            Console.WriteLine($"  speed-up {results[0].Limit} -> {top.Limit}:     {results[0].Elapsed.TotalSeconds / top.Elapsed.TotalSeconds,8:F2}x");
        return ratio <= o.Goal && results.All(r => r.Failures == 0) ? 0 : 1;
    }

    private static RunResult Run(SandboxServer sandbox, BaleClient client, int count, int limit, string label)
    {
        sandbox.Reset();
        var durations = new ConcurrentBag<double>();
        int inFlight = 0, maxInFlight = 0;
        var messages = Enumerable.Range(0, count).Select(i =>
            // 0912 000 0000 + i: valid Iranian mobiles, all distinct, sent in the Bale form 98912...
            new BaleMessage(123, "0912" + (i % 10_000_000).ToString("D7")) { Text = $"benchmark message {i}" });

        async Task<IReadOnlyList<Outcome<BaleMessageResult>>> Worker(IReadOnlyList<BaleMessage> items, CancellationToken ct)
        {
            // The same shape as SendBaleMessageCommand.RunAsync: the item is Prepare'd first (CreateItem), then sent.
            var now = Interlocked.Increment(ref inFlight);
            int seen;
            while ((seen = Volatile.Read(ref maxInFlight)) < now && Interlocked.CompareExchange(ref maxInFlight, now, seen) != seen) { }
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
                durations.Add(sw.Elapsed.TotalMilliseconds);
                Interlocked.Decrement(ref inFlight);
            }
        }

        var gcBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        var taken = PipelineDriver.Run(messages.Select(BaleClient.Prepare), Worker, limit);
        clock.Stop();

        var failures = taken.Count(t => !t.Outcome.Succeeded);
        var first = taken.FirstOrDefault(t => !t.Outcome.Succeeded)?.Outcome.Error?.Message;
        var delivered = sandbox.Bale.Deliveries.Count;
        var d = durations.OrderBy(x => x).ToArray();
        var result = new RunResult(limit, clock.Elapsed, failures, first);
        if (label == "warm-up") return result;

        // Where the time goes: each send's own duration (transport + sandbox latency + sandbox work) against the wall
        // clock. busy = sum(durations) / (elapsed x limit): 1.0 means every slot was always busy.
        var sum = d.Sum();
        Console.WriteLine($"{label}: {clock.Elapsed.TotalSeconds:F2} s for {taken.Count:N0} outcomes ({failures} failed), " +
                          $"{delivered:N0} delivered, {sandbox.Bale.SendRequests:N0} send requests, {count / clock.Elapsed.TotalSeconds:F0} msg/s");
        Console.WriteLine($"  per send: mean {d.Average():F1} ms, p50 {P(d, 0.50):F1}, p95 {P(d, 0.95):F1}, p99 {P(d, 0.99):F1}, max {d[^1]:F1} " +
                          $"(overhead over the {sandbox.Latency.TotalMilliseconds:F0} ms latency: mean {d.Average() - sandbox.Latency.TotalMilliseconds:F1} ms)");
        Console.WriteLine($"  slots busy {sum / (clock.Elapsed.TotalMilliseconds * limit):P1}, max in flight {maxInFlight}, gen0 GCs {GC.CollectionCount(0) - gcBefore}");
        if (delivered != count - failures)
            Console.WriteLine($"  WARNING: the sandbox delivered {delivered} messages for {count - failures} successes.");
        return result;
    }

    private static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private sealed record RunResult(int Limit, TimeSpan Elapsed, int Failures, string? FirstError);
}
