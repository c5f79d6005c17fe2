using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MessagingTools.Sandbox.Providers;

/// <summary>A call in the sandbox's statistics (both /v1/statistics/ and /v1/statistics/pbx/ draw from it).</summary>
public sealed record ZadarmaSandboxCall(string Id, string Sip, DateTime CallStart, string From, string To, string Disposition,
    int Seconds, decimal CostPerMinute, decimal BillCost, string Description = "United Kingdom, London", bool Incoming = false);

/// <summary>A callback the sandbox "placed".</summary>
public sealed record ZadarmaSandboxCallback(string From, string To, string? Sip, bool Predicted, DateTimeOffset At);

/// <summary>An SMS the sandbox "sent".</summary>
public sealed record ZadarmaSandboxSms(string Number, string Message, string? CallerId, int Parts, DateTimeOffset At);

/// <summary>
/// Emulates the Zadarma API v1 methods of docs/providers/zadarma.md under <c>/zadarma</c> (so the client endpoint is
/// <c>&lt;base&gt;/zadarma/</c> and the signed method is the path after the prefix, e.g. <c>/v1/info/balance/</c>).
/// <list type="bullet">
/// <item>Every request must carry <c>Authorization: key:signature</c>; the sandbox recomputes the signature the PHP way
/// from the parameters it parsed (PHP's $_GET / form parsing, ksort, http_build_query RFC 1738, md5, hash_hmac sha1,
/// base64), with its own code, and answers 401 "Not authorized" when it differs.</item>
/// <item>Every answer carries X-Zadarma-Method and X-RateLimit-Limit/Remaining/Reset. Windows of
/// <see cref="RateLimitWindow"/> (whole seconds) start at multiples of the window in unix time, so the Reset header
/// (unix seconds) is exact. Past <see cref="RateLimit"/> (or <see cref="StatisticsRateLimit"/> for statistics)
/// the answer is 429 "You exceeded the rate limit".</item>
/// <item>Verbs as the PHP SDK uses them: GET for reads and callback, PUT for sip/callerid and sip/redirection changes,
/// POST for sms/send.</item>
/// </list>
/// </summary>
public sealed partial class ZadarmaSandbox : ISandboxProvider, ISandboxControl
{
    public const string DefaultKey = "sandbox-zadarma-key";
    public const string DefaultSecret = "sandbox-zadarma-secret";

    private readonly object _rateLock = new();
    private readonly Dictionary<(string Key, bool Statistics), (long Window, int Count)> _counters = new();
    private readonly ConcurrentDictionary<string, SipState> _sips = new();
    private int _rateLimited;

    public ZadarmaSandbox(string key = DefaultKey, string secret = DefaultSecret)
    {
        Keys[key] = secret;
        SeedSips();
        SeedPbx(); // ZadarmaSandbox.Pbx.cs: recordings and PBX forwarding
    }

    public string Prefix => "/zadarma";

    /// <summary>User keys and their secrets.</summary>
    public ConcurrentDictionary<string, string> Keys { get; } = new();

    /// <summary>Requests a window per user key (Zadarma: 100 a minute).</summary>
    public int RateLimit { get; set; } = 100;

    /// <summary>Statistics requests a window (Zadarma's public material: 3 a minute).</summary>
    public int StatisticsRateLimit { get; set; } = 3;

    /// <summary>The rate-limit window, whole seconds (Zadarma: a minute). Tests shorten it.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many 429 answers the sandbox gave.</summary>
    public int RateLimitedCount => Volatile.Read(ref _rateLimited);

    public decimal Balance { get; set; } = 25.47m;
    public string Currency { get; set; } = "USD";

    /// <summary>The account's zone as /v1/info/timezone/ names it (OpenAPI example "UTC+0", "UTC+3"; or a zone name).</summary>
    public string TimeZoneName { get; private set; } = "UTC+0";

    /// <summary>The zone the sandbox's clock (the answer's datetime) follows.</summary>
    public TimeZoneInfo TimeZone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>
    /// Sets the zone /v1/info/timezone/ reports: <paramref name="name"/> as answered, the clock following the zone of
    /// that name (an IANA name, or "UTC+3"), or <paramref name="clockOffset"/> when given (a name that does not match
    /// the clock, or one no system knows).
    /// </summary>
    public void SetTimeZone(string name, TimeSpan? clockOffset = null)
    {
        TimeZone = clockOffset is TimeSpan o ? TimeZoneInfo.CreateCustomTimeZone("sandbox", o, "sandbox", "sandbox")
            : OffsetZone(name) ?? TimeZoneInfo.FindSystemTimeZoneById(name);
        TimeZoneName = name;
    }

    private static TimeZoneInfo? OffsetZone(string name)
    {
        var m = System.Text.RegularExpressions.Regex.Match(name, @"^UTC([+-])(\d{1,2})(?::(\d{2}))?$");
        if (!m.Success) return null;
        var offset = new TimeSpan(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0, 0);
        if (m.Groups[1].Value == "-") offset = -offset;
        return TimeZoneInfo.CreateCustomTimeZone(name, offset, name, name);
    }

    /// <summary>Numbers /v1/sms/send/ lists in denied_numbers (the answer is still a success, as Zadarma's description shows).</summary>
    public ConcurrentDictionary<string, string> DeniedNumbers { get; } = new();

    /// <summary>The calls statistics report.</summary>
    public List<ZadarmaSandboxCall> Calls { get; } = new();

    public Journal<ZadarmaSandboxCallback> Callbacks { get; } = new();
    public Journal<ZadarmaSandboxSms> Sms { get; } = new();

    /// <summary>Every request whose signature verified: method path, signed text (as the sandbox rebuilt it).</summary>
    public Journal<(string Method, string SignedQuery)> Verified { get; } = new();

    public IReadOnlyDictionary<string, SipState> Sips => _sips;

    public sealed class SipState
    {
        public string Id { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public int Lines { get; init; } = 1;
        public string CallerId { get; set; } = "";
        public bool RedirectionOn { get; set; }
        public string RedirectionNumber { get; set; } = "";
    }

    private void SeedSips()
    {
        _sips["100"] = new SipState { Id = "100", DisplayName = "Reception", Lines = 3, CallerId = "442037691880", RedirectionOn = false, RedirectionNumber = "447700900123" };
        _sips["101"] = new SipState { Id = "101", DisplayName = "Sales", Lines = 1, CallerId = "442037691881", RedirectionOn = true, RedirectionNumber = "79001234567" };
    }

    public void Reset()
    {
        lock (_rateLock) _counters.Clear();
        _sips.Clear();
        SeedSips();
        lock (Calls) Calls.Clear();
        Callbacks.Clear();
        Sms.Clear();
        Verified.Clear();
        Interlocked.Exchange(ref _rateLimited, 0);
        RateLimit = 100;
        StatisticsRateLimit = 3;
        RateLimitWindow = TimeSpan.FromMinutes(1);
        Balance = 25.47m;
        TimeZoneName = "UTC+0";
        TimeZone = TimeZoneInfo.Utc;
        DeniedNumbers.Clear();
        ResetApi(); // the rest of the API: ZadarmaSandbox.Api.cs
        ResetPbx();
    }

    /// <summary>Adds <paramref name="count"/> calls spread evenly over [start, end] (account-local times).</summary>
    public void GenerateCalls(int count, DateTime start, DateTime end, string toPrefix = "4420376918")
    {
        var span = (end - start).Ticks;
        lock (Calls)
        {
            var first = Calls.Count;
            for (int i = 0; i < count; i++)
            {
                var at = new DateTime(start.Ticks + (count == 1 ? 0 : span / (count - 1) * i));
                at = new DateTime(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond);
                var n = first + i;
                Calls.Add(new ZadarmaSandboxCall($"call-{n:D6}", n % 2 == 0 ? "100" : "101", at, n % 2 == 0 ? "100" : "101",
                    toPrefix + (n % 100).ToString("D2", CultureInfo.InvariantCulture), n % 5 == 0 ? "no answer" : "answered",
                    n % 5 == 0 ? 0 : 30 + n % 90, 0.0123m, n % 5 == 0 ? 0m : Math.Round(0.0123m * (30 + n % 90) / 60m, 4), Incoming: n % 3 == 0));
            }
        }
    }

    public Task<SandboxResponse?> HandleAsync(HttpContext context, string path, byte[] body)
    {
        var verb = context.Request.Method;
        var isStatistics = path.StartsWith("/v1/statistics", StringComparison.Ordinal);

        // The key names the account whose budget the request uses.
        var header = context.Request.Headers.Authorization.ToString();
        var colon = header.IndexOf(':');
        var key = colon > 0 ? header[..colon] : "";

        var (limited, limits) = CountRequest(key, isStatistics);
        limits["X-Zadarma-Method"] = path;
        if (limited)
        {
            Interlocked.Increment(ref _rateLimited);
            return Task.FromResult<SandboxResponse?>(new SandboxResponse(429, "{\"status\":\"error\",\"message\":\"You exceeded the rate limit\"}", limits));
        }

        // The parameters as PHP sees them: $_GET for GET, the form body otherwise.
        var raw = verb == "GET" ? (context.Request.QueryString.Value ?? "").TrimStart('?') : Encoding.UTF8.GetString(body);
        // A multipart form (a greeting file): its fields are the parameters, and its files are not signed (PHP $_FILES).
        var multipart = verb == "GET" ? null : Multipart(context, body);
        var parameters = multipart?.Fields ?? PhpForm.Parse(raw);
        // What PHP parses (lists and maps from name[key], '.' and ' ' of a name read as '_'), signed as PHP builds it again;
        // a multipart form's fields are read as the same fields of a form body would be.
        var tree = PhpForm.ParseTree(multipart is { } form
            ? string.Join("&", form.Fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)))
            : raw);
        if (colon <= 0 || !Keys.TryGetValue(key, out var secret) ||
            !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(header[(colon + 1)..]), Encoding.ASCII.GetBytes(PhpForm.Signature(path, tree, secret))))
            return Task.FromResult<SandboxResponse?>(Answer(401, new { status = "error", message = "Not authorized" }, limits));
        Verified.Add((path, PhpForm.HttpBuildQuery(PhpForm.KSortTree(tree))));

        string? P(string name) => parameters.LastOrDefault(p => p.Key == name).Value;
        SandboxResponse Need(string expected, Func<SandboxResponse> handle) =>
            verb == expected ? handle() : Answer(405, new { status = "error", message = $"Method {verb} is not allowed; use {expected}" }, limits);

        var response = path switch
        {
            "/v1/info/balance/" => Need("GET", () => Answer(200, new { status = "success", balance = Balance, currency = Currency }, limits)),
            "/v1/info/price/" => Need("GET", () => Price(P("number"), limits)),
            // OpenAPI /v1/info/timezone: unixtime, datetime (the account's clock), timezone ("UTC+0").
            "/v1/info/timezone/" => Need("GET", () =>
            {
                var now = DateTimeOffset.UtcNow;
                return Answer(200, new
                {
                    status = "success", unixtime = now.ToUnixTimeSeconds(),
                    datetime = TimeZoneInfo.ConvertTime(now, TimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    timezone = TimeZoneName,
                }, limits);
            }),
            "/v1/request/callback/" => Need("GET", () => Callback(P("from"), P("to"), P("sip"), P("predicted"), limits)),
            "/v1/sip/" => Need("GET", () => Answer(200, new
            {
                status = "success",
                sips = _sips.Values.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => new { id = s.Id, display_name = s.DisplayName, lines = s.Lines }),
                left = 3,
            }, limits)),
            "/v1/sip/callerid/" => Need("PUT", () => CallerId(P("id"), P("number"), limits)),
            "/v1/sip/redirection/" => verb == "GET" ? Redirections(P("id"), limits)
                : Need("PUT", () => ChangeRedirection(P("id"), P("status"), P("type"), P("number"), limits)),
            "/v1/sms/send/" => Need("POST", () => SendSms(P("number"), P("message"), P("caller_id"), limits)),
            "/v1/statistics/" => Need("GET", () => Statistics(parameters, pbx: false, limits)),
            "/v1/statistics/pbx/" => Need("GET", () => Statistics(parameters, pbx: true, limits)),
            _ => PbxMethod(context, verb, path, P, multipart?.Files ?? new(), limits) // recordings and PBX forwarding: ZadarmaSandbox.Pbx.cs
                ?? HandleApi(verb, path, parameters, tree, limits), // the rest of the API: ZadarmaSandbox.Api.cs
        };
        return Task.FromResult<SandboxResponse?>(response);
    }

    private (bool Limited, Dictionary<string, string> Headers) CountRequest(string key, bool statistics)
    {
        var windowSeconds = Math.Max(1L, (long)RateLimitWindow.TotalSeconds);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000;
        var window = now / windowSeconds;
        var reset = (window + 1) * windowSeconds;
        lock (_rateLock)
        {
            int Used(bool stats) => _counters.TryGetValue((key, stats), out var c) && c.Window == window ? c.Count : 0;
            var general = Used(false);
            var stats = Used(true);
            bool limited = general >= RateLimit || (statistics && stats >= StatisticsRateLimit);
            if (!limited)
            {
                _counters[(key, false)] = (window, ++general);
                if (statistics) _counters[(key, true)] = (window, ++stats);
            }
            var limit = statistics ? StatisticsRateLimit : RateLimit;
            var remaining = statistics ? Math.Min(StatisticsRateLimit - stats, RateLimit - general) : RateLimit - general;
            return (limited, new Dictionary<string, string>
            {
                ["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture),
                ["X-RateLimit-Remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture),
                ["X-RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture),
            });
        }
    }

    private static SandboxResponse Answer(int status, object body, IReadOnlyDictionary<string, string> headers) =>
        new(status, JsonSerializer.Serialize(body), headers);

    private static SandboxResponse Error(int status, string message, IReadOnlyDictionary<string, string> headers) =>
        Answer(status, new { status = "error", message }, headers);

    private static bool Digits(string? s) => !string.IsNullOrEmpty(s) && s.All(char.IsAsciiDigit);

    private SandboxResponse Price(string? number, IReadOnlyDictionary<string, string> h)
    {
        if (!Digits(number)) return Error(400, "Wrong parameter 'number'", h);
        var (prefix, description, price) = number!.StartsWith("44", StringComparison.Ordinal) ? ("4420", "United Kingdom, London", 0.009m)
            : number.StartsWith("7", StringComparison.Ordinal) ? ("79", "Russia, mobile", 0.0234m)
            : number.StartsWith("98", StringComparison.Ordinal) ? ("989", "Iran, mobile", 0.1105m)
            : (number[..1], "Other", 0.25m);
        return Answer(200, new { status = "success", info = new { prefix, description, price, currency = Currency } }, h);
    }

    private SandboxResponse Callback(string? from, string? to, string? sip, string? predicted, IReadOnlyDictionary<string, string> h)
    {
        if (string.IsNullOrEmpty(from)) return Error(400, "Wrong parameter 'from'", h);
        if (string.IsNullOrEmpty(to)) return Error(400, "Wrong parameter 'to'", h);
        if (sip != null && !_sips.ContainsKey(sip)) return Error(400, $"Wrong SIP '{sip}'", h);
        var at = DateTimeOffset.UtcNow;
        Callbacks.Add(new ZadarmaSandboxCallback(from, to, sip, predicted != null, at));
        // docs/providers/zadarma.md, 'The callback': {"status":"success","from":442037691880,"to":442037691881,"time":1435573082} (numbers as JSON numbers when digits).
        var fromJson = Digits(from) && from.Length < 18 ? (object)long.Parse(from, CultureInfo.InvariantCulture) : from;
        var toJson = Digits(to) && to.Length < 18 ? (object)long.Parse(to, CultureInfo.InvariantCulture) : to;
        return Answer(200, new { status = "success", from = fromJson, to = toJson, time = at.ToUnixTimeSeconds() }, h);
    }

    private SandboxResponse CallerId(string? id, string? number, IReadOnlyDictionary<string, string> h)
    {
        if (id is null || !_sips.TryGetValue(id, out var sip)) return Error(400, "Wrong SIP id", h);
        if (!Digits(number)) return Error(400, "Wrong parameter 'number'", h);
        sip.CallerId = number!;
        return Answer(200, new { status = "success", sip = id, new_caller_id = number }, h);
    }

    private SandboxResponse Redirections(string? id, IReadOnlyDictionary<string, string> h)
    {
        if (id != null && !_sips.ContainsKey(id)) return Error(400, "Wrong SIP id", h);
        var info = _sips.Values.Where(s => id is null || s.Id == id).OrderBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => new { sip_id = s.Id, status = s.RedirectionOn ? "on" : "off", condition = "always", destination = "phone", destination_value = s.RedirectionNumber });
        return Answer(200, new { status = "success", info }, h);
    }

    private SandboxResponse ChangeRedirection(string? id, string? status, string? type, string? number, IReadOnlyDictionary<string, string> h)
    {
        if (id is null || !_sips.TryGetValue(id, out var sip)) return Error(400, "Wrong SIP id", h);
        if (status != null)
        {
            if (status != "on" && status != "off") return Error(400, "Wrong parameter 'status'", h);
            sip.RedirectionOn = status == "on";
            return Answer(200, new { status = "success", sip = id, current_status = status }, h);
        }
        if (type == "phone" && Digits(number))
        {
            sip.RedirectionNumber = number!;
            return Answer(200, new { status = "success", sip = id, destination = number }, h);
        }
        return Error(400, "Give status, or type=phone and number", h);
    }

    private SandboxResponse SendSms(string? number, string? message, string? callerId, IReadOnlyDictionary<string, string> h)
    {
        if (string.IsNullOrEmpty(number) || !number.Split(',').All(Digits)) return Error(400, "Wrong parameter 'number'", h);
        if (string.IsNullOrEmpty(message)) return Error(400, "Wrong parameter 'message'", h);
        var gsm = message.All(c => c < 128);
        var perPart = gsm ? 160 : 70;
        var parts = Math.Max(1, (message.Length + perPart - 1) / perPart);
        // OpenAPI /v1/sms/send: sms_detalization[] (senderid, number, cost) of the numbers sent to, denied_numbers[]
        // (number, message) of the others; the totals count the numbers sent to.
        var numbers = number.Split(',');
        var sent = numbers.Where(n => !DeniedNumbers.ContainsKey(n)).ToList();
        foreach (var n in sent) Sms.Add(new ZadarmaSandboxSms(n, message, callerId, parts, DateTimeOffset.UtcNow));
        return Answer(200, new
        {
            status = "success", messages = parts * sent.Count, cost = 0.05m * parts * sent.Count, currency = Currency,
            sms_detalization = sent.Select(n => new { senderid = callerId ?? "Zadarma", number = n, cost = 0.05m * parts }),
            denied_numbers = numbers.Where(DeniedNumbers.ContainsKey).Select(n => new { number = n, message = DeniedNumbers[n] }),
        }, h);
    }

    private SandboxResponse Statistics(List<KeyValuePair<string, string>> p, bool pbx, IReadOnlyDictionary<string, string> h)
    {
        string? P(string name) => p.LastOrDefault(x => x.Key == name).Value;
        const string format = "yyyy-MM-dd HH:mm:ss";
        var now = DateTime.UtcNow;
        var start = P("start") is string s ? DateTime.ParseExact(s, format, CultureInfo.InvariantCulture) : new DateTime(now.Year, now.Month, 1);
        var end = P("end") is string e ? DateTime.ParseExact(e, format, CultureInfo.InvariantCulture) : now;
        // PHP SDK: "Maximum period of getting statistics is - 1 month. If the limit in the request is exceeded, the
        // time period automatically decreases to 30 days."
        if (end - start > TimeSpan.FromDays(30)) end = start.AddDays(30);
        var skip = int.TryParse(P("skip"), out var sk) ? sk : 0;
        var limit = int.TryParse(P("limit"), out var li) ? Math.Clamp(li, 1, 1000) : 1000;
        var sip = P("sip");
        var callType = P("call_type");
        // type: the PHP SDK's toll and ru495, the OpenAPI description's overall and toll-free. The sandbox counts calls
        // to 800 numbers as toll / toll-free and to 7495 numbers as ru495.
        var type = pbx ? null : P("type");
        Func<ZadarmaSandboxCall, bool> ofType = type switch
        {
            null or "overall" => _ => true,
            "toll" or "toll-free" => c => c.To.StartsWith("800", StringComparison.Ordinal),
            "ru495" => c => c.To.StartsWith("7495", StringComparison.Ordinal),
            _ => _ => false, // a type the sandbox does not know has no calls
        };
        var costOnly = !pbx && P("cost_only") is string co && co.Length > 0 && co != "0" && co != "false";
        List<ZadarmaSandboxCall> selected;
        lock (Calls)
            selected = Calls.Where(c => c.CallStart >= start && c.CallStart <= end && (sip is null || c.Sip == sip)
                                        && (callType is null || (callType == "in") == c.Incoming) && ofType(c))
                .OrderBy(c => c.CallStart).ThenBy(c => c.Id, StringComparer.Ordinal).Skip(costOnly ? 0 : skip).Take(costOnly ? int.MaxValue : limit).ToList();
        var range = new { start = start.ToString(format, CultureInfo.InvariantCulture), end = end.ToString(format, CultureInfo.InvariantCulture) };
        // OpenAPI /v1/statistics, "Response 2 — cost summary (cost_only=true)": stats[] of cost, currency, seconds.
        if (costOnly)
            return Answer(200, new
            {
                status = "success", range.start, range.end,
                stats = new[] { new { cost = selected.Sum(c => c.BillCost), currency = Currency, seconds = selected.Sum(c => c.Seconds) } },
            }, h);
        if (pbx)
            return Answer(200, new
            {
                status = "success", range.start, range.end, version = 2,
                stats = selected.Select(c => new
                {
                    call_id = c.Id, sip = c.Sip, callstart = c.CallStart.ToString(format, CultureInfo.InvariantCulture), clid = c.From,
                    destination = c.To, disposition = c.Disposition, seconds = c.Seconds, is_recorded = c.Seconds > 60 ? "true" : "false",
                    pbx_call_id = "in_" + c.Id,
                }),
            }, h);
        return Answer(200, new
        {
            status = "success", range.start, range.end,
            stats = selected.Select(c => new
            {
                id = c.Id, sip = c.Sip, callstart = c.CallStart.ToString(format, CultureInfo.InvariantCulture), description = c.Description,
                disposition = c.Disposition, billseconds = c.Seconds, cost = c.CostPerMinute, billcost = c.BillCost, currency = Currency,
                from = c.From, to = c.To,
            }),
        }, h);
    }

    /// <summary>
    /// HTTP control: POST /_sandbox/zadarma/ratelimit {"limit":100,"statisticsLimit":3,"windowSeconds":60};
    /// POST /_sandbox/zadarma/calls {"count":50,"start":"2026-11-01 00:00:00","end":"2026-11-21 23:59:59","to":"800123"};
    /// POST /_sandbox/zadarma/timezone {"name":"Europe/Berlin"} (or {"name":"UTC+3"}, {"name":"MSK","clockOffset":"03:00"});
    /// POST /_sandbox/zadarma/deny {"numbers":["79001234568"],"message":"..."} (sms/send lists them in denied_numbers);
    /// GET /_sandbox/zadarma/callbacks, /_sandbox/zadarma/sms, /_sandbox/zadarma/sips.
    /// </summary>
    public SandboxResponse? Control(string method, string command, JsonSerializerOptions json)
    {
        switch (method, command.ToLowerInvariant())
        {
            case ("GET", "callbacks"): return SandboxResponse.Json(200, JsonSerializer.Serialize(Callbacks.Snapshot(), json));
            case ("GET", "sms"): return SandboxResponse.Json(200, JsonSerializer.Serialize(Sms.Snapshot(), json));
            case ("GET", "sips"): return SandboxResponse.Json(200, JsonSerializer.Serialize(_sips.Values, json));
            default: return PbxControl(method, command, json) ?? ControlApi(method, command, json); // ZadarmaSandbox.Pbx.cs, ZadarmaSandbox.Api.cs
        }
    }

    /// <summary>Control commands with a JSON body (called by the server, which reads the body).</summary>
    public SandboxResponse? ControlWithBody(string command, JsonElement body)
    {
        switch (command.ToLowerInvariant())
        {
            case "ratelimit":
                if (body.TryGetProperty("limit", out var l)) RateLimit = l.GetInt32();
                if (body.TryGetProperty("statisticsLimit", out var sl)) StatisticsRateLimit = sl.GetInt32();
                if (body.TryGetProperty("windowSeconds", out var w)) RateLimitWindow = TimeSpan.FromSeconds(w.GetInt32());
                return SandboxResponse.Json(200, "{\"ok\":true}");
            case "timezone":
                SetTimeZone(body.GetProperty("name").GetString()!,
                    body.TryGetProperty("clockOffset", out var co) ? TimeSpan.Parse(co.GetString()!, CultureInfo.InvariantCulture) : null);
                return SandboxResponse.Json(200, "{\"ok\":true}");
            case "deny":
                foreach (var n in body.GetProperty("numbers").EnumerateArray()) DeniedNumbers[n.GetString()!] = body.TryGetProperty("message", out var dm) ? dm.GetString()! : "The number is blocked";
                return SandboxResponse.Json(200, "{\"ok\":true}");
            case "calls":
                const string format = "yyyy-MM-dd HH:mm:ss";
                GenerateCalls(body.GetProperty("count").GetInt32(),
                    DateTime.ParseExact(body.GetProperty("start").GetString()!, format, CultureInfo.InvariantCulture),
                    DateTime.ParseExact(body.GetProperty("end").GetString()!, format, CultureInfo.InvariantCulture),
                    body.TryGetProperty("to", out var to) ? to.GetString()! : "4420376918");
                return SandboxResponse.Json(200, "{\"ok\":true}");
            default:
                return PbxControlWithBody(command, body) ?? ControlApiWithBody(command, body); // ZadarmaSandbox.Pbx.cs, ZadarmaSandbox.Api.cs
        }
    }
}

/// <summary>
/// PHP's side of the signature, written for the sandbox alone (it shares no code with the client): parse a query or
/// form body as PHP fills $_GET/$_POST, ksort, http_build_query with PHP_QUERY_RFC1738, md5, hash_hmac('sha1'),
/// base64_encode.
/// </summary>
public static partial class PhpForm
{
    /// <summary>Splits on '&amp;' and the first '=', and decodes like PHP's urldecode ('+' is a space, %XX a byte).</summary>
    public static List<KeyValuePair<string, string>> Parse(string raw)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = UrlDecode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : UrlDecode(pair[(eq + 1)..]);
            // PHP keeps the last of repeated names.
            list.RemoveAll(p => p.Key == name);
            list.Add(new(name, value));
        }
        return list;
    }

    private static string UrlDecode(string s)
    {
        var bytes = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '+') bytes.Add((byte)' ');
            else if (s[i] == '%' && i + 2 < s.Length && Uri.IsHexDigit(s[i + 1]) && Uri.IsHexDigit(s[i + 2]))
            {
                bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>ksort: by key, comparing the keys' bytes as strcmp does.</summary>
    public static List<KeyValuePair<string, string>> KSort(IEnumerable<KeyValuePair<string, string>> parameters) =>
        parameters.OrderBy(p => Convert.ToHexString(Encoding.UTF8.GetBytes(p.Key)), StringComparer.Ordinal).ToList();

    /// <summary>http_build_query(..., PHP_QUERY_RFC1738), i.e. urlencode of each name and value.</summary>
    public static string HttpBuildQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join("&", parameters.Select(p => UrlEncode(p.Key) + "=" + UrlEncode(p.Value)));

    /// <summary>PHP urlencode: alphanumerics and -_. stay, space is '+', all else %XX (upper-case), byte by byte.</summary>
    public static string UrlEncode(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || "-_.".Contains(c)) sb.Append(c);
            else if (c == ' ') sb.Append('+');
            else sb.Append('%').Append(Convert.ToHexString(new[] { b }));
        }
        return sb.ToString();
    }

    /// <summary>base64_encode(hash_hmac('sha1', $method . $q . md5($q), $secret)) with $q = http_build_query(ksort($params)).</summary>
    public static string Signature(string method, IEnumerable<KeyValuePair<string, string>> parameters, string secret)
    {
        var q = HttpBuildQuery(KSort(parameters));
        var md5 = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(q))).ToLowerInvariant();
        var hmac = Convert.ToHexString(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(method + q + md5))).ToLowerInvariant();
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(hmac));
    }
}
