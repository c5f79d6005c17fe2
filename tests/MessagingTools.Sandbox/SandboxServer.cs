using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using MessagingTools.Sandbox.Providers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace MessagingTools.Sandbox;

/// <summary>
/// A real HTTP server on 127.0.0.1 that emulates the providers. Each provider lives under its own prefix
/// (<see cref="BaleEndpoint"/>...). Tests control it in-process (<see cref="Faults"/>, <see cref="Latency"/>, the
/// providers' records); the demo and Pester control it over HTTP under <c>/_sandbox/</c>.
/// Its own address (<see cref="BaseUri"/>) is always polite; a second address, <see cref="FrontBaseUri"/>, serves the
/// same sandbox in the <see cref="Manners"/> of the moment (SandboxManners.cs): the impolite servers of the wild.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes on <c>POST /_sandbox/stop</c>: the sandbox run on its own (Program.cs) then ends, however it was started
    /// (<c>dotnet run</c> included, whose own process a Stop-Process would leave the server behind: issue 19, item 7).
    /// </summary>
    public Task StopRequested => _stopRequested.Task;
    private readonly Dictionary<string, ISandboxProvider> _providers = new(StringComparer.OrdinalIgnoreCase);
    private readonly MannersFront _front;
    // The fault the front decided for a request it forwards (the ErrorBeforeBody manner decides from the request head,
    // before the body is read), by the id it sends in MannersFront.DecisionHeader; null: no fault.
    private readonly ConcurrentDictionary<string, Fault?> _frontDecisions = new();
    private readonly TimeSpan _startAcceptDelay;

    /// <summary>The accept delay of <see cref="SandboxManners.SlowAccept"/> unless one is set.</summary>
    public static readonly TimeSpan DefaultAcceptDelay = TimeSpan.FromMilliseconds(200);

    private SandboxServer(WebApplication app, SandboxOptions options)
    {
        _app = app;
        _front = new MannersFront(this, options.FrontPort);
        Manners = options.Manners;
        AcceptDelay = _startAcceptDelay = TimeSpan.FromMilliseconds(options.AcceptDelayMs);
        Latency = TimeSpan.FromMilliseconds(options.LatencyMs);
        Bale = new BaleSandbox(options.BaleApiKey);
        Register(Bale);
        FlashCall = new FlashCallSandbox(options.FlashCallToken);
        Register(FlashCall);
        Feedbot = new FeedbotSandbox(options.FeedbotToken);
        Register(Feedbot);
        Zadarma = new ZadarmaSandbox(options.ZadarmaKey, options.ZadarmaSecret);
        Register(Zadarma);
        Register(Zadarma.RecordingFiles); // the files at Zadarma's recording links, on a prefix of their own
    }

    /// <summary>The sandbox's own address: Kestrel, always polite (HTTP/1.1 keep-alive).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>
    /// The front door: the same sandbox (providers, faults, latency, records, control) on a port of its own, served
    /// in the <see cref="Manners"/> of the moment. <see cref="OnFront"/> turns an endpoint into the same one there.
    /// </summary>
    public Uri FrontBaseUri { get; private set; } = null!;

    /// <summary>The same endpoint (<see cref="BaleEndpoint"/>...) on the front door, <see cref="FrontBaseUri"/>.</summary>
    public Uri OnFront(Uri endpoint) => new UriBuilder(endpoint) { Port = FrontBaseUri.Port }.Uri;

    private volatile SandboxManners _manners;

    /// <summary>How the front door (<see cref="FrontBaseUri"/>) behaves; <see cref="Reset"/> makes it polite again.</summary>
    public SandboxManners Manners { get => _manners; set => _manners = value; }

    /// <summary>How long <see cref="SandboxManners.SlowAccept"/> holds each new connection before serving it.</summary>
    public TimeSpan AcceptDelay { get; set; }

    /// <summary>The Safir base address to give the Bale client (ends in /api/v3/).</summary>
    public Uri BaleEndpoint => new(BaseUri, "bale/api/v3/");

    public BaleSandbox Bale { get; }

    /// <summary>The flash-call method address (the whole URL, as the service's path ends in /call/call/).</summary>
    public Uri FlashCallEndpoint => new(BaseUri, "flashcall/services/call/call/");

    public FlashCallSandbox FlashCall { get; }

    /// <summary>FeedBot's send address (POST).</summary>
    public Uri FeedbotSendEndpoint => new(BaseUri, "feedbot/addnewmessages");

    /// <summary>FeedBot's status address (GET ?id=).</summary>
    public Uri FeedbotStatusEndpoint => new(BaseUri, "feedbot/getmessagestatus");

    public FeedbotSandbox Feedbot { get; }
    /// <summary>The Zadarma base address to give the Zadarma client (method paths /v1/... append to it).</summary>
    public Uri ZadarmaEndpoint => new(BaseUri, "zadarma/");

    public ZadarmaSandbox Zadarma { get; }

    public FaultInjector Faults { get; } = new();

    /// <summary>Added before every answer (the benchmark uses 50 ms).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Every request received, in arrival order.</summary>
    public Journal<RecordedRequest> Requests { get; } = new();

    private int _answering, _peakAnswering;

    /// <summary>
    /// The most provider requests the sandbox was answering at once since the last <see cref="Reset"/>: what a
    /// client's concurrency limit looks like from the server's side (benchmarks check -ThrottleLimit with it).
    /// </summary>
    public int PeakConcurrentRequests => Volatile.Read(ref _peakAnswering);

    public void Register(ISandboxProvider provider) => _providers[provider.Prefix.Trim('/')] = provider;

    public static async Task<SandboxServer> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = null; // the Bale sandbox enforces its own upload limit
            k.Limits.MinRequestBodyDataRate = null;
        });
        var app = builder.Build();
        var server = new SandboxServer(app, options);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1").TrimEnd('/') + "/");
        server._front.Start();
        server.FrontBaseUri = new UriBuilder(server.BaseUri) { Port = server._front.Port }.Uri;
        return server;
    }

    /// <summary>Forgets every record and fault; the front door is polite again, with the accept delay it started with (latency is kept).</summary>
    public void Reset()
    {
        Manners = SandboxManners.Polite;
        AcceptDelay = _startAcceptDelay;
        _frontDecisions.Clear();
        Faults.Clear();
        Requests.Clear();
        Volatile.Write(ref _peakAnswering, Volatile.Read(ref _answering));
        foreach (var p in _providers.Values) p.Reset();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/_sandbox/", StringComparison.OrdinalIgnoreCase))
        {
            await ControlAsync(context, path["/_sandbox/".Length..]);
            return;
        }

        var prefix = ProviderPrefix(path);
        if (!_providers.TryGetValue(prefix, out var provider))
        {
            await Write(context, SandboxResponse.Json(404, "{\"message\":\"no such sandbox provider\"}"));
            return;
        }

        var now = Interlocked.Increment(ref _answering);
        int peak;
        while ((peak = Volatile.Read(ref _peakAnswering)) < now && Interlocked.CompareExchange(ref _peakAnswering, now, peak) != peak) { }
        try
        {
            await AnswerAsync(context, provider, path, prefix);
        }
        finally
        {
            Interlocked.Decrement(ref _answering);
        }
    }

    private static string ProviderPrefix(string path) => path.TrimStart('/').Split('/', 2)[0];

    /// <summary>Whether a path is a provider's (faults apply to those only; not to /_sandbox/ control).</summary>
    internal bool IsProviderPath(string path) =>
        !path.StartsWith("/_sandbox/", StringComparison.OrdinalIgnoreCase) && _providers.ContainsKey(ProviderPrefix(path));

    /// <summary>Keeps the fault the front decided for a request it forwards; returns the id to send in its header.</summary>
    internal string AddFrontDecision(Fault? fault)
    {
        var id = Guid.NewGuid().ToString("N");
        _frontDecisions[id] = fault;
        return id;
    }

    /// <summary>Records a request the front answered from its head alone (the ErrorBeforeBody manner).</summary>
    internal void RecordUnread(string method, string path, string query, IReadOnlyDictionary<string, string> headers, Fault fault) =>
        Requests.Add(new RecordedRequest(DateTimeOffset.UtcNow, method, path, query, headers, Array.Empty<byte>())
        {
            Fault = fault.Kind, AfterProcessing = fault.AfterProcessing, BodyRead = false,
        });

    private async Task AnswerAsync(HttpContext context, ISandboxProvider provider, string path, string prefix)
    {
        var body = await ReadBodyAsync(context, provider);
        var recorded = new RecordedRequest(DateTimeOffset.UtcNow, context.Request.Method, path, context.Request.QueryString.Value ?? "",
            context.Request.Headers.Where(h => !h.Key.Equals(MannersFront.DecisionHeader, StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        Requests.Add(recorded);

        if (Latency > TimeSpan.Zero) await Task.Delay(Latency, context.RequestAborted);

        // A request the front forwards in the ErrorBeforeBody manner had its fault decided there already.
        var fault = context.Request.Headers.TryGetValue(MannersFront.DecisionHeader, out var decision) &&
                    _frontDecisions.TryRemove(decision.ToString(), out var decided)
            ? decided
            : Faults.Take(path, body);
        recorded.Fault = fault?.Kind;
        recorded.AfterProcessing = fault?.AfterProcessing ?? false;
        if (fault is { AfterProcessing: false })
        {
            await ApplyFaultAsync(context, fault, null, body);
            return;
        }
        var subPath = path.Substring(prefix.Length + 1);
        var response = await provider.HandleAsync(context, subPath, body)
                       ?? SandboxResponse.Json(404, "{\"message\":\"no such method\"}");
        if (fault != null) await ApplyFaultAsync(context, fault, response, body);
        else await Write(context, response);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context, ISandboxProvider provider)
    {
        // Uploads are streamed by the provider itself; everything else is small.
        if (provider is BaleSandbox && context.Request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true)
            return Array.Empty<byte>();
        using var ms = new MemoryStream();
        await context.Request.Body.CopyToAsync(ms, context.RequestAborted);
        return ms.ToArray();
    }

    private static async Task ApplyFaultAsync(HttpContext context, Fault fault, SandboxResponse? processed, byte[] body)
    {
        switch (fault.Kind)
        {
            case FaultKind.Status:
            case FaultKind.RateLimit:
                await Write(context, FaultAnswer(fault));
                break;
            case FaultKind.Hang:
                try { await Task.Delay(fault.DelayMs, context.RequestAborted); }
                catch (OperationCanceledException) { return; }
                await Write(context, processed ?? SandboxResponse.Json(504, "{\"message\":\"sandbox fault: late answer\"}"));
                break;
            case FaultKind.Drop:
                context.Abort();
                break;
            case FaultKind.MalformedJson:
                await Write(context, SandboxResponse.Json(200, "{\"request_id\": \"5f1c\", \"error_data\": [ {\"code\": "));
                break;
            case FaultKind.Redirect:
                await Write(context, SandboxResponse.Json(fault.Status, "", new Dictionary<string, string> { ["Location"] = fault.Location ?? "/" }));
                break;
            case FaultKind.EchoCredentials:
                var echoes = Credentials(context, body).Select(c =>
                    $"raw {c}, base64 {Convert.ToBase64String(Encoding.UTF8.GetBytes(c))}, url {Uri.EscapeDataString(c)}");
                var text = "sandbox fault: these credentials were refused: " + string.Join("; ", echoes);
                await Write(context, SandboxResponse.Json(fault.Status, JsonSerializer.Serialize(new { message = text, description = text, ok = false })));
                break;
        }
    }

    /// <summary>The answer of a <see cref="FaultKind.Status"/> or <see cref="FaultKind.RateLimit"/> fault.</summary>
    internal static SandboxResponse FaultAnswer(Fault fault)
    {
        if (fault.Kind == FaultKind.Status)
            return SandboxResponse.Json(fault.Status, fault.Body ?? $"{{\"message\":\"sandbox fault: HTTP {fault.Status}\"}}");
        var reset = DateTimeOffset.UtcNow.AddSeconds(fault.RetryAfterSeconds).ToUnixTimeSeconds();
        return SandboxResponse.Json(429, "{\"status\":\"error\",\"message\":\"You exceeded the rate limit\"}",
            new Dictionary<string, string>
            {
                ["Retry-After"] = fault.RetryAfterSeconds.ToString(),
                ["X-RateLimit-Remaining"] = "0",
                ["X-RateLimit-Reset"] = reset.ToString(),
            });
    }

    /// <summary>The credentials a request carried: the providers' key headers and a "token" of a JSON body.</summary>
    private static IEnumerable<string> Credentials(HttpContext context, byte[] body)
    {
        foreach (var name in new[] { "api-access-key", "auth", "Authorization" })
            if (context.Request.Headers.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value)) yield return value.ToString();
        string? token = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("token", out var t)) token = t.GetString();
        }
        catch (JsonException) { }
        if (!string.IsNullOrEmpty(token)) yield return token;
    }

    private static async Task Write(HttpContext context, SandboxResponse response)
    {
        // A provider that wrote its answer itself (a streamed recording) has started it.
        if (context.RequestAborted.IsCancellationRequested || context.Response.HasStarted) return;
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        if (response.Headers != null)
            foreach (var h in response.Headers) context.Response.Headers[h.Key] = h.Value;
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(response.Body), context.RequestAborted);
    }

    /// <summary>
    /// HTTP control for scripts: POST /_sandbox/reset (records and faults forgotten, the front door polite again); POST /_sandbox/stop (the program ends);
    /// POST /_sandbox/latency {"ms":50};
    /// POST /_sandbox/faults (a <see cref="Fault"/> as JSON); GET /_sandbox/bale/deliveries;
    /// GET /_sandbox/requests (each with the fault that hit it, afterProcessing, and bodyRead: false when the front
    /// answered without reading it);
    /// POST /_sandbox/manners {"manners":"Polite|CloseSilently|ErrorBeforeBody|Http10|SlowAccept","acceptDelayMs":200}
    /// sets how the front door behaves (<see cref="SandboxManners"/>; acceptDelayMs optional, for SlowAccept) and
    /// GET /_sandbox/manners reads it: both answer {"manners","acceptDelayMs","frontBaseUri"};
    /// POST /_sandbox/zadarma/notify (a <see cref="ZadarmaNotifyPlan"/>: send the zd_echo check and notifications to a URL);
    /// POST /_sandbox/zadarma/play-call (a <see cref="ZadarmaCallPlan"/>: play whole calls, every call event signed, to a URL).
    /// </summary>
    private async Task ControlAsync(HttpContext context, string command)
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
        switch (context.Request.Method, command.TrimEnd('/').ToLowerInvariant())
        {
            case ("POST", "reset"):
                Reset();
                await Write(context, SandboxResponse.Json(200, "{\"ok\":true}"));
                return;
            case ("POST", "stop"):
                // Answered first; the program that runs the sandbox on its own then ends (Program.cs).
                await Write(context, SandboxResponse.Json(200, "{\"ok\":true,\"stopping\":true}"));
                _stopRequested.TrySetResult();
                return;
            case ("POST", "latency"):
                var latency = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, web);
                Latency = TimeSpan.FromMilliseconds(latency.GetProperty("ms").GetInt32());
                await Write(context, SandboxResponse.Json(200, "{\"ok\":true}"));
                return;
            case ("POST", "faults"):
                var fault = await JsonSerializer.DeserializeAsync<Fault>(context.Request.Body, web);
                Faults.Add(fault!);
                await Write(context, SandboxResponse.Json(200, "{\"ok\":true}"));
                return;
            case ("GET", "requests"):
                await Write(context, SandboxResponse.Json(200, JsonSerializer.Serialize(
                    Requests.Snapshot().Select(r => new { r.At, r.Method, r.Path, r.Query, Body = r.BodyText, r.Fault, r.AfterProcessing, r.BodyRead }), web)));
                return;
            case ("POST", "manners"):
                var set = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, web);
                if (!set.TryGetProperty("manners", out var name) || !Enum.TryParse<SandboxManners>(name.GetString(), ignoreCase: true, out var manners) ||
                    !Enum.IsDefined(manners))
                {
                    await Write(context, SandboxResponse.Json(400, JsonSerializer.Serialize(new
                    {
                        message = "manners must be one of " + string.Join(", ", Enum.GetNames<SandboxManners>()),
                    }, web)));
                    return;
                }
                if (set.TryGetProperty("acceptDelayMs", out var delay) && delay.ValueKind == JsonValueKind.Number)
                    AcceptDelay = TimeSpan.FromMilliseconds(delay.GetInt32());
                Manners = manners;
                await Write(context, SandboxResponse.Json(200, MannersJson(web)));
                return;
            case ("GET", "manners"):
                await Write(context, SandboxResponse.Json(200, MannersJson(web)));
                return;
            case ("POST", "zadarma/notify"):
                // The sandbox plays Zadarma towards a notification URL (Providers/ZadarmaNotifier.cs).
                var plan = await JsonSerializer.DeserializeAsync<ZadarmaNotifyPlan>(context.Request.Body, web);
                try
                {
                    var report = await ZadarmaNotifier.RunAsync(plan!, context.RequestAborted);
                    await Write(context, SandboxResponse.Json(200, JsonSerializer.Serialize(report, web)));
                }
                catch (ArgumentException ex)
                {
                    await Write(context, SandboxResponse.Json(400, JsonSerializer.Serialize(new { message = ex.Message }, web)));
                }
                return;
            case ("POST", "zadarma/play-call"):
                // The sandbox plays Zadarma's PBX through whole calls, every event signed (Providers/ZadarmaCallPlayer.cs).
                var callPlan = await JsonSerializer.DeserializeAsync<ZadarmaCallPlan>(context.Request.Body, web);
                try
                {
                    var played = await ZadarmaCallPlayer.RunAsync(callPlan!, context.RequestAborted);
                    await Write(context, SandboxResponse.Json(200, JsonSerializer.Serialize(played, web)));
                }
                catch (ArgumentException ex)
                {
                    await Write(context, SandboxResponse.Json(400, JsonSerializer.Serialize(new { message = ex.Message }, web)));
                }
                return;
            case ("POST", var zadarmaCommand) when zadarmaCommand.StartsWith("zadarma/", StringComparison.Ordinal):
                var zadarmaBody = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, web);
                await Write(context, Zadarma.ControlWithBody(zadarmaCommand["zadarma/".Length..], zadarmaBody)
                                     ?? SandboxResponse.Json(404, "{\"message\":\"unknown sandbox command\"}"));
                return;
            default:
                foreach (var p in _providers.Values)
                {
                    if (p is ISandboxControl control && command.StartsWith(p.Prefix.Trim('/') + "/", StringComparison.OrdinalIgnoreCase))
                    {
                        var answer = control.Control(context.Request.Method, command[(p.Prefix.Trim('/').Length + 1)..].TrimEnd('/'), web);
                        if (answer != null)
                        {
                            await Write(context, answer);
                            return;
                        }
                    }
                }
                await Write(context, SandboxResponse.Json(404, "{\"message\":\"unknown sandbox command\"}"));
                return;
        }
    }

    private string MannersJson(JsonSerializerOptions web) => JsonSerializer.Serialize(new
    {
        manners = Manners.ToString(),
        acceptDelayMs = (int)AcceptDelay.TotalMilliseconds,
        frontBaseUri = FrontBaseUri.ToString(),
    }, web);

    public async ValueTask DisposeAsync()
    {
        await _front.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A provider that answers control commands under /_sandbox/&lt;prefix&gt;/.</summary>
public interface ISandboxControl
{
    SandboxResponse? Control(string method, string command, JsonSerializerOptions json);
}

public sealed class SandboxOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }
    /// <summary>The front door's port (<see cref="SandboxServer.FrontBaseUri"/>); 0 picks a free port.</summary>
    public int FrontPort { get; set; }
    public int LatencyMs { get; set; }
    /// <summary>How the front door (<see cref="SandboxServer.FrontBaseUri"/>) behaves at start.</summary>
    public SandboxManners Manners { get; set; }
    /// <summary>The <see cref="SandboxManners.SlowAccept"/> delay of each new connection.</summary>
    public int AcceptDelayMs { get; set; } = (int)SandboxServer.DefaultAcceptDelay.TotalMilliseconds;
    public string BaleApiKey { get; set; } = BaleSandbox.DefaultApiKey;
    public string FlashCallToken { get; set; } = FlashCallSandbox.DefaultToken;
    public string FeedbotToken { get; set; } = FeedbotSandbox.DefaultToken;
    public string ZadarmaKey { get; set; } = ZadarmaSandbox.DefaultKey;
    public string ZadarmaSecret { get; set; } = ZadarmaSandbox.DefaultSecret;
}
