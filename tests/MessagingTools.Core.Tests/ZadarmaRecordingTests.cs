using System.Security.Cryptography;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// ZadarmaClient.Recordings.cs against the sandbox over real HTTP: the links of /v1/pbx/record/request/ (signed, checked
/// by the sandbox) and the files at them (another path, unsigned), streamed to disk.
/// </summary>
public sealed class ZadarmaRecordingTests : IClassFixture<ZadarmaFixture>, IDisposable
{
    private readonly ZadarmaFixture _f;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zadarma-rec-" + Guid.NewGuid().ToString("N"));

    public ZadarmaRecordingTests(ZadarmaFixture f)
    {
        _f = f;
        _f.Server.Reset();
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private ZadarmaSandbox Sandbox => _f.Server.Zadarma;

    private static byte[] Expected(string id, long size)
    {
        var bytes = new byte[size];
        for (long i = 0; i < size; i++) bytes[i] = ZadarmaRecordingFiles.ContentByte(id, i);
        return bytes;
    }

    [Fact]
    public async Task ARecordingIdGivesOneSignedLinkOffTheApiAddressWithItsExpiry()
    {
        Sandbox.AddRecording(new ZadarmaSandboxRecording("1700000000.1234", "in_abc", 1000));
        var before = DateTimeOffset.UtcNow;

        var links = await _f.Client().GetRecordingLinksAsync(new ZadarmaRecordingQuery { RecordingId = " 1700000000.1234 ", PbxCallId = "in_abc", Lifetime = TimeSpan.FromHours(1) });

        var link = Assert.Single(links);
        Assert.Equal("1700000000.1234", link.RecordingId);
        Assert.Equal("in_abc", link.PbxCallId);
        Assert.StartsWith(new Uri(_f.Server.BaseUri, "zadarma-records/").AbsoluteUri, link.Url.AbsoluteUri);
        Assert.InRange(link.ExpiresAt, before.AddHours(1).AddSeconds(-2), DateTimeOffset.UtcNow.AddHours(1).AddSeconds(2));
        // Given both, only the recording's id is sent: it names exactly one recording.
        Assert.Equal(("/v1/pbx/record/request/", "call_id=1700000000.1234&lifetime=3600"), Sandbox.Verified.Snapshot().Last());
    }

    [Fact]
    public async Task AskingForALinkIsARead_RetriedAfterA5xx()
    {
        _f.Server.Faults.Add(FaultKind.Status, "/v1/pbx/record/request/", status: 502);
        var link = Assert.Single(await _f.Client().GetRecordingLinksAsync(new ZadarmaRecordingQuery { RecordingId = "1700000000.3" }));
        Assert.Equal("1700000000.3", link.RecordingId);
        Assert.Equal(2, _f.Server.Requests.Snapshot().Count(r => r.Path.EndsWith("/v1/pbx/record/request/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task APbxCallGivesALinkForEachOfItsRecordingsNamedByTheIdInTheFileName()
    {
        Sandbox.AddRecording(new ZadarmaSandboxRecording("1700000000.1", "in_call", 10));
        Sandbox.AddRecording(new ZadarmaSandboxRecording("1700000001.2", "in_call", 10));

        var links = await _f.Client().GetRecordingLinksAsync(new ZadarmaRecordingQuery { PbxCallId = "in_call" });

        Assert.Equal(new[] { "1700000000.1", "1700000001.2" }, links.Select(l => l.RecordingId));
        Assert.All(links, l => Assert.Equal("in_call", l.PbxCallId));
        Assert.Equal(("/v1/pbx/record/request/", "pbx_call_id=in_call"), Sandbox.Verified.Snapshot().Last());
    }

    [Fact]
    public async Task ARecordedRowOfThePbxStatisticsHasItsRecordingAndAnUnrecordedOneHasNone()
    {
        Sandbox.GenerateCalls(40, new DateTime(2026, 11, 1), new DateTime(2026, 11, 1, 23, 0, 0)); // calls 31.. last over 60 s: recorded
        var client = _f.Client();
        var rows = await client.GetPbxStatisticsAsync(new ZadarmaPbxStatisticsQuery(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero)));
        var recorded = rows.First(r => r.IsRecorded);
        var links = await client.GetRecordingLinksAsync(new ZadarmaRecordingQuery { PbxCallId = recorded.PbxCallId });
        Assert.NotNull(Assert.Single(links).RecordingId);
        var silent = rows.First(r => !r.IsRecorded);
        var ex = await Assert.ThrowsAsync<MessagingException>(() => client.GetRecordingLinksAsync(new ZadarmaRecordingQuery { PbxCallId = silent.PbxCallId }));
        Assert.Equal("ZadarmaRejectedTheRequest", ex.ErrorId);
        Assert.Equal("Record not found", ex.ProviderMessage);
    }

    [Theory]
    [InlineData(179)]
    [InlineData(5184001)]
    [InlineData(180.5)]
    public async Task ALifetimeZadarmaDoesNotTakeIsRefusedNamingTheFieldBeforeSending(double seconds)
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() =>
            _f.Client().GetRecordingLinksAsync(new ZadarmaRecordingQuery { RecordingId = "1700000000.1", Lifetime = TimeSpan.FromSeconds(seconds) }));
        Assert.Equal("ZadarmaLinkLifetimeIsOutOfRange", ex.ErrorId);
        Assert.Equal("Lifetime", ex.Field);
        Assert.Contains("180", ex.Message);
        Assert.Contains("5184000", ex.Message);
        Assert.Empty(_f.Server.Requests.Snapshot());
    }

    [Fact]
    public void TheEndsOfTheLifetimeRangeAreTaken()
    {
        ZadarmaClient.Prepare(new ZadarmaRecordingQuery { RecordingId = "1", Lifetime = ZadarmaClient.MinRecordingLinkLifetime });
        ZadarmaClient.Prepare(new ZadarmaRecordingQuery { RecordingId = "1", Lifetime = ZadarmaClient.MaxRecordingLinkLifetime });
        var ex = Assert.Throws<MessagingException>(() => ZadarmaClient.Prepare(new ZadarmaRecordingQuery { RecordingId = " ", PbxCallId = "" }));
        Assert.Equal("ZadarmaRecordingIdIsMissing", ex.ErrorId);
        Assert.Equal("RecordingId", ex.Field);
    }

    [Theory]
    [InlineData("http://x/r/tok/1-1465906452.1528072-100-2016-06-14-151412.mp3", null, "1465906452.1528072", "1465906452.1528072.mp3")]
    [InlineData("http://x/r/tok/file", "audio/wav", null, "in_x-2.wav")]
    [InlineData("http://x/r/tok/file", "application/octet-stream", null, "in_x-2")]
    public void AFileIsNamedByItsRecordingIdWithTheExtensionOfItsLinkOrType(string url, string? type, string? id, string name)
    {
        Assert.Equal(id, ZadarmaClient.RecordingIdOf(new Uri(url)));
        var link = new ZadarmaRecordingLink(id, "in_x", new Uri(url), DateTimeOffset.Now);
        Assert.Equal(name, ZadarmaClient.RecordingFileName(link, 2, type));
        Assert.Equal("_._x_y.mp3", ZadarmaClient.RecordingFileName(new ZadarmaRecordingLink("../x/y", null, new Uri("http://x/a.mp3"), DateTimeOffset.Now), 1, null));
    }

    private async Task<ZadarmaRecordingLink> LinkTo(string id, long size, string? pbx = null)
    {
        if (!Sandbox.Recordings.ContainsKey(id)) Sandbox.AddRecording(new ZadarmaSandboxRecording(id, pbx, size));
        return (await _f.Client().GetRecordingLinksAsync(new ZadarmaRecordingQuery { RecordingId = id })).Single();
    }

    [Fact]
    public async Task ARecordingIsSavedWholeUnderItsIdIntoAFolderMadeForIt()
    {
        var link = await LinkTo("1700000000.55", 300_000);
        var folder = Path.Combine(_folder, "new", "deeper");
        var progress = new List<long>();

        var file = await _f.Client().SaveRecordingAsync(new ZadarmaRecordingDownload(link, folder), new SyncProgress(progress.Add));

        Assert.Equal(Path.Combine(folder, "1700000000.55.mp3"), file.Path);
        Assert.Equal(300_000, file.Length);
        Assert.Equal("audio/mpeg", file.ContentType);
        Assert.Equal(Expected("1700000000.55", 300_000), File.ReadAllBytes(file.Path));
        Assert.Equal(new[] { "1700000000.55.mp3" }, Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal(300_000, progress.Last());
        // The download carried no credential: the link is not signed.
        var get = _f.Server.Requests.Snapshot().Last(r => r.Path.StartsWith("/zadarma-records/", StringComparison.Ordinal));
        Assert.Null(get.Header("Authorization"));
    }

    [Fact]
    public async Task AnExistingFileIsLeftAsItIsWithoutDownloadingUnlessOverwriteIsAsked()
    {
        var link = await LinkTo("1700000000.66", 5000);
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "1700000000.66.mp3");
        File.WriteAllText(path, "mine");

        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().SaveRecordingAsync(new ZadarmaRecordingDownload(link, _folder)));
        Assert.Equal("ZadarmaRecordingFileExists", ex.ErrorId);
        Assert.Equal("Path", ex.Field);
        Assert.Contains(path, ex.Message);
        Assert.Contains("-Force", ex.Message);
        Assert.Equal("mine", File.ReadAllText(path));
        Assert.Equal(0, Sandbox.RecordingFiles.Downloads);

        var file = await _f.Client().SaveRecordingAsync(new ZadarmaRecordingDownload(link, _folder) { Overwrite = true });
        Assert.Equal(5000, new FileInfo(path).Length);
        Assert.Equal(path, file.Path);
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task ADroppedDownloadIsRetriedFromItsFirstByte()
    {
        var link = await LinkTo("1700000000.77", 400_000);
        Sandbox.Recordings["1700000000.77"].DropAfter = 150_000;
        Sandbox.Recordings["1700000000.77"].DropCount = 1;

        var file = await _f.Client().SaveRecordingAsync(new ZadarmaRecordingDownload(link, _folder));

        Assert.Equal(Expected("1700000000.77", 400_000), File.ReadAllBytes(file.Path));
        Assert.Equal(2, Sandbox.RecordingFiles.Downloads);
    }

    [Fact]
    public async Task ADownloadThatNeverCompletesLeavesNoFileAndNoPartOfOne()
    {
        var link = await LinkTo("1700000000.88", 400_000);
        Sandbox.Recordings["1700000000.88"].DropAfter = 100_000;
        Sandbox.Recordings["1700000000.88"].DropCount = int.MaxValue;

        var ex = await Assert.ThrowsAsync<MessagingException>(() =>
            _f.Client(new TransportOptions { InitialBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 3 }).SaveRecordingAsync(new ZadarmaRecordingDownload(link, _folder)));

        Assert.Equal("ConnectionFailed", ex.ErrorId);
        Assert.False(ex.MayHaveTakenEffect);
        Assert.Equal(3, Sandbox.RecordingFiles.Downloads);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task A5xxOfTheFileServerIsRetriedAndAnExpiredLinkIsAnErrorSayingSo()
    {
        var link = await LinkTo("1700000000.99", 1000);
        _f.Server.Faults.Add(FaultKind.Status, "/zadarma-records/", status: 503);
        var file = await _f.Client().SaveRecordingAsync(new ZadarmaRecordingDownload(link, _folder));
        Assert.Equal(1000, file.Length);

        var gone = new ZadarmaRecordingLink("1700000000.99", null, new Uri(_f.Server.BaseUri, "zadarma-records/unknown/1-1700000000.99-100.mp3"), DateTimeOffset.Now);
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().SaveRecordingAsync(new ZadarmaRecordingDownload(gone, Path.Combine(_folder, "b"))));
        Assert.Equal("ZadarmaDownloadFailed", ex.ErrorId);
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(404, ex.HttpStatus);
        Assert.Contains("expired", ex.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_folder, "b")));
    }

    [Fact]
    public async Task ARedirectOfTheFileServerIsFollowedForTheLinkCarriesNoCredential()
    {
        var link = await LinkTo("1700000000.111", 2000);
        _f.Server.Faults.Add(new Fault { Kind = FaultKind.Redirect, PathContains = "/zadarma-records/", Status = 302, Location = link.Url.AbsoluteUri });
        var file = await _f.Client().SaveRecordingAsync(new ZadarmaRecordingDownload(link, _folder));
        Assert.Equal(2000, new FileInfo(file.Path).Length);
        Assert.Equal(2, _f.Server.Requests.Snapshot().Count(r => r.Path.StartsWith("/zadarma-records/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ALargeRecordingIsStreamedToDiskNotHeldInMemory()
    {
        const long size = 256L * 1024 * 1024; // far past the transport's 16 MB bound on answers it reads whole
        var link = await LinkTo("1700000000.100", size);
        var client = _f.Client();
        await client.SaveRecordingAsync(new ZadarmaRecordingDownload(await LinkTo("1700000000.101", 100_000), _folder)); // warm up
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var file = await client.SaveRecordingAsync(new ZadarmaRecordingDownload(link, _folder));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(size, new FileInfo(file.Path).Length);
        using (var stream = File.OpenRead(file.Path))
        {
            var head = new byte[3];
            stream.ReadExactly(head);
            Assert.Equal("ID3"u8.ToArray(), head);
        }
        // Client and server share this process (and other test classes run beside it); together they allocate far less than the file's size.
        Assert.True(allocated < size / 4, $"allocated {allocated:N0} bytes to download {size:N0}");
    }

    /// <summary>A progress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, out of order).</summary>
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
