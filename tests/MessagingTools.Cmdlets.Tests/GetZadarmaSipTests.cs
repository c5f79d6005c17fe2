using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Get-ZadarmaSip in the real PowerShell engine against the sandbox.</summary>
[Collection("Zadarma environment")] // tests that set process environment variables must not overlap
public sealed class GetZadarmaSipTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public GetZadarmaSipTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    [Fact]
    public void AWrongSecretIsAnAuthenticationErrorWithoutTheSecret()
    {
        var run = _ps.Run("Get-ZadarmaSip -Credential $bad -Endpoint $ZadarmaEndpoint",
            new Dictionary<string, object?> { ["bad"] = PowerShellHost.ZadarmaSandboxCredential("wrong-secret-123") });
        var error = Assert.Single(run.Errors);
        Assert.Equal("AuthenticationError", error.CategoryInfo.Category.ToString());
        Assert.DoesNotContain("wrong-secret-123", run.AllText());
    }
}
