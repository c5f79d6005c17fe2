using System.Collections.Concurrent;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>Each Zadarma method against the sandbox over real HTTP; the sandbox checks every signature on its own.</summary>
public sealed class ZadarmaClientTests : IClassFixture<ZadarmaFixture>
{
    private readonly ZadarmaFixture _f;

    public ZadarmaClientTests(ZadarmaFixture f)
    {
        _f = f;
        _f.Server.Reset();
    }

    private SandboxServer Server => _f.Server;
    private ZadarmaSandbox Sandbox => _f.Server.Zadarma;

    private RecordedRequest Last(string pathPart) => Server.Requests.Snapshot().Last(r => r.Path.Contains(pathPart));

    [Fact]
    public async Task BalanceIsDecimalWithCurrency()
    {
        Sandbox.Balance = 1234.5678m;
        var balance = await _f.Client().GetBalanceAsync();
        Assert.Equal(1234.5678m, balance.Balance);
        Assert.Equal("USD", balance.Currency);
        var request = Last("/v1/info/balance/");
        Assert.Equal("GET", request.Method);
        Assert.StartsWith(ZadarmaSandbox.DefaultKey + ":", request.Header("Authorization"));
    }

    [Fact]
    public async Task AWrongSecretIsRejectedAsAuthentication()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client(secret: "not-the-secret").GetBalanceAsync());
        Assert.Equal(ErrorKind.Authentication, ex.Kind);
        Assert.Equal(401, ex.HttpStatus);
        Assert.Contains("Not authorized", ex.Message);
        Assert.Empty(Sandbox.Verified.Snapshot());
    }

    [Fact]
    public async Task PriceSendsNumberAndCallerIdAsSignedAndSent()
    {
        var price = await _f.Client().GetPriceAsync(new ZadarmaPriceQuery("+44 20 3769-1880") { CallerId = "+7 900 123 45 67" });
        Assert.Equal("442037691880", price.Number);
        Assert.Equal(0.009m, price.PricePerMinute);
        Assert.Equal("4420", price.Prefix);
        // The bytes sent are the bytes the sandbox rebuilt from the parsed parameters, PHP's way.
        var request = Last("/v1/info/price/");
        Assert.Equal("?caller_id=79001234567&number=442037691880", request.Query);
        Assert.Equal(("/v1/info/price/", "caller_id=79001234567&number=442037691880"), Sandbox.Verified.Snapshot().Last());
    }

    [Fact]
    public async Task CallbackCarriesSipAndPredicted()
    {
        var result = await _f.Client().RequestCallbackAsync(new ZadarmaCallbackRequest("100", "+44 20 3769 1881") { Sip = "101", Predicted = true });
        Assert.Equal("100", result.From);
        Assert.Equal("442037691881", result.To);
        Assert.True(result.Predicted);
        Assert.InRange(result.RequestedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var placed = Assert.Single(Sandbox.Callbacks.Snapshot());
        Assert.Equal(("100", "442037691881", "101", true), (placed.From, placed.To, placed.Sip, placed.Predicted));
        Assert.Equal("GET", Last("/v1/request/callback/").Method);
        Assert.Equal("?from=100&predicted=predicted&sip=101&to=442037691881", Last("/v1/request/callback/").Query);
    }

    [Fact]
    public async Task CallbackWithoutOptionsSendsOnlyFromAndTo()
    {
        await _f.Client().RequestCallbackAsync(new ZadarmaCallbackRequest("0-1", "442037691881"));
        Assert.Equal("?from=0-1&to=442037691881", Last("/v1/request/callback/").Query);
        Assert.False(Sandbox.Callbacks.Snapshot().Single().Predicted);
    }

    [Theory]
    [InlineData("", "442037691881", "From")]
    [InlineData("100", "call me", "To")]
    [InlineData("100", "", "To")]
    public void BadCallbackInputNamesTheField(string from, string to, string field)
    {
        var ex = Assert.Throws<MessagingException>(() => ZadarmaClient.Prepare(new ZadarmaCallbackRequest(from, to)));
        Assert.Equal(field, ex.Field);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
    }

    [Fact]
    public async Task SipListIsRead()
    {
        var sips = await _f.Client().GetSipsAsync();
        Assert.Equal(new[] { "100", "101" }, sips.Select(s => s.Id));
        Assert.Equal("Reception", sips[0].DisplayName);
        Assert.Equal(3, sips[0].Lines);
    }

    [Fact]
    public async Task CallerIdIsChangedWithPut()
    {
        var change = await _f.Client().SetCallerIdAsync(new ZadarmaCallerIdRequest("100", "+44 20 3769 1899"));
        Assert.Equal("442037691899", change.NewCallerId);
        Assert.Equal("442037691899", Sandbox.Sips["100"].CallerId);
        var request = Last("/v1/sip/callerid/");
        Assert.Equal("PUT", request.Method);
        Assert.Equal("id=100&number=442037691899", request.BodyText);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"));
    }

    [Fact]
    public async Task RedirectionIsShownSwitchedAndRetargeted()
    {
        var client = _f.Client();
        var all = await client.GetRedirectionsAsync();
        Assert.Equal(2, all.Count);
        Assert.False(all.Single(r => r.SipId == "100").Enabled);

        var on = await client.SetRedirectionAsync(new ZadarmaRedirectionRequest("100") { Enabled = true });
        Assert.True(on.Enabled);
        Assert.Equal("id=100&status=on", Last("/v1/sip/redirection/").BodyText);

        var moved = await client.SetRedirectionAsync(new ZadarmaRedirectionRequest("100") { Number = "+7 (900) 111-22-33" });
        Assert.Equal("79001112233", moved.Destination);
        Assert.Equal("id=100&number=79001112233&type=phone", Last("/v1/sip/redirection/").BodyText);

        var one = Assert.Single(await client.GetRedirectionsAsync(new ZadarmaRedirectionQuery { Sip = "100" }));
        Assert.True(one.Enabled);
        Assert.Equal("79001112233", one.DestinationValue);
        Assert.Equal("?id=100", Last("/v1/sip/redirection/").Query);

        var off = await client.SetRedirectionAsync(new ZadarmaRedirectionRequest("100") { Enabled = false });
        Assert.False(off.Enabled);
        Assert.False(Sandbox.Sips["100"].RedirectionOn);
    }

    [Fact]
    public async Task SmsIsPostedAsFormWithUnicodeIntact()
    {
        var text = "Привет, мир! Код: 1234 (it's 50% ~done)";
        var sms = await _f.Client().SendSmsAsync(new ZadarmaSmsRequest("+7 900 123-45-67", text) { CallerId = "+44 20 3769 1880" });
        Assert.Equal(1, sms.Parts);
        Assert.Equal(0.05m, sms.Cost);
        var sent = Assert.Single(Sandbox.Sms.Snapshot());
        Assert.Equal(text, sent.Message);
        Assert.Equal("79001234567", sent.Number);
        var request = Last("/v1/sms/send/");
        Assert.Equal("POST", request.Method);
        Assert.Equal(Sandbox.Verified.Snapshot().Last().SignedQuery, request.BodyText);
    }

    [Fact]
    public async Task StatisticsReturnEveryRecordOfALongPeriodAcrossPagesAndMonths()
    {
        Sandbox.StatisticsRateLimit = 100; // this test is about paging, not the limit
        var start = new DateTime(2026, 9, 1, 0, 0, 0);
        var end = new DateTime(2026, 11, 14, 23, 59, 59); // 75 days: three pieces of at most 30 days
        Sandbox.GenerateCalls(2345, start, end);
        Sandbox.GenerateCalls(5, new DateTime(2026, 8, 1), new DateTime(2026, 8, 2)); // outside the period
        var client = _f.Client();
        client.StatisticsPageSize = 400;

        var calls = await client.GetStatisticsAsync(new ZadarmaStatisticsQuery(
            new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero)));

        Assert.Equal(2345, calls.Count);
        Assert.Equal(2345, calls.Select(c => c.Id).Distinct().Count());
        Assert.All(calls, c => Assert.InRange(c.CallStart, new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero)));
        var sample = calls.First(c => c.BillSeconds > 0);
        Assert.Equal(0.0123m, sample.CostPerMinute);
        Assert.Equal("USD", sample.Currency);
        var requests = Server.Requests.Snapshot().Where(r => r.Path.EndsWith("/v1/statistics/")).ToList();
        // Three pieces of at most 30 days (938 + 938 + 469 calls), each read in pages of 400: 3 + 3 + 2 requests.
        Assert.Equal(8, requests.Count);
        Assert.Equal(3, requests.Select(r => System.Text.RegularExpressions.Regex.Match(r.Query, "start=[^&]+").Value).Distinct().Count());
        Assert.All(requests, r => Assert.Contains("limit=400", r.Query));
    }

    [Fact]
    public async Task StatisticsUseTheAccountTimeZone()
    {
        Sandbox.GenerateCalls(1, new DateTime(2026, 11, 10, 12, 0, 0), new DateTime(2026, 11, 10, 12, 0, 0));
        var client = _f.Client();
        client.AccountUtcOffset = TimeSpan.FromHours(3);
        var calls = await client.GetStatisticsAsync(new ZadarmaStatisticsQuery(
            new DateTimeOffset(2026, 11, 10, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 10, 10, 0, 0, TimeSpan.Zero)));
        var call = Assert.Single(calls);
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero), call.CallStart.ToUniversalTime());
        Assert.Contains("start=2026-11-10+11%3A00%3A00", Last("/v1/statistics/").Query);
    }

    [Fact]
    public async Task AGetQueryIsSentExactlyAsSigned()
    {
        // Characters .NET's Uri or encoders might rewrite: the query on the wire must be the signed text, byte for byte.
        await _f.Client().GetStatisticsAsync(new ZadarmaStatisticsQuery(
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero))
        { Type = "it's (ok)! ~*+ é/?&=" });
        var request = Last("/v1/statistics/");
        var signed = Sandbox.Verified.Snapshot().Last().SignedQuery;
        Assert.Equal("?" + signed, request.Query);
        Assert.Contains("type=it%27s+%28ok%29%21+%7E%2A%2B+%C3%A9%2F%3F%26%3D", request.Query);
    }

    [Fact]
    public async Task PbxStatisticsPageAndFilterByDirection()
    {
        Sandbox.StatisticsRateLimit = 100;
        var start = new DateTime(2026, 11, 1);
        var end = new DateTime(2026, 11, 20);
        Sandbox.GenerateCalls(300, start, end);
        var client = _f.Client();
        client.StatisticsPageSize = 50;
        var all = await client.GetPbxStatisticsAsync(new ZadarmaPbxStatisticsQuery(new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero)));
        Assert.Equal(300, all.Count);
        var incoming = await client.GetPbxStatisticsAsync(new ZadarmaPbxStatisticsQuery(new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero)) { Direction = ZadarmaCallDirection.Incoming });
        Assert.Equal(100, incoming.Count);
        Assert.Contains("call_type=in", Last("/v1/statistics/pbx/").Query);
        Assert.Contains("version=2", Last("/v1/statistics/pbx/").Query);
        Assert.Contains(all, c => c.IsRecorded);
    }

    [Fact]
    public async Task StatisticsWaitOutTheirOwnLowerLimitWithoutA429()
    {
        Sandbox.StatisticsRateLimit = 3;
        Sandbox.RateLimitWindow = TimeSpan.FromSeconds(1);
        Sandbox.GenerateCalls(70, new DateTime(2026, 11, 1), new DateTime(2026, 11, 2));
        var client = _f.Client();
        client.StatisticsPageSize = 10; // 8 requests against 3 a second
        var calls = await client.GetStatisticsAsync(new ZadarmaStatisticsQuery(
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(70, calls.Count);
        Assert.Equal(0, Sandbox.RateLimitedCount);
    }

    [Fact]
    public async Task ATimedOutCallbackIsNotRepeatedAndSaysTheCallMayHaveBeenPlaced()
    {
        Server.Faults.Add(FaultKind.Hang, "/v1/request/callback/", count: 5, afterProcessing: true, delayMs: 10_000);
        var client = _f.Client(new TransportOptions { Timeout = TimeSpan.FromSeconds(2), InitialBackoff = TimeSpan.FromMilliseconds(10) });
        var ex = await Assert.ThrowsAsync<MessagingException>(() => client.RequestCallbackAsync(new ZadarmaCallbackRequest("100", "442037691881")));
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Equal(ErrorKind.Timeout, ex.Kind);
        Assert.Contains("the call may have been placed", ex.Message);
        Assert.Single(Server.Requests.Snapshot(), r => r.Path.EndsWith("/v1/request/callback/"));
        Assert.Single(Sandbox.Callbacks.Snapshot()); // it was placed: exactly once
    }

    [Fact]
    public async Task AnSmsAnswered500IsNotRepeated()
    {
        Server.Faults.Add(FaultKind.Status, "/v1/sms/send/", count: 3, afterProcessing: true, status: 502);
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().SendSmsAsync(new ZadarmaSmsRequest("79001234567", "hi")));
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Contains("the SMS may have been sent", ex.Message);
        Assert.Single(Server.Requests.Snapshot(), r => r.Path.EndsWith("/v1/sms/send/"));
    }

    [Fact]
    public async Task AReadIsRetriedAfterATimeout()
    {
        Server.Faults.Add(FaultKind.Hang, "/v1/info/balance/", count: 1, delayMs: 10_000);
        var client = _f.Client(new TransportOptions { Timeout = TimeSpan.FromSeconds(2), InitialBackoff = TimeSpan.FromMilliseconds(10) });
        var balance = await client.GetBalanceAsync();
        Assert.Equal(25.47m, balance.Balance);
        Assert.Equal(2, Server.Requests.Snapshot().Count(r => r.Path.EndsWith("/v1/info/balance/")));
    }

    [Fact]
    public async Task A429IsWaitedOutAsTold()
    {
        Server.Faults.Add(FaultKind.RateLimit, "/v1/sip/", count: 1, retryAfterSeconds: 1);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var sips = await _f.Client().GetSipsAsync();
        Assert.Equal(2, sips.Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited only {watch.Elapsed}");
    }

    [Fact]
    public async Task ProviderErrorsCarryZadarmasMessage()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().SetCallerIdAsync(new ZadarmaCallerIdRequest("999", "442037691880")));
        Assert.Equal("Wrong SIP id", ex.ProviderMessage);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
    }

    [Fact]
    public async Task TheSecretAppearsInNoLogLineMessageOrResult()
    {
        const string secret = ZadarmaSandbox.DefaultSecret;
        var lines = new ConcurrentQueue<string>();
        var client = _f.Client(new TransportOptions { Timeout = TimeSpan.FromSeconds(2), InitialBackoff = TimeSpan.FromMilliseconds(10) },
            (level, message) => lines.Enqueue(message));
        var texts = new List<string?>();
        texts.Add((await client.GetBalanceAsync()).ToString());
        var sms = await client.SendSmsAsync(new ZadarmaSmsRequest("79001234567", "code " + secret)); // even a caller who puts it in a text
        texts.AddRange(new[] { sms.ToString(), sms.Number, sms.CallerId });
        Server.Faults.Add(FaultKind.Hang, "/v1/request/callback/", count: 1, afterProcessing: true, delayMs: 10_000);
        var timeout = await Assert.ThrowsAsync<MessagingException>(() => client.RequestCallbackAsync(new ZadarmaCallbackRequest("100", "442037691881")));
        texts.AddRange(new[] { timeout.Message, timeout.ToString() });
        var rejected = await Assert.ThrowsAsync<MessagingException>(() => _f.Client(secret: "another-secret-value").GetSipsAsync());
        texts.AddRange(new[] { rejected.Message, rejected.ToString() });

        Assert.NotEmpty(lines);
        Assert.Contains(lines, l => l.Contains("Authorization: " + Secret.Mask));
        foreach (var text in lines.Concat(texts.Select(t => t ?? "")))
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain("another-secret-value", text);
        }
        Assert.Equal(Secret.Mask, new Secret(secret).ToString());
    }

    // Issue 11, item 11: Get-ZadarmaPrice priced an 18-digit number although the error for a longer one says "a phone
    // number has at most 15" (E.164). A number of more than 15 digits is refused before any request, with that message.
    [Theory]
    [InlineData("1234567890123456", 16)]
    [InlineData("123456789012345678", 18)]
    [InlineData("+44 20 3769 1880 1234 5678", 20)]
    public void ANumberOfMoreThanFifteenDigitsIsRefusedNamingItsField(string number, int digits)
    {
        var ex = Assert.Throws<MessagingException>(() => ZadarmaClient.NormalizeNumber(number, "Number"));
        Assert.Equal("ZadarmaNumberIsInvalid", ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal("Number", ex.Field);
        Assert.Contains($"has {digits} digits; a phone number has at most 15", ex.Message);
    }

    [Theory]
    [InlineData("+123 456 789 012 345", "123456789012345")]
    [InlineData("00 123 456 789 012 345", "00123456789012345")] // 00 is the international prefix, not part of the number
    public void FifteenDigitsAreAccepted(string number, string expected) =>
        Assert.Equal(expected, ZadarmaClient.NormalizeNumber(number, "Number"));

    [Fact]
    public async Task PriceOfAnEighteenDigitNumberIsRefusedBeforeAnyRequest()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().GetPriceAsync(new ZadarmaPriceQuery("123456789012345678")));
        Assert.Equal("ZadarmaNumberIsInvalid", ex.ErrorId);
        Assert.Equal("Number", ex.Field);
        Assert.Empty(_f.Server.Requests.Snapshot());
    }

    // Issue 11, items 11 and 12: a text holding a lone surrogate is refused before any request, naming its field
    // (the story and the rule itself: UnicodeTextTests).
    private const string Lone = UnicodeTextTests.Lone;

    [Fact]
    public async Task ZadarmaSmsRefusesTheTextNamingMessageBeforeSending()
    {
        var prepared = Assert.Throws<MessagingException>(() => ZadarmaClient.Prepare(new ZadarmaSmsRequest("79001234567", Lone)));
        Assert.Equal("TextIsNotValidUnicode", prepared.ErrorId);
        Assert.Equal("Message", prepared.Field);
        Assert.Equal("Zadarma", prepared.Provider);

        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().SendSmsAsync(new ZadarmaSmsRequest("79001234567", Lone)));
        Assert.Equal("TextIsNotValidUnicode", ex.ErrorId);
        Assert.Equal("Message", ex.Field);
        Assert.Contains("at position 5 ", ex.Message);
        Assert.Equal(0, Server.Requests.Count);
        Assert.Empty(Sandbox.Sms.Snapshot());
    }
}
