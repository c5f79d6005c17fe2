using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MessagingTools.Sandbox.Providers;

/// <summary>A message the Bale sandbox delivered (once per request_id).</summary>
public sealed record BaleDelivery(string RequestId, long BotId, string PhoneNumber, string? Text, string? FileId, string? CopyText, bool IsSecure, DateTimeOffset At);

/// <summary>A file the Bale sandbox received; only its length and hash are kept.</summary>
public sealed record BaleUpload(string FileId, string FileName, string ContentType, long Length, string Sha256);

/// <summary>
/// Emulates Safir v3 as its documentation describes it: <c>api-access-key</c> checked, phone numbers must be
/// 98 (or +98) and ten digits, a repeated request_id is not delivered twice, file ids must come from upload_file,
/// uploads limited to <see cref="MaxUploadBytes"/>. Numbers 98 99999900 CC answer with error code CC
/// (02, 03, 04, 08, 17, 20, 21), and <see cref="NotBaleUsers"/> answer 17.
/// </summary>
public sealed partial class BaleSandbox : ISandboxProvider, ISandboxControl
{
    public const string DefaultApiKey = "sandbox-bale-key";
    public const string ErrorPhonePrefix = "9899999900";

    private static readonly Dictionary<int, string> s_names = new()
    {
        [2] = "InternalServerError", [3] = "RateLimitExceeded", [4] = "InvalidInput", [8] = "InvalidPhone",
        [17] = "NotBaleUser", [20] = "PaymentRequired", [21] = "MaximumContactLimitReached",
    };

    private readonly ConcurrentDictionary<string, string> _answers = new();
    private readonly ConcurrentDictionary<string, BaleUpload> _files = new();

    public BaleSandbox(string apiKey) => ApiKey = apiKey;

    public string Prefix => "/bale";

    public string ApiKey { get; set; }

    /// <summary>Safir's documented limit; tests may lower it.</summary>
    public long MaxUploadBytes { get; set; } = 500L * 1024 * 1024;

    public ConcurrentDictionary<string, bool> NotBaleUsers { get; } = new();

    public Journal<BaleDelivery> Deliveries { get; } = new();
    public Journal<BaleUpload> Uploads { get; } = new();

    /// <summary>send_message requests received, duplicates included.</summary>
    public int SendRequests => _sendRequests;
    private int _sendRequests;

    public void Reset()
    {
        _answers.Clear();
        _files.Clear();
        NotBaleUsers.Clear();
        Deliveries.Clear();
        Uploads.Clear();
        _sendRequests = 0;
    }

    public async Task<SandboxResponse?> HandleAsync(HttpContext context, string path, byte[] body)
    {
        if (context.Request.Method != "POST") return SandboxResponse.Json(405, "{\"message\":\"method not allowed\"}");
        if (context.Request.Headers["api-access-key"].ToString() != ApiKey)
            return SandboxResponse.Json(401, "{\"message\":\"invalid api-access-key\"}");
        return path.TrimEnd('/') switch
        {
            "/api/v3/send_message" => Send(body),
            "/api/v3/upload_file" => await UploadAsync(context),
            _ => null,
        };
    }

    private SandboxResponse Send(byte[] body)
    {
        Interlocked.Increment(ref _sendRequests);
        JsonNode? root;
        try { root = JsonNode.Parse(body); }
        catch (JsonException) { return Error(400, null, null, 4, "invalid json"); }
        if (root is not JsonObject request) return Error(400, null, null, 4, "invalid json");

        var requestId = request["request_id"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        if (_answers.TryGetValue(requestId, out var earlier)) return SandboxResponse.Json(200, earlier);

        var phone = request["phone_number"] is JsonValue pv && pv.TryGetValue<string>(out var p) ? p : null;
        if (request["bot_id"] is not JsonValue bv || !bv.TryGetValue<long>(out var botId) || botId <= 0)
            return Error(200, requestId, phone, 4, "bot_id is required");
        if (phone is null || !PhonePattern().IsMatch(phone)) return Error(200, requestId, phone, 8, "invalid phone number");
        var digits = phone.TrimStart('+');
        if (request["message_data"]?["message"] is not JsonObject message) return Error(200, requestId, phone, 4, "message_data.message is required");
        string? text = Str(message, "text"), fileId = Str(message, "file_id"), copyText = Str(message, "copy_text");
        if (text is null && fileId is null && copyText is null) return Error(200, requestId, phone, 4, "message is empty");
        if (fileId != null && !_files.ContainsKey(fileId)) return Error(200, requestId, phone, 4, "unknown file_id");
        var secure = request["message_data"]?["is_secure"] is JsonValue sv && sv.TryGetValue<bool>(out var s) && s;

        if (digits.StartsWith(ErrorPhonePrefix, StringComparison.Ordinal) && int.TryParse(digits[ErrorPhonePrefix.Length..], out var forced))
            return Error(200, requestId, phone, forced, s_names.GetValueOrDefault(forced, "Unknown"));
        if (NotBaleUsers.ContainsKey(digits)) return Error(200, requestId, phone, 17, "user is not a bale user");

        var answer = $"{{\"request_id\":{JsonSerializer.Serialize(requestId)},\"error_data\":null}}";
        // Idempotency: the first answer for a request_id wins, and only that one is delivered.
        if (_answers.TryAdd(requestId, answer))
            Deliveries.Add(new BaleDelivery(requestId, botId, digits, text, fileId, copyText, secure, DateTimeOffset.UtcNow));
        return SandboxResponse.Json(200, _answers[requestId]);
    }

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static SandboxResponse Error(int status, string? requestId, string? phone, int code, string description) =>
        SandboxResponse.Json(status, JsonSerializer.Serialize(new
        {
            request_id = requestId,
            error_data = new[] { new { phone_number = phone, code, description } },
        }));

    private async Task<SandboxResponse> UploadAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || mediaType.Boundary.Length == 0)
            return UploadError(400, 4, "multipart/form-data expected");
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value!;
        var reader = new MultipartReader(boundary, context.Request.Body) { BodyLengthLimit = null };
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(context.RequestAborted)) != null)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                disposition.Name.Value?.Trim('"') != "file") continue;
            var name = disposition.FileNameStar.Value ?? disposition.FileName.Value?.Trim('"') ?? "file";
            using var sha = SHA256.Create();
            var buffer = new byte[81920];
            long length = 0;
            int read;
            while ((read = await section.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                length += read;
                if (length > MaxUploadBytes) return UploadError(413, 4, $"file is larger than {MaxUploadBytes} bytes");
                sha.TransformBlock(buffer, 0, read, null, 0);
            }
            sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            var upload = new BaleUpload(Guid.NewGuid().ToString("N"), name, section.ContentType ?? "", length, Convert.ToHexString(sha.Hash!).ToLowerInvariant());
            _files[upload.FileId] = upload;
            Uploads.Add(upload);
            return SandboxResponse.Json(200, JsonSerializer.Serialize(new { file_id = upload.FileId }));
        }
        return UploadError(400, 4, "form field 'file' is required");
    }

    private static SandboxResponse UploadError(int status, int code, string description) =>
        SandboxResponse.Json(status, JsonSerializer.Serialize(new { file_id = (string?)null, error = new { code, description } }));

    public SandboxResponse? Control(string method, string command, JsonSerializerOptions json) => (method, command.ToLowerInvariant()) switch
    {
        ("GET", "deliveries") => SandboxResponse.Json(200, JsonSerializer.Serialize(Deliveries.Snapshot(), json)),
        ("GET", "uploads") => SandboxResponse.Json(200, JsonSerializer.Serialize(Uploads.Snapshot(), json)),
        _ => null,
    };

    [GeneratedRegex(@"^\+?98[0-9]{10}$")]
    private static partial Regex PhonePattern();
}
