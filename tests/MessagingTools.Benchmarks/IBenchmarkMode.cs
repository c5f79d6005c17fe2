namespace MessagingTools.Benchmarks;

/// <summary>One benchmark mode, selected by the first command-line argument.</summary>
public interface IBenchmarkMode
{
    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark, prints its figures and returns the exit code (0: goal met, 1: goal missed or a send failed).</summary>
    Task<int> RunAsync(BenchmarkOptions options);
}

/// <summary>Options shared by every mode: --count, --latency-ms, --limits 1,16, --goal 1.15.</summary>
public sealed class BenchmarkOptions
{
    public int Count { get; set; } = 2000;
    public int LatencyMs { get; set; } = 50;
    public int[] Limits { get; set; } = { 1, 16 };
    public double Goal { get; set; } = 1.15;

    public static BenchmarkOptions Parse(string[] args)
    {
        var o = new BenchmarkOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--count": o.Count = int.Parse(Next()); break;
                case "--latency-ms": o.LatencyMs = int.Parse(Next()); break;
                case "--limits": o.Limits = Next().Split(',').Select(int.Parse).ToArray(); break;
                case "--goal": o.Goal = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Options: --count N, --latency-ms N, --limits 1,16, --goal 1.15");
            }
        }
        if (o.Count < 1 || o.LatencyMs < 0 || o.Limits.Length == 0 || o.Limits.Any(l => l < 1))
            throw new ArgumentException("--count and --limits must be positive, --latency-ms not negative.");
        return o;
    }
}
