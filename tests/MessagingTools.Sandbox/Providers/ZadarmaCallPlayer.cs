using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MessagingTools.Sandbox.Providers;

/// <summary>What the sandbox, playing Zadarma's PBX, is asked to post to a notification URL (POST /_sandbox/zadarma/play-call).</summary>
public sealed class ZadarmaCallPlan
{
    /// <summary>The URL that receives the events (a listener's prefix).</summary>
    public string Url { get; set; } = "";

    /// <summary>The secret the events are signed with (the account's API secret).</summary>
    public string Secret { get; set; } = ZadarmaSandbox.DefaultSecret;

    /// <summary>
    /// The calls to play, in this order: "incoming" (NOTIFY_START, NOTIFY_INTERNAL, NOTIFY_ANSWER, NOTIFY_END, NOTIFY_RECORD),
    /// "outgoing" (NOTIFY_OUT_START, NOTIFY_OUT_END), "ivr" (NOTIFY_START, then, when its answer holds a wait_dtmf, the
    /// NOTIFY_IVR with <see cref="Digits"/> under that wait's name), "internal" (an extension calling another: NOTIFY_START,
    /// NOTIFY_INTERNAL and NOTIFY_END with an empty called_did). Default: incoming, outgoing, ivr.
    /// </summary>
    public List<string> Calls { get; set; } = new() { "incoming", "outgoing", "ivr" };

    /// <summary>The digits the caller presses at an IVR step.</summary>
    public string Digits { get; set; } = "2";

    /// <summary>Skip the zd_echo check.</summary>
    public bool NoEcho { get; set; }

    /// <summary>How long to keep trying the address check while nothing answers it (a listener still starting).</summary>
    public int WaitMs { get; set; }
}

/// <summary>
/// The sandbox playing Zadarma's PBX through whole calls, written from Zadarma's side alone (it shares no code with the
/// module): each event posted form-encoded as PHP's http_build_query writes it, in call order, one after the other, with
/// the Signature header Zadarma's SDK makes for that event (lib/Webhook/Notify*.php getSignatureString():
/// base64_encode(hash_hmac('sha1', the event's fields concatenated, secret))). The answer to NOTIFY_START of an IVR call
/// decides what comes next, as at Zadarma: a wait_dtmf in it is answered by the NOTIFY_IVR that carries the digits.
/// It reports every post: what was sent (fields, form, signed text, signature) and what the URL answered.
/// </summary>
public static class ZadarmaCallPlayer
{
    private static readonly HttpClient s_http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private static readonly string[] s_languages = { "ru", "ua", "en", "es", "pl", "fr", "de" };

    /// <summary>The fields each event signs, in the order Zadarma's SDK concatenates them.</summary>
    public static string[] SignedFields(string eventName) => eventName switch
    {
        "NOTIFY_ANSWER" => new[] { "caller_id", "destination", "call_start" },
        "NOTIFY_OUT_START" or "NOTIFY_OUT_END" => new[] { "internal", "destination", "call_start" },
        "NOTIFY_RECORD" => new[] { "pbx_call_id", "call_id_with_rec" },
        _ => new[] { "caller_id", "called_did", "call_start" },
    };

    public static async Task<object> RunAsync(ZadarmaCallPlan plan, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(plan.Url, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
            throw new ArgumentException("url must be an absolute http(s) address.");
        var unknown = plan.Calls.Where(c => c is not ("incoming" or "outgoing" or "ivr" or "internal")).ToList();
        if (unknown.Count > 0) throw new ArgumentException("calls are incoming, outgoing, ivr and internal; not " + string.Join(", ", unknown) + ".");
        if (plan.Digits.Any(c => !char.IsAsciiDigit(c) && c != '*' && c != '#')) throw new ArgumentException("digits are 0-9, * and #.");

        object? echo = null;
        if (!plan.NoEcho)
        {
            var token = "sandbox-echo-" + Guid.NewGuid().ToString("N")[..12];
            var echoUri = url.AbsoluteUri + (string.IsNullOrEmpty(url.Query) ? "?" : "&") + "zd_echo=" + Uri.EscapeDataString(token);
            var waitUntil = DateTime.UtcNow.AddMilliseconds(Math.Max(0, plan.WaitMs));
            var (status, body, _) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, echoUri), cancellationToken);
            while (status == 0 && DateTime.UtcNow < waitUntil)
            {
                await Task.Delay(100, cancellationToken);
                (status, body, _) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, echoUri), cancellationToken);
            }
            echo = new { expected = token, status, body, ok = status == 200 && body == token };
        }

        var events = new List<object>();
        var notes = new List<string>();
        var start = new DateTime(2026, 12, 6, 10, 0, 1);
        for (var i = 0; i < plan.Calls.Count; i++)
        {
            var call = plan.Calls[i];
            var callStart = start.AddMinutes(i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            async Task<Posted> Post(string eventName, params (string Name, string Value)[] fields) =>
                await PostAsync(url, plan.Secret, call, eventName, fields, cancellationToken);
            switch (call)
            {
                case "incoming":
                {
                    var pbx = "in_sandbox_" + n;
                    var caller = "+7926123456" + n;
                    var rec = "1765015201." + n;
                    events.Add(await Post("NOTIFY_START", ("call_start", callStart), ("pbx_call_id", pbx), ("caller_id", caller), ("called_did", ZadarmaNotifier.CalledDid)));
                    events.Add(await Post("NOTIFY_INTERNAL", ("call_start", callStart), ("pbx_call_id", pbx), ("caller_id", caller), ("called_did", ZadarmaNotifier.CalledDid), ("internal", "100")));
                    events.Add(await Post("NOTIFY_ANSWER", ("caller_id", caller), ("destination", "100"), ("call_start", callStart), ("pbx_call_id", pbx), ("internal", "100")));
                    events.Add(await Post("NOTIFY_END", ("call_start", callStart), ("pbx_call_id", pbx), ("caller_id", caller), ("called_did", ZadarmaNotifier.CalledDid),
                        ("internal", "100"), ("duration", "125"), ("disposition", "answered"), ("status_code", "16"), ("is_recorded", "1"), ("call_id_with_rec", rec)));
                    events.Add(await Post("NOTIFY_RECORD", ("call_id_with_rec", rec), ("pbx_call_id", pbx)));
                    break;
                }
                case "outgoing":
                {
                    var pbx = "out_sandbox_" + n;
                    events.Add(await Post("NOTIFY_OUT_START", ("call_start", callStart), ("pbx_call_id", pbx), ("internal", "101"), ("destination", "442037691881")));
                    events.Add(await Post("NOTIFY_OUT_END", ("call_start", callStart), ("pbx_call_id", pbx), ("caller_id", ZadarmaNotifier.CalledDid),
                        ("destination", "442037691881"), ("internal", "101"), ("duration", "42"), ("disposition", "busy"), ("status_code", "17"),
                        ("is_recorded", "0"), ("call_id_with_rec", "")));
                    break;
                }
                case "internal":
                {
                    var pbx = "in_sandbox_" + n;
                    events.Add(await Post("NOTIFY_START", ("call_start", callStart), ("pbx_call_id", pbx), ("caller_id", "101"), ("called_did", "")));
                    events.Add(await Post("NOTIFY_INTERNAL", ("call_start", callStart), ("pbx_call_id", pbx), ("caller_id", "101"), ("called_did", ""), ("internal", "100")));
                    events.Add(await Post("NOTIFY_END", ("call_start", callStart), ("pbx_call_id", pbx), ("caller_id", "101"), ("called_did", ""),
                        ("internal", "100"), ("duration", "7"), ("disposition", "answered"), ("status_code", "16"), ("is_recorded", "0"), ("call_id_with_rec", "")));
                    break;
                }
                case "ivr":
                {
                    var pbx = "in_sandbox_" + n;
                    var caller = "+7926765432" + n;
                    var first = await Post("NOTIFY_START", ("call_start", callStart), ("pbx_call_id", pbx), ("caller_id", caller), ("called_did", ZadarmaNotifier.CalledDid));
                    events.Add(first);
                    var (wait, problem) = ReadAnswer(first);
                    if (problem != null) notes.Add($"call {n}: the answer to NOTIFY_START is not one Zadarma takes: {problem}");
                    if (wait is null)
                    {
                        notes.Add($"call {n}: the answer to NOTIFY_START has no wait_dtmf, so no NOTIFY_IVR was posted");
                        break;
                    }
                    var ivr = await Post("NOTIFY_IVR", ("call_start", callStart), ("pbx_call_id", pbx), ("caller_id", caller), ("called_did", ZadarmaNotifier.CalledDid),
                        ("wait_dtmf[name]", wait), ("wait_dtmf[digits]", plan.Digits), ("wait_dtmf[default_behaviour]", ""));
                    events.Add(ivr);
                    var (_, ivrProblem) = ReadAnswer(ivr);
                    if (ivrProblem != null) notes.Add($"call {n}: the answer to NOTIFY_IVR is not one Zadarma takes: {ivrProblem}");
                    break;
                }
            }
        }
        return new { echo, events, notes };
    }

    /// <summary>One post and its answer, for the report.</summary>
    public sealed record Posted(string Call, string Event, Dictionary<string, string> Fields, string Form, string SignedText, string Signature,
        int Status, string Body, string? ContentType);

    private static async Task<Posted> PostAsync(Uri url, string secret, string call, string eventName, (string Name, string Value)[] fields,
        CancellationToken cancellationToken)
    {
        var all = new List<KeyValuePair<string, string>> { new("event", eventName) };
        all.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        var byName = all.ToDictionary(f => f.Key, f => f.Value);
        var signed = string.Concat(SignedFields(eventName).Select(f => byName[f]));
        var signature = Signature(signed, secret);
        var form = string.Join("&", all.Select(f => PhpForm.UrlEncode(f.Key) + "=" + PhpForm.UrlEncode(f.Value)));
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(form));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TryAddWithoutValidation("Signature", signature);
        var (status, body, contentType) = await SendAsync(request, cancellationToken);
        return new Posted(call, eventName, byName, form, signed, signature, status, body, contentType);
    }

    /// <summary>
    /// Reads an answer as Zadarma would: empty, or a JSON object of the answer's members with valid values. Gives the
    /// wait_dtmf's name when it asks for digits ("" for a wait without a name), and what is wrong with it, if anything.
    /// </summary>
    private static (string? WaitName, string? Problem) ReadAnswer(Posted posted)
    {
        if (posted.Status != 200) return (null, $"status {posted.Status}");
        if (string.IsNullOrWhiteSpace(posted.Body)) return (null, null);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(posted.Body);
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (null, "not JSON: " + ex.Message);
        }
        if (root.ValueKind != JsonValueKind.Object) return (null, "not a JSON object");
        if (root.TryGetProperty("language", out var language) && !s_languages.Contains(language.GetString()))
            return (null, $"language {language} is not one of {string.Join(", ", s_languages)}");
        if (root.TryGetProperty("rewrite_forward_number", out var rewrite))
        {
            var text = rewrite.GetString() ?? "";
            var digits = text.StartsWith('+') ? text[1..] : text;
            if (digits.Length < 5 || !digits.All(char.IsAsciiDigit)) return (null, $"rewrite_forward_number '{text}' is not digits with an optional +, at least 5");
        }
        if (root.TryGetProperty("wait_dtmf", out var wait))
        {
            if (wait.ValueKind != JsonValueKind.Object) return (null, "wait_dtmf is not an object");
            return (wait.TryGetProperty("name", out var name) ? name.ToString() : "", null);
        }
        return (null, null);
    }

    /// <summary>base64_encode(hash_hmac('sha1', $text, $secret)): base64 of the lower-case hex text, the secret's UTF-8 bytes the key.</summary>
    public static string Signature(string text, string secret)
    {
        var hex = Convert.ToHexString(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(hex));
    }

    private static async Task<(int Status, string Body, string? ContentType)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s_http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return ((int)response.StatusCode, body, response.Content.Headers.ContentType?.ToString());
        }
        catch (HttpRequestException ex)
        {
            return (0, ex.Message, null);
        }
        finally
        {
            request.Dispose();
        }
    }
}
