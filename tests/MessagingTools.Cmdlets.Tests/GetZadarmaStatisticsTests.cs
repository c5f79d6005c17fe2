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
}
