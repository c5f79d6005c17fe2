using MessagingTools.Benchmarks;

// dotnet run -c Release --project tests/MessagingTools.Benchmarks -- <mode> [options]
// Modes are added per provider; each starts the sandbox in-process and prints its figures.
var mode = args.Length > 0 ? args[0].ToLowerInvariant() : "";
switch (mode)
{
    case "feedbot":
        return await FeedbotBenchmark.RunAsync(args.Skip(1).ToArray());
    default:
        Console.Error.WriteLine("Usage: dotnet run -c Release --project tests/MessagingTools.Benchmarks -- feedbot [--messages N] [--latency-ms MS] [--batch-size N] [--throttle N]");
        return 2;
}
