using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MessagingTools.Core.Tests;

/// <summary>
/// An HTTP/1.1 server on a bare socket, for faults that a real web server will not produce: reading a request on a
/// kept-alive connection, acting on it, and closing the socket without a word; redirecting; answering with a body
/// of any size. Each request (body up to 16 KB) is handed to <see cref="Respond"/>, which says what to do with it.
/// </summary>
public sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    /// <summary>What to do with one request.</summary>
    public abstract record Reply;

    /// <summary>Answer with this status, headers and body; keep the connection open for the next request.</summary>
    public sealed record Answer(int Status, string Body = "{}", IReadOnlyDictionary<string, string>? Headers = null) : Reply;

    /// <summary>
    /// Answer as <see cref="Answer"/> does, without a Connection header, then close the connection: a server that serves
    /// one request per connection without saying so (HTTP/1.1 allows it; Python's http.server does it).
    /// </summary>
    public sealed record AnswerThenClose(int Status, string Body = "{}") : Reply;

    /// <summary>Close the connection without answering (after the request was read: the server may have acted).</summary>
    public sealed record Drop : Reply;

    /// <summary>Answer 200 with a body of this many bytes of JSON-ish filler, written in chunks.</summary>
    public sealed record Huge(long Bytes) : Reply;

    public RawHttpServer(Func<Received, Reply> respond)
    {
        Respond = respond;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public Func<Received, Reply> Respond { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Every request read, in arrival order, with the number of the connection it came on.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    public int Connections => _connections;
    private int _connections;

    public sealed record Received(int Connection, string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch { return; }
            var number = Interlocked.Increment(ref _connections);
            _ = ServeAsync(client, number);
        }
    }

    private async Task ServeAsync(TcpClient client, int connection)
    {
        using (client)
        {
            var stream = client.GetStream();
            var reader = new BufferedReader(stream);
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var request = await reader.ReadRequestAsync(connection, _stop.Token);
                    if (request is null) return;
                    Requests.Enqueue(request);
                    switch (Respond(request))
                    {
                        case Drop:
                            client.Client.LingerState = new LingerOption(true, 0);
                            return;
                        case Answer answer:
                            var body = Encoding.UTF8.GetBytes(answer.Body);
                            var head = new StringBuilder($"HTTP/1.1 {answer.Status} Status\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n");
                            foreach (var h in answer.Headers ?? new Dictionary<string, string>()) head.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
                            head.Append("\r\n");
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
                            await stream.WriteAsync(body);
                            break;
                        case AnswerThenClose last:
                            var lastBody = Encoding.UTF8.GetBytes(last.Body);
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                                $"HTTP/1.1 {last.Status} Status\r\nContent-Type: application/json\r\nContent-Length: {lastBody.Length}\r\n\r\n"));
                            await stream.WriteAsync(lastBody);
                            client.Client.Shutdown(SocketShutdown.Send);
                            return;
                        case Huge huge:
                            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {huge.Bytes}\r\n\r\n"));
                            var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
                            for (long sent = 0; sent < huge.Bytes; sent += chunk.Length)
                                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, huge.Bytes - sent)), _stop.Token);
                            break;
                    }
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested) { }
            catch (IOException) { }
            catch (SocketException) { }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private sealed class BufferedReader
    {
        private readonly NetworkStream _stream;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start, _end;

        public BufferedReader(NetworkStream stream) => _stream = stream;

        private async Task<bool> FillAsync(CancellationToken token)
        {
            if (_start > 0) { Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start); _end -= _start; _start = 0; }
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), token);
            _end += read;
            return read > 0;
        }

        public async Task<Received?> ReadRequestAsync(int connection, CancellationToken token)
        {
            int headerEnd;
            while ((headerEnd = IndexOf("\r\n\r\n"u8)) < 0)
                if (!await FillAsync(token)) return null;
            var head = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start).Split("\r\n");
            _start = headerEnd + 4;
            var parts = head[0].Split(' ');
            var headers = head.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            var length = headers.TryGetValue("Content-Length", out var l) ? int.Parse(l) : 0;
            while (_end - _start < length)
                if (!await FillAsync(token)) return null;
            var body = Encoding.UTF8.GetString(_buffer, _start, length);
            _start += length;
            return new Received(connection, parts[0], parts[1], headers, body);
        }

        private int IndexOf(ReadOnlySpan<byte> needle)
        {
            var index = _buffer.AsSpan(_start, _end - _start).IndexOf(needle);
            return index < 0 ? -1 : _start + index;
        }
    }
}
