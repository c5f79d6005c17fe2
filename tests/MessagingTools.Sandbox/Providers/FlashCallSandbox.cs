using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MessagingTools.Sandbox.Providers;

/// <summary>A flash call the sandbox "placed" (the token is not kept).</summary>
public sealed record FlashCallRecord(string Destination, string Code, string HeadNumber, string TrackingCode, DateTimeOffset At);

/// <summary>
/// Emulates the flash-call service of docs/providers/flash-call.md: POST /services/call/call/ with {"destination", "token"}; answers
/// {"message", "code", "tracking_code", "head_number"}, the code being the last <see cref="CodeLength"/> digits of the
/// calling number and the head number its leading digits. A wrong token gets <see cref="InvalidTokenStatus"/> with a
/// Persian message and no code; a destination not in the 09xxxxxxxxx form gets 400.
/// </summary>
public sealed partial class FlashCallSandbox : ISandboxProvider, ISandboxControl
{
    public const string DefaultToken = "sandbox-flashcall-token";
    public const string SuccessMessage = "درخواست با موفقیت انجام شد";
    public const string InvalidTokenMessage = "کلید دسترسی نامعتبر یا منقضی شده است";
    public const string InvalidDestinationMessage = "شماره تلفن مقصد نامعتبر است";
    public const string ServerErrorMessage = "درخواست دچار خطا شد";

    public FlashCallSandbox(string token) => ValidTokens[token] = true;

    public string Prefix => "/flashcall";

    public ConcurrentDictionary<string, bool> ValidTokens { get; } = new();

    /// <summary>The calling number's leading digits.</summary>
    public string HeadNumber { get; set; } = "0217991";

    /// <summary>How many trailing digits make the code.</summary>
    public int CodeLength { get; set; } = 4;

    /// <summary>The status of a wrong-token answer; 200 emulates a service that reports refusals in the message only.</summary>
    public int InvalidTokenStatus { get; set; } = 401;

    /// <summary>The message of a successful answer (tests change it to show that success is not read from the text).</summary>
    public string SuccessText { get; set; } = SuccessMessage;

    /// <summary>Every call placed, in order.</summary>
    public Journal<FlashCallRecord> Calls { get; } = new();

    /// <summary>Requests received, refused ones included.</summary>
    public int Requests => _requests;
    private int _requests;

    public void Reset()
    {
        Calls.Clear();
        _requests = 0;
        HeadNumber = "0217991";
        CodeLength = 4;
        InvalidTokenStatus = 401;
        SuccessText = SuccessMessage;
    }

    public Task<SandboxResponse?> HandleAsync(HttpContext context, string path, byte[] body)
    {
        if (path.TrimEnd('/') != "/services/call/call") return Task.FromResult<SandboxResponse?>(null);
        if (context.Request.Method != "POST") return Task.FromResult<SandboxResponse?>(Answer(405, "method not allowed"));
        Interlocked.Increment(ref _requests);
        JsonNode? root;
        try { root = JsonNode.Parse(body); }
        catch (JsonException) { return Task.FromResult<SandboxResponse?>(Answer(400, "بدنه درخواست نامعتبر است")); }
        var token = Str(root, "token");
        if (token is null || !ValidTokens.ContainsKey(token)) return Task.FromResult<SandboxResponse?>(Answer(InvalidTokenStatus, InvalidTokenMessage));
        var destination = Str(root, "destination");
        if (destination is null || !LocalMobile().IsMatch(destination))
            return Task.FromResult<SandboxResponse?>(Answer(400, InvalidDestinationMessage));

        var code = string.Concat(Enumerable.Range(0, CodeLength).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));
        var record = new FlashCallRecord(destination, code, HeadNumber, Guid.NewGuid().ToString("N")[..12], DateTimeOffset.UtcNow);
        Calls.Add(record);
        return Task.FromResult<SandboxResponse?>(SandboxResponse.Json(200, JsonSerializer.Serialize(new
        {
            message = SuccessText,
            code = record.Code,
            tracking_code = record.TrackingCode,
            head_number = record.HeadNumber,
        }, Unescaped)));
    }

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static SandboxResponse Answer(int status, string message) =>
        SandboxResponse.Json(status, JsonSerializer.Serialize(new { message, code = (string?)null, tracking_code = (string?)null, head_number = (string?)null }, Unescaped));

    private static string? Str(JsonNode? root, string name) =>
        root is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    public SandboxResponse? Control(string method, string command, JsonSerializerOptions json)
    {
        var parts = command.Split('/');
        switch (method, parts[0].ToLowerInvariant())
        {
            case ("GET", "calls"):
                return SandboxResponse.Json(200, JsonSerializer.Serialize(Calls.Snapshot(), json));
            case ("POST", "invalid-token-status") when parts.Length == 2 && int.TryParse(parts[1], out var status):
                InvalidTokenStatus = status;
                return SandboxResponse.Json(200, "{\"ok\":true}");
            default:
                return null;
        }
    }

    [GeneratedRegex("^09[0-9]{9}$")]
    private static partial Regex LocalMobile();
}
