using System.Collections.Concurrent;
using System.Text;

namespace MessagingTools.Sandbox;

/// <summary>An answer a sandbox provider computed, written out by the server unless a fault replaces it.</summary>
public sealed record SandboxResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, string ContentType = "application/json; charset=utf-8")
{
    public static SandboxResponse Json(int status, string body, IReadOnlyDictionary<string, string>? headers = null) => new(status, body, headers);
}

/// <summary>A request as the sandbox received it.</summary>
public sealed record RecordedRequest(DateTimeOffset At, string Method, string Path, string Query,
    IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>The fault that hit this request (its <see cref="FaultKind"/>), or null when none did.</summary>
    public FaultKind? Fault { get; set; }

    /// <summary>With <see cref="Fault"/>: the request took effect before the fault replaced its answer.</summary>
    public bool AfterProcessing { get; set; }

    /// <summary>
    /// False when the sandbox answered without reading the body (the <see cref="SandboxManners.ErrorBeforeBody"/>
    /// manner): <see cref="Body"/> is then empty.
    /// </summary>
    public bool BodyRead { get; set; } = true;
}

/// <summary>One provider the sandbox emulates, mounted under a path prefix such as <c>/bale</c>.</summary>
public interface ISandboxProvider
{
    /// <summary>The path prefix, e.g. "/bale".</summary>
    string Prefix { get; }

    /// <summary>Handles a request; <paramref name="path"/> is the part after the prefix. Returns null for 404.</summary>
    Task<SandboxResponse?> HandleAsync(HttpContext context, string path, byte[] body);

    void Reset();
}

public enum FaultKind
{
    /// <summary>Answer with <see cref="Fault.Status"/> (500 by default) and a short JSON body.</summary>
    Status,
    /// <summary>Answer 429 with Retry-After and X-RateLimit headers.</summary>
    RateLimit,
    /// <summary>Hold the answer back for <see cref="Fault.Delay"/> (longer than the client waits: a timeout).</summary>
    Hang,
    /// <summary>Drop the connection without an answer.</summary>
    Drop,
    /// <summary>Answer 200 with a body that is not valid JSON.</summary>
    MalformedJson,
    /// <summary>Answer <see cref="Fault.Status"/> (a 3xx) with a Location header of <see cref="Fault.Location"/>.</summary>
    Redirect,
    /// <summary>
    /// Answer <see cref="Fault.Status"/> with an error text that echoes the request's credentials (the api-access-key,
    /// auth and Authorization headers, a "token" in a JSON body) as they are, base64-encoded and URL-encoded, as a
    /// careless provider would.
    /// </summary>
    EchoCredentials,
}

/// <summary>
/// A fault injected into the next <see cref="Count"/> requests whose path contains <see cref="PathContains"/>
/// (with <see cref="Every"/>: into every Nth of them). With <see cref="AfterProcessing"/> the request takes effect
/// first (a message is delivered), then the fault replaces the answer: the case that tests idempotent retries.
/// </summary>
public sealed class Fault
{
    public FaultKind Kind { get; set; }
    public string PathContains { get; set; } = "";
    /// <summary>When set, only requests whose body (as UTF-8 text) contains this are affected.</summary>
    public string? BodyContains { get; set; }
    public int Count { get; set; } = 1;
    /// <summary>
    /// When above 1, only every Nth matching request is hit (the Nth, 2Nth, ...; the others pass untouched), until
    /// <see cref="Count"/> were hit: a server that fails now and then rather than for a stretch. Retries count as
    /// requests, so a retry can be hit too.
    /// </summary>
    public int Every { get; set; } = 1;
    /// <summary>
    /// When set, a request whose body this fault has seen before (a retry of the same request) passes untouched and is
    /// not counted. With <see cref="Every"/> = 7 on Bale sends: a 500 after every 7th delivery, each retried once.
    /// </summary>
    public bool SkipRepeats { get; set; }
    public bool AfterProcessing { get; set; }
    public int Status { get; set; } = 500;
    public int DelayMs { get; set; } = 30_000;
    public int RetryAfterSeconds { get; set; } = 1;
    /// <summary>The body of a <see cref="FaultKind.Status"/> answer; null for a short JSON message.</summary>
    public string? Body { get; set; }
    /// <summary>Where a <see cref="FaultKind.Redirect"/> points.</summary>
    public string? Location { get; set; }

    internal int remaining = -1;
    internal long matched;
    internal HashSet<string> seenBodies = new(StringComparer.Ordinal);
}

/// <summary>Faults waiting to be applied, in the order they were added.</summary>
public sealed class FaultInjector
{
    private readonly object _lock = new();
    private readonly List<Fault> _faults = new();

    public void Add(Fault fault)
    {
        lock (_lock)
        {
            fault.remaining = fault.Count;
            fault.matched = 0;
            fault.seenBodies = new HashSet<string>(StringComparer.Ordinal);
            _faults.Add(fault);
        }
    }

    public void Add(FaultKind kind, string pathContains, int count = 1, bool afterProcessing = false, int status = 500, int delayMs = 30_000, int retryAfterSeconds = 1, int every = 1, bool skipRepeats = false) =>
        Add(new Fault { Kind = kind, PathContains = pathContains, Count = count, AfterProcessing = afterProcessing, Status = status, DelayMs = delayMs, RetryAfterSeconds = retryAfterSeconds, Every = every, SkipRepeats = skipRepeats });

    public void Clear()
    {
        lock (_lock) _faults.Clear();
    }

    internal Fault? Take(string path, byte[] body)
    {
        int cursor = 0;
        return Take(path, body, ref cursor, out _);
    }

    /// <summary>
    /// The fault that hits a request, or null. With <paramref name="body"/> null (the body is not read yet: the
    /// <see cref="SandboxManners.ErrorBeforeBody"/> manner decides from the request head) it stops at the first
    /// fault that needs the body to decide (<see cref="Fault.BodyContains"/>, <see cref="Fault.SkipRepeats"/>) and
    /// sets <paramref name="needsBody"/>: the faults before it have counted the request, and a second call with the
    /// body and the same <paramref name="cursor"/> goes on from there, so that no fault counts a request twice.
    /// </summary>
    internal Fault? Take(string path, byte[]? body, ref int cursor, out bool needsBody)
    {
        needsBody = false;
        lock (_lock)
        {
            for (; cursor < _faults.Count; cursor++)
            {
                var f = _faults[cursor];
                if (f.remaining <= 0 || !path.Contains(f.PathContains, StringComparison.OrdinalIgnoreCase)) continue;
                if (body is null && (f.BodyContains != null || f.SkipRepeats))
                {
                    needsBody = true;
                    return null;
                }
                if (f.BodyContains != null && !Encoding.UTF8.GetString(body!).Contains(f.BodyContains, StringComparison.Ordinal)) continue;
                // Repeats and the requests between two hits pass this fault by (a later fault may still take them).
                if (f.SkipRepeats && !f.seenBodies.Add(Convert.ToBase64String(body!))) continue;
                if (f.Every > 1 && ++f.matched % f.Every != 0) continue;
                f.remaining--;
                cursor = _faults.Count;
                return f;
            }
            return null;
        }
    }
}

/// <summary>A thread-safe, append-only record.</summary>
public sealed class Journal<T>
{
    private readonly ConcurrentQueue<T> _items = new();
    public void Add(T item) => _items.Enqueue(item);
    public IReadOnlyList<T> Snapshot() => _items.ToArray();
    public int Count => _items.Count;
    public void Clear() => _items.Clear();
}
