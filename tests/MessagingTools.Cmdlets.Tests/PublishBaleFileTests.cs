using System.Management.Automation;
using System.Reflection;
using MessagingTools.Commands.Bale;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Sandbox;
using static MessagingTools.Cmdlets.Tests.ContractTests;

namespace MessagingTools.Cmdlets.Tests;

public sealed class PublishBaleFileTests : IClassFixture<PowerShellHost>, IDisposable
{
    private readonly PowerShellHost _ps;
    private readonly string _dir = Directory.CreateTempSubdirectory("bale-files-").FullName;
    private SandboxServer Sandbox => _ps.Sandbox;

    public PublishBaleFileTests(PowerShellHost ps)
    {
        _ps = ps;
        Sandbox.Reset();
        Sandbox.Bale.MaxUploadBytes = BaleClient.MaxUploadBytes;
        File.WriteAllText(Path.Combine(_dir, "a.jpg"), "aaa");
        File.WriteAllText(Path.Combine(_dir, "b.jpg"), "bbbb");
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "n");
        File.WriteAllText(Path.Combine(_dir, "good.txt"), "a good file");
        File.WriteAllText(Path.Combine(_dir, "other.txt"), "another file");
    }

    public void Dispose()
    {
        Sandbox.Reset();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void PublishBaleFileTakesPathsAndGetChildItemOutput()
    {
        var t = typeof(PublishBaleFileCommand);
        var cmdlet = t.GetCustomAttribute<CmdletAttribute>()!;
        Assert.Equal(("Publish", "BaleFile"), (cmdlet.VerbName, cmdlet.NounName));
        Assert.True(cmdlet.SupportsShouldProcess);
        Assert.Equal("Path", cmdlet.DefaultParameterSetName);
        Assert.Equal(typeof(BaleFile), t.GetCustomAttribute<OutputTypeAttribute>()!.Type.Single().Type);

        var path = Param(t, "Path");
        Assert.Equal("Path", path.ParameterSetName);
        Assert.True(path.Mandatory && path.ValueFromPipeline);
        var literal = Param(t, "LiteralPath");
        Assert.Equal("LiteralPath", literal.ParameterSetName);
        Assert.True(literal.Mandatory && literal.ValueFromPipelineByPropertyName);
        Assert.Superset(new HashSet<string> { "PSPath", "FullName" }, Aliases(t, "LiteralPath").ToHashSet());
    }

    [Fact]
    public void FilesPipedFromTheFileSystemAreUploadedAndTheirIdsPipeIntoSendBaleMessage()
    {
        // Get-ChildItem is not in the hosted engine; FileInfo objects bind the same way, through FullName/PSPath.
        var run = _ps.Run($$"""
            ([System.IO.DirectoryInfo]'{{_dir}}').GetFiles('*.jpg') |
                Publish-BaleFile -ApiKey $BaleKey -Endpoint $SandboxBale |
                Send-BaleMessage -PhoneNumber '0912 345 6789' -Text 'see this' -BotId 7 -ApiKey $BaleKey -Endpoint $SandboxBale
            """);

        Assert.Empty(run.Errors);
        Assert.Equal(2, run.Output.Count);
        var uploads = Sandbox.Bale.Uploads.Snapshot();
        Assert.Equal(new[] { "a.jpg", "b.jpg" }, uploads.Select(u => u.FileName).Order());
        Assert.Equal(uploads.Select(u => u.FileId).Order(), Sandbox.Bale.Deliveries.Snapshot().Select(d => d.FileId!).Order());
        Assert.All(Sandbox.Bale.Deliveries.Snapshot(), d => Assert.Equal("see this", d.Text));
    }

    [Fact]
    public void WildcardPathsUploadEachMatchInOrder()
    {
        var run = _ps.Run($"Publish-BaleFile -Path '{_dir}/*.jpg' -ApiKey $BaleKey -Endpoint $SandboxBale");
        Assert.Empty(run.Errors);
        Assert.Equal(new[] { "a.jpg", "b.jpg" }, run.Output.Select(o => ((BaleFile)o.BaseObject).Name));
        Assert.Equal(new long[] { 3, 4 }, run.Output.Select(o => ((BaleFile)o.BaseObject).Length));
    }

    [Fact]
    public void AMissingFileIsAnErrorAndTheOthersStillUpload()
    {
        var run = _ps.Run($"'{_dir}/a.jpg', '{_dir}/missing.jpg', '{_dir}/b.jpg' | Publish-BaleFile -ApiKey $BaleKey -Endpoint $SandboxBale");
        Assert.Equal(2, run.Output.Count);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("FileWasNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("missing.jpg", error.ToString());
    }

    [Fact]
    public void APathOnAnUnknownDriveFailsItsRowOnly()
    {
        var run = _ps.Run($"'nosuchdrive:/x.jpg', '{_dir}/a.jpg' | Publish-BaleFile -ApiKey $BaleKey -Endpoint $SandboxBale");
        Assert.Null(run.Terminating);
        Assert.Single(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("DriveNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal("nosuchdrive:/x.jpg", error.TargetObject?.ToString());
        Assert.StartsWith("Row 1", error.ErrorDetails!.Message);
    }

    [Fact]
    public void AWildcardThatMatchesNothingIsAnErrorForItsRow()
    {
        var run = _ps.Run($"'{_dir}/*.png', '{_dir}/a.jpg' | Publish-BaleFile -ApiKey $BaleKey -Endpoint $SandboxBale");
        Assert.Single(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("FileWasNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("*.png", error.ToString());
    }

    [Fact]
    public void TimeoutSecBoundsEachUploadAttempt()
    {
        Sandbox.Faults.Add(FaultKind.Hang, "upload_file", count: 1, delayMs: 20_000);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var run = _ps.Run($"Publish-BaleFile -LiteralPath '{_dir}/a.jpg' -ApiKey $BaleKey -Endpoint $SandboxBale -TimeoutSec 2");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(12), $"-TimeoutSec 2 took {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.Empty(run.Errors); // the retry after the timeout succeeded
        Assert.Single(run.Output);
    }

    [Fact]
    public void WhatIfUploadsNothing()
    {
        var run = _ps.Run($"Publish-BaleFile -Path '{_dir}/*.jpg' -ApiKey $BaleKey -Endpoint $SandboxBale -WhatIf");
        Assert.Empty(run.Output);
        Assert.Equal(0, Sandbox.Requests.Count);
        Assert.Equal(2, run.HostText.Count(l => l.StartsWith("What if: Performing the operation \"Upload file to Bale\"")));
    }

    [Fact]
    public void AFileOverTheServersLimitIsRefusedWithItsName()
    {
        Sandbox.Bale.MaxUploadBytes = 3;
        var run = _ps.Run($"Publish-BaleFile -LiteralPath '{_dir}/b.jpg' -ApiKey $BaleKey -Endpoint $SandboxBale");
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("BaleInputWasInvalid,", error.FullyQualifiedErrorId);
        Assert.Empty(run.Output);
    }

    // Issue 11, item 9: a parameter that names several things (-Path a, b; -Id x, y, z) gives each of them its own
    // outcome: one that is wrong is that one's error, naming the field (and, for an id, its position), and the others
    // are still carried out, in order. Seen in PowerShell 7.6.9: one missing path failed the whole call and nothing was
    // uploaded; one blank id failed every id.
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
}
