using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Set-ZadarmaRedirection (fed by Get-ZadarmaSip and Get-ZadarmaRedirection) in the real PowerShell engine against the sandbox.</summary>
[Collection("Zadarma environment")] // tests that set process environment variables must not overlap
public sealed class SetZadarmaRedirectionTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public SetZadarmaRedirectionTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    // Also Set-ZadarmaCallerId, fed the same way.
    [Fact]
    public void SipsPipeIntoRedirectionsAndSettingsChange()
    {
        var run = _ps.Run($$"""
            Get-ZadarmaSip {{Connection}} | Get-ZadarmaRedirection {{Connection}}
            Get-ZadarmaRedirection -Sip 100 {{Connection}} | Set-ZadarmaRedirection -Status On -Number '+7 900 111 22 33' {{Connection}}
            Get-ZadarmaSip {{Connection}} | Where-Object Id -eq '101' | Set-ZadarmaCallerId -Number 442037691899 {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        var redirections = run.Output.Select(o => o.BaseObject).OfType<ZadarmaRedirection>().ToList();
        Assert.Equal(new[] { "100", "101" }, redirections.Select(r => r.SipId));
        var change = run.Output.Select(o => o.BaseObject).OfType<ZadarmaRedirectionChange>().Single();
        Assert.Equal((true, "79001112233"), (change.Enabled, change.Destination));
        Assert.True(Zadarma.Sips["100"].RedirectionOn);
        Assert.Equal("79001112233", Zadarma.Sips["100"].RedirectionNumber);
        Assert.Equal("442037691899", run.Output.Select(o => o.BaseObject).OfType<ZadarmaCallerIdChange>().Single().NewCallerId);
        Assert.Equal("442037691899", Zadarma.Sips["101"].CallerId);
    }

    // Get-ZadarmaRedirection | Set-ZadarmaRedirection -Status Off (the cmdlet's own help example): the piped
    // ZadarmaRedirection has Destination ("phone", the kind of target) and DestinationValue (the number). -Number must
    // not bind from Destination (every row would fail: 'phone' is not a number) and the row must only switch the
    // status.
    [Fact]
    public void PipingEnabledRedirectionsIntoStatusOffSwitchesThemOffAndKeepsTheTarget()
    {
        Assert.True(Zadarma.Sips["101"].RedirectionOn); // sandbox seed: SIP 101 forwards to 79001234567
        var run = _ps.Run($$"""
            Get-ZadarmaRedirection {{Connection}} | Where-Object Enabled | Set-ZadarmaRedirection -Status Off {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors.Select(e => e.ToString()));
        var change = Assert.Single(run.Output.Select(o => o.BaseObject).OfType<ZadarmaRedirectionChange>());
        Assert.Equal("101", change.Sip);
        Assert.False(Zadarma.Sips["101"].RedirectionOn);
        Assert.Equal("79001234567", Zadarma.Sips["101"].RedirectionNumber);
    }
}
