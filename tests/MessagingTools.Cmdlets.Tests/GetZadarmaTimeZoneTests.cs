using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Get-ZadarmaTimeZone in the real PowerShell engine against the sandbox.</summary>
[Collection("Zadarma environment")] // tests that set process environment variables must not overlap
public sealed class GetZadarmaTimeZoneTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public GetZadarmaTimeZoneTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    // Issue 10, item 6: Get-ZadarmaTimeZone shows the zone Zadarma reports.
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
