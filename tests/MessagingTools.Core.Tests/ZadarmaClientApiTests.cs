using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// The rest of Zadarma's API (issue 18) against the sandbox over real HTTP: a signed request to any method
/// (InvokeAsync) and the methods of ZadarmaClient.Pbx.cs. The sandbox checks every signature over what PHP parses.
/// </summary>
public sealed class ZadarmaClientApiTests : IClassFixture<ZadarmaFixture>
{
    private readonly ZadarmaFixture _f;

    public ZadarmaClientApiTests(ZadarmaFixture f)
    {
        _f = f;
        _f.Server.Reset();
    }

    private SandboxServer Server => _f.Server;
    private ZadarmaSandbox Sandbox => _f.Server.Zadarma;
    private int Count(string path) => Server.Requests.Snapshot().Count(r => r.Path.EndsWith(path, StringComparison.Ordinal));
    private RecordedRequest Last(string path) => Server.Requests.Snapshot().Last(r => r.Path.EndsWith(path, StringComparison.Ordinal));

    private static KeyValuePair<string, object?> P(string name, object? value) => new(name, value);

    private static Dictionary<string, object?> Tree(ZadarmaApiAnswer answer) =>
        (Dictionary<string, object?>)ZadarmaJsonTree.Read(answer.Json, props => props.ToDictionary(p => p.Key, p => p.Value))!;

    // ----- InvokeAsync -----

    [Fact]
    public async Task AGetCarriesItsParametersInTheQueryAsSignedAndReadsTheAnswer()
    {
        var answer = await _f.Client().InvokeAsync(new ZadarmaApiRequest("/v1/info/price/", ZadarmaHttpMethod.Get,
            new[] { P("number", "442037691880"), P("caller_id", "79001234567") }));
        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("GET", Last("/v1/info/price/").Method);
        Assert.Equal("?caller_id=79001234567&number=442037691880", Last("/v1/info/price/").Query);
        Assert.Equal(("/v1/info/price/", "caller_id=79001234567&number=442037691880"), Sandbox.Verified.Snapshot().Last());
        var tree = Tree(answer);
        Assert.Equal("success", tree["status"]);
        var info = (Dictionary<string, object?>)tree["info"]!;
        Assert.Equal(0.009m, info["price"]); // money as decimal, read from its own text
    }

    [Fact]
    public async Task APostCarriesAListInItsFormBodyAsPhpWritesIt()
    {
        var answer = await _f.Client().InvokeAsync(new ZadarmaApiRequest("/v1/info/number_lookup/", ZadarmaHttpMethod.Post,
            new[] { P("numbers", new[] { "79001234567", "442037691880", "989121234567" }) }));
        var request = Last("/v1/info/number_lookup/");
        Assert.Equal("POST", request.Method);
        Assert.Equal("numbers%5B0%5D=79001234567&numbers%5B1%5D=442037691880&numbers%5B2%5D=989121234567", request.BodyText);
        Assert.Equal(new[] { "79001234567", "442037691880", "989121234567" }, Sandbox.NumberLookups.Snapshot().Single().Numbers);
        var info = (object?[])Tree(answer)["info"]!;
        Assert.Equal(3, info.Length);
    }

    [Fact]
    public async Task ADeleteCarriesItsParametersInAFormBodyAsTheSdkSendsThem()
    {
        // PHP SDK Client::call: every verb but GET sends the query as CURLOPT_POSTFIELDS. The sandbox has no such
        // method, but it checks the signature first: the request verified, then 404.
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().InvokeAsync(new ZadarmaApiRequest("/v1/speech_recognition/", ZadarmaHttpMethod.Delete,
            new[] { P("call_id", "1-1458313316.343456-100-2016-01-11-100155") })));
        Assert.Equal(404, ex.HttpStatus);
        var request = Last("/v1/speech_recognition/");
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("", request.Query);
        Assert.Equal("call_id=1-1458313316.343456-100-2016-01-11-100155", request.BodyText);
        Assert.Equal(("/v1/speech_recognition/", "call_id=1-1458313316.343456-100-2016-01-11-100155"), Sandbox.Verified.Snapshot().Last());
    }

    [Fact]
    public async Task AGetIsRetriedAfterATimeout()
    {
        Server.Faults.Add(FaultKind.Hang, "/v1/tariff/", count: 1, delayMs: 10_000);
        var client = _f.Client(new TransportOptions { Timeout = TimeSpan.FromSeconds(2), InitialBackoff = TimeSpan.FromMilliseconds(10) });
        var answer = await client.InvokeAsync(new ZadarmaApiRequest("/v1/tariff/"));
        Assert.Equal("success", Tree(answer)["status"]);
        Assert.Equal(2, Count("/v1/tariff/"));
        Assert.Equal(2, answer.Attempts);
    }

    [Theory]
    [InlineData(ZadarmaHttpMethod.Post)]
    [InlineData(ZadarmaHttpMethod.Put)]
    public async Task AnythingButAGetIsNeverRepeatedOnceItMayHaveArrived(ZadarmaHttpMethod method)
    {
        var path = method == ZadarmaHttpMethod.Post ? "/v1/sms/send/" : "/v1/sip/callerid/";
        Server.Faults.Add(FaultKind.Status, path, count: 3, afterProcessing: true, status: 502);
        var parameters = method == ZadarmaHttpMethod.Post
            ? new[] { P("number", "79001234567"), P("message", "hi") }
            : new[] { P("id", "100"), P("number", "442037691899") };
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().InvokeAsync(new ZadarmaApiRequest(path, method, parameters)));
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Equal(1, Count(path));
    }

    [Fact]
    public async Task AnErrorStatusIsTheModulesErrorWithZadarmasMessage()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().InvokeAsync(new ZadarmaApiRequest("/v1/sip/999/status/")));
        Assert.Equal("Wrong SIP id", ex.ProviderMessage);
        Assert.Equal(400, ex.HttpStatus);
    }

    [Fact]
    public async Task A429IsWaitedOutForAGet()
    {
        Server.Faults.Add(FaultKind.RateLimit, "/v1/direct_numbers/", count: 1, retryAfterSeconds: 1);
        var answer = await _f.Client().InvokeAsync(new ZadarmaApiRequest("/v1/direct_numbers/"));
        Assert.Equal(2, ((object?[])Tree(answer)["info"]!).Length);
        Assert.Equal(2, Count("/v1/direct_numbers/"));
    }

    [Theory]
    [InlineData("", "ZadarmaPathIsNotValid")]
    [InlineData("v1/info/balance/", "ZadarmaPathIsNotValid")]
    [InlineData("/v2/info/balance/", "ZadarmaPathIsNotValid")]
    [InlineData("/v1/", "ZadarmaPathIsNotValid")]
    [InlineData("https://api.zadarma.com/v1/info/balance/", "ZadarmaPathIsNotValid")]
    [InlineData("/v1/info/price/?number=1", "ZadarmaPathIsNotValid")]
    [InlineData("/v1/../admin/", "ZadarmaPathIsNotValid")]
    [InlineData("/v1/info balance/", "ZadarmaPathIsNotValid")]
    public async Task ABadPathIsRefusedBeforeAnythingIsSent(string path, string errorId)
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().InvokeAsync(new ZadarmaApiRequest(path)));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal("Path", ex.Field);
        Assert.Empty(Server.Requests.Snapshot());
    }

    [Fact]
    public async Task AFormatOtherThanJsonIsRefused()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().InvokeAsync(new ZadarmaApiRequest("/v1/info/balance/", ZadarmaHttpMethod.Get, new[] { P("format", "xml") })));
        Assert.Equal("Parameter", ex.Field);
        Assert.Empty(Server.Requests.Snapshot());
    }

    [Fact]
    public async Task AStatisticsPathWaitsForTheStatisticsLimitInsteadOfRunningIntoIt()
    {
        Sandbox.StatisticsRateLimit = 2;
        Sandbox.RateLimitWindow = TimeSpan.FromSeconds(2);
        var client = _f.Client();
        for (int i = 0; i < 4; i++)
            await client.InvokeAsync(new ZadarmaApiRequest("/v1/statistics/callback_widget/", ZadarmaHttpMethod.Get,
                new[] { P("start", "2026-11-01 00:00:00"), P("end", "2026-11-30 23:59:59") }));
        Assert.Equal(0, Sandbox.RateLimitedCount);
        Assert.Equal(4, Count("/v1/statistics/callback_widget/"));
    }

    [Fact]
    public void TheJsonTreeKeepsEveryNumberItCan()
    {
        var tree = (Dictionary<string, object?>)ZadarmaJsonTree.Read("{\"i\":7,\"l\":12345678901,\"m\":0.1000,\"d\":1e300,\"x\":1e400,\"a\":[true,null,\"s\"]}",
            props => props.ToDictionary(p => p.Key, p => p.Value))!;
        Assert.Equal(7, tree["i"]);
        Assert.Equal(12345678901L, tree["l"]);
        Assert.Equal("0.1000", ((decimal)tree["m"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1e300, tree["d"]);
        Assert.Equal("1e400", tree["x"]);
        Assert.Equal(new object?[] { true, null, "s" }, (object?[])tree["a"]!);
    }

    [Fact]
    public void AnAnswerThatIsNotJsonIsTheModulesError()
    {
        var ex = Assert.Throws<MessagingException>(() => ZadarmaJsonTree.Read("<xml/>", props => props));
        Assert.Equal("ZadarmaAnswerWasMalformed", ex.ErrorId);
    }

    // ----- the typed methods -----

    [Fact]
    public async Task TariffIsRead()
    {
        var tariff = await _f.Client().GetTariffAsync();
        Assert.Equal("5", tariff.TariffId);
        Assert.Equal("Standart, special", tariff.TariffName);
        Assert.True(tariff.IsActive);
        Assert.Equal(1643, tariff.UsedSeconds);
        Assert.Equal(34, tariff.UsedSecondsMobile);
        Assert.Equal("Standart, special", tariff.NextPeriodTariffName);
    }

    [Fact]
    public async Task SipStatusIsReadFromThePathOfTheSip()
    {
        var online = await _f.Client().GetSipStatusAsync("100");
        var offline = await _f.Client().GetSipStatusAsync(" 101 ");
        Assert.True(online.IsOnline);
        Assert.False(offline.IsOnline);
        Assert.Equal("101", offline.Sip);
        Assert.Equal("GET", Last("/v1/sip/101/status/").Method);
    }

    [Fact]
    public async Task DirectNumbersAreTyped()
    {
        var numbers = await _f.Client().GetDirectNumbersAsync();
        Assert.Equal(2, numbers.Count);
        Assert.Equal("442037691880", numbers[0].Number);
        Assert.Equal(2.5m, numbers[0].MonthlyFee);
        Assert.True(numbers[0].AutoRenew);
        Assert.False(numbers[0].IsOnTest);
        Assert.Equal(new DateTimeOffset(2026, 12, 15, 10, 0, 0, TimeSpan.Zero), numbers[0].StopDate);
        Assert.Equal(312, numbers[1].Minutes);
        Assert.Equal("revenue", numbers[1].Type);
    }

    [Fact]
    public async Task ExtensionsAndTheirStatusAreRead()
    {
        var client = _f.Client();
        var extensions = await client.GetPbxExtensionsAsync();
        Assert.Equal(new[] { "100", "101", "102" }, extensions.Select(e => e.Extension));
        Assert.All(extensions, e => Assert.Equal(ZadarmaSandbox.PbxId, e.PbxId));
        var status = await client.GetPbxExtensionStatusAsync("101");
        Assert.False(status.IsOnline);
        Assert.Equal("101", status.Extension);
    }

    [Fact]
    public async Task RecordingIsSetWithAPutThatIsRetried()
    {
        Server.Faults.Add(FaultKind.Hang, "/v1/pbx/internal/recording/", count: 1, delayMs: 10_000);
        var client = _f.Client(new TransportOptions { Timeout = TimeSpan.FromSeconds(2), InitialBackoff = TimeSpan.FromMilliseconds(10) });
        var change = await client.SetPbxRecordingAsync(new ZadarmaPbxRecordingRequest("100", "ON") { Email = "rec@example.com" });
        Assert.Equal("on", change.Status);
        Assert.Equal("on", change.Recording);
        Assert.True(Sandbox.Extensions["100"].Recording);
        Assert.Equal("PUT", Last("/v1/pbx/internal/recording/").Method);
        Assert.Equal("email=rec%40example.com&id=100&status=on", Last("/v1/pbx/internal/recording/").BodyText);
        Assert.Equal(2, Count("/v1/pbx/internal/recording/"));
    }

    [Theory]
    [InlineData("100", "maybe", "Status")]
    [InlineData("100", "on", "Email", "not-an-address")]
    [InlineData("", "on", "Extension")]
    public void ABadRecordingChangeIsRefusedNamingTheField(string extension, string status, string field, string? email = null)
    {
        var ex = Assert.Throws<MessagingException>(() => ZadarmaClient.Prepare(new ZadarmaPbxRecordingRequest(extension, status) { Email = email }));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public async Task ManyNumbersAreLookedUpInOneRequestAndEachGetsItsResult()
    {
        var outcomes = await _f.Client().LookupNumbersAsync(new[] { "+7 900 123-45-67", "442037691880", "not a number", "989121230000" });
        Assert.Equal(4, outcomes.Count);
        Assert.Equal(new[] { "79001234567", "442037691880", "989121230000" }, Sandbox.NumberLookups.Snapshot().Single().Numbers);
        Assert.Equal("Russia", outcomes[0].Result!.Country);
        Assert.Equal("250", outcomes[0].Result!.Mcc);
        Assert.Equal("Vodafone", outcomes[1].Result!.Network);
        Assert.Equal(3, outcomes[1].Result!.BatchSize);
        Assert.Equal("Number", ((MessagingException)outcomes[2].Error!).Field); // fails alone, before anything is sent
        Assert.Equal("Absent Subscriber", outcomes[3].Result!.Error);
        Assert.Equal("error", outcomes[3].Result!.Status);
    }

    [Fact]
    public async Task OneNumberIsSentAsTheSdkSendsOneAndReadFromInfo()
    {
        var outcomes = await _f.Client().LookupNumbersAsync(new[] { "37125123456" });
        Assert.Equal("numbers=37125123456", Last("/v1/info/number_lookup/").BodyText);
        Assert.Equal("Latvia", outcomes.Single().Result!.Country);
        Assert.Equal("No Error", outcomes.Single().Result!.Error);
    }

    [Fact]
    public async Task SeveralNumbersAnsweredWithTheStatusAloneAreSubmitted()
    {
        Sandbox.NumberLookupAcknowledgeOnly = true;
        var outcomes = await _f.Client().LookupNumbersAsync(new[] { "79001234567", "442037691880" });
        Assert.All(outcomes, o => Assert.Equal(ZadarmaNumberInfo.Submitted, o.Result!.Status));
        Assert.All(outcomes, o => Assert.Null(o.Result!.Country));
    }

    [Fact]
    public async Task ALookupThatMayHaveArrivedIsNeverRepeatedAndEveryNumberGetsTheError()
    {
        Server.Faults.Add(FaultKind.Status, "/v1/info/number_lookup/", count: 3, afterProcessing: true, status: 502);
        var outcomes = await _f.Client().LookupNumbersAsync(new[] { "79001234567", "442037691880" });
        Assert.All(outcomes, o => Assert.True(((MessagingException)o.Error!).MayHaveTakenEffect));
        Assert.Equal(1, Count("/v1/info/number_lookup/"));
    }

    [Fact]
    public async Task WidgetSessionsAreReadPerPeriod()
    {
        var client = _f.Client();
        var sessions = await client.GetWidgetStatisticsAsync(new ZadarmaWidgetStatisticsQuery(
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero)) { WidgetId = "1" });
        Assert.Equal(2, sessions.Count);
        Assert.Equal("442037691890", sessions[0].Number);
        Assert.True(sessions[0].CallRequested);
        Assert.Equal(3, sessions[0].Actions.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero), sessions[0].Start);
        Assert.Equal("call_request", sessions[1].Actions[1].Kind);
        Assert.False(sessions[1].Actions[1].Redialed);
        Assert.Contains("widget_id=1", Last("/v1/statistics/callback_widget/").Query);
    }
}
