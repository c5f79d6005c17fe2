namespace MessagingTools.Cmdlets.Tests;

public sealed class SmokeTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;
    public SmokeTests(PowerShellHost ps) => _ps = ps;

    [Fact]
    public void CsvRowsAreSent()
    {
        var run = _ps.Run("""
            $rows = @(
              [pscustomobject]@{ Phone = '0912 345 6789'; Message = 'سلام'; Secure = 'true' },
              [pscustomobject]@{ Phone = 'bad'; Message = 'x' },
              [pscustomobject]@{ Phone = '+98-912-345-6780'; Message = 'hi' }
            )
            $rows | Send-BaleMessage -BotId 123 -ApiKey $BaleKey -Endpoint $SandboxBale -WhatIf:$false
            """);
        Assert.Null(run.Terminating);
        Assert.Equal(2, run.Output.Count);
        Assert.Single(run.Errors);
        Assert.Equal(2, _ps.Sandbox.Bale.Deliveries.Count);
        Assert.Contains(_ps.Sandbox.Bale.Deliveries.Snapshot(), d => d.IsSecure && d.Text == "سلام");
        Assert.Contains("Row 2", run.Errors[0].ErrorDetails!.Message);
    }
}
