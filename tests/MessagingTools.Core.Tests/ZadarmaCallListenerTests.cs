using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma.Calls;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>The call listener end to end over real HTTP on a free local port.</summary>
public sealed class ZadarmaCallListenerTests
{
    private const string SecretText = "a8c7b3f2e1d0";
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A running listener on http://localhost:port/ and what it reported, drained once it stopped.</summary>
    private sealed class Running : IAsyncDisposable
    {
        public required ZadarmaCallListener Listener { get; init; }
        public required Task<ZadarmaListenerStopReason> Run { get; init; }
        public required CancellationTokenSource Stop { get; init; }
        public required Uri Uri { get; init; }

        public async Task<List<ZadarmaListenerEvent>> StopAndDrainAsync()
        {
            Stop.Cancel();
            await Run.WaitAsync(TimeSpan.FromSeconds(20));
            return Listener.Events.GetConsumingEnumerable().ToList();
        }

        public async ValueTask DisposeAsync()
        {
            Stop.Cancel();
            try { await Run.WaitAsync(TimeSpan.FromSeconds(20)); } catch (Exception) { }
            Listener.Dispose();
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static Running Start(Action<ZadarmaCallListenerOptions>? configure = null,
        Func<ZadarmaCall, CancellationToken, Task<ZadarmaRoute?>>? route = null, bool throughEvents = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var options = new ZadarmaCallListenerOptions();
            // localhost: the one prefix Windows lets any user take; on Linux it matches requests to localhost.
            options.Prefixes.Add($"http://localhost:{port}");
            configure?.Invoke(options);
            var listener = throughEvents ? ZadarmaCallListener.RoutingThroughEvents(options) : new ZadarmaCallListener(options, route);
            try
            {
                listener.Start();
            }
            catch (MessagingException ex) when (ex.ErrorId == "ZadarmaListenerCouldNotStart" && attempt < 5)
            {
                continue; // the port was taken between the probe and the start
            }
            var stop = new CancellationTokenSource();
            return new Running { Listener = listener, Run = listener.RunAsync(stop.Token), Stop = stop, Uri = new Uri($"http://localhost:{port}/") };
        }
    }

    private static string Body(string callerId, string startField = "call_start", string extra = "") =>
        $"caller_id={Uri.EscapeDataString(callerId)}&called_did=74951234567&{startField}=2026-11-30+12%3A34%3A56{extra}";

    private static string Sign(string callerId, string secret = SecretText) =>
        ZadarmaNotifications.ComputeSignature(callerId, "74951234567", "2026-11-30 12:34:56", new Secret(secret));

    private static async Task<(int Status, string Body, HttpResponseMessage Response)> PostAsync(Uri uri, string body, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded") };
        if (signature != null) request.Headers.TryAddWithoutValidation("Signature", signature);
        var response = await s_http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private static T Single<T>(IEnumerable<ZadarmaListenerEvent> events) where T : ZadarmaListenerEvent => Assert.Single(events.OfType<T>());

    [Fact]
    public async Task TheEchoCheckIsAnswered()
    {
        await using var run = Start();
        var response = await s_http.GetAsync(new Uri(run.Uri, "zadarma/notify?zd_echo=abc+d%21"));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("abc d!", await response.Content.ReadAsStringAsync());
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        var echo = Single<ZadarmaEchoAnswered>(await run.StopAndDrainAsync());
        Assert.Equal("abc d!", echo.Echo);
        Assert.Equal("127.0.0.1", echo.RemoteAddress);
    }

    [Fact]
    public async Task ACallIsParsedRoutedAndAnswered()
    {
        ZadarmaCall? seen = null;
        await using var run = Start(o => o.Secret = new Secret(SecretText), (call, _) =>
        {
            seen = call;
            return Task.FromResult<ZadarmaRoute?>(ZadarmaRoute.To("100", "Customer " + call.CallerId));
        });
        var (status, body, response) = await PostAsync(run.Uri, Body("+79261234567", "callstart", "&pbx_call_id=in_1"), Sign("+79261234567"));
        Assert.Equal(200, status);
        Assert.Equal("{\"redirect\":100,\"caller_name\":\"Customer +79261234567\"}", body);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(ZadarmaSignatureStatus.Verified, seen!.Signature);
        var received = Single<ZadarmaCallReceived>(await run.StopAndDrainAsync());
        Assert.Same(seen, received.Call);
        Assert.Equal("in_1", received.Call.OtherFields["pbx_call_id"]);
        Assert.Equal("callstart", received.Call.CallStartField);
        Assert.Equal(body, received.Answer);
        Assert.Null(received.RouteError);
        Assert.Equal(1, run.Listener.CallsAnswered);
    }

    [Fact]
    public async Task NoRouteIsAnEmptyAnswer()
    {
        await using var run = Start();
        var (status, body, _) = await PostAsync(run.Uri, Body("1"));
        Assert.Equal(200, status);
        Assert.Equal("", body);
        var received = Single<ZadarmaCallReceived>(await run.StopAndDrainAsync());
        Assert.True(received.Route.IsDefault);
        Assert.Equal(ZadarmaSignatureStatus.NotChecked, received.Call.Signature);
    }

    [Fact]
    public async Task WrongMethodsGet405AndTheListenerGoesOn()
    {
        await using var run = Start();
        var put = await s_http.SendAsync(new HttpRequestMessage(HttpMethod.Put, run.Uri) { Content = new StringContent(Body("1")) });
        Assert.Equal(405, (int)put.StatusCode);
        Assert.Equal(new[] { "GET", "POST" }, put.Content.Headers.Allow.OrderBy(m => m));
        var get = await s_http.GetAsync(new Uri(run.Uri, "?x=1"));
        Assert.Equal(405, (int)get.StatusCode);
        Assert.Equal(200, (await PostAsync(run.Uri, Body("1"))).Status);
        var events = await run.StopAndDrainAsync();
        var rejected = events.OfType<ZadarmaRequestRejected>().ToList();
        Assert.Equal(new[] { "PUT", "GET" }, rejected.Select(r => r.Method));
        Assert.All(rejected, r => Assert.Equal(405, r.StatusCode));
        Assert.All(rejected, r => Assert.Equal("ZadarmaNotificationMethodIsNotAllowed", r.Error.ErrorId));
        Single<ZadarmaCallReceived>(events);
    }

    [Fact]
    public async Task OversizedBodiesGet413WithOrWithoutALength()
    {
        await using var run = Start(o => o.MaxBodyBytes = 4096);
        var big = Body("1", extra: "&pad=" + new string('a', 100_000));
        Assert.Equal(413, (await PostAsync(run.Uri, big)).Status);
        // Chunked: no Content-Length, so the limit is found while reading.
        var chunked = new HttpRequestMessage(HttpMethod.Post, run.Uri) { Content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(Body("1", extra: "&pad=" + new string('a', 5000))))) };
        chunked.Headers.TransferEncodingChunked = true;
        Assert.Equal(413, (int)(await s_http.SendAsync(chunked)).StatusCode);
        Assert.Equal(200, (await PostAsync(run.Uri, Body("2"))).Status);
        var events = await run.StopAndDrainAsync();
        Assert.Equal(2, events.OfType<ZadarmaRequestRejected>().Count(r => r.StatusCode == 413 && r.Error.ErrorId == "ZadarmaNotificationIsTooLarge"));
        Assert.Equal("2", Single<ZadarmaCallReceived>(events).Call.CallerId);
    }

    /// <summary>Opens a connection and sends a POST's head announcing <paramref name="length"/> bytes, then nothing.</summary>
    private static async Task<TcpClient> StallAsync(Uri uri, long length)
    {
        var client = new TcpClient();
        await client.ConnectAsync("localhost", uri.Port);
        var head = $"POST / HTTP/1.1\r\nHost: localhost:{uri.Port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n";
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
        return client;
    }

    [Fact]
    public async Task ClientsThatAnnounceAnOversizedBodyAndSendNothingDoNotHoldTheSlots()
    {
        await using var run = Start(o => { o.MaxBodyBytes = 4096; o.BodyTimeout = TimeSpan.FromMilliseconds(500); o.MaxConcurrentRequests = 2; });
        var stalled = new List<TcpClient>();
        for (var i = 0; i < 2; i++) stalled.Add(await StallAsync(run.Uri, 100_000));
        try
        {
            // Every slot is taken by a client that never sends its body: the body timeout must free them.
            Assert.Equal(200, (await PostAsync(run.Uri, Body("1")).WaitAsync(TimeSpan.FromSeconds(10))).Status);
            var events = await run.StopAndDrainAsync();
            Assert.Equal(2, events.OfType<ZadarmaRequestRejected>().Count(r => r.StatusCode == 413 && r.Error.ErrorId == "ZadarmaNotificationIsTooLarge"));
            Assert.Equal("1", Single<ZadarmaCallReceived>(events).Call.CallerId);
        }
        finally
        {
            foreach (var c in stalled) c.Dispose();
        }
    }

    [Fact]
    public async Task StoppingDoesNotWaitForAClientThatNeverSendsItsOversizedBody()
    {
        await using var run = Start(o => { o.MaxBodyBytes = 4096; o.BodyTimeout = TimeSpan.FromMinutes(5); });
        using var stalled = await StallAsync(run.Uri, 100_000);
        await Task.Delay(300); // accepted and draining
        run.Stop.Cancel();
        Assert.Equal(ZadarmaListenerStopReason.Cancelled, await run.Run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>An exception whose message cannot be read: even the listener's last-resort answer fails on it.</summary>
    private sealed class UnreadableException : Exception
    {
        public override string Message => throw new UnreadableException();
    }

    [Fact]
    public async Task AFaultedHandlerStillClosesTheListenerCompletesTheEventsAndIsReported()
    {
        await using var run = Start(route: (call, token) => throw new UnreadableException());
        using var quick = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try { await quick.PostAsync(run.Uri, new StringContent(Body("1"), Encoding.ASCII, "application/x-www-form-urlencoded")); } catch (Exception) { }
        run.Stop.Cancel();
        // Before: the WhenAll threw past the closing, so the events never completed and the port stayed open.
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => run.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.IsType<UnreadableException>(thrown);
        while (run.Listener.Events.TryTake(out _, TimeSpan.FromSeconds(1))) { }
        Assert.True(run.Listener.Events.IsCompleted);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => PostAsync(run.Uri, Body("2")));
    }

    [Fact]
    public async Task MalformedOrIncompleteNotificationsGet400()
    {
        await using var run = Start();
        Assert.Equal(400, (await PostAsync(run.Uri, "caller_id=1&call_start=x")).Status);
        Assert.Equal(400, (await PostAsync(run.Uri, "{\"caller_id\":\"1\"}")).Status);
        Assert.Equal(400, (await PostAsync(run.Uri, "caller_id=%FF&called_did=1&call_start=x")).Status);
        Assert.Equal(200, (await PostAsync(run.Uri, Body("1"))).Status);
        var events = await run.StopAndDrainAsync();
        var rejected = events.OfType<ZadarmaRequestRejected>().ToList();
        Assert.Equal(3, rejected.Count);
        Assert.All(rejected, r => Assert.Equal(400, r.StatusCode));
        Assert.Equal("called_did", rejected[0].Error.Field);
        Assert.Equal("ZadarmaNotificationIsMalformed", rejected[2].Error.ErrorId);
        Single<ZadarmaCallReceived>(events);
    }

    [Fact]
    public async Task ForgedAndUnsignedPostsGet403WhenSignaturesAreRequired()
    {
        await using var run = Start(o => { o.Secret = new Secret(SecretText); o.RequireSignature = true; });
        Assert.Equal(403, (await PostAsync(run.Uri, Body("1"), Sign("1", "another-secret"))).Status);
        Assert.Equal(403, (await PostAsync(run.Uri, Body("2"), Sign("1"))).Status); // a signature of another call
        Assert.Equal(403, (await PostAsync(run.Uri, Body("3"))).Status);
        Assert.Equal(200, (await PostAsync(run.Uri, Body("4"), Sign("4"))).Status);
        var events = await run.StopAndDrainAsync();
        var rejected = events.OfType<ZadarmaRequestRejected>().ToList();
        Assert.Equal(new[] { "ZadarmaNotificationSignatureIsForged", "ZadarmaNotificationSignatureIsForged", "ZadarmaNotificationIsUnsigned" },
            rejected.Select(r => r.Error.ErrorId));
        Assert.Equal(new[] { "1", "2", "3" }, rejected.Select(r => r.Call!.CallerId));
        Assert.All(rejected, r => Assert.Equal(ErrorKind.Authentication, r.Error.Kind));
        Assert.Equal("4", Single<ZadarmaCallReceived>(events).Call.CallerId);
        // The secret is in no event and no error text.
        foreach (var e in events)
        {
            var text = e.ToString() + (e as ZadarmaRequestRejected)?.Error.ToString() + (e as ZadarmaCallReceived)?.Answer;
            Assert.DoesNotContain(SecretText, text);
        }
    }

    [Fact]
    public async Task WithoutRequiringSignaturesAForgedPostIsRoutedAndMarkedForged()
    {
        await using var run = Start(o => o.Secret = new Secret(SecretText));
        Assert.Equal(200, (await PostAsync(run.Uri, Body("1"), Sign("1", "another-secret"))).Status);
        Assert.Equal(ZadarmaSignatureStatus.Forged, Single<ZadarmaCallReceived>(await run.StopAndDrainAsync()).Call.Signature);
    }

    [Fact]
    public void RequiringSignaturesWithoutASecretIsRefused()
    {
        var options = new ZadarmaCallListenerOptions { RequireSignature = true };
        options.Prefixes.Add("http://localhost:1/");
        Assert.Equal("ZadarmaSignatureSecretIsMissing", Assert.Throws<MessagingException>(() => new ZadarmaCallListener(options, null)).ErrorId);
    }

    [Fact]
    public async Task OnlyAllowedAddressesAreServed()
    {
        await using (var closed = Start(o => { o.AllowedAddresses.Add("185.45.152.42"); o.AllowedAddresses.Add("10.0.0.0/8"); }))
        {
            Assert.Equal(403, (await PostAsync(closed.Uri, Body("1"))).Status);
            Assert.Equal(403, (int)(await s_http.GetAsync(new Uri(closed.Uri, "?zd_echo=1"))).StatusCode);
            var rejected = (await closed.StopAndDrainAsync()).Cast<ZadarmaRequestRejected>().ToList();
            Assert.Equal(2, rejected.Count);
            Assert.All(rejected, r => Assert.Equal("ZadarmaNotificationAddressIsNotAllowed", r.Error.ErrorId));
            Assert.All(rejected, r => Assert.Equal("127.0.0.1", r.RemoteAddress));
        }
        await using var open = Start(o => { o.AllowedAddresses.Add("185.45.152.42"); o.AllowedAddresses.Add("127.0.0.0/8"); o.AllowedAddresses.Add("::1"); });
        Assert.Equal(200, (await PostAsync(open.Uri, Body("1"))).Status);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("10.0.0.0/33")]
    [InlineData("")]
    public void AnUnreadableAllowedAddressIsRefused(string entry)
    {
        var options = new ZadarmaCallListenerOptions();
        options.Prefixes.Add("http://localhost:1/");
        options.AllowedAddresses.Add(entry);
        Assert.Equal("ZadarmaAllowedAddressIsInvalid", Assert.Throws<MessagingException>(() => new ZadarmaCallListener(options, null)).ErrorId);
    }

    [Fact]
    public async Task ASlowRouteFallsBackToDefaultRoutingAndItsLateRouteIsReported()
    {
        await using var run = Start(o => o.RouteTimeout = TimeSpan.FromMilliseconds(300), async (call, _) =>
        {
            await Task.Delay(2000); // ignores the token on purpose
            return ZadarmaRoute.To("200");
        });
        var started = DateTimeOffset.Now;
        var (status, body, _) = await PostAsync(run.Uri, Body("1"));
        Assert.Equal(200, status);
        Assert.Equal("", body);
        Assert.True(DateTimeOffset.Now - started < TimeSpan.FromMilliseconds(1900), "the answer waited for the slow route");
        await Task.Delay(2500); // the late route comes back while the listener still runs
        var events = await run.StopAndDrainAsync();
        var received = Single<ZadarmaCallReceived>(events);
        Assert.True(received.Route.IsDefault);
        Assert.Equal("ZadarmaRouteTimedOut", received.RouteError!.ErrorId);
        var late = Single<ZadarmaRouteArrivedLate>(events);
        Assert.Equal("200", late.Route!.Redirect);
        Assert.Equal("ZadarmaRouteArrivedLate", late.Error.ErrorId);
        Assert.Same(received.Call, late.Call);
    }

    [Fact]
    public async Task ARouteThatHonoursTheTokenIsReportedOnceAsTimedOut()
    {
        await using var run = Start(o => o.RouteTimeout = TimeSpan.FromMilliseconds(200), async (call, token) =>
        {
            await Task.Delay(5000, token);
            return ZadarmaRoute.To("200");
        });
        Assert.Equal("", (await PostAsync(run.Uri, Body("1"))).Body);
        var events = await run.StopAndDrainAsync();
        Assert.Equal("ZadarmaRouteTimedOut", Single<ZadarmaCallReceived>(events).RouteError!.ErrorId);
        Assert.Empty(events.OfType<ZadarmaRouteArrivedLate>());
    }

    [Fact]
    public async Task ARouteThatThrowsFallsBackIsReportedAndTheListenerGoesOn()
    {
        await using var run = Start(route: (call, _) =>
        {
            if (call.CallerId == "1") throw new InvalidOperationException("no CRM today");
            if (call.CallerId == "2") return Task.FromException<ZadarmaRoute?>(new TimeoutException("CRM slow"));
            return Task.FromResult<ZadarmaRoute?>(ZadarmaRoute.Blacklist());
        });
        var first = await PostAsync(run.Uri, Body("1"));
        Assert.Equal((200, ""), (first.Status, first.Body));
        Assert.Equal("", (await PostAsync(run.Uri, Body("2"))).Body);
        Assert.Equal("{\"redirect\":\"blacklist\"}", (await PostAsync(run.Uri, Body("3"))).Body);
        var calls = (await run.StopAndDrainAsync()).OfType<ZadarmaCallReceived>().ToList();
        Assert.Equal(3, calls.Count);
        Assert.Equal("ZadarmaRouteFailed", calls[0].RouteError!.ErrorId);
        Assert.IsType<InvalidOperationException>(calls[0].RouteError!.InnerException);
        Assert.Contains("no CRM today", calls[0].RouteError!.Message);
        Assert.IsType<TimeoutException>(calls[1].RouteError!.InnerException);
        Assert.Null(calls[2].RouteError);
        Assert.True(calls[2].Route.IsBlacklist);
    }

    [Fact]
    public async Task ItStopsAfterCountCalls()
    {
        await using var run = Start(o => o.Count = 3);
        await s_http.GetAsync(new Uri(run.Uri, "?zd_echo=1")); // not a call
        await PostAsync(run.Uri, "caller_id=1"); // not a call either
        for (var i = 0; i < 3; i++) Assert.Equal(200, (await PostAsync(run.Uri, Body(i.ToString()))).Status);
        Assert.Equal(ZadarmaListenerStopReason.CountReached, await run.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => PostAsync(run.Uri, Body("9")));
        var events = run.Listener.Events.GetConsumingEnumerable().ToList();
        Assert.Equal(3, events.OfType<ZadarmaCallReceived>().Count());
        Assert.True(run.Listener.Events.IsCompleted);
    }

    [Fact]
    public async Task CancellationStopsIt()
    {
        await using var run = Start();
        Assert.Equal(200, (await PostAsync(run.Uri, Body("1"))).Status);
        run.Stop.Cancel();
        Assert.Equal(ZadarmaListenerStopReason.Cancelled, await run.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => PostAsync(run.Uri, Body("2")));
    }

    [Fact]
    public async Task TheTimeoutStopsIt()
    {
        await using var run = Start(o => o.Timeout = TimeSpan.FromMilliseconds(300));
        Assert.Equal(ZadarmaListenerStopReason.TimedOut, await run.Run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void ATakenPortCannotBeServed()
    {
        using var probe = new TcpListener(IPAddress.Any, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        var options = new ZadarmaCallListenerOptions();
        options.Prefixes.Add($"http://+:{port}/");
        using var listener = new ZadarmaCallListener(options, null);
        var ex = Assert.Throws<MessagingException>(listener.Start);
        Assert.Equal("ZadarmaListenerCouldNotStart", ex.ErrorId);
        probe.Stop();
    }

    [Fact]
    public async Task RoutesChosenByTheConsumerComeBackAndLateOnesAreReported()
    {
        // What a cmdlet does: drain the events on one thread and answer each route request there.
        await using var run = Start(o => o.RouteTimeout = TimeSpan.FromMilliseconds(1500), throughEvents: true);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<ZadarmaListenerEvent>();
        var consumer = Task.Run(() =>
        {
            foreach (var e in run.Listener.Events.GetConsumingEnumerable())
            {
                seen.Enqueue(e);
                if (e is ZadarmaRouteRequest request)
                {
                    if (request.Call.CallerId == "slow") Thread.Sleep(2000);
                    if (request.Call.CallerId == "bad") request.Fail(new InvalidOperationException("script failed"));
                    else request.Answer(request.Call.CallerId == "none" ? null : ZadarmaRoute.To("10" + request.Call.CallerId.Length));
                }
            }
        });
        Assert.Equal("{\"redirect\":101}", (await PostAsync(run.Uri, Body("7"))).Body);
        Assert.Equal("", (await PostAsync(run.Uri, Body("none"))).Body);
        Assert.Equal("", (await PostAsync(run.Uri, Body("bad"))).Body);
        Assert.Equal("{\"redirect\":102}", (await PostAsync(run.Uri, Body("42"))).Body);
        Assert.Equal("", (await PostAsync(run.Uri, Body("slow"))).Body);
        // The late route comes back while the listener still runs (and would be waited for a while if it stopped).
        for (var waited = 0; waited < 100 && !seen.OfType<ZadarmaRouteArrivedLate>().Any(); waited++) await Task.Delay(50);
        run.Stop.Cancel();
        await run.Run.WaitAsync(TimeSpan.FromSeconds(10));
        await consumer.WaitAsync(TimeSpan.FromSeconds(10));
        var calls = seen.OfType<ZadarmaCallReceived>().ToDictionary(c => c.Call.CallerId);
        Assert.Equal(5, calls.Count);
        Assert.Equal("ZadarmaRouteFailed", calls["bad"].RouteError!.ErrorId);
        Assert.Equal("ZadarmaRouteTimedOut", calls["slow"].RouteError!.ErrorId);
        Assert.Equal("104", Single<ZadarmaRouteArrivedLate>(seen).Route!.Redirect);
        Assert.Equal(5, seen.OfType<ZadarmaRouteRequest>().Count());
    }

    [Fact]
    public async Task TheSandboxPlayingZadarmaGetsTheRoutesChosenAndForgedOnesRefused()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        await using var run = Start(o => { o.Secret = new Secret(ZadarmaSandbox.DefaultSecret); o.RequireSignature = true; o.Count = 20; },
            (call, _) => Task.FromResult<ZadarmaRoute?>(call.CallerId.EndsWith('0') ? ZadarmaRoute.Blacklist() : ZadarmaRoute.To(call.CallerId[^3..], "n" + call.OtherFields["pbx_call_id"])));
        // Over the control API, as Pester calls it: 30 notifications of which 4 forged, 3 malformed, 3 unsigned; the
        // last one is signed, so the listener stops after it (Count 20, the signed ones) with every one answered.
        var plan = JsonSerializer.Serialize(new { url = run.Uri.AbsoluteUri, count = 30, forged = 4, malformed = 3, unsigned = 3 });
        var answer = await s_http.PostAsync(new Uri(sandbox.BaseUri, "_sandbox/zadarma/notify"), new StringContent(plan, Encoding.UTF8, "application/json"));
        Assert.Equal(200, (int)answer.StatusCode);
        using var report = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var echo = report.RootElement.GetProperty("echo");
        Assert.True(echo.GetProperty("ok").GetBoolean(), echo.ToString());
        var notifications = report.RootElement.GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(30, notifications.Count);
        foreach (var n in notifications)
        {
            var kind = n.GetProperty("kind").GetString();
            var status = n.GetProperty("status").GetInt32();
            var callerId = n.GetProperty("callerId").GetString()!;
            if (kind == "signed")
            {
                Assert.Equal(200, status);
                // Caller ids are +7926 and 1000000 + index: the last three digits begin with 0, so the extension is a JSON string.
                Assert.Equal('0', callerId[^3]);
                var expected = callerId.EndsWith('0') ? "{\"redirect\":\"blacklist\"}"
                    : $"{{\"redirect\":\"{callerId[^3..]}\",\"caller_name\":\"nin_sandbox_{n.GetProperty("index").GetInt32()}\"}}";
                Assert.Equal(expected, n.GetProperty("body").GetString());
            }
            else Assert.Equal(kind == "malformed" ? 400 : 403, status);
        }
        Assert.Equal(ZadarmaListenerStopReason.CountReached, await run.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        var events = run.Listener.Events.GetConsumingEnumerable().ToList();
        Assert.Equal(20, events.OfType<ZadarmaCallReceived>().Count());
        Assert.Equal(10, events.OfType<ZadarmaRequestRejected>().Count());
        Assert.Contains(events.OfType<ZadarmaCallReceived>(), c => c.Call.CallStartField == "callstart");
        Assert.All(events.OfType<ZadarmaCallReceived>(), c => Assert.Equal(ZadarmaSignatureStatus.Verified, c.Call.Signature));
    }
}
