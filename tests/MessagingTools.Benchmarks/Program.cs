using MessagingTools.Benchmarks;

// Throughput benchmarks of Core against the in-process sandbox.
//   dotnet run -c Release --project tests/MessagingTools.Benchmarks -- <mode> [options]
// Each mode is one class implementing IBenchmarkMode; add a mode (e.g. "feedbot") by writing the class and
// adding one line to the table below.
var modes = new Dictionary<string, IBenchmarkMode>(StringComparer.OrdinalIgnoreCase)
{
    ["bale"] = new BaleBenchmark(),
};

if (args.Length == 0 || !modes.TryGetValue(args[0], out var mode))
{
    Console.Error.WriteLine("usage: MessagingTools.Benchmarks <mode> [options]");
    foreach (var m in modes) Console.Error.WriteLine($"  {m.Key,-10} {m.Value.Description}");
    return 2;
}

try
{
    var options = BenchmarkOptions.Parse(args.Skip(1).ToArray());
    return await mode.RunAsync(options);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
