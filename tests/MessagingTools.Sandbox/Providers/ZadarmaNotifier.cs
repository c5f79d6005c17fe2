using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MessagingTools.Sandbox.Providers;

/// <summary>What the sandbox, playing Zadarma, is asked to send to a notification URL (POST /_sandbox/zadarma/notify).</summary>
public sealed class ZadarmaNotifyPlan
{
    /// <summary>The URL that receives the notifications (a listener's prefix).</summary>
    public string Url { get; set; } = "";

    /// <summary>The secret the notifications are signed with (the account's API secret).</summary>
    public string Secret { get; set; } = ZadarmaSandbox.DefaultSecret;

    /// <summary>Notifications sent in all, the forged, malformed and unsigned ones included.</summary>
    public int Count { get; set; } = 1;

    /// <summary>How many carry a signature made with another secret.</summary>
    public int Forged { get; set; }

    /// <summary>How many are not notifications: a field missing, or a JSON body instead of a form.</summary>
    public int Malformed { get; set; }

    /// <summary>How many have no Signature header.</summary>
    public int Unsigned { get; set; }

    /// <summary>Sent at the same time (1: one after the other).</summary>
    public int Parallel { get; set; } = 1;

    /// <summary>Skip the zd_echo check.</summary>
    public bool NoEcho { get; set; }

    /// <summary>Spreads the kinds over the indexes; the same seed gives the same order.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// How long to keep trying the address check while nothing answers it (a listener that is still starting, in a
    /// test or an example that starts both at once); 0 tries once, as Zadarma does. Needs the check (not NoEcho).
    /// </summary>
    public int WaitMs { get; set; }
}

/// <summary>
/// The sandbox playing Zadarma towards a user's notification URL, written from Zadarma's side alone (it shares no code
/// with the module): first the address check (GET ?zd_echo=X, which must answer X), then incoming-call notifications as
/// Zadarma posts them (form-encoded caller_id, called_did, call_start; every third one names the start time
/// <c>callstart</c> as the seed does; an extra pbx_call_id), signed with the <c>Signature</c> header of Zadarma's PHP
/// example: base64_encode(hash_hmac('sha1', caller_id . called_did . call_start, secret)). It reports what each answered.
/// </summary>
public static class ZadarmaNotifier
{
    private static readonly HttpClient s_http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    public const string CalledDid = "74951234567";

    public static async Task<object> RunAsync(ZadarmaNotifyPlan plan, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(plan.Url, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
            throw new ArgumentException("url must be an absolute http(s) address.");
        if (plan.Count < 0 || plan.Forged < 0 || plan.Malformed < 0 || plan.Unsigned < 0 || plan.Forged + plan.Malformed + plan.Unsigned > plan.Count)
            throw new ArgumentException("count must be at least forged + malformed + unsigned, none negative.");

        object? echo = null;
        if (!plan.NoEcho)
        {
            var token = "sandbox-echo-" + Guid.NewGuid().ToString("N")[..12];
            var echoUri = url.AbsoluteUri + (string.IsNullOrEmpty(url.Query) ? "?" : "&") + "zd_echo=" + Uri.EscapeDataString(token);
            var waitUntil = DateTime.UtcNow.AddMilliseconds(Math.Max(0, plan.WaitMs));
            var (status, body, _) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, echoUri), cancellationToken);
            while (status == 0 && DateTime.UtcNow < waitUntil)
            {
                // Nothing listens yet (connection refused): try again shortly, as long as the plan allows.
                await Task.Delay(100, cancellationToken);
                (status, body, _) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, echoUri), cancellationToken);
            }
            echo = new { expected = token, status, body, ok = status == 200 && body == token };
        }

        var kinds = new List<string>();
        kinds.AddRange(Enumerable.Repeat("forged", plan.Forged));
        kinds.AddRange(Enumerable.Repeat("malformed", plan.Malformed));
        kinds.AddRange(Enumerable.Repeat("unsigned", plan.Unsigned));
        kinds.AddRange(Enumerable.Repeat("signed", plan.Count - kinds.Count));
        var random = new Random(plan.Seed);
        for (var i = kinds.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (kinds[i], kinds[j]) = (kinds[j], kinds[i]);
        }
        // The last one is a signed one (when there is one): a listener told to stop after as many calls as were
        // signed then stops after the last notification, and none is left without an answer.
        var lastSigned = kinds.LastIndexOf("signed");
        if (lastSigned >= 0) (kinds[lastSigned], kinds[^1]) = (kinds[^1], kinds[lastSigned]);

        var results = new object[plan.Count];
        var start = new DateTime(2026, 11, 30, 9, 0, 0);
        using var gate = new SemaphoreSlim(Math.Max(1, plan.Parallel));
        var tasks = Enumerable.Range(0, plan.Count).Select(async index =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                results[index] = await NotifyAsync(url, plan.Secret, index, kinds[index], start.AddSeconds(index), cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks);
        return new { echo, notifications = results };
    }

    private static async Task<object> NotifyAsync(Uri url, string secret, int index, string kind, DateTime callStart, CancellationToken cancellationToken)
    {
        var callerId = "+7926" + (1000000 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var startText = callStart.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var startField = index % 3 == 2 ? "callstart" : "call_start";
        var fields = new List<KeyValuePair<string, string>>
        {
            new("caller_id", callerId),
            new("called_did", CalledDid),
            new(startField, startText),
            new("pbx_call_id", "in_sandbox_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        string? signature = kind switch
        {
            "signed" => Signature(callerId, CalledDid, startText, secret),
            "forged" => Signature(callerId, CalledDid, startText, secret + "-not"),
            "malformed" => Signature(callerId, CalledDid, startText, secret),
            _ => null,
        };
        HttpContent content;
        if (kind == "malformed" && index % 2 == 1)
        {
            // Not a form at all: what a misconfigured relay might forward.
            content = new StringContent(JsonSerializer.Serialize(fields.ToDictionary(f => f.Key, f => f.Value)), Encoding.UTF8, "application/json");
        }
        else
        {
            if (kind == "malformed") fields.RemoveAt(1); // no called_did
            var form = string.Join("&", fields.Select(f => PhpUrlEncode(f.Key) + "=" + PhpUrlEncode(f.Value)));
            content = new ByteArrayContent(Encoding.ASCII.GetBytes(form));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (signature != null) request.Headers.TryAddWithoutValidation("Signature", signature);
        var (status, body, contentType) = await SendAsync(request, cancellationToken);
        return new
        {
            index, kind, callerId, calledDid = CalledDid, callStart = startText, startField,
            status, body, contentType,
        };
    }

    /// <summary>base64_encode(hash_hmac('sha1', $callerId . $calledDid . $callStart, $secret)): base64 of the lower-case hex text.</summary>
    public static string Signature(string callerId, string calledDid, string callStart, string secret)
    {
        var hex = Convert.ToHexString(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(callerId + calledDid + callStart))).ToLowerInvariant();
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(hex));
    }

    private static string PhpUrlEncode(string s) => PhpForm.UrlEncode(s);

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
            // No answer (refused, reset): status 0 and the reason, so that the caller sees it in the report.
            return (0, ex.Message, null);
        }
        finally
        {
            request.Dispose();
        }
    }
}
