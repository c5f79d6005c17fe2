using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MessagingTools.Sandbox.Providers;

/// <summary>A message the FeedBot sandbox queued.</summary>
public sealed record FeedbotQueued(string Id, string Phone, string Message, string? ImagePath, long? InvalidationTime, DateTimeOffset QueuedAt, int RequestNumber);

/// <summary>
/// Emulates FeedBot (docs/providers/feedbot.md): POST /addnewmessages with header <c>auth</c> and {"messages":[...]} answers one id per
/// message in order; GET /getmessagestatus?id= answers status 0 (pending) until <see cref="StatusDelay"/> has passed,
/// then 1 (sent), or -1 (failed, with a reason) for phones <see cref="FailWhen"/> picks (by default numbers ending
/// in 0) and for messages whose invalidationTime passed before sending. Errors: MISSING_PARAMS (errorCode 2),
/// USER_NOT_AUTHORIZED (errorCode 99). <see cref="MalformedAnswers"/> answers as FeedBot's sample is written (docs/providers/feedbot.md, 'The ids: answer')
/// (<c>"ids:"</c> as the key, trailing commas).
/// </summary>
public sealed partial class FeedbotSandbox : ISandboxProvider, ISandboxControl
{
    public const string DefaultToken = "sandbox-feedbot-token";
    public const string NotOnWhatsApp = "The number is not registered on WhatsApp";
    public const string Expired = "The message expired before it was sent";

    private readonly ConcurrentDictionary<string, FeedbotQueued> _messages = new();
    private int _sendRequests, _statusRequests;

    public FeedbotSandbox(string token) => ValidTokens[token] = true;

    public string Prefix => "/feedbot";

    public ConcurrentDictionary<string, bool> ValidTokens { get; } = new();

    /// <summary>How long a message stays pending.</summary>
    public TimeSpan StatusDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The reason a phone's messages fail, or null when they are sent. Default: numbers ending in 0 fail.</summary>
    public Func<string, string?> FailWhen { get; set; } = DefaultFailWhen;

    /// <summary>Answer sends the way FeedBot's sample is written (docs/providers/feedbot.md, 'The ids: answer'): "ids:" as the key and trailing commas.</summary>
    public bool MalformedAnswers { get; set; }

    /// <summary>Answer errors with HTTP 200 (success false, errorCode set) instead of 400/401.</summary>
    public bool ErrorsWithStatus200 { get; set; }

    /// <summary>Answer every send with this error code (2 MISSING_PARAMS, 99 USER_NOT_AUTHORIZED, ...); null for none.</summary>
    public int? ForcedErrorCode { get; set; }

    /// <summary>Leave this many ids off the end of each send answer (the messages are still queued).</summary>
    public int DropIds { get; set; }

    /// <summary>Every message queued, in order.</summary>
    public Journal<FeedbotQueued> Queued { get; } = new();

    /// <summary>addnewmessages requests received, refused ones included.</summary>
    public int SendRequests => _sendRequests;

    public int StatusRequests => _statusRequests;

    public static string? DefaultFailWhen(string phone) => phone.EndsWith('0') ? NotOnWhatsApp : null;

    public void Reset()
    {
        _messages.Clear();
        Queued.Clear();
        _sendRequests = 0;
        _statusRequests = 0;
        StatusDelay = TimeSpan.FromSeconds(1);
        FailWhen = DefaultFailWhen;
        MalformedAnswers = false;
        ErrorsWithStatus200 = false;
        DropIds = 0;
        ForcedErrorCode = null;
    }

    public Task<SandboxResponse?> HandleAsync(HttpContext context, string path, byte[] body)
    {
        var answer = (context.Request.Method, path.TrimEnd('/').ToLowerInvariant()) switch
        {
            ("POST", "/addnewmessages") => Send(context, body),
            ("GET", "/getmessagestatus") => Status(context),
            (_, "/addnewmessages" or "/getmessagestatus") => SandboxResponse.Json(405, "{\"errorCode\":null,\"success\":false,\"message\":\"method not allowed\"}"),
            _ => null,
        };
        return Task.FromResult(answer);
    }

    private bool Authorized(HttpContext context)
    {
        var auth = context.Request.Headers["auth"].ToString();
        return auth.Length > 0 && ValidTokens.ContainsKey(auth);
    }

    private SandboxResponse Send(HttpContext context, byte[] body)
    {
        var number = Interlocked.Increment(ref _sendRequests);
        if (!Authorized(context)) return Error(401, 99, "USER_NOT_AUTHORIZED");
        if (ForcedErrorCode is int forced)
            return Error(forced == 99 ? 401 : 400, forced, forced switch { 2 => "MISSING_PARAMS", 99 => "USER_NOT_AUTHORIZED", _ => "ERROR" });
        JsonNode? root;
        try { root = JsonNode.Parse(body); }
        catch (JsonException) { return Error(400, 2, "MISSING_PARAMS"); }
        if (root?["messages"] is not JsonArray list || list.Count == 0) return Error(400, 2, "MISSING_PARAMS");

        var accepted = new List<FeedbotQueued>();
        var now = DateTimeOffset.UtcNow;
        foreach (var item in list)
        {
            var message = Str(item, "message");
            var phone = Str(item, "phone");
            if (message is null || phone is null || !PhonePattern().IsMatch(phone)) return Error(400, 2, "MISSING_PARAMS");
            long? invalidation = null;
            if (item!["invalidationTime"] is JsonValue iv)
            {
                if (iv.TryGetValue<long>(out var ms)) invalidation = ms;
                else if (iv.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ms)) invalidation = ms;
                else return Error(400, 2, "MISSING_PARAMS");
            }
            accepted.Add(new FeedbotQueued(NewId(), phone, message, Str(item, "imagePath"), invalidation, now, number));
        }
        foreach (var q in accepted)
        {
            _messages[q.Id] = q;
            Queued.Add(q);
        }
        var ids = accepted.Take(Math.Max(0, accepted.Count - DropIds)).Select(q => q.Id).ToList();
        if (!MalformedAnswers)
            return SandboxResponse.Json(200, JsonSerializer.Serialize(new { errorCode = (int?)null, success = true, ids }));
        // Exactly as FeedBot's document prints its sample answer (docs/providers/feedbot.md, 'The ids: answer').
        var sb = new StringBuilder("{\n\"errorCode\":null,\n\"success\":true,\n\"ids:\" : [\n");
        foreach (var id in ids) sb.Append('"').Append(id).Append("\",\n");
        sb.Append("]\n}");
        return SandboxResponse.Json(200, sb.ToString());
    }

    private SandboxResponse Status(HttpContext context)
    {
        Interlocked.Increment(ref _statusRequests);
        if (!Authorized(context)) return Error(401, 99, "USER_NOT_AUTHORIZED");
        var id = context.Request.Query["id"].ToString();
        if (string.IsNullOrEmpty(id)) return Error(400, 2, "MISSING_PARAMS");
        if (!_messages.TryGetValue(id, out var q))
            return SandboxResponse.Json(404, "{\"errorCode\":null,\"success\":false,\"status\":null,\"reason\":\"message not found\"}");
        var now = DateTimeOffset.UtcNow;
        int status;
        string? reason = null;
        var sendAt = q.QueuedAt + StatusDelay;
        if (q.InvalidationTime is long ms && DateTimeOffset.FromUnixTimeMilliseconds(ms) < (now < sendAt ? now : sendAt))
        {
            status = -1; reason = Expired;
        }
        else if (now < sendAt) status = 0;
        else if (FailWhen(q.Phone) is string why) { status = -1; reason = why; }
        else status = 1;
        return SandboxResponse.Json(200, JsonSerializer.Serialize(new { errorCode = (int?)null, success = true, status, reason }));
    }

    private SandboxResponse Error(int status, int code, string name) =>
        SandboxResponse.Json(ErrorsWithStatus200 ? 200 : status,
            $"{{\"errorCode\":{code},\"success\":false,\"message\":\"{name}\"}}");

    private static string NewId()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return string.Concat(Enumerable.Range(0, 20).Select(_ => alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)]));
    }

    private static string? Str(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    public SandboxResponse? Control(string method, string command, JsonSerializerOptions json)
    {
        var parts = command.Split('/');
        switch (method, parts[0].ToLowerInvariant())
        {
            case ("GET", "queued"):
                return SandboxResponse.Json(200, JsonSerializer.Serialize(Queued.Snapshot(), json));
            case ("POST", "status-delay") when parts.Length == 2 && int.TryParse(parts[1], out var ms):
                StatusDelay = TimeSpan.FromMilliseconds(ms);
                return SandboxResponse.Json(200, "{\"ok\":true}");
            case ("POST", "malformed") when parts.Length == 2:
                MalformedAnswers = parts[1].Equals("on", StringComparison.OrdinalIgnoreCase);
                return SandboxResponse.Json(200, "{\"ok\":true}");
            default:
                return null;
        }
    }

    [GeneratedRegex("^[1-9][0-9]{7,14}$")]
    private static partial Regex PhonePattern();
}
