using System.Diagnostics;
using System.Text;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>The Bale client against the sandbox over real HTTP on 127.0.0.1.</summary>
public sealed class BaleClientTests : IClassFixture<SandboxFixture>, IDisposable
{
    private const long Bot = 123456789;
    private readonly SandboxServer _sandbox;
    private readonly TestTransport _transport = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("bale-special-").FullName;

    public BaleClientTests(SandboxFixture fixture)
    {
        _sandbox = fixture.Server;
        _sandbox.Reset();
        _sandbox.Latency = TimeSpan.Zero;
        _sandbox.Bale.MaxUploadBytes = BaleClient.MaxUploadBytes;
    }

    public void Dispose()
    {
        _sandbox.Reset();
        Directory.Delete(_dir, recursive: true);
    }

    private BaleClient Client(TestTransport? transport = null, string key = BaleSandbox.DefaultApiKey) =>
        new(new Secret(key), _sandbox.BaleEndpoint, (transport ?? _transport).Transport);

    [Fact]
    public async Task TextMessageIsDeliveredToTheNormalizedNumber()
    {
        var result = await Client().SendMessageAsync(new BaleMessage(Bot, "0912 345 6789") { Text = "hello" });

        var delivery = Assert.Single(_sandbox.Bale.Deliveries.Snapshot());
        Assert.Equal("989123456789", delivery.PhoneNumber);
        Assert.Equal("hello", delivery.Text);
        Assert.Equal(Bot, delivery.BotId);
        Assert.False(delivery.IsSecure);
        Assert.Equal(delivery.RequestId, result.RequestId);
        Assert.Equal("Text", result.Kind);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task FileIsUploadedThenSentWithItsCaption()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "picture bytes");
            var file = await Client().UploadFileAsync(path);
            var result = await Client().SendMessageAsync(new BaleMessage(Bot, "+989123456789") { FileId = file.FileId, Text = "caption" });

            var upload = Assert.Single(_sandbox.Bale.Uploads.Snapshot());
            Assert.Equal(file.FileId, upload.FileId);
            Assert.Equal(13, upload.Length);
            var delivery = Assert.Single(_sandbox.Bale.Deliveries.Snapshot());
            Assert.Equal(file.FileId, delivery.FileId);
            Assert.Equal("caption", delivery.Text);
            Assert.Equal("File", result.Kind);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task CopyTextAndSecureMessagesArriveAsSuch()
    {
        await Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "your code", CopyText = "48213" });
        await Client().SendMessageAsync(new BaleMessage(Bot, "09123456780") { Text = "secret", IsSecure = true });

        var deliveries = _sandbox.Bale.Deliveries.Snapshot();
        Assert.Equal("48213", deliveries[0].CopyText);
        Assert.False(deliveries[0].IsSecure);
        Assert.True(deliveries[1].IsSecure);
        Assert.Equal("secret", deliveries[1].Text);
        // The text of a secure message is masked in the debug log.
        Assert.DoesNotContain("\"secret\"", _transport.Log);
    }

    [Fact]
    public async Task RequestIdIsGeneratedWhenMissingAndKeptWhenGiven()
    {
        var a = await Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "a" });
        var b = await Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "b" });
        var c = await Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "c", RequestId = "order-42" });

        Assert.NotEqual(a.RequestId, b.RequestId);
        Assert.True(Guid.TryParse(a.RequestId, out _));
        Assert.Equal("order-42", c.RequestId);
        Assert.Equal(new[] { a.RequestId, b.RequestId, "order-42" }, _sandbox.Bale.Deliveries.Snapshot().Select(d => d.RequestId));
    }

    [Fact]
    public async Task SendingTheSameRequestIdTwiceDeliversOnce()
    {
        await Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "a", RequestId = "same" });
        await Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "a", RequestId = "same" });

        Assert.Equal(2, _sandbox.Bale.SendRequests);
        Assert.Single(_sandbox.Bale.Deliveries.Snapshot());
    }

    [Theory]
    [InlineData("سلام دنیا! این یک پیام آزمایشی است.")]             // Persian
    [InlineData("שלום עולם, זו הודעת בדיקה")]                       // Hebrew
    [InlineData("Привет, мир! Это тестовое сообщение.")]            // Russian
    [InlineData("Emoji 👋🏽🎉 and ZWJ 👩‍💻, flags 🇮🇷")]                 // astral plane, ZWJ sequences
    [InlineData("Mixed: سلام \"quoted\" <tag> & 'single' \\ back\nnew line\ttab")]
    public async Task TextArrivesByteExact(string text)
    {
        await Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = text });

        var delivery = Assert.Single(_sandbox.Bale.Deliveries.Snapshot());
        Assert.Equal(Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(delivery.Text!));
        // Sent as UTF-8 JSON, letters unescaped (readable logs): the raw body holds the text's own bytes.
        var raw = _sandbox.Requests.Snapshot().Single(r => r.Path.EndsWith("send_message")).BodyText;
        Assert.Contains(text.Split(' ')[0], raw);
        Assert.Equal("application/json; charset=utf-8", _sandbox.Requests.Snapshot()[0].Header("Content-Type"));
    }

    public static TheoryData<int, string, ErrorKind> ErrorCodes => new()
    {
        { 2, "BaleInternalServerError", ErrorKind.Remote },
        { 3, "BaleRateLimitExceeded", ErrorKind.RateLimited },
        { 4, "BaleInputWasInvalid", ErrorKind.InvalidInput },
        { 8, "BalePhoneNumberIsInvalid", ErrorKind.InvalidInput },
        { 17, "BaleRecipientIsNotABaleUser", ErrorKind.NotFound },
        { 20, "BalePaymentIsRequired", ErrorKind.QuotaExceeded },
        { 21, "BaleContactLimitWasReached", ErrorKind.QuotaExceeded },
    };

    [Theory]
    [MemberData(nameof(ErrorCodes))]
    public async Task EachSafirErrorCodeEndsAsTheRightError(int code, string errorId, ErrorKind kind)
    {
        var phone = BaleSandbox.ErrorPhonePrefix + code.ToString("00");
        var ex = await Assert.ThrowsAsync<MessagingException>(() =>
            Client().SendMessageAsync(new BaleMessage(Bot, phone) { Text = "x" }));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(code.ToString(), ex.ProviderCode);
        Assert.Equal("Bale", ex.Provider);
        Assert.Contains(phone, ex.Message);
        Assert.Contains($"code {code}", ex.Message);
        Assert.Empty(_sandbox.Bale.Deliveries.Snapshot());
        // InternalServerError and RateLimitExceeded are worth retrying (same request_id); the others are final.
        var expectedRequests = code switch { 2 => 4, 3 => 4, _ => 1 };
        Assert.Equal(expectedRequests, _sandbox.Bale.SendRequests);
    }

    [Fact]
    public async Task NotBaleUserIsReportedPerPhoneNumber()
    {
        _sandbox.Bale.NotBaleUsers["989121111111"] = true;
        var ex = await Assert.ThrowsAsync<MessagingException>(() =>
            Client().SendMessageAsync(new BaleMessage(Bot, "09121111111") { Text = "x" }));
        Assert.Equal("BaleRecipientIsNotABaleUser", ex.ErrorId);
        Assert.Equal("PhoneNumber", ex.Field);
    }

    [Theory]
    [InlineData(FaultKind.Status)]
    [InlineData(FaultKind.Drop)]
    [InlineData(FaultKind.MalformedJson)]
    public async Task SendRetriedAfterAFaultReusesItsRequestIdAndDeliversOnce(FaultKind kind)
    {
        _sandbox.Faults.Add(kind, "send_message", count: 2, afterProcessing: true, status: 503);

        var result = await Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "once" });

        Assert.Equal(3, result.Attempts);
        var sent = _sandbox.Requests.Snapshot().Where(r => r.Path.EndsWith("send_message")).ToList();
        Assert.Equal(3, sent.Count);
        Assert.Single(sent.Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("request_id").GetString()).Distinct());
        var delivery = Assert.Single(_sandbox.Bale.Deliveries.Snapshot());
        Assert.Equal(result.RequestId, delivery.RequestId);
    }

    [Fact]
    public async Task SendRetriedAfterATimeoutReusesItsRequestIdAndDeliversOnce()
    {
        var transport = new TestTransport(timeout: TimeSpan.FromMilliseconds(300));
        _sandbox.Faults.Add(FaultKind.Hang, "send_message", count: 1, afterProcessing: true, delayMs: 5_000);

        var result = await Client(transport).SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "once" });

        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, _sandbox.Bale.SendRequests);
        Assert.Single(_sandbox.Bale.Deliveries.Snapshot());
        Assert.Contains("no answer within 0.3 s", transport.Log);
    }

    [Fact]
    public async Task A429IsWaitedOutAsTold()
    {
        _sandbox.Faults.Add(FaultKind.RateLimit, "send_message", count: 1, retryAfterSeconds: 1);
        var watch = Stopwatch.StartNew();

        var result = await Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "x" });

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited only {watch.Elapsed}");
        Assert.Equal(2, result.Attempts);
        Assert.Single(_sandbox.Bale.Deliveries.Snapshot());
        Assert.Contains("429", _transport.Log);
    }

    [Fact]
    public async Task Persistent429EndsAsRateLimited()
    {
        _sandbox.Faults.Add(FaultKind.RateLimit, "send_message", count: 100, retryAfterSeconds: 0);
        var ex = await Assert.ThrowsAsync<MessagingException>(() =>
            Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "x" }));
        Assert.Equal(ErrorKind.RateLimited, ex.Kind);
        Assert.Empty(_sandbox.Bale.Deliveries.Snapshot());
    }

    [Fact]
    public async Task ServerErrorsThatNeverStopEndAsARemoteError()
    {
        _sandbox.Faults.Add(FaultKind.Status, "send_message", count: 100, status: 502);
        var ex = await Assert.ThrowsAsync<MessagingException>(() =>
            Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "x" }));
        Assert.Equal(ErrorKind.Remote, ex.Kind);
        Assert.Equal(502, ex.HttpStatus);
        Assert.Equal(4, _sandbox.Requests.Count); // MaxAttempts, then the final answer is the error
        Assert.Empty(_sandbox.Bale.Deliveries.Snapshot());
    }

    [Fact]
    public async Task CancellationStopsARequestInFlightPromptly()
    {
        _sandbox.Faults.Add(FaultKind.Hang, "send_message", count: 1, delayMs: 10_000);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "x" }, cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task InvalidInputIsRefusedBeforeAnythingIsSent()
    {
        var phone = await Assert.ThrowsAsync<MessagingException>(() => Client().SendMessageAsync(new BaleMessage(Bot, "0912-bad") { Text = "x" }));
        Assert.Equal("PhoneNumber", phone.Field);
        var empty = await Assert.ThrowsAsync<MessagingException>(() => Client().SendMessageAsync(new BaleMessage(Bot, "09123456789")));
        Assert.Equal("BaleMessageIsEmpty", empty.ErrorId);
        var bot = await Assert.ThrowsAsync<MessagingException>(() => Client().SendMessageAsync(new BaleMessage(0, "09123456789") { Text = "x" }));
        Assert.Equal("BotId", bot.Field);
        Assert.Equal(0, _sandbox.Requests.Count);
    }

    [Fact]
    public async Task UnknownFileIdIsInvalidInput()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() =>
            Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { FileId = "no-such-file" }));
        Assert.Equal("BaleInputWasInvalid", ex.ErrorId);
    }

    [Fact]
    public async Task TheApiKeyAppearsInNoMessageToStringOrLogLine()
    {
        const string key = "sk-live-7Hq2-DO-NOT-LEAK-91f0";
        _sandbox.Bale.ApiKey = key;
        try
        {
            var transport = new TestTransport(timeout: TimeSpan.FromMilliseconds(300));
            var client = Client(transport, key);
            var texts = new List<string>();

            texts.Add((await client.SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "ok" })).ToString());
            _sandbox.Faults.Add(FaultKind.Hang, "send_message", count: 10, delayMs: 2_000);
            texts.Add((await Assert.ThrowsAsync<MessagingException>(() => client.SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "t" }))).ToString());
            _sandbox.Faults.Clear();
            texts.Add((await Assert.ThrowsAsync<MessagingException>(() => Client(transport, key + "-wrong").SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "a" }))).ToString());
            texts.Add((await Assert.ThrowsAsync<MessagingException>(() => client.SendMessageAsync(new BaleMessage(Bot, BaleSandbox.ErrorPhonePrefix + "17") { Text = "b" }))).ToString());
            texts.Add(new Secret(key).ToString());
            texts.Add(client.ToString()!);

            Assert.Contains("api-access-key: ********", transport.Log); // the header is logged, masked
            foreach (var text in texts.Append(transport.Log))
                Assert.DoesNotContain(key, text);
            Assert.Contains(_sandbox.Requests.Snapshot(), r => r.Header("api-access-key") == key); // but it was sent
        }
        finally
        {
            _sandbox.Bale.ApiKey = BaleSandbox.DefaultApiKey;
        }
    }

    [Fact]
    public async Task AWrongKeyIsAnAuthenticationError()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() =>
            Client(key: "wrong").SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "x" }));
        Assert.Equal(ErrorKind.Authentication, ex.Kind);
        Assert.Equal(401, ex.HttpStatus);
        Assert.Equal(1, _sandbox.Requests.Count); // not retried
    }

    [Fact]
    public async Task AFileOver500MBIsRefusedWithoutReadingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bale-{Guid.NewGuid():N}.bin");
        try
        {
            using (var fs = new FileStream(path, FileMode.CreateNew)) fs.SetLength(501L * 1024 * 1024); // sparse: no data written
            var watch = Stopwatch.StartNew();

            var ex = await Assert.ThrowsAsync<MessagingException>(() => Client().UploadFileAsync(path));

            Assert.Equal("BaleFileIsTooLarge", ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
            Assert.Contains("525,336,576 bytes", ex.Message);
            Assert.Equal(0, _sandbox.Requests.Count); // not one byte sent
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}: the file was read");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AFileOfExactly500MBIsAllowedToStart()
    {
        // The limit is inclusive: a file of exactly 500 MB passes the check (the sandbox limit is lowered so nothing big is sent).
        var path = Path.Combine(Path.GetTempPath(), $"bale-{Guid.NewGuid():N}.bin");
        _sandbox.Bale.MaxUploadBytes = 1024;
        try
        {
            using (var fs = new FileStream(path, FileMode.CreateNew)) fs.SetLength(BaleClient.MaxUploadBytes);
            var ex = await Assert.ThrowsAsync<MessagingException>(() => Client().UploadFileAsync(path));
            Assert.NotEqual("BaleFileIsTooLarge", ex.ErrorId); // refused by the server, not by the client check
            Assert.Equal("BaleInputWasInvalid", ex.ErrorId);
            Assert.Equal(413, ex.HttpStatus);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task UploadsAreStreamedNotBuffered()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bale-{Guid.NewGuid():N}.bin");
        const long size = 64L * 1024 * 1024;
        try
        {
            using (var fs = new FileStream(path, FileMode.CreateNew)) fs.SetLength(size);
            var client = Client();
            await client.UploadFileAsync(path); // warm up
            var before = GC.GetTotalAllocatedBytes(precise: true);

            var file = await client.UploadFileAsync(path);

            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Assert.Equal(size, file.Length);
            Assert.Equal(size, _sandbox.Bale.Uploads.Snapshot().Last().Length);
            // Client and server share this process; together they allocate far less than the file's size.
            Assert.True(allocated < size / 4, $"allocated {allocated:N0} bytes to upload {size:N0}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task UploadContentArrivesIntact()
    {
        var path = Path.Combine(Path.GetTempPath(), $"تصویر-{Guid.NewGuid():N}.jpg");
        var bytes = new byte[300_000];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            var file = await Client().UploadFileAsync(path);
            var upload = _sandbox.Bale.Uploads.Snapshot().Single();
            Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant(), upload.Sha256);
            Assert.Equal("image/jpeg", upload.ContentType);
            Assert.Equal(Path.GetFileName(path), upload.FileName);
            Assert.Equal(Path.GetFileName(path), file.Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Issue 11, item 12: seen in PowerShell 7.6.9, Publish-BaleFile /dev/zero and /proc/self/status (files that report
    // 0 bytes but give data) ended, after four attempts, as "ConnectionFailed ... content would exceed Content-Length",
    // naming no field. A path that is not a regular file, or that cannot be read, is now refused before any request
    // with an error naming Path that says so.
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

    // Issue 11, items 11 and 12: a text holding a lone surrogate is refused before any request, naming its field
    // (the story and the rule itself: UnicodeTextTests).
    private const string Lone = UnicodeTextTests.Lone;

    [Theory]
    [InlineData("Text")]
    [InlineData("Caption")]
    [InlineData("CopyText")]
    [InlineData("RequestId")]
    public async Task BaleRefusesEachTextFieldBeforeSending(string field)
    {
        var message = field switch
        {
            "Text" => new BaleMessage(123, "09123456789") { Text = Lone },
            "Caption" => new BaleMessage(123, "09123456789") { FileId = "file-1", Text = Lone },
            "CopyText" => new BaleMessage(123, "09123456789") { Text = "ok", CopyText = Lone },
            _ => new BaleMessage(123, "09123456789") { Text = "ok", RequestId = Lone },
        };
        var expected = field == "Caption" ? "Text" : field;

        var prepared = Assert.Throws<MessagingException>(() => BaleClient.Prepare(message));
        Assert.Equal("TextIsNotValidUnicode", prepared.ErrorId);
        Assert.Equal(expected, prepared.Field);
        var sent = await Assert.ThrowsAsync<MessagingException>(() => Client().SendMessageAsync(message));
        Assert.Equal("TextIsNotValidUnicode", sent.ErrorId);
        Assert.Equal(expected, sent.Field);
        Assert.Equal(0, _sandbox.Requests.Count);
        Assert.Empty(_sandbox.Bale.Deliveries.Snapshot());
    }
}
