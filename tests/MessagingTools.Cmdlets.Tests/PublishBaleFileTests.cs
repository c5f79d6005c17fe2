using MessagingTools.Core.Providers.Bale;
using MessagingTools.Sandbox;

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
    }

    public void Dispose()
    {
        Sandbox.Reset();
        Directory.Delete(_dir, recursive: true);
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
}
