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

    private int Requests(string path) => _ps.Sandbox.Requests.Snapshot().Count(r => r.Path.EndsWith(path));

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

    // Issue 10, item 6: Send-ZadarmaSms to several numbers, each its own outcome.
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
}
