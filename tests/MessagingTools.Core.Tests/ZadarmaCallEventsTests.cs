using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Core.Providers.Zadarma.Calls;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// The PBX's call events (issue 18, item 3 and 7a): every post of tests/vectors/zadarma-call-events.json (signed by
/// Zadarma's own SDK classes under PHP 8.2) read, verified against its own signed text, and its fields typed; edge inputs
/// (an empty field, a secret of non-ASCII letters) checked against an HMAC computed here independently.
/// </summary>
public sealed class ZadarmaCallEventsTests
{
    public sealed record Vector(string Name, string Secret, List<KeyValuePair<string, string>> Post, string SignedString, string Signature)
    {
        public string Event => Post.Single(p => p.Key == "event").Value;
        public string this[string field] => Post.Single(p => p.Key == field).Value;
    }

    public static IReadOnlyList<Vector> Vectors()
    {
        var file = Path.Combine(Path.GetDirectoryName(ZadarmaSignerTests.VectorFile())!, "zadarma-call-events.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.EnumerateArray().Select(v => new Vector(v.GetProperty("name").GetString()!, v.GetProperty("secret").GetString()!,
            v.GetProperty("post").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList(),
            v.GetProperty("signed_string").GetString()!, v.GetProperty("signature").GetString()!)).ToList();
    }

    public static IEnumerable<object[]> VectorNames() => Vectors().Select(v => new object[] { v.Name });

    private static string Form(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join("&", fields.Select(f => ZadarmaSigner.FormEncode(f.Key) + "=" + ZadarmaSigner.FormEncode(f.Value)));

    private static KeyValuePair<string, string?>[] Headers(string? signature) =>
        signature is null ? Array.Empty<KeyValuePair<string, string?>>() : new[] { new KeyValuePair<string, string?>("Signature", signature) };

    /// <summary>PHP's base64_encode(hash_hmac('sha1', $text, $secret)), computed here without the module: base64 of the hex text.</summary>
    private static string PhpSignature(string text, string secret)
    {
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(secret));
        var hex = string.Concat(hmac.ComputeHash(Encoding.UTF8.GetBytes(text)).Select(b => b.ToString("x2")));
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(hex));
    }

    [Fact]
    public void TheVectorFileHoldsEveryEvent() =>
        Assert.Equal(ZadarmaCallEvents.Known.OrderBy(e => e), Vectors().Select(v => v.Event).Distinct().OrderBy(e => e));

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void EveryVectorIsSignedOverItsOwnTextAndVerified(string name)
    {
        var v = Vectors().Single(x => x.Name == name);
        var post = v.Post.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(v.SignedString, ZadarmaNotifications.SignedText(v.Event, post));
        Assert.Equal(v.Signature, ZadarmaNotifications.ComputeSignature(v.SignedString, new Secret(v.Secret)));

        var call = ZadarmaNotifications.Parse(Form(v.Post), Headers(v.Signature), new Secret(v.Secret));
        Assert.Equal(ZadarmaSignatureStatus.Verified, call.Signature);
        Assert.Equal(v.Event, call.Event);
        Assert.True(call.IsKnownEvent);
        // From the fields a host decoded, too (PHP's wait_dtmf[...] names as they were posted).
        Assert.Equal(ZadarmaSignatureStatus.Verified,
            ZadarmaNotifications.FromFields(v.Post.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)), v.Signature, new Secret(v.Secret)).Signature);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void EveryVectorWithOneSignedFieldChangedIsForged(string name)
    {
        var v = Vectors().Single(x => x.Name == name);
        var secret = new Secret(v.Secret);
        foreach (var field in ZadarmaCallEvents.SignedFields(v.Event)!)
        {
            var changed = v.Post.Select(p => p.Key == field ? new KeyValuePair<string, string>(p.Key, p.Value + "9") : p).ToList();
            Assert.Equal(ZadarmaSignatureStatus.Forged, ZadarmaNotifications.Parse(Form(changed), Headers(v.Signature), secret).Signature);
        }
        Assert.Equal(ZadarmaSignatureStatus.Forged, ZadarmaNotifications.Parse(Form(v.Post), Headers(v.Signature), new Secret(v.Secret + "x")).Signature);
        Assert.Equal(ZadarmaSignatureStatus.Unsigned, ZadarmaNotifications.Parse(Form(v.Post), Headers(null), secret).Signature);
        Assert.Equal(ZadarmaSignatureStatus.NotChecked, ZadarmaNotifications.Parse(Form(v.Post), Headers(v.Signature)).Signature);
    }

    [Fact]
    public void EachEventsFieldsAreTyped()
    {
        var byEvent = Vectors().ToDictionary(v => v.Event);
        ZadarmaCall Read(string e) => ZadarmaNotifications.Parse(Form(byEvent[e].Post), Headers(byEvent[e].Signature), new Secret(byEvent[e].Secret),
            accountUtcOffset: TimeSpan.FromHours(3));

        var start = Read(ZadarmaCallEvents.Start);
        Assert.Equal("+79261234567", start.CallerId);
        Assert.Equal("74951234567", start.CalledDid);
        Assert.Equal("in_2b5f1c", start.PbxCallId);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 10, 0, 1, TimeSpan.FromHours(3)), start.CallStart);
        Assert.Null(start.Duration);
        Assert.Null(start.IsRecorded);
        Assert.Equal("in_2b5f1c", start.OtherFields["pbx_call_id"]);
        Assert.Equal("NOTIFY_START", start.OtherFields["event"]);

        Assert.Equal("100", Read(ZadarmaCallEvents.Internal).Extension);

        var answer = Read(ZadarmaCallEvents.Answer);
        Assert.Equal("100", answer.Destination);
        Assert.Null(answer.CalledDid);

        var end = Read(ZadarmaCallEvents.End);
        Assert.Equal(125, end.Duration);
        Assert.Equal("answered", end.Disposition);
        Assert.Equal(16, end.StatusCode);
        Assert.True(end.IsRecorded);
        Assert.Equal("1733479201.1234567", end.RecordingId);
        Assert.Equal("100", end.Extension);

        var outStart = Read(ZadarmaCallEvents.OutStart);
        Assert.Null(outStart.CallerId);
        Assert.Equal("101", outStart.Extension);
        Assert.Equal("442037691881", outStart.Destination);

        var outEnd = Read(ZadarmaCallEvents.OutEnd);
        Assert.Equal(0, outEnd.Duration);
        Assert.Equal("busy", outEnd.Disposition);
        Assert.Equal(17, outEnd.StatusCode);
        Assert.False(outEnd.IsRecorded);
        Assert.Null(outEnd.RecordingId); // posted empty: not recorded
        Assert.Equal("74951234567", outEnd.CallerId);

        var record = Read(ZadarmaCallEvents.Record);
        Assert.Equal("1733479201.1234567", record.RecordingId);
        Assert.Equal("in_2b5f1c", record.PbxCallId);
        Assert.Null(record.CallStartText);
        Assert.Null(record.CallStart);
        Assert.Null(record.CallerId);

        var ivr = Read(ZadarmaCallEvents.Ivr);
        Assert.Equal("menu", ivr.DtmfName);
        Assert.Equal("2", ivr.DtmfDigits);
        Assert.Null(ivr.DtmfDefaultBehaviour);
        Assert.Equal("2", ivr.OtherFields["wait_dtmf[digits]"]);
    }

    [Fact]
    public void OnlyStartIvrAndThePostWithoutAnEventCanSteerTheCall()
    {
        Assert.True(ZadarmaCallEvents.CanSteer(null));
        Assert.True(ZadarmaCallEvents.CanSteer(ZadarmaCallEvents.Start));
        Assert.True(ZadarmaCallEvents.CanSteer(ZadarmaCallEvents.Ivr));
        foreach (var e in ZadarmaCallEvents.Known.Except(new[] { ZadarmaCallEvents.Start, ZadarmaCallEvents.Ivr }))
            Assert.False(ZadarmaCallEvents.CanSteer(e), e);
        Assert.False(ZadarmaCallEvents.CanSteer("NOTIFY_SOMETHING_NEW"));
    }

    [Fact]
    public void AnEventMissingAFieldItSignsIsNamed()
    {
        var ex = Assert.Throws<MessagingException>(() => ZadarmaNotifications.Parse("event=NOTIFY_RECORD&pbx_call_id=in_1", null));
        Assert.Equal("ZadarmaNotificationIsMissingAField", ex.ErrorId);
        Assert.Equal("call_id_with_rec", ex.Field);
        Assert.Contains("NOTIFY_RECORD", ex.Message);
        Assert.Equal(400, ex.HttpStatus);
        ex = Assert.Throws<MessagingException>(() => ZadarmaNotifications.Parse("event=NOTIFY_OUT_START&internal=101&destination=1", null));
        Assert.Equal("call_start", ex.Field);
    }

    [Fact]
    public void AnEventTheModuleDoesNotKnowIsReadWithItsFields()
    {
        var secret = new Secret("a8c7b3f2e1d0");
        const string body = "event=NOTIFY_SMS_INCOMING&caller_id=%2B79261234567&text=hello&pbx_call_id=x1";
        var call = ZadarmaNotifications.Parse(body, null, secret);
        Assert.Equal("NOTIFY_SMS_INCOMING", call.Event);
        Assert.False(call.IsKnownEvent);
        Assert.Equal("+79261234567", call.CallerId);
        Assert.Equal("hello", call.OtherFields["text"]);
        Assert.Equal(ZadarmaSignatureStatus.Unsigned, call.Signature);
        Assert.Equal(ZadarmaSignatureStatus.Forged, ZadarmaNotifications.Parse(body, Headers("Zm9yZ2Vk"), secret).Signature);
        // Signed over a text a known event signs (here caller_id . called_did . call_start): verified.
        const string signedBody = "event=NOTIFY_NEW&caller_id=1&called_did=2&call_start=2026-12-06+10%3A00%3A00";
        Assert.Equal(ZadarmaSignatureStatus.Verified,
            ZadarmaNotifications.Parse(signedBody, Headers(PhpSignature("122026-12-06 10:00:00", "a8c7b3f2e1d0")), secret).Signature);
    }

    [Fact]
    public void AnEmptyFieldIsAcceptedAndSignedAsTheEmptyText()
    {
        // An internal call (extension to extension) has no number called: called_did is posted empty, and PHP signs
        // caller_id . '' . call_start.
        const string secret = "a8c7b3f2e1d0";
        var expected = PhpSignature("100" + "" + "2026-12-06 10:00:01", secret);
        foreach (var e in new[] { ZadarmaCallEvents.Start, ZadarmaCallEvents.Internal, ZadarmaCallEvents.End })
        {
            var body = $"event={e}&call_start=2026-12-06+10%3A00%3A01&pbx_call_id=in_9&caller_id=100&called_did=&internal=101";
            var call = ZadarmaNotifications.Parse(body, Headers(expected), Secret.ForSigning(secret));
            Assert.Equal(ZadarmaSignatureStatus.Verified, call.Signature);
            Assert.Equal("", call.CalledDid);
            Assert.Equal(ZadarmaSignatureStatus.Forged,
                ZadarmaNotifications.Parse(body.Replace("called_did=", "called_did=1"), Headers(expected), Secret.ForSigning(secret)).Signature);
        }
        // An empty caller (a hidden number) too, and an OUT_END's empty recording id is no recording.
        var hidden = PhpSignature("" + "74951234567" + "2026-12-06 10:00:01", secret);
        Assert.Equal(ZadarmaSignatureStatus.Verified, ZadarmaNotifications.Parse(
            "event=NOTIFY_START&caller_id=&called_did=74951234567&call_start=2026-12-06+10%3A00%3A01", Headers(hidden), Secret.ForSigning(secret)).Signature);
    }

    [Theory]
    [InlineData("Пароль-секрет")]
    [InlineData("رمز۱۲۳")]
    [InlineData("Geheimnis-ß-ü")]
    public void ASecretOfNonAsciiLettersIsUsedAsItsUtf8Bytes(string secret)
    {
        var text = "+79261234567" + "74951234567" + "2026-12-06 10:00:01";
        var expected = PhpSignature(text, secret);
        Assert.Equal(expected, ZadarmaNotifications.ComputeSignature(text, Secret.ForSigning(secret)));
        Assert.Equal(expected, ZadarmaNotifications.ComputeSignature("+79261234567", "74951234567", "2026-12-06 10:00:01", Secret.ForSigning(secret)));
        var body = "event=NOTIFY_START&call_start=2026-12-06+10%3A00%3A01&pbx_call_id=in_1&caller_id=%2B79261234567&called_did=74951234567";
        Assert.Equal(ZadarmaSignatureStatus.Verified, ZadarmaNotifications.Parse(body, Headers(expected), Secret.ForSigning(secret)).Signature);
        // Not the bytes of another encoding (Latin-1 or UTF-16 would give another key).
        using var latin = new HMACSHA1(Encoding.Unicode.GetBytes(secret));
        var other = Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Concat(latin.ComputeHash(Encoding.UTF8.GetBytes(text)).Select(b => b.ToString("x2")))));
        Assert.Equal(ZadarmaSignatureStatus.Forged, ZadarmaNotifications.Parse(body, Headers(other), Secret.ForSigning(secret)).Signature);
    }

    [Fact]
    public async Task AnApiRequestIsSignedWithTheUtf8BytesOfANonAsciiSecret()
    {
        // The same secret keys the requests' HMAC (issue 18, item 7): the sandbox checks it the PHP way, with its UTF-8 bytes.
        const string secret = "Пароль-رمز-ß";
        await using var server = await MessagingTools.Sandbox.SandboxServer.StartAsync(new MessagingTools.Sandbox.SandboxOptions { ZadarmaSecret = secret });
        var endpoint = new Uri(server.BaseUri, "zadarma/");
        var client = new ZadarmaClient(ZadarmaSandbox.DefaultKey, Secret.ForSigning(secret), endpoint, new MessagingTools.Core.Http.HttpTransport());
        Assert.Equal("USD", (await client.GetBalanceAsync()).Currency);
        var wrong = new ZadarmaClient(ZadarmaSandbox.DefaultKey, Secret.ForSigning("Пароль-رمز-ss"), endpoint, new MessagingTools.Core.Http.HttpTransport());
        Assert.Equal("ZadarmaCredentialsWereRejected", (await Assert.ThrowsAsync<MessagingException>(() => wrong.GetBalanceAsync())).ErrorId);
    }

    [Theory]
    [InlineData("a\nb", "control character")]
    [InlineData("  ", "empty")]
    public void ASigningSecretRefusesOnlyWhatCannotBeOneLineOfText(string value, string why)
    {
        Assert.Contains(why, Secret.SigningRefusal(value));
        Assert.Throws<ArgumentException>(() => Secret.ForSigning(value));
        Assert.Null(Secret.SigningRefusal("Пароль 😀 secret"));
        Assert.Contains("lone surrogate", Secret.SigningRefusal("ab" + (char)0xD800));
        Assert.Equal(Secret.Mask, Secret.ForSigning("Пароль").ToString());
    }

    [Fact]
    public void ThePostWithoutAnEventReadsAsBefore()
    {
        var call = ZadarmaNotifications.Parse("caller_id=%2B79261234567&called_did=74951234567&call_start=2026-11-30+12%3A34%3A56&pbx_call_id=in_1", null);
        Assert.Null(call.Event);
        Assert.True(call.IsKnownEvent);
        Assert.Equal("in_1", call.PbxCallId);
        Assert.Equal("in_1", call.OtherFields["pbx_call_id"]);
        Assert.Equal("Call +79261234567 -> 74951234567 at 2026-11-30 12:34:56", call.ToString());
        // An empty event field is no event.
        Assert.Null(ZadarmaNotifications.Parse("event=&caller_id=1&called_did=2&call_start=x", null).Event);
    }

    private static (ZadarmaCallListener Listener, Uri Uri) StartListener(Action<ZadarmaCallListenerOptions> configure,
        Func<ZadarmaCall, CancellationToken, Task<ZadarmaRoute?>>? route)
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var options = new ZadarmaCallListenerOptions();
            options.Prefixes.Add($"http://localhost:{port}/");
            configure(options);
            var listener = new ZadarmaCallListener(options, route);
            try
            {
                listener.Start();
                return (listener, new Uri($"http://localhost:{port}/"));
            }
            catch (MessagingException ex) when (ex.ErrorId == "ZadarmaListenerCouldNotStart" && attempt < 5)
            {
            }
        }
    }

    private static string Prop(object o, string name) => o.GetType().GetProperty(name)!.GetValue(o)?.ToString() ?? "";

    [Fact]
    public async Task TheListenerTakesWholeCallsFromTheSandboxAndRoutesOnlyStartAndIvr()
    {
        var routed = new List<string>();
        var (listener, uri) = StartListener(o =>
        {
            o.Secret = new Secret(ZadarmaSandbox.DefaultSecret);
            o.RequireSignature = true;
        }, (call, token) =>
        {
            lock (routed) routed.Add(call.Event ?? "(none)");
            ZadarmaRoute? route = null;
            if (call.Event == ZadarmaCallEvents.Start && call.CallerId!.StartsWith("+7926765432", StringComparison.Ordinal))
                route = new ZadarmaRoute(new ZadarmaRouteParts { IvrPlay = "3", WaitDtmf = new ZadarmaWaitDtmf { Timeout = 5, MaxDigits = 1, Name = "menu" } });
            else if (call.Event == ZadarmaCallEvents.Ivr)
                route = ZadarmaRoute.To(call.DtmfDigits == "2" ? "200" : "100");
            else if (call.Event != null) route = ZadarmaRoute.To("999"); // never sent: only START and IVR are routed
            return Task.FromResult(route);
        });
        using var stop = new CancellationTokenSource();
        var run = listener.RunAsync(stop.Token);
        try
        {
            var report = await ZadarmaCallPlayer.RunAsync(new ZadarmaCallPlan
            {
                Url = uri.AbsoluteUri,
                Calls = new() { "incoming", "outgoing", "ivr", "internal" },
            }, CancellationToken.None);
            stop.Cancel();
            await run.WaitAsync(TimeSpan.FromSeconds(20));
            var received = listener.Events.GetConsumingEnumerable().OfType<ZadarmaCallReceived>().ToList();

            var expectedOrder = new[]
            {
                "NOTIFY_START", "NOTIFY_INTERNAL", "NOTIFY_ANSWER", "NOTIFY_END", "NOTIFY_RECORD", "NOTIFY_OUT_START", "NOTIFY_OUT_END",
                "NOTIFY_START", "NOTIFY_IVR", "NOTIFY_START", "NOTIFY_INTERNAL", "NOTIFY_END",
            };
            Assert.Equal(expectedOrder, received.Select(r => r.Call.Event));
            Assert.All(received, r => Assert.Equal(ZadarmaSignatureStatus.Verified, r.Call.Signature));
            Assert.Equal(new[] { "NOTIFY_START", "NOTIFY_START", "NOTIFY_IVR", "NOTIFY_START" }, routed);

            var posts = ((System.Collections.IEnumerable)report.GetType().GetProperty("events")!.GetValue(report)!).Cast<ZadarmaCallPlayer.Posted>().ToList();
            Assert.All(posts, p => Assert.Equal(200, p.Status));
            // The route's wait_dtmf made the sandbox post NOTIFY_IVR with the digits under that name; its answer went to 200.
            var ivrStart = posts[7];
            Assert.Equal("{\"ivr_play\":3,\"wait_dtmf\":{\"timeout\":5,\"maxdigits\":1,\"name\":\"menu\"}}", ivrStart.Body);
            Assert.Equal("menu", posts[8].Fields["wait_dtmf[name]"]);
            Assert.Equal("{\"redirect\":200}", posts[8].Body);
            Assert.Equal("menu", received[8].Call.DtmfName);
            Assert.Equal("2", received[8].Call.DtmfDigits);
            // The events that cannot steer the call are answered empty.
            Assert.All(posts.Where(p => p.Event is not ("NOTIFY_START" or "NOTIFY_IVR")), p => Assert.Equal("", p.Body));
            // The internal call: called_did posted empty, signed as the empty text, accepted.
            Assert.Equal("", received[9].Call.CalledDid);
            Assert.Equal(7, received[11].Call.Duration);
            Assert.Equal("1765015201.1", received[4].Call.RecordingId);
            Assert.Equal(received[0].Call.PbxCallId, received[4].Call.PbxCallId);
        }
        finally
        {
            stop.Cancel();
            listener.Dispose();
        }
    }

    [Fact]
    public async Task TheListenerReportsAndCountsOnlyTheEventsAskedFor()
    {
        var (listener, uri) = StartListener(o =>
        {
            o.Secret = new Secret(ZadarmaSandbox.DefaultSecret);
            o.Events.Add(ZadarmaCallEvents.End);
            o.Events.Add(ZadarmaCallEvents.OutEnd);
            o.Count = 2;
            o.Timeout = TimeSpan.FromSeconds(60);
        }, null);
        using (listener)
        {
            var run = listener.RunAsync();
            var report = await ZadarmaCallPlayer.RunAsync(new ZadarmaCallPlan { Url = uri.AbsoluteUri, Calls = new() { "incoming", "outgoing" } }, CancellationToken.None);
            Assert.Equal(ZadarmaListenerStopReason.CountReached, await run.WaitAsync(TimeSpan.FromSeconds(20)));
            var all = listener.Events.GetConsumingEnumerable().ToList();
            var received = all.OfType<ZadarmaCallReceived>().ToList();
            Assert.Equal(new[] { "NOTIFY_END", "NOTIFY_OUT_END" }, received.Select(r => r.Call.Event));
            Assert.Equal(new[] { "NOTIFY_START", "NOTIFY_INTERNAL", "NOTIFY_ANSWER", "NOTIFY_RECORD", "NOTIFY_OUT_START" },
                all.OfType<ZadarmaEventSkipped>().Select(e => e.Call.Event));
            Assert.Contains("not one of -Event", all.OfType<ZadarmaEventSkipped>().First().ToString());
            var posts = ((System.Collections.IEnumerable)report.GetType().GetProperty("events")!.GetValue(report)!).Cast<ZadarmaCallPlayer.Posted>().ToList();
            Assert.Equal(7, posts.Count);
            Assert.All(posts, p => Assert.Equal(200, p.Status)); // the others were answered too, only not reported
        }
    }
}
