using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MessagingTools.Sandbox.Providers;

/// <summary>A call recording the sandbox keeps: its id (call_id), its PBX call, its size and type.</summary>
public sealed record ZadarmaSandboxRecording(string Id, string? PbxCallId, long Size, string Extension = "mp3")
{
    /// <summary>The downloads of this recording that end after <see cref="DropAfter"/> bytes with the connection dropped.</summary>
    public int DropCount { get; set; }

    /// <summary>With <see cref="DropCount"/>: how many bytes such a download sends before dropping.</summary>
    public long DropAfter { get; set; }

    /// <summary>A pause after every 64 KB of a download: a slow server, for tests that watch a download's progress.</summary>
    public TimeSpan ChunkDelay { get; set; }
}

/// <summary>A greeting file the sandbox received with a voicemail forwarding (multipart greeting_file).</summary>
public sealed record ZadarmaSandboxGreeting(string Extension, string FileName, string ContentType, long Length, string Sha256, DateTimeOffset At);

/// <summary>
/// Call recordings and PBX forwarding (PROVIDERS.md 2a): GET /v1/pbx/record/request/ answers temporary links (link for a
/// call_id, links[] for a pbx_call_id, lifetime_till) that point at <see cref="ZadarmaRecordingFiles"/> (another path
/// prefix: the links are not on the API address, and are not signed); GET and POST /v1/pbx/redirection/, whose POST may be
/// a multipart form with a greeting file, signed over its other fields only (PHP SDK Client::_getAuthHeader).
/// </summary>
public sealed partial class ZadarmaSandbox
{
    private readonly ConcurrentDictionary<string, ZadarmaSandboxRecording> _recordings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PbxRedirectionState> _pbxRedirections = new(StringComparer.Ordinal);

    /// <summary>Serves the files at the recording links (prefix /zadarma-records); registered by the server beside the API.</summary>
    public ZadarmaRecordingFiles RecordingFiles { get; } = new();

    /// <summary>The size of a recording the sandbox makes up for an id in Zadarma's form that it was not given.</summary>
    public const long DefaultRecordingSize = 48_000;

    /// <summary>The recordings added by hand (<see cref="AddRecording"/>).</summary>
    public IReadOnlyDictionary<string, ZadarmaSandboxRecording> Recordings => _recordings;

    /// <summary>The forwarding of each PBX extension.</summary>
    public IReadOnlyDictionary<string, PbxRedirectionState> PbxRedirections => _pbxRedirections;

    /// <summary>Greeting files received.</summary>
    public Journal<ZadarmaSandboxGreeting> Greetings { get; } = new();

    public sealed class PbxRedirectionState
    {
        public string Extension { get; init; } = "";
        public string Name { get; init; } = "";
        public string Status { get; set; } = "off";
        public string Type { get; set; } = "";
        public string Destination { get; set; } = "";
        public string Condition { get; set; } = "";
        public string VoicemailGreeting { get; set; } = "";
        public string SetCallerId { get; set; } = "";
    }

    public void AddRecording(ZadarmaSandboxRecording recording) => _recordings[recording.Id] = recording;

    private void SeedPbx()
    {
        _pbxRedirections["100"] = new PbxRedirectionState { Extension = "100", Name = "Reception" };
        _pbxRedirections["102"] = new PbxRedirectionState { Extension = "102", Name = "Support" };
        _pbxRedirections["101"] = new PbxRedirectionState
        {
            Extension = "101", Name = "Sales", Status = "on", Type = "phone", Destination = "79001234567", Condition = "noanswer", SetCallerId = "on",
        };
    }

    private void ResetPbx()
    {
        _recordings.Clear();
        _pbxRedirections.Clear();
        Greetings.Clear();
        RecordingFiles.Reset();
        SeedPbx();
    }

    /// <summary>The recording id the sandbox gives a call of its statistics that is recorded (over 60 s): unix time of its start, a dot, its number.</summary>
    public static string RecordingIdOf(ZadarmaSandboxCall call) =>
        new DateTimeOffset(call.CallStart, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." +
        new string(call.Id.Where(char.IsAsciiDigit).ToArray()).TrimStart('0').PadLeft(1, '0');

    private static bool IsRecorded(ZadarmaSandboxCall call) => call.Seconds > 60;

    /// <summary>The recording of an id: one added by hand, one of a recorded statistics call, or one made up for an id in Zadarma's form.</summary>
    private ZadarmaSandboxRecording? FindRecording(string id)
    {
        if (_recordings.TryGetValue(id, out var known)) return known;
        lock (Calls)
            foreach (var c in Calls)
                if (IsRecorded(c) && RecordingIdOf(c) == id) return new ZadarmaSandboxRecording(id, "in_" + c.Id, c.Seconds * 2000L);
        return System.Text.RegularExpressions.Regex.IsMatch(id, @"^[0-9]{9,11}\.[0-9]+$") ? new ZadarmaSandboxRecording(id, null, DefaultRecordingSize) : null;
    }

    private List<ZadarmaSandboxRecording> RecordingsOfCall(string pbxCallId)
    {
        var list = _recordings.Values.Where(r => r.PbxCallId == pbxCallId).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        lock (Calls)
            foreach (var c in Calls)
                if (IsRecorded(c) && "in_" + c.Id == pbxCallId && list.All(r => r.Id != RecordingIdOf(c)))
                    list.Add(new ZadarmaSandboxRecording(RecordingIdOf(c), pbxCallId, c.Seconds * 2000L));
        return list;
    }

    /// <summary>The parameters of a multipart form as PHP fills $_POST (files apart, as $_FILES), and its files.</summary>
    private static (List<KeyValuePair<string, string>> Fields, List<(string Name, string FileName, string ContentType, byte[] Bytes)> Files)? Multipart(HttpContext context, byte[] body)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType) ||
            !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) || mediaType.Boundary.Length == 0)
            return null;
        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value!, new MemoryStream(body)) { BodyLengthLimit = null };
        var fields = new List<KeyValuePair<string, string>>();
        var files = new List<(string, string, string, byte[])>();
        MultipartSection? section;
        while ((section = reader.ReadNextSectionAsync().GetAwaiter().GetResult()) != null)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            using var ms = new MemoryStream();
            section.Body.CopyTo(ms);
            if (disposition.FileName.HasValue || disposition.FileNameStar.HasValue)
                files.Add((name, disposition.FileNameStar.Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "", section.ContentType ?? "", ms.ToArray()));
            else
            {
                fields.RemoveAll(p => p.Key == name);
                fields.Add(new(name, Encoding.UTF8.GetString(ms.ToArray())));
            }
        }
        return (fields, files);
    }

    /// <summary>The methods of this file, or null for a path that is not one of them.</summary>
    private SandboxResponse? PbxMethod(HttpContext context, string verb, string path, Func<string, string?> p,
        List<(string Name, string FileName, string ContentType, byte[] Bytes)> files, IReadOnlyDictionary<string, string> h)
    {
        switch (path)
        {
            case "/v1/pbx/record/request/":
                return verb == "GET" ? RecordRequest(context, p("call_id"), p("pbx_call_id"), p("lifetime"), h)
                    : Error(405, $"Method {verb} is not allowed; use GET", h);
            case "/v1/pbx/redirection/":
                return verb switch
                {
                    "GET" => PbxRedirection(p("pbx_number"), h),
                    "POST" => SetPbxRedirection(p, files, h),
                    _ => Error(405, $"Method {verb} is not allowed; use GET or POST", h),
                };
            default:
                return null;
        }
    }

    private SandboxResponse RecordRequest(HttpContext context, string? callId, string? pbxCallId, string? lifetimeText, IReadOnlyDictionary<string, string> h)
    {
        long lifetime = 1800;
        if (lifetimeText != null && (!long.TryParse(lifetimeText, NumberStyles.None, CultureInfo.InvariantCulture, out lifetime) || lifetime < 180 || lifetime > 5184000))
            return Error(400, "Wrong parameter 'lifetime'", h);
        if (string.IsNullOrEmpty(callId) && string.IsNullOrEmpty(pbxCallId)) return Error(400, "call_id or pbx_call_id required", h);
        var till = DateTimeOffset.UtcNow.AddSeconds(lifetime);
        var tillText = TimeZoneInfo.ConvertTime(till, TimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        // The links are on another path prefix of this server, as Zadarma's are files apart from the API.
        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        if (!string.IsNullOrEmpty(callId))
        {
            var recording = FindRecording(callId);
            if (recording is null) return Error(400, "Record not found", h);
            return Answer(200, new { status = "success", link = RecordingFiles.Link(origin, recording, till), lifetime_till = tillText }, h);
        }
        var recordings = RecordingsOfCall(pbxCallId!);
        if (recordings.Count == 0) return Error(400, "Record not found", h);
        return Answer(200, new { status = "success", links = recordings.Select(r => RecordingFiles.Link(origin, r, till)).ToArray(), lifetime_till = tillText }, h);
    }

    private SandboxResponse PbxRedirection(string? extension, IReadOnlyDictionary<string, string> h)
    {
        if (extension is null || !_pbxRedirections.TryGetValue(extension, out var r)) return Error(400, "Wrong parameter 'pbx_number'", h);
        return Answer(200, PbxAnswer(r), h);
    }

    private static object PbxAnswer(PbxRedirectionState r) => new
    {
        status = "success", current_status = r.Status, pbx_id = "12345", pbx_name = r.Name, type = r.Type, destination = r.Destination,
        condition = r.Condition, voicemail_greeting = r.VoicemailGreeting, set_caller_id = r.SetCallerId,
    };

    private SandboxResponse SetPbxRedirection(Func<string, string?> p, List<(string Name, string FileName, string ContentType, byte[] Bytes)> files, IReadOnlyDictionary<string, string> h)
    {
        var extension = p("pbx_number");
        if (extension is null || !_pbxRedirections.TryGetValue(extension, out var r)) return Error(400, "Wrong parameter 'pbx_number'", h);
        if (p("status") is string status)
        {
            if (status != "off") return Error(400, "Wrong parameter 'status'", h);
            r.Status = "off";
            return Answer(200, PbxAnswer(r), h);
        }
        var condition = p("condition");
        if (condition != "always" && condition != "noanswer") return Error(400, "Wrong parameter 'condition'", h);
        var destination = p("destination") ?? "";
        switch (p("type"))
        {
            case "phone":
                if (!Digits(destination)) return Error(400, "Wrong parameter 'destination'", h);
                var callerId = p("set_caller_id");
                if (callerId != "on" && callerId != "off") return Error(400, "Wrong parameter 'set_caller_id'", h);
                (r.Status, r.Type, r.Destination, r.Condition, r.SetCallerId, r.VoicemailGreeting) = ("on", "phone", destination, condition, callerId, "");
                return Answer(200, PbxAnswer(r), h);
            case "voicemail":
                if (!System.Text.RegularExpressions.Regex.IsMatch(destination, @"^[^@\s]+@[^@\s]+\.[^@\s]+$")) return Error(400, "Wrong parameter 'destination'", h);
                var greeting = p("voicemail_greeting");
                if (greeting != "no" && greeting != "standart" && greeting != "own") return Error(400, "Wrong parameter 'voicemail_greeting'", h);
                if (greeting == "own")
                {
                    var file = files.FirstOrDefault(f => f.Name == "greeting_file");
                    if (file.Bytes is null) return Error(400, "Wrong parameter 'greeting_file'", h);
                    var ext = Path.GetExtension(file.FileName).ToLowerInvariant();
                    if (ext != ".mp3" && ext != ".wav") return Error(400, "Greeting file has wrong extension", h);
                    if (file.Bytes.Length >= 5 * 1024 * 1024) return Error(400, "Greeting file is larger than 5 MB", h);
                    Greetings.Add(new ZadarmaSandboxGreeting(extension, file.FileName, file.ContentType, file.Bytes.Length,
                        Convert.ToHexString(SHA256.HashData(file.Bytes)).ToLowerInvariant(), DateTimeOffset.UtcNow));
                }
                else if (files.Count > 0) return Error(400, "greeting_file is sent only with voicemail_greeting=own", h);
                (r.Status, r.Type, r.Destination, r.Condition, r.VoicemailGreeting, r.SetCallerId) = ("on", "voicemail", destination, condition, greeting, "");
                return Answer(200, PbxAnswer(r), h);
            default:
                return Error(400, "Wrong parameter 'type'", h);
        }
    }

    /// <summary>
    /// POST /_sandbox/zadarma/recordings {"id":"1700000000.123","pbxCallId":"in_abc","size":52428800,"extension":"mp3",
    /// "dropAfter":1000,"dropCount":1}: a recording to serve (dropAfter: its next dropCount downloads end after that many
    /// bytes with the connection dropped).
    /// </summary>
    private SandboxResponse? PbxControlWithBody(string command, JsonElement body)
    {
        if (!command.Equals("recordings", StringComparison.OrdinalIgnoreCase)) return null;
        var recording = new ZadarmaSandboxRecording(body.GetProperty("id").GetString()!,
            body.TryGetProperty("pbxCallId", out var pbx) ? pbx.GetString() : null,
            body.TryGetProperty("size", out var size) ? size.GetInt64() : DefaultRecordingSize,
            body.TryGetProperty("extension", out var ext) ? ext.GetString()! : "mp3");
        if (body.TryGetProperty("dropAfter", out var drop))
        {
            recording.DropAfter = drop.GetInt64();
            recording.DropCount = body.TryGetProperty("dropCount", out var dc) ? dc.GetInt32() : int.MaxValue;
        }
        AddRecording(recording);
        return SandboxResponse.Json(200, "{\"ok\":true}");
    }

    /// <summary>GET /_sandbox/zadarma/greetings, /_sandbox/zadarma/pbxredirections.</summary>
    private SandboxResponse? PbxControl(string method, string command, JsonSerializerOptions json) => (method, command.ToLowerInvariant()) switch
    {
        ("GET", "greetings") => SandboxResponse.Json(200, JsonSerializer.Serialize(Greetings.Snapshot(), json)),
        ("GET", "pbxredirections") => SandboxResponse.Json(200, JsonSerializer.Serialize(_pbxRedirections.Values, json)),
        _ => null,
    };
}

/// <summary>
/// The files at Zadarma's recording links, on a path prefix of their own (<c>/zadarma-records/&lt;token&gt;/&lt;file&gt;</c>):
/// no signature, a token that expires with the link's lifetime (403 after), 404 for a token it never gave. The body is
/// made as it is written (a recording of hundreds of MB costs the sandbox no memory): "ID3" and then bytes that
/// <see cref="ContentByte"/> gives, with Content-Length and Content-Type audio/mpeg (audio/wav for a wav).
/// </summary>
public sealed class ZadarmaRecordingFiles : ISandboxProvider
{
    private readonly ConcurrentDictionary<string, (ZadarmaSandboxRecording Recording, DateTimeOffset Till)> _links = new(StringComparer.Ordinal);
    private int _downloads;

    public string Prefix => "/zadarma-records";

    /// <summary>Downloads started (every GET of a valid link).</summary>
    public int Downloads => Volatile.Read(ref _downloads);

    public void Reset()
    {
        _links.Clear();
        Interlocked.Exchange(ref _downloads, 0);
    }

    /// <summary>A new link to a recording, named as Zadarma names the files: 1-&lt;id&gt;-100-&lt;date&gt;.&lt;ext&gt;.</summary>
    public string Link(string origin, ZadarmaSandboxRecording recording, DateTimeOffset till)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');
        _links[token] = (recording, till);
        return $"{origin}{Prefix}/{token}/1-{recording.Id}-100-{till.UtcDateTime:yyyy-MM-dd-HHmmss}.{recording.Extension}";
    }

    /// <summary>The byte at a position of a recording's body.</summary>
    public static byte ContentByte(string id, long position) => position switch
    {
        0 => (byte)'I',
        1 => (byte)'D',
        2 => (byte)'3',
        _ => (byte)((position * 31 + id.Length * 7 + (position >> 11)) & 0xFF),
    };

    public async Task<SandboxResponse?> HandleAsync(HttpContext context, string path, byte[] body)
    {
        var parts = path.Trim('/').Split('/');
        if (context.Request.Method != "GET" || parts.Length != 2) return SandboxResponse.Json(405, "{\"message\":\"GET a link\"}");
        if (!_links.TryGetValue(parts[0], out var link)) return new SandboxResponse(404, "Not Found", ContentType: "text/plain");
        if (DateTimeOffset.UtcNow > link.Till) return new SandboxResponse(403, "The link has expired", ContentType: "text/plain");
        Interlocked.Increment(ref _downloads);
        var recording = link.Recording;
        long dropAt = -1;
        lock (recording)
        {
            if (recording.DropCount > 0)
            {
                recording.DropCount--;
                dropAt = recording.DropAfter;
            }
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = recording.Extension == "wav" ? "audio/wav" : "audio/mpeg";
        context.Response.ContentLength = recording.Size;
        var buffer = new byte[65536];
        long sent = 0;
        try
        {
            while (sent < recording.Size)
            {
                var n = (int)Math.Min(buffer.Length, recording.Size - sent);
                if (dropAt >= 0 && sent + n > dropAt) n = (int)(dropAt - sent);
                for (int i = 0; i < n; i++) buffer[i] = ContentByte(recording.Id, sent + i);
                if (n > 0) await context.Response.Body.WriteAsync(buffer.AsMemory(0, n), context.RequestAborted);
                sent += n;
                if (recording.ChunkDelay > TimeSpan.Zero) await Task.Delay(recording.ChunkDelay, context.RequestAborted);
                if (dropAt >= 0 && sent >= dropAt)
                {
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    context.Abort();
                    break;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        // Written: the server's own writer sees the answer started and leaves it.
        return new SandboxResponse(200, "");
    }
}
