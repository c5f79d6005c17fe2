using MessagingTools.Core.Providers.Bale;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// Credentials, bot id and endpoint from parameters or environment variables (the runbook defaults).
/// Environment variables are process-wide, so every test that touches them lives in this one class (xunit runs a
/// class's tests one after another) and restores them.
/// </summary>
public sealed class SettingsTests : IClassFixture<PowerShellHost>, IDisposable
{
    private static readonly string[] Variables = { "MESSAGINGTOOLS_BALE_API_KEY", "MESSAGINGTOOLS_BALE_BOT_ID", "MESSAGINGTOOLS_BALE_ENDPOINT" };
    private readonly PowerShellHost _ps;

    public SettingsTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
        foreach (var v in Variables) Environment.SetEnvironmentVariable(v, null);
    }

    public void Dispose()
    {
        foreach (var v in Variables) Environment.SetEnvironmentVariable(v, null);
        _ps.Sandbox.Reset();
    }

    [Fact]
    public void EnvironmentVariablesAreTheDefaultsForARunbook()
    {
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_BALE_API_KEY", PowerShellHost.BaleSandboxKey);
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_BALE_BOT_ID", "4242");
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_BALE_ENDPOINT", _ps.Sandbox.BaleEndpoint.ToString());

        var run = _ps.Run("Send-BaleMessage -PhoneNumber 09123456789 -Text 'from env'");

        Assert.Empty(run.Errors);
        Assert.Equal(4242, Assert.Single(_ps.Sandbox.Bale.Deliveries.Snapshot()).BotId);
    }

    [Fact]
    public void ParametersWinOverEnvironmentVariables()
    {
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_BALE_BOT_ID", "4242");
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_BALE_ENDPOINT", "http://127.0.0.1:9/unused/");

        var run = _ps.Run("Send-BaleMessage -PhoneNumber 09123456789 -Text x -BotId 7 -ApiKey $BaleKey -Endpoint $SandboxBale");

        Assert.Empty(run.Errors);
        Assert.Equal(7, Assert.Single(_ps.Sandbox.Bale.Deliveries.Snapshot()).BotId);
    }

    [Fact]
    public void ASecureStringKeyWorksAsWellAsAPlainOne()
    {
        var run = _ps.Run("""
            $secure = [System.Security.SecureString]::new()
            $BaleKey.ToCharArray() | ForEach-Object { $secure.AppendChar($_) }
            Send-BaleMessage -PhoneNumber 09123456789 -Text x -BotId 7 -ApiKey $secure -Endpoint $SandboxBale
            """);
        Assert.Empty(run.Errors);
        Assert.Single(run.Output);
    }

    [Fact]
    public void AMissingKeyStopsTheCallWithOneClearError()
    {
        var run = _ps.Run("'09123456789', '09123456780' | Send-BaleMessage -Text x -BotId 7 -Endpoint $SandboxBale");
        var error = Assert.Single(run.Errors); // one error for the call, not one per row
        Assert.Equal("BaleApiKeyIsMissing,MessagingTools.Commands.Bale.SendBaleMessageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("MESSAGINGTOOLS_BALE_API_KEY", error.ToString());
        Assert.Empty(run.Output);
        Assert.Equal(0, _ps.Sandbox.Requests.Count);
    }

    [Fact]
    public void AMissingBotIdFailsEachRowSayingHowToGiveIt()
    {
        var run = _ps.Run("'09123456789' | Send-BaleMessage -Text x -ApiKey $BaleKey -Endpoint $SandboxBale");
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("BaleBotIdIsMissing,", error.FullyQualifiedErrorId);
        Assert.Contains("MESSAGINGTOOLS_BALE_BOT_ID", error.ToString());
    }

    [Fact]
    public void AnEmptyBotIdCellFallsBackToTheEnvironmentDefault()
    {
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_BALE_BOT_ID", "123");
        var run = _ps.Run("""
            @([pscustomobject]@{ Phone = '09123456789'; Message = 'a'; BotId = '' },
              [pscustomobject]@{ Phone = '09123456788'; Message = 'b'; BotId = '456' }) |
              Send-BaleMessage -ApiKey $BaleKey -Endpoint $SandboxBale
            """);
        Assert.Empty(run.Errors);
        Assert.Equal(new long[] { 123, 456 }, _ps.Sandbox.Bale.Deliveries.Snapshot().Select(d => d.BotId).Order());
    }

    [Fact]
    public void ABlankKeyCountsAsMissing()
    {
        var run = _ps.Run("Send-BaleMessage -PhoneNumber 09123456789 -Text x -BotId 7 -ApiKey '   ' -Endpoint $SandboxBale");
        Assert.StartsWith("BaleApiKeyIsMissing,", Assert.Single(run.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void AMalformedEndpointVariableStopsTheCall()
    {
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_BALE_ENDPOINT", "not a url");
        var run = _ps.Run("Send-BaleMessage -PhoneNumber 09123456789 -Text x -BotId 7 -ApiKey $BaleKey");
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("EndpointIsNotAnAddress,", error.FullyQualifiedErrorId);
        Assert.Contains("MESSAGINGTOOLS_BALE_ENDPOINT", error.ToString());
    }

    [Fact]
    public void PSDefaultParameterValuesSetTheEndpointForTheSession()
    {
        var run = _ps.Run("""
            $PSDefaultParameterValues['*-Bale*:Endpoint'] = $SandboxBale
            $PSDefaultParameterValues['*-Bale*:ApiKey'] = $BaleKey
            Send-BaleMessage -PhoneNumber 09123456789 -Text 'session default' -BotId 9
            """);
        Assert.Empty(run.Errors);
        Assert.Equal("session default", Assert.Single(_ps.Sandbox.Bale.Deliveries.Snapshot()).Text);
    }

    [Fact]
    public void TheDefaultEndpointIsSafir() => Assert.Equal("https://safir.bale.ai/api/v3/", BaleClient.DefaultEndpoint.ToString());
}
