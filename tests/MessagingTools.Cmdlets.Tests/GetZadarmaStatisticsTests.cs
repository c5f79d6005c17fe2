using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Get-ZadarmaStatistics (and Get-ZadarmaPbxStatistics) in the real PowerShell engine against the sandbox.</summary>
[Collection("Zadarma environment")] // tests that set process environment variables must not overlap
public sealed class GetZadarmaStatisticsTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public GetZadarmaStatisticsTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    private int Requests(string path) => _ps.Sandbox.Requests.Snapshot().Count(r => r.Path.EndsWith(path));

    [Fact]
    public void StatisticsReturnEveryCallOfThePeriod()
    {
        Zadarma.StatisticsRateLimit = 100;
        Zadarma.GenerateCalls(1500, new DateTime(2026, 10, 1), new DateTime(2026, 11, 15));
        var run = _ps.Run($$"""
            Get-ZadarmaStatistics -Start '2026-10-01' -End '2026-11-15 00:00:00' {{Connection}}
            Get-ZadarmaPbxStatistics -Start '2026-10-01' -End '2026-11-15' -Direction Incoming {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(1500, run.Output.Count(o => o.BaseObject is ZadarmaCallRecord));
        Assert.Equal(500, run.Output.Count(o => o.BaseObject is ZadarmaPbxCallRecord));
        Assert.IsType<DateTimeOffset>(run.Output.Select(o => o.BaseObject).OfType<ZadarmaCallRecord>().First().CallStart);
    }

    // Get-ZadarmaStatistics' help: "-Start '2026-10-01' -End '2026-11-15' returns every call from 1 October to 15
    // November". A date-only -End binds as 2026-11-15 00:00:00; it must mean the whole of that day, not leave its calls
    // out.
    [Fact]
    public void TheHelpExampleReturnsTheCallsOfItsLastDay()
    {
        var zadarma = _ps.Sandbox.Zadarma;
        zadarma.StatisticsRateLimit = 100;
        zadarma.GenerateCalls(1, new DateTime(2026, 10, 20, 9, 0, 0), new DateTime(2026, 10, 20, 9, 0, 0));
        zadarma.GenerateCalls(1, new DateTime(2026, 11, 15, 9, 30, 0), new DateTime(2026, 11, 15, 9, 30, 0));
        var run = _ps.Run($"Get-ZadarmaStatistics -Start '2026-10-01' -End '2026-11-15' {Connection}");
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        var calls = run.Output.Select(o => o.BaseObject).OfType<ZadarmaCallRecord>().ToList();
        Assert.Contains(calls, c => c.CallStart.Day == 15 && c.CallStart.Month == 11);
        Assert.Equal(2, calls.Count);
    }

    // Issue 10, item 6: -Type and -CostOnly, and the account's time zone read from Zadarma when -UtcOffset is not given.
    [Fact]
    public void WithoutUtcOffsetTheZoneIsReadOnceAndEachEndGetsItsOwnOffset()
    {
        Zadarma.StatisticsRateLimit = 100;
        Zadarma.SetTimeZone("Europe/Berlin");
        Zadarma.GenerateCalls(1, new DateTime(2026, 10, 24, 12, 0, 0), new DateTime(2026, 10, 24, 12, 0, 0));
        Zadarma.GenerateCalls(1, new DateTime(2026, 10, 26, 12, 0, 0), new DateTime(2026, 10, 26, 12, 0, 0));
        var run = _ps.Run($"Get-ZadarmaStatistics -Start 2026-10-20 -End 2026-10-30 {Connection} -Verbose");
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Empty(run.Warnings);
        Assert.Equal(new[] { TimeSpan.FromHours(2), TimeSpan.FromHours(1) }, run.Output.Select(o => ((ZadarmaCallRecord)o.BaseObject).CallStart.Offset));
        Assert.Equal(1, Requests("/v1/info/timezone/"));
        var query = _ps.Sandbox.Requests.Snapshot().Single(r => r.Path.EndsWith("/v1/statistics/")).Query;
        Assert.Contains("end=2026-10-30+23%3A59%3A59", query);
        Assert.Contains("start=2026-10-20+00%3A00%3A00", query);
        Assert.Contains(run.Verbose, v => v.Contains("Europe/Berlin"));
    }

    [Fact]
    public void AZoneKnownOnlyByItsOffsetIsUsedWithAWarning()
    {
        Zadarma.StatisticsRateLimit = 100;
        Zadarma.SetTimeZone("Mars/Olympus", TimeSpan.FromHours(3));
        var run = _ps.Run($"Get-ZadarmaStatistics -Start 2026-10-20 -End 2026-10-21 {Connection}");
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Contains(run.Warnings, w => w.Contains("Mars/Olympus") && w.Contains("-UtcOffset"));
        Assert.Contains("start=2026-10-20+00%3A00%3A00", _ps.Sandbox.Requests.Snapshot().Single(r => r.Path.EndsWith("/v1/statistics/")).Query);
    }

    [Fact]
    public void CostOnlyGivesOneSummaryAndTypeFilters()
    {
        Zadarma.StatisticsRateLimit = 100;
        Zadarma.GenerateCalls(40, new DateTime(2026, 9, 1), new DateTime(2026, 11, 10));
        Zadarma.GenerateCalls(6, new DateTime(2026, 9, 1), new DateTime(2026, 11, 10), toPrefix: "8001234");
        var expected = Zadarma.Calls.Where(c => c.To.StartsWith("800")).ToList();
        var run = _ps.Run($"Get-ZadarmaStatistics -Start 2026-09-01 -End 2026-11-10 -Type TollFree -CostOnly {Connection}");
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        var summary = (ZadarmaCostSummary)Assert.Single(run.Output).BaseObject;
        Assert.Equal(expected.Sum(c => c.BillCost), summary.Cost);
        Assert.Equal(expected.Sum(c => c.Seconds), summary.Seconds);
        Assert.Equal("toll-free", summary.Type);
        var queries = _ps.Sandbox.Requests.Snapshot().Where(r => r.Path.EndsWith("/v1/statistics/")).Select(r => r.Query).ToList();
        Assert.Equal(3, queries.Count); // 71 days: three 30-day pieces, one request each
        Assert.All(queries, q => Assert.Contains("cost_only=1", q));
        Assert.All(queries, q => Assert.Contains("type=toll-free", q));
    }
}
