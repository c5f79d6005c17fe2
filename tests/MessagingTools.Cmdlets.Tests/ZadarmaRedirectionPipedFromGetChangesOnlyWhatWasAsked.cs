using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// Get-ZadarmaRedirection | Set-ZadarmaRedirection -Status Off (the cmdlet's own help example): the piped
/// ZadarmaRedirection has Destination ("phone", the kind of target) and DestinationValue (the number). -Number must
/// not bind from Destination (every row would fail: 'phone' is not a number) and the row must only switch the status.
/// </summary>
[Collection("Zadarma environment")]
public sealed class ZadarmaRedirectionPipedFromGetChangesOnlyWhatWasAsked : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public ZadarmaRedirectionPipedFromGetChangesOnlyWhatWasAsked(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

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
