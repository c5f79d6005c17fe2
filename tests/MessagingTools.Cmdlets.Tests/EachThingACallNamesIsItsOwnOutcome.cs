using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Sandbox;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// Issue 11, item 9: a parameter that names several things (-Path a, b; -Id x, y, z) gives each of them its own
/// outcome: one that is wrong is that one's error, naming the field (and, for an id, its position), and the others are
/// still carried out, in order. Seen in PowerShell 7.6.9: one missing path failed the whole call and nothing was
/// uploaded; one blank id failed every id.
/// </summary>
public sealed class EachThingACallNamesIsItsOwnOutcome : IClassFixture<PowerShellHost>, IDisposable
{
    private readonly PowerShellHost _ps;
    private readonly string _dir = Directory.CreateTempSubdirectory("bale-paths-").FullName;
    private SandboxServer Sandbox => _ps.Sandbox;

    public EachThingACallNamesIsItsOwnOutcome(PowerShellHost ps)
    {
        _ps = ps;
        Sandbox.Reset();
        Sandbox.Bale.MaxUploadBytes = BaleClient.MaxUploadBytes;
        File.WriteAllText(Path.Combine(_dir, "good.txt"), "a good file");
        File.WriteAllText(Path.Combine(_dir, "other.txt"), "another file");
    }

    public void Dispose()
    {
        Sandbox.Reset();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void AMissingPathAmongSeveralIsItsOwnErrorAndTheOthersAreUploaded()
    {
        var run = _ps.Run($"""
            $null = $ExecutionContext.SessionState.Path.SetLocation('{_dir}') # no Set-Location in the hosted engine
            Publish-BaleFile -Path good.txt, missing.txt, other.txt -ApiKey $BaleKey -Endpoint $SandboxBale
            """);

        Assert.Null(run.Terminating);
        Assert.Equal(new[] { "good.txt", "other.txt" }, run.Output.Select(o => ((BaleFile)o.BaseObject).Name));
        Assert.Equal(2, Sandbox.Bale.Uploads.Count);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("FileWasNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal("Path", ((MessagingException)error.Exception).Field);
        Assert.StartsWith("Path: ", error.ErrorDetails!.Message);
        Assert.Contains("missing.txt", error.ErrorDetails.Message);
        Assert.Equal("missing.txt", error.TargetObject);
    }

    [Fact]
    public void PipedPathsStayRowsWithTheirNumbers()
    {
        var run = _ps.Run($"""
            $null = $ExecutionContext.SessionState.Path.SetLocation('{_dir}') # no Set-Location in the hosted engine
            'good.txt', 'missing.txt', 'other.txt' | Publish-BaleFile -ApiKey $BaleKey -Endpoint $SandboxBale
            """);

        Assert.Equal(new[] { "good.txt", "other.txt" }, run.Output.Select(o => ((BaleFile)o.BaseObject).Name));
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("Row 2, Path: ", error.ErrorDetails!.Message);
        Assert.Equal("missing.txt", error.TargetObject?.ToString());
    }

    [Fact]
    public void ABlankIdAmongSeveralIsItsOwnErrorNamingIdAndItsPosition()
    {
        Sandbox.Feedbot.StatusDelay = TimeSpan.Zero;
        var send = _ps.Run("Send-FeedbotMessage 972586666641 'one' -Token $FeedbotToken -Endpoint $SandboxFeedbot; " +
                           "Send-FeedbotMessage 972586666642 'two' -Token $FeedbotToken -Endpoint $SandboxFeedbot");
        var ids = send.Output.Select(o => ((FeedbotMessageResult)o.BaseObject).Id).ToList();
        Assert.Equal(2, ids.Count);

        var run = _ps.Run($"Get-FeedbotStatus -Id '{ids[0]}', '  ', '{ids[1]}' -Token $FeedbotToken -Endpoint $SandboxFeedbotStatus");

        Assert.Null(run.Terminating);
        Assert.Equal(ids, run.Output.Select(o => ((FeedbotStatusResult)o.BaseObject).Id));
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("FeedbotMessageIdIsMissing,", error.FullyQualifiedErrorId);
        Assert.Equal("Id", ((MessagingException)error.Exception).Field);
        Assert.StartsWith("Id: ", error.ErrorDetails!.Message);
        Assert.Contains("position 2 of 3", error.ErrorDetails.Message);
    }
}
