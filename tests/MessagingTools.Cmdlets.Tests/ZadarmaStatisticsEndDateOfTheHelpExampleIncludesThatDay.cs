using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// Get-ZadarmaStatistics' help: "-Start '2026-10-01' -End '2026-11-15' returns every call from 1 October to 15 November".
/// A date-only -End binds as 2026-11-15 00:00:00; it must mean the whole of that day, not leave its calls out.
/// </summary>
[Collection("Zadarma environment")]
public sealed class ZadarmaStatisticsEndDateOfTheHelpExampleIncludesThatDay : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public ZadarmaStatisticsEndDateOfTheHelpExampleIncludesThatDay(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

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
