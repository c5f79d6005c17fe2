using System.Collections;
using System.Management.Automation;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Invoke-ZadarmaRequest in the real PowerShell engine against the sandbox (issue 18): what PowerShell values become on the wire, and what the answer becomes.</summary>
[Collection("Zadarma environment")] // tests that set process environment variables must not overlap
public sealed class InvokeZadarmaRequestTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public InvokeZadarmaRequestTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    [Fact]
    public void TheAnswerIsATreeOfObjectsWithMoneyAsDecimal()
    {
        var run = _ps.Run($"Invoke-ZadarmaRequest /v1/direct_numbers/ {Connection}");
        Assert.Empty(run.Errors);
        var answer = Assert.Single(run.Output);
        Assert.Equal("success", answer.Properties["status"].Value);
        var info = Assert.IsType<object?[]>(answer.Properties["info"].Value);
        Assert.Equal(2, info.Length);
        var first = Assert.IsType<PSObject>(info[0]);
        Assert.Equal(2.5m, first.Properties["monthly_fee"].Value);
        Assert.Equal(2, first.Properties["channels"].Value);
    }

    [Fact]
    public void AsHashtableGivesHashtablesAllTheWayDown()
    {
        var run = _ps.Run($"Invoke-ZadarmaRequest /v1/sip/ -AsHashtable {Connection}");
        var answer = Assert.IsType<Hashtable>(Assert.Single(run.Output).BaseObject);
        var sips = Assert.IsType<object?[]>(answer["SIPS"]); // keys read as PowerShell reads them, in any case
        Assert.Equal("Reception", Assert.IsType<Hashtable>(sips[0])["display_name"]);
    }

    [Fact]
    public void PowerShellValuesAreWrittenAsPhpWritesThemAndSigned()
    {
        var run = _ps.Run("Invoke-ZadarmaRequest /v1/info/price/ -Parameter ([ordered]@{ number = 442037691880; flag = $true; off = $false; x = [pscustomobject]@{ b = 1; a = 'z y' }; l = 'p', 'q'; n = $null }) " + Connection);
        Assert.Empty(run.Errors);
        Assert.Equal(("/v1/info/price/", "flag=1&l%5B0%5D=p&l%5B1%5D=q&number=442037691880&off=0&x%5Bb%5D=1&x%5Ba%5D=z+y"), Zadarma.Verified.Snapshot().Last());
    }

    [Fact]
    public void TheSecretIsInNoTextOfTheRun()
    {
        var run = _ps.Run($"$VerbosePreference = 'Continue'; Invoke-ZadarmaRequest /v1/sms/send/ -Method Post -Parameter @{{ number = '79001234567'; message = 'hi' }} {Connection}; Invoke-ZadarmaRequest /v1/sip/999/status/ {Connection}");
        Assert.Single(run.Errors);
        Assert.NotEmpty(run.Verbose);
        Assert.DoesNotContain(ZadarmaSandbox.DefaultSecret, run.AllText());
    }
}
