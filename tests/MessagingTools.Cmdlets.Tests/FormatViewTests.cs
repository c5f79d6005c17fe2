namespace MessagingTools.Cmdlets.Tests;

/// <summary>The format views, rendered by the engine's own formatter (Out-Host) into the recording host.</summary>
public sealed class FormatViewTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;

    public FormatViewTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private static string Rendered(PowerShellRun run) =>
        System.Text.RegularExpressions.Regex.Replace(string.Concat(run.HostText), "\x1b\\[[0-9;]*m", ""); // without colours

    [Fact]
    public void BaleMessageResultsShowAsATable()
    {
        var run = _ps.Run("'09123456789', '09123456780' | Send-BaleMessage -Text hi -BotId 1 -ApiKey $BaleKey -Endpoint $SandboxBale | Out-Host");
        Assert.Empty(run.Errors);
        var text = Rendered(run);
        // Headers are the property names; the time without its offset, and the text (issue 8: readable at 80 columns).
        Assert.Matches(@"PhoneNumber\s+Kind\s+IsSecure\s+SentAt\s+Text", text);
        Assert.Matches(@"989123456789\s+Text\s+False\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+hi", text);
        Assert.Matches(@"989123456780\s+Text\s+False", text);
    }

    [Fact]
    public void BaleFilesShowAsATable()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "12345");
        try
        {
            var run = _ps.Run($"Publish-BaleFile -LiteralPath '{path}' -ApiKey $BaleKey -Endpoint $SandboxBale | Out-Host");
            Assert.Empty(run.Errors);
            Assert.Matches(@"Name\s+Length\s+FileId", Rendered(run));
            Assert.Matches(Path.GetFileName(path).Replace(".", "\\.") + @"\s+5\s+[0-9a-f]{32}", Rendered(run));
        }
        finally
        {
            File.Delete(path);
        }
    }

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
