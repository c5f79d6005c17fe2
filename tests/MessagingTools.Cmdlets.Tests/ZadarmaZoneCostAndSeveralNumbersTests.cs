using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// Issue 10, item 6: the statistics' -Type and -CostOnly, Send-ZadarmaSms to several numbers (each its own outcome), and
/// the account's time zone read from Zadarma when -UtcOffset is not given; in the hosted engine against the sandbox.
/// </summary>
[Collection("Zadarma environment")]
public sealed class ZadarmaZoneCostAndSeveralNumbersTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public ZadarmaZoneCostAndSeveralNumbersTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
        Zadarma.StatisticsRateLimit = 100;
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    private int Requests(string path) => _ps.Sandbox.Requests.Snapshot().Count(r => r.Path.EndsWith(path));

    [Fact]
    public void SeveralNumbersEachGetTheirOwnOutcomeAndNothingIsLost()
    {
        Zadarma.DeniedNumbers["79001234568"] = "The number is in the stop list";
        var run = _ps.Run($"Send-ZadarmaSms -Number 79001234567, 79001234568, 'not a number', '+44 20 3769 1880' -Message 'Closed today' {Connection}");
        Assert.Null(run.Terminating);
        Assert.Equal(new[] { "79001234567", "442037691880" }, run.Output.Select(o => ((ZadarmaSms)o.BaseObject).Number));
        Assert.Equal(2, run.Errors.Count);
        Assert.StartsWith("ZadarmaNumberIsInvalid,", run.Errors.Single(e => Equals(e.TargetObject, "not a number")).FullyQualifiedErrorId);
        var denied = run.Errors.Single(e => e.FullyQualifiedErrorId.StartsWith("ZadarmaSmsWasDenied,"));
        Assert.Equal("79001234568", denied.TargetObject);
        Assert.Contains("The number is in the stop list", denied.ErrorDetails!.Message);
        // Sent concurrently: the sandbox sees them in any order; the output above keeps the order given.
        Assert.Equal(new[] { "442037691880", "79001234567" }, Zadarma.Sms.Snapshot().Select(s => s.Number).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(3, Requests("/v1/sms/send/")); // one request per number that could be sent
    }

    [Fact]
    public void ACsvCellIsOneNumberAndAnEmptyOneIsTheRowsError()
    {
        var run = _ps.Run($$"""
            @(
              [pscustomobject]@{ Phone = '79001234567'; Text = 'one' },
              [pscustomobject]@{ Phone = ''; Text = 'two' },
              [pscustomobject]@{ Phone = '79001234567, 79001234568'; Text = 'three' }
            ) | Send-ZadarmaSms {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.Equal(new[] { "one" }, run.Output.Select(o => ((ZadarmaSms)o.BaseObject).Message));
        Assert.Equal(2, run.Errors.Count);
        Assert.StartsWith("RequiredValueIsEmpty,", run.Errors[0].FullyQualifiedErrorId);
        Assert.Contains("Row 2", run.Errors[0].ErrorDetails!.Message);
        Assert.StartsWith("ZadarmaNumberIsInvalid,", run.Errors[1].FullyQualifiedErrorId); // a cell with a comma is not two numbers
        Assert.Contains("Row 3", run.Errors[1].ErrorDetails!.Message);
    }

    [Fact]
    public void WithoutUtcOffsetTheZoneIsReadOnceAndEachEndGetsItsOwnOffset()
    {
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
    public void UtcOffsetIsUsedAsGivenAndNoZoneIsRead()
    {
        Zadarma.SetTimeZone("Europe/Berlin");
        var run = _ps.Run($"Get-ZadarmaPbxStatistics -Start 2026-10-20 -End 2026-10-30 -UtcOffset 02:00 {Connection}");
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(0, Requests("/v1/info/timezone/"));
        // One fixed offset at both ends: the end, 23:59:59 at +02:00, is the account's 2026-10-30 23:59:59 as given.
        Assert.Contains("end=2026-10-30+23%3A59%3A59", _ps.Sandbox.Requests.Snapshot().Single(r => r.Path.EndsWith("/v1/statistics/pbx/")).Query);
    }

    [Fact]
    public void AZoneKnownOnlyByItsOffsetIsUsedWithAWarning()
    {
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

    [Fact]
    public void GetZadarmaTimeZoneShowsTheZone()
    {
        Zadarma.SetTimeZone("UTC+3");
        var run = _ps.Run($"Get-ZadarmaTimeZone {Connection}");
        Assert.Null(run.Terminating);
        var zone = (ZadarmaTimeZone)Assert.Single(run.Output).BaseObject;
        Assert.Equal("UTC+3", zone.Name);
        Assert.Equal(TimeSpan.FromHours(3), zone.UtcOffset);
        Assert.False(zone.OffsetOnly);
    }
}
