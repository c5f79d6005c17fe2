using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Send-ZadarmaSms in the real PowerShell engine against the sandbox.</summary>
[Collection("Zadarma environment")] // tests that set process environment variables must not overlap
public sealed class SendZadarmaSmsTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public SendZadarmaSmsTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    // Prices too: Get-ZadarmaPrice and Send-ZadarmaSms from rows in one script.
    [Fact]
    public void PricesAndSmsFromRows()
    {
        var run = _ps.Run($$"""
            '+44 20 3769 1880', '79001234567' | Get-ZadarmaPrice {{Connection}}
            @(
              [pscustomobject]@{ Phone = '79001234567'; Text = 'Привет!' },
              [pscustomobject]@{ Phone = '79001234568'; Text = '' }
            ) | Send-ZadarmaSms {{Connection}}
            """);
        var prices = run.Output.Select(o => o.BaseObject).OfType<ZadarmaPrice>().ToList();
        Assert.Equal(new[] { 0.009m, 0.0234m }, prices.Select(p => p.PricePerMinute));
        var sms = run.Output.Select(o => o.BaseObject).OfType<ZadarmaSms>().Single();
        Assert.Equal(0.05m, sms.Cost);
        Assert.Equal("Привет!", Assert.Single(Zadarma.Sms.Snapshot()).Message);
        Assert.Single(run.Errors); // the empty text
    }
}
