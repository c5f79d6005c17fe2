using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// The sandbox's front door plays the manners of real servers (issue 16, guard 1; SandboxManners.cs): each is shown
/// here on the wire, with a raw TCP client that sees exactly what the server sends and when it closes.
/// </summary>
public sealed class SandboxMannersTests : IClassFixture<SandboxFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly SandboxServer _sandbox;

    public SandboxMannersTests(SandboxFixture fixture)
    {
        _sandbox = fixture.Server;
        _sandbox.Reset();
        _sandbox.Latency = TimeSpan.Zero;
    }

    public void Dispose() => _sandbox.Reset();

    private const string ReadManners = "GET /_sandbox/manners HTTP/1.1\r\nHost: sandbox\r\n\r\n";

    [Fact]
    public async Task PoliteAnswersTwoRequestsOnOneConnection()
    {
        using var client = await ConnectAsync();
        var first = await ExchangeAsync(client, ReadManners);
        var second = await ExchangeAsync(client, ReadManners);

        Assert.StartsWith("HTTP/1.1 200 ", first.StatusLine);
        Assert.StartsWith("HTTP/1.1 200 ", second.StatusLine);
        Assert.Null(first.Header("Connection"));
        Assert.Equal("Polite", JsonDocument.Parse(second.Body).RootElement.GetProperty("manners").GetString());
    }

    [Fact]
    public async Task CloseSilentlyClosesAfterEachAnswerWithoutSayingSo()
    {
        _sandbox.Manners = SandboxManners.CloseSilently;
        using var client = await ConnectAsync();

        var answer = await ExchangeAsync(client, ReadManners);

        // An answer that looks like a keep-alive one: HTTP/1.1, Content-Length, no Connection header...
        Assert.StartsWith("HTTP/1.1 200 ", answer.StatusLine);
        Assert.NotNull(answer.Header("Content-Length"));
        Assert.Null(answer.Header("Connection"));
        Assert.Equal("CloseSilently", JsonDocument.Parse(answer.Body).RootElement.GetProperty("manners").GetString());
        // ...and yet the server closes the connection right after it.
        Assert.True(await EndsAsync(client), "the server closes the connection after one answer");
    }

    [Fact]
    public async Task ErrorBeforeBodyAnswersARateLimitThatWasNeverSentItsBody()
    {
        _sandbox.Manners = SandboxManners.ErrorBeforeBody;
        _sandbox.Faults.Add(FaultKind.RateLimit, "send_message", retryAfterSeconds: 0);
        using var client = await ConnectAsync();

        // The head announces a megabyte and the client sends none of it: the answer can only come from the head.
        var answer = await ExchangeAsync(client,
            "POST /bale/api/v3/send_message HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 429 ", answer.StatusLine);
        Assert.Equal("close", answer.Header("Connection"));
        Assert.Equal("0", answer.Header("Retry-After"));
        Assert.True(await EndsAsync(client), "the server closes the connection after the early answer");
        var recorded = Assert.Single(_sandbox.Requests.Snapshot());
        Assert.False(recorded.BodyRead);
        Assert.Equal(FaultKind.RateLimit, recorded.Fault);
        Assert.Equal(0, _sandbox.Bale.Deliveries.Count);
    }

    [Fact]
    public async Task ErrorBeforeBodyAnswersWhileTheClientIsStillSendingAndLetsItReadTheAnswer()
    {
        // A client whose body is still on its way when the answer comes: the server does not read it and closes
        // gracefully (send shut down, the rest drained), so the client reads the whole answer without a reset.
        _sandbox.Manners = SandboxManners.ErrorBeforeBody;
        _sandbox.Faults.Add(FaultKind.Status, "flashcall", status: 503);
        using var client = await ConnectAsync();
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /flashcall/services/call/call/ HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\nContent-Length: 300000\r\n\r\n"));
        await stream.WriteAsync(new byte[100_000]);

        var answer = await ReadAnswerAsync(stream);

        Assert.StartsWith("HTTP/1.1 503 ", answer.StatusLine);
        Assert.Contains("sandbox fault: HTTP 503", answer.Body);
        Assert.Equal(0, _sandbox.FlashCall.Calls.Count);
    }

    [Fact]
    public async Task ErrorBeforeBodyReadsTheBodyOfARequestItProcesses()
    {
        // An AfterProcessing fault needs the request processed: the body is read, the call placed, then the 500.
        _sandbox.Manners = SandboxManners.ErrorBeforeBody;
        _sandbox.Faults.Add(FaultKind.Status, "send_message", afterProcessing: true);
        var client = new BaleClient(new Secret(BaleSandbox.DefaultApiKey), _sandbox.OnFront(_sandbox.BaleEndpoint), new TestTransport().Transport);

        await client.SendMessageAsync(new BaleMessage(123, "09123456781") { Text = "hello" });

        Assert.Equal(1, _sandbox.Bale.Deliveries.Count); // delivered, answered 500, retried with the same request_id
        var requests = _sandbox.Requests.Snapshot();
        Assert.Equal(2, requests.Count);
        Assert.True(requests[0].BodyRead);
        Assert.Equal(FaultKind.Status, requests[0].Fault);
        Assert.True(requests[0].AfterProcessing);
        Assert.Null(requests[1].Fault);
    }

    [Fact]
    public async Task Http10AnswersInHttp10WithTheBodyEndingAtTheClose()
    {
        _sandbox.Manners = SandboxManners.Http10;
        using var client = await ConnectAsync();

        var answer = await ExchangeAsync(client, ReadManners);

        Assert.StartsWith("HTTP/1.0 200 ", answer.StatusLine);
        Assert.Null(answer.Header("Content-Length"));
        Assert.Null(answer.Header("Connection"));
        Assert.True(answer.EndedByClose);
        Assert.Equal("Http10", JsonDocument.Parse(answer.Body).RootElement.GetProperty("manners").GetString());
    }

    [Fact]
    public async Task SlowAcceptServesEachNewConnectionOnlyAfterTheDelayOneAfterTheOther()
    {
        _sandbox.Manners = SandboxManners.SlowAccept;
        _sandbox.AcceptDelay = TimeSpan.FromMilliseconds(300);
        var watch = Stopwatch.StartNew();

        var times = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            using var client = await ConnectAsync();
            await ExchangeAsync(client, ReadManners);
            return watch.Elapsed;
        }));

        // Lower bounds only (these machines are noisy): the first is served after one delay, the second after two. A timer
        // may fire a little before the stopwatch says its time is up (299.7 ms was seen): 10 ms of slack a delay.
        Array.Sort(times);
        Assert.True(times[0] >= TimeSpan.FromMilliseconds(290), $"first answer after {times[0].TotalMilliseconds} ms");
        Assert.True(times[1] >= TimeSpan.FromMilliseconds(580), $"second answer after {times[1].TotalMilliseconds} ms");
    }

    [Fact]
    public async Task TheMannersAreSetOverHttpAndResetMakesThemPolite()
    {
        using var http = new HttpClient { BaseAddress = _sandbox.BaseUri };

        var set = await http.PostAsJsonAsync("_sandbox/manners", new { manners = "SlowAccept", acceptDelayMs = 50 });
        var answer = JsonDocument.Parse(await set.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(SandboxManners.SlowAccept, _sandbox.Manners);
        Assert.Equal(TimeSpan.FromMilliseconds(50), _sandbox.AcceptDelay);
        Assert.Equal(_sandbox.FrontBaseUri.ToString(), answer.GetProperty("frontBaseUri").GetString());

        var wrong = await http.PostAsJsonAsync("_sandbox/manners", new { manners = "Rude" });
        Assert.Equal(400, (int)wrong.StatusCode);
        Assert.Equal(SandboxManners.SlowAccept, _sandbox.Manners);

        (await http.PostAsync("_sandbox/reset", null)).EnsureSuccessStatusCode();
        Assert.Equal(SandboxManners.Polite, _sandbox.Manners);
        Assert.Equal(SandboxServer.DefaultAcceptDelay, _sandbox.AcceptDelay);
    }

    [Theory]
    [InlineData(SandboxManners.Polite)]
    [InlineData(SandboxManners.CloseSilently)]
    [InlineData(SandboxManners.ErrorBeforeBody)]
    [InlineData(SandboxManners.Http10)]
    [InlineData(SandboxManners.SlowAccept)]
    public async Task BaleSendsAndUploadsGoThroughEveryManner(SandboxManners manners)
    {
        // Bale sends are idempotent (request_id), so a client retries whatever a manner does to a connection:
        // every message is delivered once and the upload arrives whole, whatever the manner.
        _sandbox.Manners = manners;
        _sandbox.AcceptDelay = TimeSpan.FromMilliseconds(20);
        var client = new BaleClient(new Secret(BaleSandbox.DefaultApiKey), _sandbox.OnFront(_sandbox.BaleEndpoint), new TestTransport().Transport);

        await Task.WhenAll(Enumerable.Range(1, 20).Select(n =>
            client.SendMessageAsync(new BaleMessage(123, "0912" + n.ToString("D7")) { Text = "m" + n })));
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray());
            var file = await client.UploadFileAsync(path);
            Assert.Equal(200_000, Assert.Single(_sandbox.Bale.Uploads.Snapshot()).Length);
            Assert.False(string.IsNullOrEmpty(file.FileId));
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Equal(20, _sandbox.Bale.Deliveries.Snapshot().Select(d => d.PhoneNumber).Distinct().Count());
        Assert.Equal(20, _sandbox.Bale.Deliveries.Count);
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(_sandbox.FrontBaseUri.Host, _sandbox.FrontBaseUri.Port);
        return client;
    }

    private static async Task<RawAnswer> ExchangeAsync(TcpClient client, string request)
    {
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        return await ReadAnswerAsync(stream);
    }

    /// <summary>Whether the server closes the connection (the next read ends) within <see cref="Patience"/>.</summary>
    private static async Task<bool> EndsAsync(TcpClient client)
    {
        using var cts = new CancellationTokenSource(Patience);
        try { return await client.GetStream().ReadAsync(new byte[1], cts.Token) == 0; }
        catch (OperationCanceledException) { return false; }
        catch (IOException) { return false; } // a reset is not a graceful close
    }

    /// <summary>Reads one answer: the head byte by byte, then Content-Length bytes or, without it, up to the close.</summary>
    private static async Task<RawAnswer> ReadAnswerAsync(NetworkStream stream)
    {
        using var cts = new CancellationTokenSource(Patience);
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cts.Token) == 0) throw new IOException("the connection ended inside the answer's head");
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        using var body = new MemoryStream();
        var buffer = new byte[8192];
        bool endedByClose = false;
        if (headers.TryGetValue("Content-Length", out var length))
        {
            var remaining = int.Parse(length);
            while (remaining > 0)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, remaining)), cts.Token);
                if (n == 0) throw new IOException("the connection ended inside the answer's body");
                body.Write(buffer, 0, n);
                remaining -= n;
            }
        }
        else
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, cts.Token)) > 0) body.Write(buffer, 0, n);
            endedByClose = true;
        }
        return new RawAnswer(lines[0], headers, Encoding.UTF8.GetString(body.ToArray()), endedByClose);
    }

    private sealed record RawAnswer(string StatusLine, IReadOnlyDictionary<string, string> Headers, string Body, bool EndedByClose)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }
}
