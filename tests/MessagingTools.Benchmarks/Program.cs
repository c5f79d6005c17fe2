using MessagingTools.Benchmarks;

// Throughput benchmarks of Core against the in-process sandbox; each prints its figures side by side in one run.
//   dotnet run -c Release --project tests/MessagingTools.Benchmarks -- bale    [--count N] [--latency-ms MS] [--limits 1,16] [--goal 1.15]
//   dotnet run -c Release --project tests/MessagingTools.Benchmarks -- bale-faults [--count N] [--latency-ms MS] [--limit 16] [--every 7] [--factor 1.5]
//   dotnet run -c Release --project tests/MessagingTools.Benchmarks -- feedbot [--messages N] [--latency-ms MS] [--batch-size N] [--throttle N]
//   dotnet run -c Release --project tests/MessagingTools.Benchmarks -- journal [--count N] [--latency-ms MS] [--throttle N] [--repeat N] [--goal 1.10] [--journal-folder DIR]
var bale = new BaleBenchmark();
var modes = new Dictionary<string, (string Description, Func<string[], Task<int>> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["bale"] = (bale.Description, a => bale.RunAsync(BenchmarkOptions.Parse(a))),
    ["bale-faults"] = (BaleFaultsBenchmark.Description, BaleFaultsBenchmark.RunAsync),
    ["feedbot"] = ("10,000 FeedBot messages batched (-BatchSize 100) against one request per row, 50 ms latency", FeedbotBenchmark.RunAsync),
    ["journal"] = (JournalBenchmark.Description, JournalBenchmark.RunAsync),
};

if (args.Length == 0 || !modes.TryGetValue(args[0], out var mode))
{
    Console.Error.WriteLine("usage: MessagingTools.Benchmarks <mode> [options]");
    foreach (var m in modes) Console.Error.WriteLine($"  {m.Key,-10} {m.Value.Description}");
    return 2;
}

try
{
    return await mode.Run(args.Skip(1).ToArray());
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
