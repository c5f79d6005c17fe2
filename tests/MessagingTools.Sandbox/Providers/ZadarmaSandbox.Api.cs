using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MessagingTools.Sandbox.Providers;

/// <summary>A number lookup the sandbox answered (and charged): the numbers of one request, in their order.</summary>
public sealed record ZadarmaSandboxLookup(DateTimeOffset At, IReadOnlyList<string> Numbers);

/// <summary>
/// The rest of Zadarma's API (PROVIDERS.md 2a): tariff, SIP and extension status, direct numbers, the PBX's extensions,
/// call recording, number lookup and callback-widget statistics, answered in the shapes of Zadarma's OpenAPI description
/// and the PHP SDK's response classes. Every request reaches these handlers only after its signature verified
/// (HandleAsync, over what PHP parses: <see cref="PhpForm.ParseTree"/>).
/// <para>Number lookup: one number is answered with <c>info</c> (mcc, mnc, mccName, mncName, ported, roaming,
/// errorDescription), as Zadarma answers it. Several numbers are answered, by default, with <c>info[]</c>, one entry per
/// number with its <c>number</c> and <c>status</c> (PROVIDERS.md 2a); with the control
/// <c>POST /_sandbox/zadarma/numberlookup {"mode":"acknowledge"}</c>, with <c>{"status":"success"}</c> only, as Zadarma's
/// OpenAPI description says it answers several numbers (their results go to the account's HLR address or e-mail).</para>
/// </summary>
public sealed partial class ZadarmaSandbox
{
    public const string PbxId = "1234";

    private ApiState _api = new();

    /// <summary>An extension of the sandbox's PBX: online or not, and its call recording.</summary>
    public sealed class ExtensionState
    {
        public string Extension { get; init; } = "";
        public bool Online { get; set; }
        public bool Recording { get; set; }
        public bool RecordingToEmail { get; set; }
        public bool RecordingToStore { get; set; } = true;
        public string? Email { get; set; }
    }

    private sealed class ApiState
    {
        public readonly ConcurrentDictionary<string, ExtensionState> Extensions = new(new Dictionary<string, ExtensionState>
        {
            ["100"] = new() { Extension = "100", Online = true },
            ["101"] = new() { Extension = "101", Online = false, Recording = true, RecordingToEmail = true, Email = "sales@example.com" },
            ["102"] = new() { Extension = "102", Online = true },
        });

        public readonly ConcurrentDictionary<string, bool> SipOnline = new(new Dictionary<string, bool> { ["100"] = true, ["101"] = false });
        public readonly Journal<ZadarmaSandboxLookup> Lookups = new();
        public volatile bool LookupAcknowledgeOnly;
    }

    /// <summary>The extensions of the PBX (/v1/pbx/internal/).</summary>
    public IReadOnlyDictionary<string, ExtensionState> Extensions => _api.Extensions;

    /// <summary>Every number lookup answered, one entry per request.</summary>
    public Journal<ZadarmaSandboxLookup> NumberLookups => _api.Lookups;

    /// <summary>Answer a lookup of several numbers with <c>{"status":"success"}</c> only (see the class remarks).</summary>
    public bool NumberLookupAcknowledgeOnly { get => _api.LookupAcknowledgeOnly; set => _api.LookupAcknowledgeOnly = value; }

    private void ResetApi() => _api = new ApiState();

    private static readonly Regex s_sipStatus = new(@"^/v1/sip/([0-9]+)/status/$", RegexOptions.CultureInvariant);
    private static readonly Regex s_extensionStatus = new(@"^/v1/pbx/internal/([0-9]+)/status/$", RegexOptions.CultureInvariant);

    /// <summary>The paths of the rest of the API; null (404) for a path Zadarma does not have.</summary>
    private SandboxResponse? HandleApi(string verb, string path, List<KeyValuePair<string, string>> parameters, List<KeyValuePair<string, object>> tree,
        IReadOnlyDictionary<string, string> h)
    {
        string? P(string name) => parameters.LastOrDefault(p => p.Key == name).Value;
        SandboxResponse Need(string expected, Func<SandboxResponse> handle) =>
            verb == expected ? handle() : Answer(405, new { status = "error", message = $"Method {verb} is not allowed; use {expected}" }, h);

        if (s_sipStatus.Match(path) is { Success: true } sip)
            return Need("GET", () => _sips.ContainsKey(sip.Groups[1].Value)
                ? Answer(200, new { status = "success", sip = sip.Groups[1].Value, is_online = _api.SipOnline.TryGetValue(sip.Groups[1].Value, out var on) && on ? "true" : "false" }, h)
                : Error(400, "Wrong SIP id", h));
        if (s_extensionStatus.Match(path) is { Success: true } ext)
            return Need("GET", () => _api.Extensions.TryGetValue(ext.Groups[1].Value, out var e)
                ? Answer(200, new { status = "success", pbx_id = PbxId, number = e.Extension, is_online = e.Online ? "true" : "false" }, h)
                : Error(400, "Wrong PBX number", h));

        return path switch
        {
            // OpenAPI /v1/tariff: info of tariff_id, tariff_name, is_active, cost, currency, used_seconds, ...
            "/v1/tariff/" => Need("GET", () => Answer(200, new
            {
                status = "success",
                info = new
                {
                    tariff_id = 5, tariff_name = "Standart, special", is_active = true, cost = 0, currency = Currency, used_seconds = 1643,
                    used_seconds_mobile = 34, used_seconds_fix = 726, used_seconds_speech_recognition = 0, tariff_id_for_next_period = 5,
                    tariff_for_next_period = "Standart, special",
                },
            }, h)),
            // PHP SDK DirectNumber: number, status, country, description, number_name, sip, sip_name, start_date, stop_date, ...
            "/v1/direct_numbers/" => Need("GET", () => Answer(200, new
            {
                status = "success",
                info = new object[]
                {
                    new
                    {
                        number = "442037691880", status = "on", country = "United Kingdom", description = "London", number_name = "Office",
                        sip = "100", sip_name = "Reception", start_date = "2026-01-15 10:00:00", stop_date = "2026-12-15 10:00:00",
                        monthly_fee = 2.5m, currency = Currency, channels = 2, minutes = 0, autorenew = "true", is_on_test = "false", type = "common",
                    },
                    new
                    {
                        number = "74951234567", status = "on", country = "Russia", description = "Moscow 495", number_name = "",
                        sip = "101", sip_name = "Sales", start_date = "2026-03-01 00:00:00", stop_date = "2026-12-01 00:00:00",
                        monthly_fee = 0m, currency = Currency, channels = 1, minutes = 312, autorenew = "false", is_on_test = "true", type = "revenue",
                    },
                },
            }, h)),
            // PHP SDK PbxInternal: pbx_id, numbers[].
            "/v1/pbx/internal/" => Need("GET", () => Answer(200, new
            {
                status = "success", pbx_id = PbxId,
                numbers = _api.Extensions.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => int.Parse(k, CultureInfo.InvariantCulture)),
            }, h)),
            "/v1/pbx/internal/recording/" => Need("PUT", () => Recording(P("id"), P("status"), P("email"), h)),
            "/v1/info/number_lookup/" => Need("POST", () => NumberLookup(tree, h)),
            "/v1/statistics/callback_widget/" => Need("GET", () => WidgetStatistics(P("start"), P("end"), P("widget_id"), h)),
            // Two methods no cmdlet covers, for Invoke-ZadarmaRequest's examples (OpenAPI /v1/info/lists/currencies, /v1/request/checknumber).
            "/v1/info/lists/currencies/" => Need("GET", () => Answer(200, new { status = "success", currencies = new[] { "USD", "EUR", "GBP", "PLN" } }, h)),
            "/v1/request/checknumber/" => Need("GET", () =>
                P("caller_id") is not { Length: > 0 } callerId || P("to") is not { Length: > 0 } to || P("code") is not { Length: > 0 and <= 20 } code || !code.All(char.IsAsciiDigit)
                    ? Error(400, "Wrong parameters: caller_id, to and code (digits) are required", h)
                    : Answer(200, new { status = "success", from = callerId, to, lang = P("lang") ?? "en", time = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }, h)),
            _ => null,
        };
    }

    private SandboxResponse Recording(string? id, string? status, string? email, IReadOnlyDictionary<string, string> h)
    {
        if (id is null || !_api.Extensions.TryGetValue(id, out var e)) return Error(400, "Wrong PBX number", h);
        switch (status)
        {
            case "on": e.Recording = true; break;
            case "off": e.Recording = false; break;
            case "on_email": e.RecordingToEmail = true; break;
            case "off_email": e.RecordingToEmail = false; break;
            case "on_store": e.RecordingToStore = true; break;
            case "off_store": e.RecordingToStore = false; break;
            default: return Error(400, "Wrong parameter 'status'", h);
        }
        if (!string.IsNullOrEmpty(email))
        {
            if (!email.Contains('@')) return Error(400, "Wrong parameter 'email'", h);
            e.Email = email;
        }
        return Answer(200, new
        {
            status = "success", internal_number = e.Extension, recording = e.Recording ? "on" : "off",
            email = e.RecordingToEmail ? e.Email : null, speech_recognition = "off",
        }, h);
    }

    private SandboxResponse NumberLookup(List<KeyValuePair<string, object>> tree, IReadOnlyDictionary<string, string> h)
    {
        var value = tree.LastOrDefault(p => p.Key == "numbers").Value;
        var numbers = value switch
        {
            string one => new List<string> { one },
            List<KeyValuePair<string, object>> list => list.Select(p => p.Value as string ?? "").ToList(),
            _ => new List<string>(),
        };
        if (numbers.Count == 0 || numbers.Any(n => !Regex.IsMatch(n, @"^\+?[0-9]{7,15}$")))
            return Error(400, "Wrong parameter 'numbers'", h);
        _api.Lookups.Add(new ZadarmaSandboxLookup(DateTimeOffset.UtcNow, numbers));
        if (value is string)
        {
            var (mcc, mnc, country, network, error) = Hlr(numbers[0]);
            return Answer(200, new { status = "success", info = new { mcc, mnc, mccName = country, mncName = network, ported = false, roaming = false, errorDescription = error } }, h);
        }
        if (NumberLookupAcknowledgeOnly) return Answer(200, new { status = "success" }, h);
        return Answer(200, new
        {
            status = "success",
            info = numbers.Select(n =>
            {
                var (mcc, mnc, country, network, error) = Hlr(n);
                return new
                {
                    number = n, mcc, mnc, mccName = country, mncName = network, ported = n.EndsWith("9", StringComparison.Ordinal),
                    roaming = false, errorDescription = error, status = error == "No Error" ? "success" : "error",
                };
            }),
        }, h);
    }

    /// <summary>What the sandbox's HLR knows of a number, by its prefix; a number ending in 0000 is not reachable.</summary>
    private static (string Mcc, string Mnc, string Country, string Network, string Error) Hlr(string number)
    {
        var digits = number.TrimStart('+');
        var error = digits.EndsWith("0000", StringComparison.Ordinal) ? "Absent Subscriber" : "No Error";
        if (digits.StartsWith("7", StringComparison.Ordinal)) return ("250", "01", "Russia", "MTS", error);
        if (digits.StartsWith("44", StringComparison.Ordinal)) return ("234", "15", "United Kingdom", "Vodafone", error);
        if (digits.StartsWith("98", StringComparison.Ordinal)) return ("432", "11", "Iran", "MCI", error);
        if (digits.StartsWith("371", StringComparison.Ordinal)) return ("247", "02", "Latvia", "Tele2", error);
        return ("", "", "", "", "Unknown Subscriber");
    }

    /// <summary>The sessions of the sandbox's callback widgets (OpenAPI /v1/statistics/callback_widget: stats[] of id, widget_id, sip, ip, actions[]).</summary>
    private static readonly (string Id, string Widget, string Sip, string Ip, (string Kind, string Date, string? Number)[] Actions)[] s_widgetSessions =
    {
        ("57d16d6a1e46c53d1f8ce323", "1", "100", "203.0.113.10", new[] { ("come", "2026-11-03 10:00:00", (string?)null), ("show", "2026-11-03 10:00:05", null), ("call", "2026-11-03 10:01:00", "442037691890") }),
        ("57d16d6a1e46c53d1f8ce324", "2", "101", "203.0.113.11", new[] { ("come", "2026-11-10 15:30:00", (string?)null), ("close", "2026-11-10 15:30:20", null) }),
        ("57d16d6a1e46c53d1f8ce325", "1", "100", "203.0.113.12", new[] { ("come", "2026-11-20 09:00:00", (string?)null), ("call_request", "2026-11-20 09:02:00", "79001234567") }),
    };

    private SandboxResponse WidgetStatistics(string? start, string? end, string? widgetId, IReadOnlyDictionary<string, string> h)
    {
        const string format = "yyyy-MM-dd HH:mm:ss";
        if (start is null || end is null ||
            !DateTime.TryParseExact(start, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) ||
            !DateTime.TryParseExact(end, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
            return Error(400, "Wrong parameter 'start' or 'end'", h);
        if (to - from > TimeSpan.FromDays(30)) to = from.AddDays(30);
        var stats = s_widgetSessions
            .Where(s => widgetId is null || s.Widget == widgetId)
            .Where(s => DateTime.ParseExact(s.Actions[0].Date, format, CultureInfo.InvariantCulture) is var at && at >= from && at <= to)
            .Select(s => new
            {
                id = s.Id, widget_id = s.Widget, sip = s.Sip, ip = s.Ip,
                actions = s.Actions.Select(a => a.Kind == "come"
                    ? (object)new { kind = a.Kind, date = a.Date, referrer_url = "https://search.example/", url = "https://shop.example/contact/" }
                    : a.Kind == "call_request"
                        ? new { kind = a.Kind, date = a.Date, number = a.Number, request_call_date = "2026-11-20 12:00:00", redial = "n" }
                        : a.Number != null ? new { kind = a.Kind, date = a.Date, number = a.Number } : new { kind = a.Kind, date = a.Date }),
            });
        return Answer(200, new { status = "success", start = from.ToString(format, CultureInfo.InvariantCulture), end = to.ToString(format, CultureInfo.InvariantCulture), stats }, h);
    }

    /// <summary>GET /_sandbox/zadarma/extensions, /_sandbox/zadarma/lookups.</summary>
    private SandboxResponse? ControlApi(string method, string command, JsonSerializerOptions json) => (method, command.ToLowerInvariant()) switch
    {
        ("GET", "extensions") => SandboxResponse.Json(200, JsonSerializer.Serialize(_api.Extensions.Values.OrderBy(e => e.Extension, StringComparer.Ordinal), json)),
        ("GET", "lookups") => SandboxResponse.Json(200, JsonSerializer.Serialize(_api.Lookups.Snapshot(), json)),
        _ => null,
    };

    /// <summary>
    /// POST /_sandbox/zadarma/numberlookup {"mode":"acknowledge"|"results"};
    /// POST /_sandbox/zadarma/online {"sip":"101","online":true} or {"extension":"100","online":false}.
    /// </summary>
    private SandboxResponse? ControlApiWithBody(string command, JsonElement body)
    {
        switch (command.ToLowerInvariant())
        {
            case "numberlookup":
                NumberLookupAcknowledgeOnly = body.GetProperty("mode").GetString() == "acknowledge";
                return SandboxResponse.Json(200, "{\"ok\":true}");
            case "online":
                var online = body.GetProperty("online").GetBoolean();
                if (body.TryGetProperty("sip", out var s)) _api.SipOnline[s.GetString()!] = online;
                if (body.TryGetProperty("extension", out var e) && _api.Extensions.TryGetValue(e.GetString()!, out var state)) state.Online = online;
                return SandboxResponse.Json(200, "{\"ok\":true}");
            default:
                return null;
        }
    }
}

/// <summary>
/// PHP's reading of a query or form body into $_GET/$_POST with lists and maps (<c>numbers[0]=a</c>, <c>numbers[]=a</c>,
/// <c>m[x][y]=1</c>), and http_build_query over what it read: what Zadarma signs again to check a request.
/// </summary>
public static partial class PhpForm
{
    /// <summary>
    /// As PHP's parse_str: a name's part before its first '[' has its '.' and ' ' read as '_'; each [key] goes one level
    /// down (an empty [] appends with the next integer key); a key given again is overwritten where it first stood. A
    /// value is a string or, for a list or map, an ordered list of its keys and values.
    /// </summary>
    public static List<KeyValuePair<string, object>> ParseTree(string raw)
    {
        var root = new List<KeyValuePair<string, object>>();
        foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = UrlDecode(eq < 0 ? pair : pair[..eq]).TrimStart(' ');
            var value = eq < 0 ? "" : UrlDecode(pair[(eq + 1)..]);
            var open = name.IndexOf('[');
            var close = open < 0 ? -1 : name.IndexOf(']', open);
            var baseName = open < 0 || close < 0 ? name : name[..open];
            if (baseName.Length == 0) continue; // PHP drops a name that starts with '['
            baseName = baseName.Replace('.', '_').Replace(' ', '_');
            if (open >= 0 && close < 0) baseName = baseName.Replace('[', '_');
            var keys = new List<string?>();
            var pos = open >= 0 && close >= 0 ? open : name.Length;
            while (pos < name.Length && name[pos] == '[')
            {
                var end = name.IndexOf(']', pos);
                if (end < 0) break;
                keys.Add(name[(pos + 1)..end]);
                pos = end + 1;
            }
            var level = root;
            var key = baseName;
            foreach (var next in keys)
            {
                var existing = level.FindIndex(p => p.Key == key);
                List<KeyValuePair<string, object>> child;
                if (existing >= 0 && level[existing].Value is List<KeyValuePair<string, object>> l) child = l;
                else
                {
                    child = new List<KeyValuePair<string, object>>();
                    if (existing >= 0) level[existing] = new(key, child);
                    else level.Add(new(key, child));
                }
                level = child;
                key = string.IsNullOrEmpty(next) ? NextIndex(level) : next;
            }
            var at = level.FindIndex(p => p.Key == key);
            if (at >= 0) level[at] = new(key, value);
            else level.Add(new(key, value));
        }
        return root;
    }

    private static string NextIndex(List<KeyValuePair<string, object>> level)
    {
        long max = -1;
        foreach (var p in level)
            if (long.TryParse(p.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > max) max = n;
        return (max + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>ksort of the top level only (by the bytes of the names), as Zadarma's PHP sorts before it builds the query.</summary>
    public static List<KeyValuePair<string, object>> KSortTree(List<KeyValuePair<string, object>> tree) =>
        tree.OrderBy(p => Convert.ToHexString(Encoding.UTF8.GetBytes(p.Key)), StringComparer.Ordinal).ToList();

    /// <summary>http_build_query(..., PHP_QUERY_RFC1738) of a parsed tree: name%5Bkey%5D=value, lists and maps in their order.</summary>
    public static string HttpBuildQuery(List<KeyValuePair<string, object>> tree)
    {
        var parts = new List<string>();
        void Add(string prefix, object value)
        {
            if (value is List<KeyValuePair<string, object>> list)
                foreach (var p in list) Add(prefix + "%5B" + UrlEncode(p.Key) + "%5D", p.Value);
            else parts.Add(prefix + "=" + UrlEncode((string)value));
        }
        foreach (var p in tree) Add(UrlEncode(p.Key), p.Value);
        return string.Join("&", parts);
    }

    /// <summary>The signature Zadarma expects of what PHP parsed: base64_encode(hash_hmac('sha1', $method . $q . md5($q), $secret)), $q of the ksorted tree.</summary>
    public static string Signature(string method, List<KeyValuePair<string, object>> tree, string secret)
    {
        var q = HttpBuildQuery(KSortTree(tree));
        var md5 = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(q))).ToLowerInvariant();
        var hmac = Convert.ToHexString(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(method + q + md5))).ToLowerInvariant();
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(hmac));
    }
}
