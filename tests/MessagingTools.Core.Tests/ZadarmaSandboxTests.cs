using System.Net;
using System.Text;
using System.Text.Json;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>The Zadarma sandbox itself, spoken to with a bare HttpClient: signature check, rate-limit headers, 429, control.</summary>
public sealed class ZadarmaSandboxTests : IClassFixture<ZadarmaFixture>
{
    private readonly ZadarmaFixture _f;
    private static readonly HttpClient s_http = new();

    public ZadarmaSandboxTests(ZadarmaFixture f)
    {
        _f = f;
        _f.Server.Reset();
    }

    private HttpRequestMessage Signed(string method, string query, string secret = ZadarmaSandbox.DefaultSecret)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_f.Server.ZadarmaEndpoint, method.TrimStart('/') + (query.Length > 0 ? "?" + query : "")));
        request.Headers.TryAddWithoutValidation("Authorization", ZadarmaSigner.Authorization(ZadarmaSandbox.DefaultKey, method, query, new Secret(secret)));
        return request;
    }

    [Fact]
    public async Task UnsignedAndWronglySignedRequestsAreRefused()
    {
        using var unsigned = await s_http.GetAsync(new Uri(_f.Server.ZadarmaEndpoint, "v1/info/balance/"));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);

        using var wrong = await s_http.SendAsync(Signed("/v1/info/price/", "number=442037691880", "bad-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Not authorized", await wrong.Content.ReadAsStringAsync());

        // Signed for other parameters than those sent: refused too.
        var tampered = Signed("/v1/info/price/", "number=442037691880");
        tampered.RequestUri = new Uri(_f.Server.ZadarmaEndpoint, "v1/info/price/?number=442037691881");
        using var changed = await s_http.SendAsync(tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, changed.StatusCode);

        // Parameters sent in another order than signed still verify: the server sorts them, as Zadarma's PHP does.
        var reordered = Signed("/v1/info/price/", "caller_id=79001234567&number=442037691880");
        reordered.RequestUri = new Uri(_f.Server.ZadarmaEndpoint, "v1/info/price/?number=442037691880&caller_id=79001234567");
        using var ok = await s_http.SendAsync(reordered);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task EveryAnswerCarriesTheLimitAndThe429ComesPastIt()
    {
        var sandbox = _f.Server.Zadarma;
        sandbox.RateLimit = 5;
        sandbox.RateLimitWindow = TimeSpan.FromSeconds(30);
        var remaining = new List<int>();
        HttpResponseMessage? last = null;
        for (int i = 0; i < 7; i++)
        {
            last?.Dispose();
            last = await s_http.SendAsync(Signed("/v1/sip/", ""));
            if (last.StatusCode == HttpStatusCode.OK) remaining.Add(int.Parse(last.Headers.GetValues("X-RateLimit-Remaining").Single()));
        }
        // Unless the 30 s window turned during the loop, the counts run 4..0 and the 6th and 7th are refused.
        Assert.True(remaining.SequenceEqual(new[] { 4, 3, 2, 1, 0 }) || sandbox.RateLimitedCount < 2, string.Join(",", remaining));
        Assert.Equal((HttpStatusCode)429, last!.StatusCode);
        Assert.Contains("You exceeded the rate limit", await last.Content.ReadAsStringAsync());
        Assert.Equal("5", last.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("/v1/sip/", last.Headers.GetValues("X-Zadarma-Method").Single());
        var reset = long.Parse(last.Headers.GetValues("X-RateLimit-Reset").Single());
        Assert.Equal(0, reset % 30); // windows aligned to whole unix seconds
        Assert.InRange(reset - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0, 30);
        last.Dispose();
    }

    [Fact]
    public async Task StatisticsHaveTheirOwnLowerLimit()
    {
        var sandbox = _f.Server.Zadarma;
        sandbox.RateLimitWindow = TimeSpan.FromSeconds(30);
        var statuses = new List<int>();
        for (int i = 0; i < 4; i++)
        {
            using var answer = await s_http.SendAsync(Signed("/v1/statistics/", ""));
            statuses.Add((int)answer.StatusCode);
            Assert.Equal("3", answer.Headers.GetValues("X-RateLimit-Limit").Single());
        }
        Assert.Equal(429, statuses.Last());
        using var other = await s_http.SendAsync(Signed("/v1/sip/", ""));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode); // the general budget is not used up
    }

    [Fact]
    public async Task TheHttpControlSetsLimitsAndCallsAndShowsCallbacks()
    {
        async Task Post(string command, object body) =>
            (await s_http.PostAsync(new Uri(_f.Server.BaseUri, "_sandbox/" + command),
                new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await Post("zadarma/ratelimit", new { limit = 7, statisticsLimit = 2, windowSeconds = 5 });
        await Post("zadarma/calls", new { count = 10, start = "2026-11-01 00:00:00", end = "2026-11-02 00:00:00" });
        Assert.Equal(7, _f.Server.Zadarma.RateLimit);
        Assert.Equal(2, _f.Server.Zadarma.StatisticsRateLimit);
        Assert.Equal(TimeSpan.FromSeconds(5), _f.Server.Zadarma.RateLimitWindow);
        Assert.Equal(10, _f.Server.Zadarma.Calls.Count);

        await _f.Client().RequestCallbackAsync(new ZadarmaCallbackRequest("100", "442037691881"));
        var callbacks = JsonDocument.Parse(await s_http.GetStringAsync(new Uri(_f.Server.BaseUri, "_sandbox/zadarma/callbacks")));
        Assert.Equal("442037691881", callbacks.RootElement[0].GetProperty("to").GetString());
    }
}
