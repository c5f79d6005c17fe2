namespace MessagingTools.Cmdlets.Tests;

/// <summary>The format views, rendered by the engine's own formatter (Out-Host) into the recording host.</summary>
public sealed class FormatViewTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;

    public FormatViewTests(PowerShellHost ps) => _ps = ps;

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
}
