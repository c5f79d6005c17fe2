using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace MessagingTools.Sandbox;

/// <summary>
/// How the sandbox's front door (<see cref="SandboxServer.FrontBaseUri"/>) behaves at the HTTP level. Real servers
/// differ in their manners, and a test server that is polite hides a client's defects: each impolite manner is one
/// that real servers have and HTTP/1.1 allows. The emulated APIs, faults, latency and records are the same in all.
/// </summary>
public enum SandboxManners
{
    /// <summary>HTTP/1.1 keep-alive with Content-Length, as Kestrel itself answers; closes only when the client asks.</summary>
    Polite,

    /// <summary>
    /// Closes the connection after each answer without saying <c>Connection: close</c> (the answer looks like a
    /// keep-alive one), as Python's http.server does: send shut down, then the socket closed at once, so a request
    /// written on it afterwards meets a reset.
    /// </summary>
    CloseSilently,

    /// <summary>
    /// A request that a fault answers without processing it (<see cref="FaultKind.Status"/> or
    /// <see cref="FaultKind.RateLimit"/>, not <see cref="Fault.AfterProcessing"/>) is answered as soon as its head is
    /// read, without reading its body, with <c>Connection: close</c>; then the connection closes gracefully as real
    /// servers' lingering close does (send shut down, what the client still sends read and dropped for a moment, then
    /// closed), so the client can read the answer. Other requests are answered politely. A fault that needs the body
    /// to decide (<see cref="Fault.BodyContains"/>, <see cref="Fault.SkipRepeats"/>) makes the front read the body first.
    /// </summary>
    ErrorBeforeBody,

    /// <summary>
    /// Answers in HTTP/1.0: the status line says HTTP/1.0, there is no keep-alive and no Content-Length: the body
    /// ends where the connection closes.
    /// </summary>
    Http10,

    /// <summary>
    /// Polite, but slow to accept connections: each new connection waits <see cref="SandboxServer.AcceptDelay"/>
    /// before it is served, one after the other (a busy accept loop), so N connections opened at once wait N delays.
    /// </summary>
    SlowAccept,
}

/// <summary>
/// The front door of the sandbox: a raw TCP listener on a port of its own that plays <see cref="SandboxManners"/>.
/// It reads each HTTP/1.1 request itself (Content-Length or chunked body), forwards it to the Kestrel app on the
/// sandbox's own address (<see cref="SandboxServer.BaseUri"/>, always polite) and writes the answer back in the
/// manner of the moment. The manner is read when a connection is accepted (<see cref="SandboxManners.SlowAccept"/>)
/// and for every request.
/// Not played: a <see cref="FaultKind.Hang"/> ends when its delay does even if the client gave up meanwhile (the
/// front does not watch the client while Kestrel answers); a <see cref="FaultKind.Drop"/> resets the client's connection.
/// </summary>
internal sealed class MannersFront : IAsyncDisposable
{
    /// <summary>Tells the Kestrel app which fault the front decided for a request (<see cref="SandboxServer.TakeFrontDecision"/>).</summary>
    internal const string DecisionHeader = "X-Sandbox-Front-Decision";

    private const int MaxHeadBytes = 64 * 1024;
    private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(1);
    private static readonly HashSet<string> s_hopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect", "Host", "Proxy-Connection", "TE", "Trailer", "Upgrade",
    };

    private readonly SandboxServer _server;
    private readonly TcpListener _listener;
    private readonly HttpClient _backend;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private Task _accepting = Task.CompletedTask;

    /// <param name="port">0 picks a free port.</param>
    public MannersFront(SandboxServer server, int port)
    {
        _server = server;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _backend = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Start()
    {
        _listener.Start(backlog: 512);
        _accepting = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            socket.NoDelay = true;
            _open[socket] = 0;
            // The kernel completes the TCP handshake of a connection waiting in the backlog; what a client of a slow
            // accept loop sees is that nothing answers for a while. One connection at a time: the next waits too.
            if (_server.Manners == SandboxManners.SlowAccept)
            {
                try { await Task.Delay(_server.AcceptDelay, _stop.Token); }
                catch (OperationCanceledException) { Close(socket); return; }
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var ct = _stop.Token;
        var reader = new RequestReader(socket);
        try
        {
            while (true)
            {
                var head = await reader.ReadHeadAsync(ct);
                if (head is null) break; // the client closed the connection between requests
                var manners = _server.Manners;
                if (!await AnswerAsync(socket, reader, head, manners, ct)) break;
            }
            Close(socket);
        }
        catch (Exception)
        {
            // A malformed request, the client gone, the sandbox stopping, or a Drop fault from Kestrel: reset.
            Reset(socket);
        }
    }

    /// <summary>Answers one request in the given manner; false when the connection is to be closed after it.</summary>
    private async Task<bool> AnswerAsync(Socket socket, RequestReader reader, RequestHead head, SandboxManners manners, CancellationToken ct)
    {
        bool clientWantsClose = head.Version == "HTTP/1.0"
            ? !head.HasToken("Connection", "keep-alive")
            : head.HasToken("Connection", "close");

        // ErrorBeforeBody: a fault that does not process the request is answered from the head alone.
        string? decision = null;
        if (manners == SandboxManners.ErrorBeforeBody && _server.IsProviderPath(head.Path))
        {
            int cursor = 0;
            var fault = _server.Faults.Take(head.Path, null, ref cursor, out var needsBody);
            if (!needsBody && fault is { AfterProcessing: false, Kind: FaultKind.Status or FaultKind.RateLimit })
            {
                var early = SandboxServer.FaultAnswer(fault);
                _server.RecordUnread(head.Method, head.Path, head.Query, head.HeaderDictionary(), fault);
                await WriteAnswerAsync(socket, "HTTP/1.1", early.Status, ToHeaders(early), Encoding.UTF8.GetBytes(early.Body),
                    contentLength: true, sayClose: true, ct);
                await LingeringCloseAsync(socket, reader);
                return false;
            }
            if (needsBody)
            {
                var bodyFirst = await ReadBodyAsync(socket, reader, head, manners, ct);
                fault = _server.Faults.Take(head.Path, bodyFirst ?? Array.Empty<byte>(), ref cursor, out _);
                decision = _server.AddFrontDecision(fault);
                return await ForwardAndAnswerAsync(socket, head, bodyFirst, decision, manners, clientWantsClose, ct);
            }
            decision = _server.AddFrontDecision(fault);
        }

        var body = await ReadBodyAsync(socket, reader, head, manners, ct);
        return await ForwardAndAnswerAsync(socket, head, body, decision, manners, clientWantsClose, ct);
    }

    private static async Task<byte[]?> ReadBodyAsync(Socket socket, RequestReader reader, RequestHead head, SandboxManners manners, CancellationToken ct)
    {
        // An HTTP/1.0 server knows nothing of 100-continue: the client waits, then sends the body anyway.
        if (manners != SandboxManners.Http10 && head.HasToken("Expect", "100-continue") && head.HasBody)
            await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n"), SocketFlags.None, ct);
        return await reader.ReadBodyAsync(head, ct);
    }

    private async Task<bool> ForwardAndAnswerAsync(Socket socket, RequestHead head, byte[]? body, string? decision, SandboxManners manners,
        bool clientWantsClose, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(new HttpMethod(head.Method), new Uri(_server.BaseUri, head.Target.TrimStart('/')));
        if (body != null) request.Content = new ByteArrayContent(body);
        foreach (var (name, value) in head.Headers)
        {
            if (s_hopByHop.Contains(name) || name.Equals(DecisionHeader, StringComparison.OrdinalIgnoreCase)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content?.Headers.TryAddWithoutValidation(name, value);
        }
        if (decision != null) request.Headers.TryAddWithoutValidation(DecisionHeader, decision);

        using var answer = await _backend.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var answerBody = await answer.Content.ReadAsByteArrayAsync(ct);
        var headers = answer.Headers.Concat(answer.Content.Headers)
            .Where(h => !s_hopByHop.Contains(h.Key))
            .SelectMany(h => h.Value.Select(v => (h.Key, v)))
            .ToList();
        var status = (int)answer.StatusCode;

        switch (manners)
        {
            case SandboxManners.CloseSilently:
                // Looks like a keep-alive answer; then send is shut down and the socket closed at once (Python's
                // socketserver: shutdown(SHUT_WR), close()).
                await WriteAnswerAsync(socket, "HTTP/1.1", status, headers, answerBody, contentLength: true, sayClose: false, ct);
                socket.Shutdown(SocketShutdown.Send);
                Close(socket);
                return false;
            case SandboxManners.Http10:
                // No Content-Length: the end of the body is the end of the connection.
                await WriteAnswerAsync(socket, "HTTP/1.0", status, headers, answerBody, contentLength: false, sayClose: false, ct);
                socket.Shutdown(SocketShutdown.Send);
                Close(socket);
                return false;
            default:
                await WriteAnswerAsync(socket, "HTTP/1.1", status, headers, answerBody, contentLength: true, sayClose: clientWantsClose, ct);
                if (!clientWantsClose) return true;
                socket.Shutdown(SocketShutdown.Send);
                return false;
        }
    }

    private static List<(string, string)> ToHeaders(SandboxResponse response)
    {
        var list = new List<(string, string)> { ("Date", DateTimeOffset.UtcNow.ToString("r")), ("Content-Type", response.ContentType) };
        if (response.Headers != null) list.AddRange(response.Headers.Select(h => (h.Key, h.Value)));
        return list;
    }

    private static async Task WriteAnswerAsync(Socket socket, string version, int status, IEnumerable<(string Name, string Value)> headers,
        byte[] body, bool contentLength, bool sayClose, CancellationToken ct)
    {
        var head = new StringBuilder();
        head.Append(version).Append(' ').Append(status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(status)).Append("\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (contentLength) head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        if (sayClose) head.Append("Connection: close\r\n");
        head.Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        var all = new byte[headBytes.Length + body.Length];
        headBytes.CopyTo(all, 0);
        body.CopyTo(all, headBytes.Length);
        await socket.SendAsync(all, SocketFlags.None, ct);
    }

    /// <summary>
    /// Closes after an answer given before the body was read, the way real servers do (nginx's lingering close):
    /// closing a socket with unread data would reset the connection, and a reset can destroy the answer before the
    /// client reads it. So: send shut down (the client sees the end of the answer), what the client still sends is
    /// read and dropped until it closes or a moment passes, then the socket is closed.
    /// </summary>
    private async Task LingeringCloseAsync(Socket socket, RequestReader reader)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            using var linger = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            linger.CancelAfter(LingerTime);
            await reader.DrainAsync(linger.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException) { }
        Close(socket);
    }

    private void Close(Socket socket)
    {
        _open.TryRemove(socket, out _);
        socket.Dispose();
    }

    private void Reset(Socket socket)
    {
        try { socket.LingerState = new LingerOption(true, 0); } catch (Exception) { }
        Close(socket);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _open.Keys) Reset(socket);
        try { await _accepting; } catch (Exception) { }
        _backend.Dispose();
    }

    /// <summary>The head of an HTTP/1.x request: request line and headers.</summary>
    private sealed class RequestHead
    {
        public required string Method { get; init; }
        /// <summary>The request target as sent (origin form: path and query).</summary>
        public required string Target { get; init; }
        public required string Version { get; init; }
        public required List<(string Name, string Value)> Headers { get; init; }

        public string Path => Target.Split('?', 2)[0];
        public string Query => Target.Contains('?') ? "?" + Target.Split('?', 2)[1] : "";

        public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(h => h.Value).FirstOrDefault();

        public bool HasToken(string name, string token) => Headers.Any(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase) &&
            h.Value.Split(',').Any(t => t.Trim().Equals(token, StringComparison.OrdinalIgnoreCase)));

        public bool IsChunked => HasToken("Transfer-Encoding", "chunked");

        public long? ContentLength => long.TryParse(Header("Content-Length"), out var n) ? n : null;

        public bool HasBody => IsChunked || ContentLength > 0;

        public Dictionary<string, string> HeaderDictionary() => Headers
            .GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => h.Value)), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Reads requests off a socket: heads up to the empty line, bodies by Content-Length or chunks.</summary>
    private sealed class RequestReader(Socket socket)
    {
        private byte[] _buffer = new byte[16 * 1024];
        private int _start, _end;

        /// <summary>The next request's head; null when the connection ended before its first byte.</summary>
        public async Task<RequestHead?> ReadHeadAsync(CancellationToken ct)
        {
            int scanned = 0; // bytes after _start already searched (FillAsync may move them to the buffer's start)
            while (true)
            {
                var at = IndexOf("\r\n\r\n"u8, _start + scanned);
                if (at >= 0)
                {
                    var text = Encoding.Latin1.GetString(_buffer, _start, at - _start);
                    _start = at + 4;
                    return Parse(text);
                }
                scanned = Math.Max(0, _end - _start - 3);
                if (_end - _start > MaxHeadBytes) throw new InvalidDataException("request head too large");
                if (await FillAsync(ct) == 0)
                {
                    if (_end == _start) return null;
                    throw new IOException("the connection ended inside a request head");
                }
            }
        }

        /// <summary>The body the head announces (null when it announces none).</summary>
        public async Task<byte[]?> ReadBodyAsync(RequestHead head, CancellationToken ct)
        {
            if (head.IsChunked)
            {
                using var body = new MemoryStream();
                while (true)
                {
                    var line = await ReadLineAsync(ct);
                    var size = Convert.ToInt32(line.Split(';', 2)[0].Trim(), 16);
                    if (size == 0)
                    {
                        while ((await ReadLineAsync(ct)).Length > 0) { } // trailers up to the empty line
                        return body.ToArray();
                    }
                    body.Write(await ReadExactAsync(size, ct));
                    if ((await ReadLineAsync(ct)).Length != 0) throw new InvalidDataException("a chunk does not end with CRLF");
                }
            }
            return head.ContentLength is long length ? await ReadExactAsync(checked((int)length), ct) : null;
        }

        /// <summary>Reads and drops whatever arrives until the client closes (or <paramref name="ct"/> fires).</summary>
        public async Task DrainAsync(CancellationToken ct)
        {
            _start = _end = 0;
            while (await FillAsync(ct) > 0) _start = _end = 0;
        }

        private async Task<byte[]> ReadExactAsync(int count, CancellationToken ct)
        {
            var result = new byte[count];
            int copied = 0;
            while (copied < count)
            {
                if (_start == _end && await FillAsync(ct) == 0) throw new IOException("the connection ended inside a request body");
                var n = Math.Min(count - copied, _end - _start);
                Array.Copy(_buffer, _start, result, copied, n);
                _start += n;
                copied += n;
            }
            return result;
        }

        private async Task<string> ReadLineAsync(CancellationToken ct)
        {
            while (true)
            {
                var at = IndexOf("\r\n"u8, _start);
                if (at >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, at - _start);
                    _start = at + 2;
                    return line;
                }
                if (_end - _start > MaxHeadBytes) throw new InvalidDataException("line too long");
                if (await FillAsync(ct) == 0) throw new IOException("the connection ended inside a chunked body");
            }
        }

        private async Task<int> FillAsync(CancellationToken ct)
        {
            if (_start > 0 && _start == _end) _start = _end = 0;
            if (_end == _buffer.Length)
            {
                if (_start > 0)
                {
                    Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                else Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var n = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
            _end += n;
            return n;
        }

        private int IndexOf(ReadOnlySpan<byte> what, int from)
        {
            var at = _buffer.AsSpan(from, _end - from).IndexOf(what);
            return at < 0 ? -1 : from + at;
        }

        private static RequestHead Parse(string text)
        {
            var lines = text.Split("\r\n");
            var requestLine = lines[0].Split(' ');
            if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
                throw new InvalidDataException("not an HTTP/1.x request line: " + lines[0]);
            var headers = new List<(string, string)>();
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':');
                if (colon <= 0) throw new InvalidDataException("not a header line: " + line);
                headers.Add((line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
            return new RequestHead { Method = requestLine[0], Target = requestLine[1], Version = requestLine[2], Headers = headers };
        }
    }
}
