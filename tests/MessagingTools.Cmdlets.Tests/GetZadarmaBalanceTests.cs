using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Get-ZadarmaBalance in the real PowerShell engine against the sandbox; with it, where the Zadarma credential comes from and that it is never shown.</summary>
[Collection("Zadarma environment")] // tests that set process environment variables must not overlap
public sealed class GetZadarmaBalanceTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public GetZadarmaBalanceTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    private static void AssertNoSecret(PowerShellRun run)
    {
        Assert.DoesNotContain(ZadarmaSandbox.DefaultSecret, run.AllText());
    }

    [Fact]
    public void CredentialsComeFromTheEnvironmentWhenNotGiven()
    {
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_KEY", ZadarmaSandbox.DefaultKey);
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_SECRET", ZadarmaSandbox.DefaultSecret);
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_ENDPOINT", _ps.Sandbox.ZadarmaEndpoint.ToString());
        try
        {
            var run = _ps.Run("Get-ZadarmaBalance");
            Assert.Null(run.Terminating);
            var balance = (ZadarmaBalance)Assert.Single(run.Output).BaseObject;
            Assert.Equal(25.47m, balance.Balance);
            Assert.Equal("USD", balance.Currency);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_KEY", null);
            Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_SECRET", null);
            Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_ENDPOINT", null);
        }
    }

    [Fact]
    public void ABlankSecretInTheEnvironmentCountsAsMissing()
    {
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_KEY", ZadarmaSandbox.DefaultKey);
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_SECRET", "   ");
        try
        {
            var run = _ps.Run("Get-ZadarmaBalance -Endpoint $ZadarmaEndpoint");
            var error = Assert.Single(run.Errors);
            Assert.StartsWith("ZadarmaSecretIsMissing", error.FullyQualifiedErrorId);
            Assert.Equal(0, _ps.Sandbox.Requests.Count);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_KEY", null);
            Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_SECRET", null);
        }
    }

    [Fact]
    public void NoCredentialIsOneClearTerminatingError()
    {
        var run = _ps.Run("Get-ZadarmaBalance -Endpoint $ZadarmaEndpoint; 'after'");
        // A terminating error of a cmdlet stops that statement (the script goes on): exactly one error, no output of it.
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("ZadarmaCredentialIsMissing", error.FullyQualifiedErrorId);
        Assert.Contains("MESSAGINGTOOLS_ZADARMA_API_KEY", error.Exception.Message);
        Assert.Equal(new[] { "after" }, run.Output.Select(o => o.ToString()));
        Assert.Equal(0, _ps.Sandbox.Requests.Count);
    }

    [Fact]
    public void VerboseAndDebugNeverShowTheSecret()
    {
        var run = _ps.Run($$"""
            $DebugPreference = 'Continue'
            Get-ZadarmaBalance {{Connection}} -Verbose -Debug
            Send-ZadarmaSms -Number 79001234567 -Message 'x' {{Connection}} -Verbose -Debug
            """);
        Assert.NotEmpty(run.Debug);
        Assert.Contains(run.Debug, d => d.Contains("Authorization: ********"));
        AssertNoSecret(run);
    }
}
