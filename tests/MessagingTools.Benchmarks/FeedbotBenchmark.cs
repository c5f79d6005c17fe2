using System.Diagnostics;
using MessagingTools.Core.Http;
using MessagingTools.Core.Pipeline;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Benchmarks;

/// <summary>
/// 10,000 FeedBot messages through the same pipeline Send-FeedbotMessage uses (the ordered work queue driven from
/// one thread, -ThrottleLimit requests in flight), once with batching (-BatchSize 100) and once with one request per
/// row (-BatchSize 1), against the in-process sandbox with 50 ms latency per request.
/// </summary>
internal static class FeedbotBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int messages = 10_000, latencyMs = 50, batchSize = 100, throttle = 8;
        for (int i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--messages": messages = int.Parse(args[++i]); break;
                case "--latency-ms": latencyMs = int.Parse(args[++i]); break;
                case "--batch-size": batchSize = int.Parse(args[++i]); break;
                case "--throttle": throttle = int.Parse(args[++i]); break;
            }
        }

        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { LatencyMs = latencyMs });
        var transport = new HttpTransport();
        var client = new FeedbotClient(new Secret(FeedbotSandbox.DefaultToken), sandbox.FeedbotSendEndpoint, sandbox.FeedbotStatusEndpoint, transport);
        var rows = Enumerable.Range(0, messages)
            .Select(i => FeedbotClient.Prepare(new FeedbotMessage($"97258{i:0000000}", $"Benchmark message {i + 1}")))
            .ToList();

        Console.WriteLine($"FeedBot benchmark: {messages:N0} messages, {latencyMs} ms sandbox latency per request, ThrottleLimit {throttle}, .NET {Environment.Version}, {Environment.ProcessorCount} cores");

        // Warm-up (connections, JIT), not measured.
        Run(client, rows.Take(200).ToList(), batchSize, throttle);
        Run(client, rows.Take(16).ToList(), 1, throttle);
        sandbox.Reset();

        var batched = Run(client, rows, batchSize, throttle);
        var batchedRequests = sandbox.Feedbot.SendRequests;
        var batchedQueued = sandbox.Feedbot.Queued.Count;
        sandbox.Reset();

        var single = Run(client, rows, 1, throttle);
        var singleRequests = sandbox.Feedbot.SendRequests;
        var singleQueued = sandbox.Feedbot.Queued.Count;

        Console.WriteLine($"  batched (-BatchSize {batchSize}): {batched.Elapsed.TotalSeconds,8:0.00} s  {batchedRequests,6:N0} requests  {messages / batched.Elapsed.TotalSeconds,9:N0} msg/s  {batched.Sent:N0} sent, {batched.Failed:N0} failed, {batchedQueued:N0} queued");
        Console.WriteLine($"  one request per row (-BatchSize 1): {single.Elapsed.TotalSeconds,8:0.00} s  {singleRequests,6:N0} requests  {messages / single.Elapsed.TotalSeconds,9:N0} msg/s  {single.Sent:N0} sent, {single.Failed:N0} failed, {singleQueued:N0} queued");
        Console.WriteLine($"  ratio: batching is {single.Elapsed.TotalSeconds / batched.Elapsed.TotalSeconds:0.0}x faster");
        return batched.Failed == 0 && single.Failed == 0 && batched.Sent == messages && single.Sent == messages ? 0 : 1;
    }

    private sealed record Figures(TimeSpan Elapsed, int Sent, int Failed);

    /// <summary>Drives the cmdlets' own pipeline pump (PipelineDriver): add, take what is ready, wait only when the window is full.</summary>
    private static Figures Run(FeedbotClient client, IReadOnlyList<FeedbotMessage> rows, int batchSize, int throttle)
    {
        var watch = Stopwatch.StartNew();
        var taken = PipelineDriver.Run(rows, (items, ct) => client.SendAsync(items, ct), throttle, batchSize);
        watch.Stop();
        var failures = taken.Where(c => !c.Outcome.Succeeded).ToList();
        if (failures.Count > 0) Console.Error.WriteLine("  first error: " + failures[0].Outcome.Error!.Message);
        return new Figures(watch.Elapsed, taken.Count - failures.Count, failures.Count);
    }
}
