using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// Issue 11, item 12: seen in PowerShell 7.6.9, <c>Publish-BaleFile /dev/zero</c> and <c>/proc/self/status</c> (files
/// that report 0 bytes but give data) ended, after four attempts, as "ConnectionFailed ... content would exceed
/// Content-Length", naming no field. A path that is not a regular file, or that cannot be read, is now refused before
/// any request with an error naming Path that says so.
/// </summary>
public sealed class BaleUploadsOnlyFilesItCanRead : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxServer _sandbox;
    private readonly string _dir = Directory.CreateTempSubdirectory("bale-special-").FullName;

    public BaleUploadsOnlyFilesItCanRead(SandboxFixture fixture)
    {
        _sandbox = fixture.Server;
        _sandbox.Reset();
        _sandbox.Latency = TimeSpan.Zero;
        _sandbox.Bale.MaxUploadBytes = BaleClient.MaxUploadBytes;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private BaleClient Client() => new(new Secret(BaleSandbox.DefaultApiKey), _sandbox.BaleEndpoint, new TestTransport().Transport);

    private async Task<MessagingException> Refused(string path)
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => Client().UploadFileAsync(path));
        Assert.Equal("Path", ex.Field);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains(path, ex.Message);
        Assert.Contains("Nothing was sent", ex.Message);
        Assert.Equal(0, _sandbox.Requests.Count);
        return ex;
    }

    [Theory]
    [InlineData("/dev/zero")] // a device: 0 bytes by its size, endless data
    [InlineData("/proc/self/status")] // a system file: 0 bytes by its size, text when read
    public async Task ASpecialFileThatReportsNoBytesButGivesDataIsNotARegularFile(string path)
    {
        if (!OperatingSystem.IsLinux()) return; // these files exist on Linux only
        var ex = await Refused(path);
        Assert.Equal("FileIsNotARegularFile", ex.ErrorId);
        Assert.Contains("not a regular file", ex.Message);
    }

    [Fact]
    public async Task AFileThatCannotBeReadIsRefusedSayingSo()
    {
        if (!OperatingSystem.IsLinux()) return;
        // Opens, but reading at offset 0 fails (EIO: no memory is mapped there), even for root.
        var ex = await Refused("/proc/self/mem");
        Assert.Equal("FileCannotBeRead", ex.ErrorId);
        Assert.Contains("cannot be read", ex.Message);
    }

    [Fact]
    public async Task AFolderIsNotAFile()
    {
        var ex = await Refused(_dir);
        Assert.Equal("FileIsNotARegularFile", ex.ErrorId);
        Assert.Contains("is a folder", ex.Message);
    }

    [Fact]
    public async Task AnEmptyRegularFileIsStillUploaded()
    {
        var path = Path.Combine(_dir, "empty.txt");
        File.WriteAllBytes(path, Array.Empty<byte>());
        var file = await Client().UploadFileAsync(path);
        Assert.Equal(0, file.Length);
        Assert.Equal(0, Assert.Single(_sandbox.Bale.Uploads.Snapshot()).Length);
    }
}
