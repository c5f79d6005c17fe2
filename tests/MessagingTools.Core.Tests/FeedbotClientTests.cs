using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Phones;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>One sandbox for the FeedBot tests of this class.</summary>
public sealed class FeedbotSandboxFixture : IAsyncLifetime
{
    public SandboxServer Server { get; private set; } = null!;
    public async Task InitializeAsync() => Server = await SandboxServer.StartAsync();
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class FeedbotClientTests : IClassFixture<FeedbotSandboxFixture>
{
    private const string Token = FeedbotSandbox.DefaultToken;
    private readonly SandboxServer _sandbox;
    private readonly ConcurrentQueue<string> _log = new();

    public FeedbotClientTests(FeedbotSandboxFixture fixture)
    {
        _sandbox = fixture.Server;
        _sandbox.Reset();
        _sandbox.Latency = TimeSpan.Zero;
    }

    private FeedbotClient Client(string token = Token, double timeoutSeconds = 5) =>
        new(new Secret(token), _sandbox.FeedbotSendEndpoint, _sandbox.FeedbotStatusEndpoint,
            new HttpTransport(options: new TransportOptions { Timeout = TimeSpan.FromSeconds(timeoutSeconds), InitialBackoff = TimeSpan.FromMilliseconds(10) },
                log: (level, line) => _log.Enqueue($"{level}: {line}")));

    private static List<FeedbotMessage> Rows(int count, string prefix = "97258666") =>
        Enumerable.Range(0, count).Select(i => new FeedbotMessage($"{prefix}{i + 1:0000}", $"שלום {i + 1}")).ToList();

    [Fact]
    public async Task ABatchIsOneRequestAndIdsAreMatchedToRowsInOrder()
    {
        var rows = Rows(7);
        var outcomes = await Client().SendAsync(rows);

        Assert.Equal(1, _sandbox.Feedbot.SendRequests);
        var queued = _sandbox.Feedbot.Queued.Snapshot();
        Assert.Equal(7, queued.Count);
        Assert.Equal(7, outcomes.Count);
        for (int i = 0; i < 7; i++)
        {
            Assert.True(outcomes[i].Succeeded);
            Assert.Equal(queued[i].Id, outcomes[i].Result!.Id);
            Assert.Equal(queued[i].Phone, outcomes[i].Result!.Phone);
            Assert.Equal(rows[i].Phone, queued[i].Phone);
            Assert.Equal(rows[i].Text, queued[i].Message); // Hebrew text arrives intact
            Assert.Equal(7, outcomes[i].Result!.BatchSize);
        }
        Assert.Equal(7, outcomes.Select(o => o.Result!.Id).Distinct().Count());
        Assert.DoesNotContain(Token, string.Join("\n", _log));
        Assert.Equal(Token, _sandbox.Requests.Snapshot().Single().Header("auth"));
    }

    [Fact]
    public async Task ExpiryIsSentAsUnixMillisecondsAndTheImageAsImagePath()
    {
        var expires = new DateTimeOffset(2030, 11, 22, 10, 0, 0, TimeSpan.FromHours(2));
        var message = new FeedbotMessage("058-666-6644", "hello") { DefaultCountryCode = "972", ExpiresAt = expires, ImageUrl = new Uri("https://cdn.example.com/tree.jpg") };
        var outcome = Assert.Single(await Client().SendAsync(new[] { message }));

        Assert.True(outcome.Succeeded);
        var q = Assert.Single(_sandbox.Feedbot.Queued.Snapshot());
        Assert.Equal("972586666644", q.Phone);
        Assert.Equal(expires.ToUnixTimeMilliseconds(), q.InvalidationTime);
        Assert.Equal("https://cdn.example.com/tree.jpg", q.ImagePath);
        using var body = JsonDocument.Parse(_sandbox.Requests.Snapshot().Single().BodyText);
        var sent = body.RootElement.GetProperty("messages")[0];
        Assert.Equal(JsonValueKind.String, sent.GetProperty("invalidationTime").ValueKind); // as FeedBot's sample (docs/providers/feedbot.md, 'The send request')
        Assert.Equal(expires.ToUnixTimeMilliseconds().ToString(), sent.GetProperty("invalidationTime").GetString());
        Assert.Equal("https://cdn.example.com/tree.jpg", sent.GetProperty("imagePath").GetString());
    }

    [Fact]
    public async Task OptionalFieldsAreLeftOutWhenNotGiven()
    {
        await Client().SendAsync(Rows(1));
        using var body = JsonDocument.Parse(_sandbox.Requests.Snapshot().Single().BodyText);
        var sent = body.RootElement.GetProperty("messages")[0];
        Assert.False(sent.TryGetProperty("invalidationTime", out _));
        Assert.False(sent.TryGetProperty("imagePath", out _));
    }

    [Fact]
    public async Task TheSeedsMalformedAnswerIsReadLeniently()
    {
        _sandbox.Feedbot.MalformedAnswers = true;
        var outcomes = await Client().SendAsync(Rows(3));
        var queued = _sandbox.Feedbot.Queued.Snapshot();
        Assert.Contains("\"ids:\"", _log.Last(l => l.Contains("Response body")));
        Assert.Equal(queued.Select(q => q.Id), outcomes.Select(o => o.Result!.Id));
    }

    [Theory]
    [InlineData("{\"errorCode\":null,\"success\":true,\"ids\":[\"a\",\"b\",]}", "a,b")]
    [InlineData("{\"errorCode\":null,\"success\":true,\"ids:\" : [\"a\",\"b\",],}", "a,b")]
    [InlineData("{\"success\":true,\" ids \":[\"a\"]}", "a")]
    [InlineData("{\"success\":true,\"ids\":[\"a\",null,7]}", "a,,7")]
    public void IdsAreFoundUnderTheDocumentedAndTheSeedsKey(string answer, string expected)
    {
        using var doc = Json.JsonText.TryParse(answer)!;
        Assert.True(FeedbotClient.TryGetIds(doc.RootElement, out var ids));
        Assert.Equal(expected, string.Join(",", ids));
    }

    [Theory]
    [InlineData("{\"success\":true}")]
    [InlineData("{\"success\":true,\"ids:\":[\"a\"],\"ids::\":[\"b\"]}")] // two candidates: never guess
    [InlineData("{\"success\":true,\"ids\":\"a\"}")]
    public void AnswersWithoutAClearIdListAreRejected(string answer)
    {
        using var doc = Json.JsonText.TryParse(answer)!;
        Assert.False(FeedbotClient.TryGetIds(doc.RootElement, out _));
    }

    [Fact]
    public async Task RowsWithoutAnIdInTheAnswerGetErrorsNeverDropped()
    {
        _sandbox.Feedbot.DropIds = 2;
        var outcomes = await Client().SendAsync(Rows(5));
        Assert.Equal(5, outcomes.Count);
        Assert.All(outcomes.Take(3), o => Assert.True(o.Succeeded));
        foreach (var o in outcomes.Skip(3))
        {
            var ex = Assert.IsType<MessagingException>(o.Error);
            Assert.Equal("FeedbotReturnedNoIdForTheMessage", ex.ErrorId);
            Assert.True(ex.MayHaveTakenEffect);
            Assert.Contains("3 ids for 5 messages", ex.Message);
        }
        Assert.Equal(1, _sandbox.Feedbot.SendRequests);
    }

    [Fact]
    public async Task AWrongTokenFailsEveryRowOfTheBatchAsUserNotAuthorized()
    {
        const string wrong = "not-the-feedbot-token";
        var outcomes = await Client(wrong).SendAsync(Rows(4));
        Assert.Equal(4, outcomes.Count);
        foreach (var o in outcomes)
        {
            var ex = Assert.IsType<MessagingException>(o.Error);
            Assert.Equal(ErrorKind.Authentication, ex.Kind);
            Assert.Equal("FeedbotUserIsNotAuthorized", ex.ErrorId);
            Assert.Equal("99", ex.ProviderCode);
            Assert.False(ex.MayHaveTakenEffect);
            Assert.Contains("batch of 4 messages", ex.Message);
            Assert.DoesNotContain(wrong, ex.ToString());
        }
        Assert.DoesNotContain(wrong, string.Join("\n", _log));
        Assert.Empty(_sandbox.Feedbot.Queued.Snapshot());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MissingParamsIsAnInvalidInputErrorForEveryRow(bool status200)
    {
        _sandbox.Feedbot.ForcedErrorCode = 2;
        _sandbox.Feedbot.ErrorsWithStatus200 = status200;
        var outcomes = await Client().SendAsync(Rows(2));
        foreach (var o in outcomes)
        {
            var ex = Assert.IsType<MessagingException>(o.Error);
            Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
            Assert.Equal("FeedbotParametersAreMissing", ex.ErrorId);
            Assert.Equal("2", ex.ProviderCode);
            Assert.Equal(status200 ? 200 : 400, ex.HttpStatus);
        }
    }

    [Fact]
    public async Task TheSandboxAnswersMissingParamsForARequestWithoutMessages()
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, _sandbox.FeedbotSendEndpoint) { Content = new StringContent("{\"messages\":[]}") };
        request.Headers.Add("auth", Token);
        var answer = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.Equal(2, doc.RootElement.GetProperty("errorCode").GetInt32());
        Assert.False(doc.RootElement.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task ATimeoutAfterSendingIsNotRepeatedAndEveryRowSaysItMayHaveBeenQueued()
    {
        _sandbox.Faults.Add(FaultKind.Hang, "/feedbot/addnewmessages", afterProcessing: true, delayMs: 5_000);
        var outcomes = await Client(timeoutSeconds: 0.5).SendAsync(Rows(3));
        Assert.Equal(3, outcomes.Count);
        foreach (var o in outcomes)
        {
            var ex = Assert.IsType<MessagingException>(o.Error);
            Assert.Equal(ErrorKind.Timeout, ex.Kind);
            Assert.True(ex.MayHaveTakenEffect);
            Assert.Contains("may already have been queued", ex.Message);
        }
        Assert.Equal(1, _sandbox.Feedbot.SendRequests);
        Assert.Equal(3, _sandbox.Feedbot.Queued.Count); // they were queued: a repeat would have sent them twice
    }

    [Fact]
    public async Task AServerErrorIsNotRepeated()
    {
        _sandbox.Faults.Add(FaultKind.Status, "/feedbot/addnewmessages", count: 5, afterProcessing: true, status: 503);
        var outcomes = await Client().SendAsync(Rows(2));
        Assert.All(outcomes, o => Assert.True(((MessagingException)o.Error!).MayHaveTakenEffect));
        Assert.Equal(1, _sandbox.Feedbot.SendRequests);
    }

    [Fact]
    public async Task StatusMovesFromPendingToSentOrFailedWithReason()
    {
        _sandbox.Feedbot.StatusDelay = TimeSpan.FromMilliseconds(300);
        var rows = new[] { new FeedbotMessage("972586666641", "a"), new FeedbotMessage("972586666640", "b") };
        var sent = await Client().SendAsync(rows);
        var client = Client();

        var first = await client.GetStatusAsync(sent[0].Result!.Id);
        Assert.Equal(FeedbotMessageStatus.Pending, first.Status);
        await Task.Delay(400);
        var ok = await client.GetStatusAsync(sent[0].Result!.Id);
        var failed = await client.GetStatusAsync(sent[1].Result!.Id);
        Assert.Equal(FeedbotMessageStatus.Sent, ok.Status);
        Assert.Null(ok.Reason);
        Assert.Equal(FeedbotMessageStatus.Failed, failed.Status);
        Assert.Equal(FeedbotSandbox.NotOnWhatsApp, failed.Reason);
        Assert.EndsWith("?id=" + sent[0].Result!.Id, _sandbox.Requests.Snapshot()[1].Path + _sandbox.Requests.Snapshot()[1].Query);
    }

    [Fact]
    public async Task AnUnknownIdIsNotFoundAndAWrongTokenIsRefused()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => Client().GetStatusAsync("no-such-id"));
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        var auth = await Assert.ThrowsAsync<MessagingException>(() => Client("bad-token").GetStatusAsync("x"));
        Assert.Equal(ErrorKind.Authentication, auth.Kind);
        Assert.DoesNotContain("bad-token", auth.ToString());
    }

    [Fact]
    public async Task AStatusReadIsRetriedAfterAServerError()
    {
        _sandbox.Feedbot.StatusDelay = TimeSpan.Zero;
        var id = (await Client().SendAsync(Rows(1)))[0].Result!.Id;
        _sandbox.Faults.Add(FaultKind.Status, "/feedbot/getmessagestatus", status: 502);
        var status = await Client().GetStatusAsync(id);
        Assert.Equal(FeedbotMessageStatus.Sent, status.Status);
        Assert.Equal(2, _sandbox.Requests.Snapshot().Count(r => r.Path.Contains("getmessagestatus")));
        Assert.Equal(2, status.Checks + 1); // one check as the caller sees it, two requests on the wire
    }

    [Fact]
    public async Task WaitPollsWithBackoffUntilNothingIsPending()
    {
        _sandbox.Feedbot.StatusDelay = TimeSpan.FromMilliseconds(400);
        var sent = await Client().SendAsync(Rows(6, "97250000")); // ...0001 to ...0006; none ends in 0
        var ids = sent.Select(o => o.Result!.Id).ToList();
        var watch = Stopwatch.StartNew();
        var results = await Client().WaitForStatusAsync(ids, new FeedbotWaitOptions
        {
            InitialInterval = TimeSpan.FromMilliseconds(50), MaxInterval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromSeconds(10),
        });
        watch.Stop();

        Assert.Equal(ids, results.Select(r => r.Result!.Id));
        Assert.All(results, r => Assert.Equal(FeedbotMessageStatus.Sent, r.Result!.Status));
        Assert.All(results, r => Assert.True(r.Result!.Checks > 1));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        // Back-off: far fewer checks than a fixed 50 ms poll would make (400 ms / 50 ms = 8 per id).
        Assert.True(results[0].Result!.Checks <= 6, $"{results[0].Result!.Checks} checks");
    }

    [Fact]
    public async Task WaitStopsAtTheTimeoutAndReportsTheStillPendingIds()
    {
        _sandbox.Feedbot.StatusDelay = TimeSpan.FromSeconds(30);
        var ids = (await Client().SendAsync(Rows(3))).Select(o => o.Result!.Id).ToList();
        var watch = Stopwatch.StartNew();
        var results = await Client().WaitForStatusAsync(ids, new FeedbotWaitOptions
        {
            InitialInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromMilliseconds(400),
        });
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(3));
        Assert.All(results, r => Assert.Equal(FeedbotMessageStatus.Pending, r.Result!.Status));
    }

    [Fact]
    public async Task WithoutWaitEachIdIsCheckedOnceAndErrorsStayPerId()
    {
        _sandbox.Feedbot.StatusDelay = TimeSpan.FromSeconds(30);
        var id = (await Client().SendAsync(Rows(1)))[0].Result!.Id;
        var results = await Client().WaitForStatusAsync(new[] { id, "unknown-id", id });
        Assert.Equal(FeedbotMessageStatus.Pending, results[0].Result!.Status);
        Assert.Equal(ErrorKind.NotFound, ((MessagingException)results[1].Error!).Kind);
        Assert.True(results[2].Succeeded);
        Assert.Equal(3, _sandbox.Feedbot.StatusRequests);
    }

    [Fact]
    public async Task StatusReadsShareOneConcurrencyLimitAcrossWaits()
    {
        _sandbox.Feedbot.StatusDelay = TimeSpan.Zero;
        var ids = (await Client().SendAsync(Rows(6))).Select(o => o.Result!.Id).ToList();
        _sandbox.Latency = TimeSpan.FromMilliseconds(150);
        var client = new FeedbotClient(new Secret(Token), _sandbox.FeedbotSendEndpoint, _sandbox.FeedbotStatusEndpoint,
            new HttpTransport(options: new TransportOptions { Timeout = TimeSpan.FromSeconds(5) }), maxConcurrentStatusReads: 2);
        var watch = Stopwatch.StartNew();
        // Two waits at once (two batches of the cmdlet): 6 reads, 2 at a time, 150 ms each: at least 3 rounds.
        var both = await Task.WhenAll(client.WaitForStatusAsync(ids.Take(3).ToList()), client.WaitForStatusAsync(ids.Skip(3).ToList()));
        watch.Stop();
        Assert.All(both.SelectMany(b => b), o => Assert.Equal(FeedbotMessageStatus.Sent, o.Result!.Status));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(430), $"took {watch.Elapsed}: more than 2 reads ran at once");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task AnExpiredMessageFails()
    {
        _sandbox.Feedbot.StatusDelay = TimeSpan.FromSeconds(1);
        var message = new FeedbotMessage("972586666641", "soon stale") { ExpiresAt = DateTimeOffset.Now.AddMilliseconds(200) };
        var id = (await Client().SendAsync(new[] { message }))[0].Result!.Id;
        var results = await Client().WaitForStatusAsync(new[] { id }, new FeedbotWaitOptions { InitialInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(5) });
        Assert.Equal(FeedbotMessageStatus.Failed, results[0].Result!.Status);
        Assert.Equal(FeedbotSandbox.Expired, results[0].Result!.Reason);
    }

    [Theory]
    [InlineData("", "Message")]
    [InlineData("   ", "Message")]
    public void EmptyTextIsRefusedNamingTheField(string text, string field)
    {
        var ex = Assert.Throws<MessagingException>(() => FeedbotClient.Prepare(new FeedbotMessage("972586666644", text)));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void PastExpiryAndRelativeImageUrlsAreRefused()
    {
        var past = Assert.Throws<MessagingException>(() => FeedbotClient.Prepare(new FeedbotMessage("972586666644", "x") { ExpiresAt = DateTimeOffset.Now.AddMinutes(-1) }));
        Assert.Equal("ExpiresAt", past.Field);
        var image = Assert.Throws<MessagingException>(() => FeedbotClient.Prepare(new FeedbotMessage("972586666644", "x") { ImageUrl = new Uri("ftp://x/y.jpg") }));
        Assert.Equal("ImageUrl", image.Field);
    }

    [Theory]
    [InlineData("972586666644", null, "972586666644")]
    [InlineData("+972 58-666-6644", null, "972586666644")]
    [InlineData("00972-58-666-6644", null, "972586666644")]
    [InlineData("058-666-6644", "972", "972586666644")]
    [InlineData("058-666-6644", "+972", "972586666644")]
    [InlineData("0912 345 6789", "98", "989123456789")]
    [InlineData("۰۹۱۲۳۴۵۶۷۸۹", "98", "989123456789")]
    [InlineData("٠٥٨٦٦٦٦٦٤٤", "972", "972586666644")]
    [InlineData("+98 912 345 6789", "972", "989123456789")] // an explicit country code wins
    public void PhonesAreMadeInternational(string value, string? cc, string expected) =>
        Assert.Equal(expected, PhoneNumbers.ToInternational(value, cc));

    [Fact]
    public void ALocalNumberWithoutCountryCodeIsAnErrorNamingTheValueAndTheForms()
    {
        var ex = Assert.Throws<MessagingException>(() => PhoneNumbers.ToInternational("058-666-6644"));
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal("PhoneNumber", ex.Field);
        Assert.Contains("'058-666-6644'", ex.Message);
        Assert.Contains("DefaultCountryCode", ex.Message);
        Assert.Contains("972586666644", ex.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("+")]
    [InlineData("12345")]
    [InlineData("1234567890123456")]
    [InlineData("000972586666644")]
    public void OtherBadPhonesAreErrors(string value) =>
        Assert.Equal("PhoneNumber", Assert.Throws<MessagingException>(() => PhoneNumbers.ToInternational(value, "972")).Field);

    [Theory]
    [InlineData("9720")]
    [InlineData("0")]
    [InlineData("x1")]
    public void BadCountryCodesAreErrors(string cc) =>
        Assert.Equal("DefaultCountryCode", Assert.Throws<MessagingException>(() => PhoneNumbers.ToInternational("0586666644", cc)).Field);

    // Issue 11, item 12: an id FeedBot does not know (FeedbotMessageWasNotFound) gave an error whose Field was empty,
    // so the cmdlet's error did not say "Id:" (nor "Row 2, Id:"). The error now names Id in its Field and in its
    // message.
    private static void AssertNamesId(MessagingException ex, string id)
    {
        Assert.Equal("FeedbotMessageWasNotFound", ex.ErrorId);
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("Id", ex.Field);
        Assert.Contains($"Id '{id}'", ex.Message);
    }

    [Fact]
    public async Task AnUnknownIdIsNotFoundNamingId()
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => Client().GetStatusAsync("no-such-id"));
        AssertNamesId(ex, "no-such-id");
    }

    [Fact]
    public async Task AnUnknownIdAmongOthersIsThatIdsErrorNamingId()
    {
        var sent = await Client().SendAsync(new[] { new FeedbotMessage("972586666641", "hello") });
        var id = sent[0].Result!.Id;
        var outcomes = await Client().WaitForStatusAsync(new[] { id, "no-such-id" });
        Assert.True(outcomes[0].Succeeded);
        AssertNamesId(Assert.IsType<MessagingException>(outcomes[1].Error), "no-such-id");
    }

    // Issue 11, items 11 and 12: a text holding a lone surrogate is refused before any request, naming its field
    // (the story and the rule itself: UnicodeTextTests).
    private const string Lone = UnicodeTextTests.Lone;

    [Fact]
    public async Task FeedbotRefusesTheMessageOfThatRowAndSendsTheOthers()
    {
        var ex = Assert.Throws<MessagingException>(() => FeedbotClient.Prepare(new FeedbotMessage("972586666641", Lone)));
        Assert.Equal("TextIsNotValidUnicode", ex.ErrorId);
        Assert.Equal("Message", ex.Field);

        var outcomes = await Client().SendAsync(new[] { new FeedbotMessage("972586666641", "fine"), new FeedbotMessage("972586666642", "  " + Lone) });
        Assert.True(outcomes[0].Succeeded);
        var error = Assert.IsType<MessagingException>(outcomes[1].Error);
        Assert.Equal("TextIsNotValidUnicode", error.ErrorId);
        Assert.Equal("Message", error.Field);
        Assert.Contains("at position 7 ", error.Message); // the position in the text as given, before trimming
        Assert.Equal(new[] { "fine" }, _sandbox.Feedbot.Queued.Snapshot().Select(q => q.Message));
    }
}
