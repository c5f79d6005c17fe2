using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Get-ZadarmaPbxStatistics in the real PowerShell engine against the sandbox.</summary>
[Collection("Zadarma environment")] // tests that set process environment variables must not overlap
public sealed class GetZadarmaPbxStatisticsTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public GetZadarmaPbxStatisticsTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    private int Requests(string path) => _ps.Sandbox.Requests.Snapshot().Count(r => r.Path.EndsWith(path));

    // Issue 10, item 6: -UtcOffset given, the account's time zone is not read.
    [Fact]
    public void UtcOffsetIsUsedAsGivenAndNoZoneIsRead()
    {
        Zadarma.StatisticsRateLimit = 100;
        Zadarma.SetTimeZone("Europe/Berlin");
        var run = _ps.Run($"Get-ZadarmaPbxStatistics -Start 2026-10-20 -End 2026-10-30 -UtcOffset 02:00 {Connection}");
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(0, Requests("/v1/info/timezone/"));
        // One fixed offset at both ends: the end, 23:59:59 at +02:00, is the account's 2026-10-30 23:59:59 as given.
        Assert.Contains("end=2026-10-30+23%3A59%3A59", _ps.Sandbox.Requests.Snapshot().Single(r => r.Path.EndsWith("/v1/statistics/pbx/")).Query);
    }
}
