namespace MessagingTools.Cmdlets.Tests;

/// <summary>The flash-call and FeedBot format views, rendered by the engine's own formatter (Out-Host).</summary>
public sealed class FeedbotFormatViewTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;

    public FeedbotFormatViewTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private static string Rendered(PowerShellRun run) =>
        System.Text.RegularExpressions.Regex.Replace(string.Concat(run.HostText), "\x1b\\[[0-9;]*m", "");

    [Fact]
    public void FlashCallResultsShowAsATable()
    {
        var run = _ps.Run("'09123456789' | Send-FlashCall -Token $FlashCallToken -Endpoint $SandboxFlashCall | Out-Host");
        Assert.Empty(run.Errors);
        var call = _ps.Sandbox.FlashCall.Calls.Snapshot().Single();
        var text = Rendered(run);
        Assert.Matches(@"Destination\s+Code\s+HeadNumber\s+TrackingCode\s+Message", text);
        Assert.Matches($@"09123456789\s+{call.Code}\s+{call.HeadNumber}\s+{call.TrackingCode}", text);
    }

    [Fact]
    public void FeedbotResultsAndStatusesShowAsTables()
    {
        _ps.Sandbox.Feedbot.StatusDelay = TimeSpan.Zero;
        var run = _ps.Run("""
            $sent = Send-FeedbotMessage 972586666640 'hello table' -Token $FeedbotToken -Endpoint $SandboxFeedbot
            $sent | Out-Host
            $sent | Get-FeedbotStatus -Token $FeedbotToken -Endpoint $SandboxFeedbotStatus | Out-Host
            """);
        Assert.Empty(run.Errors);
        var id = _ps.Sandbox.Feedbot.Queued.Snapshot().Single().Id;
        var text = Rendered(run);
        Assert.Matches(@"Phone\s+Id\s+ExpiresAt\s+Text", text);
        Assert.Matches($@"972586666640\s+{id}\s+hello table", text);
        Assert.Matches(@"Id\s+Phone\s+Status\s+Reason", text);
        Assert.Matches($@"{id}\s+972586666640\s+Failed\s+The number is not registered on WhatsApp", text);
    }
}
