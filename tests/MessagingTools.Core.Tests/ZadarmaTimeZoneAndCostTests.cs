using System.Globalization;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// The account's time zone (/v1/info/timezone/) and what it does to statistics periods, the statistics cost_only and
/// type parameters, and an SMS answered with its number in denied_numbers; against the sandbox over real HTTP.
/// </summary>
public sealed class ZadarmaTimeZoneAndCostTests : IClassFixture<ZadarmaFixture>
{
    private readonly ZadarmaFixture _f;

    public ZadarmaTimeZoneAndCostTests(ZadarmaFixture f)
    {
        _f = f;
        _f.Server.Reset();
    }

    private SandboxServer Server => _f.Server;
    private ZadarmaSandbox Sandbox => _f.Server.Zadarma;

    private static string Param(RecordedRequest r, string name) =>
        Uri.UnescapeDataString(System.Text.RegularExpressions.Regex.Match(r.Query, "[?&]" + name + "=([^&]*)").Groups[1].Value.Replace('+', ' '));

    /// <summary>Central European time with its rules, made here so that the tests need no time-zone database.</summary>
    private static TimeZoneInfo CentralEurope()
    {
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday));
        return TimeZoneInfo.CreateCustomTimeZone("Test/CET", TimeSpan.FromHours(1), "CET", "CET", "CEST", new[] { rule });
    }

    private static ZadarmaTimeZone CentralEuropeZone() => new("Test/CET", CentralEurope(), DateTimeOffset.UtcNow, offsetOnly: false);

    [Fact]
    public async Task TheTimeZoneAnswerIsReadAndTheRequestSigned()
    {
        Sandbox.SetTimeZone("UTC+3");
        var zone = await _f.Client().GetTimeZoneAsync();
        Assert.Equal("UTC+3", zone.Name);
        Assert.Equal(TimeSpan.FromHours(3), zone.UtcOffset);
        Assert.False(zone.OffsetOnly);
        Assert.False(zone.ObservesDaylightSaving);
        Assert.InRange(zone.CurrentTime, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var request = Server.Requests.Snapshot().Single(r => r.Path.EndsWith("/v1/info/timezone/"));
        Assert.Equal("GET", request.Method);
        Assert.Equal(("/v1/info/timezone/", ""), Sandbox.Verified.Snapshot().Last());
    }

    [Fact]
    public async Task AZoneNameKeepsItsDaylightSavingRules()
    {
        Sandbox.SetTimeZone("Europe/Berlin");
        var zone = await _f.Client().GetTimeZoneAsync();
        Assert.False(zone.OffsetOnly);
        Assert.True(zone.ObservesDaylightSaving);
        Assert.Equal(TimeSpan.FromHours(2), zone.FromAccount(new DateTime(2026, 7, 1, 12, 0, 0)).Offset);
        Assert.Equal(TimeSpan.FromHours(1), zone.FromAccount(new DateTime(2026, 12, 1, 12, 0, 0)).Offset);
    }

    [Theory]
    [InlineData("UTC+1", "02:00")]       // the name says one offset, Zadarma's clock shows another
    [InlineData("Mars/Olympus", "05:30")] // no zone this system knows
    public async Task WithoutUsableRulesOnlyTheClocksOffsetIsKnown(string name, string clock)
    {
        Sandbox.SetTimeZone(name, TimeSpan.Parse(clock, CultureInfo.InvariantCulture));
        var zone = await _f.Client().GetTimeZoneAsync();
        Assert.True(zone.OffsetOnly);
        Assert.Equal(name, zone.Name);
        Assert.Equal(TimeSpan.Parse(clock, CultureInfo.InvariantCulture), zone.UtcOffset);
        Assert.False(zone.ObservesDaylightSaving);
    }

    [Theory]
    [InlineData("UTC+0", 0)]
    [InlineData("UTC-3", -180)]
    [InlineData("UTC+05:30", 330)]
    [InlineData("GMT+4", 240)]
    [InlineData("UTC", 0)]
    public void OffsetNamesAreFixedZones(string name, int minutes)
    {
        var offset = TimeSpan.FromMinutes(minutes);
        var now = new DateTimeOffset(2026, 10, 25, 12, 0, 0, TimeSpan.Zero);
        var zone = ZadarmaTimeZone.FromAnswer(name, now.ToUnixTimeSeconds(), now.ToOffset(offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))!;
        Assert.False(zone.OffsetOnly);
        Assert.Equal(offset, zone.UtcOffset);
        Assert.Equal(offset, zone.FromAccount(new DateTime(2026, 3, 29, 2, 30, 0)).Offset);
    }

    [Fact]
    public void AnAnswerWithNothingUsableGivesNoZone()
    {
        Assert.Null(ZadarmaTimeZone.FromAnswer(null, null, null));
        Assert.Null(ZadarmaTimeZone.FromAnswer("Mars/Olympus", null, null));
        Assert.Null(ZadarmaTimeZone.FromAnswer("", 1_800_000_000, "not a time"));
    }

    [Fact]
    public void APeriodAcrossADaylightSavingChangeHasEachEndAtItsOwnOffset()
    {
        // 25 October 2026: Central European clocks go back from 03:00 CEST (+2) to 02:00 CET (+1).
        var period = ZadarmaStatisticsPeriod.Resolve(new DateTime(2026, 10, 20), new DateTime(2026, 10, 30), CentralEuropeZone(),
            now: new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 10, 20, 0, 0, 0, TimeSpan.FromHours(2)), period.Start);
        Assert.Equal(TimeSpan.FromHours(2), period.Start.Offset);
        Assert.Equal(new DateTimeOffset(2026, 10, 30, 23, 59, 59, TimeSpan.FromHours(1)), period.End);
        Assert.Equal(TimeSpan.FromHours(1), period.End.Offset);
        // The default start, the first of the month, at that day's offset: 1 March is before the change to summer time.
        var march = ZadarmaStatisticsPeriod.Resolve(null, null, CentralEuropeZone(), now: new DateTimeOffset(2026, 3, 30, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(1)), march.Start);
        Assert.Equal(TimeSpan.FromHours(2), march.End.Offset);
    }

    [Fact]
    public void TimesOfTheSkippedAndTheRepeatedHourAreRead()
    {
        var zone = CentralEuropeZone();
        // 29 March 2026, 02:30 does not exist: read at the offset before the change (01:30 UTC).
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), zone.FromAccount(new DateTime(2026, 3, 29, 2, 30, 0)).ToUniversalTime());
        // 25 October 2026, 02:30 happens twice: the second (standard-time) one.
        Assert.Equal(TimeSpan.FromHours(1), zone.FromAccount(new DateTime(2026, 10, 25, 2, 30, 0)).Offset);
    }

    [Fact]
    public async Task StatisticsAcrossADaylightSavingChangeAreAskedAndReadAtEachMomentsOffset()
    {
        Sandbox.SetTimeZone("Europe/Berlin");
        Sandbox.GenerateCalls(1, new DateTime(2026, 10, 24, 12, 0, 0), new DateTime(2026, 10, 24, 12, 0, 0));
        Sandbox.GenerateCalls(1, new DateTime(2026, 10, 26, 12, 0, 0), new DateTime(2026, 10, 26, 12, 0, 0));
        var client = _f.Client();
        client.AccountTimeZone = await client.GetTimeZoneAsync();
        var period = ZadarmaStatisticsPeriod.Resolve(new DateTime(2026, 10, 20), new DateTime(2026, 10, 30), client.AccountTimeZone);

        var calls = await client.GetStatisticsAsync(period);

        var request = Server.Requests.Snapshot().Single(r => r.Path.EndsWith("/v1/statistics/"));
        Assert.Equal("2026-10-20 00:00:00", Param(request, "start"));
        Assert.Equal("2026-10-30 23:59:59", Param(request, "end")); // at one fixed summer offset it would be 2026-10-31 00:59:59
        Assert.Equal(new[] { TimeSpan.FromHours(2), TimeSpan.FromHours(1) }, calls.Select(c => c.CallStart.Offset));
        Assert.Equal(new[] { 10, 11 }, calls.Select(c => c.CallStart.UtcDateTime.Hour));
    }

    [Fact]
    public async Task PiecesMeetingInTheRepeatedHourNeitherOverlapNorLeaveAGap()
    {
        Sandbox.StatisticsRateLimit = 100;
        Sandbox.SetTimeZone("Europe/Berlin");
        // Local 02:30 on 25 October is the repeated hour; the sandbox, like Zadarma, filters by the local text.
        Sandbox.GenerateCalls(1, new DateTime(2026, 10, 25, 2, 30, 0), new DateTime(2026, 10, 25, 2, 30, 0));
        var client = _f.Client();
        client.AccountTimeZone = await client.GetTimeZoneAsync();
        // The first 30-day piece ends at 02:59:59 CEST (00:59:59 UTC), the first pass of the repeated hour; the next
        // moment is 02:00:00 CET on the clock.
        var start = new DateTimeOffset(2026, 10, 25, 1, 0, 0, TimeSpan.Zero) - ZadarmaClient.MaxStatisticsPeriod;
        var calls = await client.GetStatisticsAsync(new ZadarmaStatisticsQuery(start, new DateTimeOffset(2026, 10, 26, 0, 0, 0, TimeSpan.FromHours(1))));

        var requests = Server.Requests.Snapshot().Where(r => r.Path.EndsWith("/v1/statistics/")).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal("2026-10-25 02:59:59", Param(requests[0], "end"));
        Assert.Equal("2026-10-25 03:00:00", Param(requests[1], "start"));
        Assert.Single(calls);
    }

    [Fact]
    public async Task CostOnlyAddsUpThePiecesOfALongPeriod()
    {
        Sandbox.StatisticsRateLimit = 100;
        var start = new DateTime(2026, 9, 1);
        var end = new DateTime(2026, 11, 14, 23, 59, 59); // 75 days: three pieces
        Sandbox.GenerateCalls(250, start, end);
        Sandbox.GenerateCalls(7, new DateTime(2026, 8, 1), new DateTime(2026, 8, 2)); // outside the period
        var inPeriod = Sandbox.Calls.Where(c => c.CallStart >= start && c.CallStart <= end).ToList();

        var summary = Assert.Single(await _f.Client().GetStatisticsCostAsync(new ZadarmaStatisticsQuery(
            new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero)) { Sip = "100" }));

        var ofSip = inPeriod.Where(c => c.Sip == "100").ToList();
        Assert.Equal(ofSip.Sum(c => c.BillCost), summary.Cost);
        Assert.Equal(ofSip.Sum(c => c.Seconds), summary.Seconds);
        Assert.Equal("USD", summary.Currency);
        Assert.Equal("100", summary.Sip);
        Assert.Equal(new DateTimeOffset(start, TimeSpan.Zero), summary.Start);
        Assert.Equal(new DateTimeOffset(end, TimeSpan.Zero), summary.End);
        var requests = Server.Requests.Snapshot().Where(r => r.Path.EndsWith("/v1/statistics/")).ToList();
        Assert.Equal(3, requests.Count);
        // Signed and sent as one text, keys in byte order (cost_only before end); no paging parameters.
        Assert.All(requests, r => Assert.Matches("^\\?cost_only=1&end=[^&]+&sip=100&start=[^&]+$", r.Query));
        Assert.Equal(requests.Select(r => r.Query.TrimStart('?')), Sandbox.Verified.Snapshot().Where(v => v.Method == "/v1/statistics/").Select(v => v.SignedQuery));
    }

    [Theory]
    [InlineData(ZadarmaStatisticsType.TollFree, "toll-free")]
    [InlineData(ZadarmaStatisticsType.Toll, "toll")]
    public async Task TheStatisticsTypeIsSentAsZadarmaNamesIt(ZadarmaStatisticsType type, string sent)
    {
        Sandbox.GenerateCalls(4, new DateTime(2026, 11, 1), new DateTime(2026, 11, 2), toPrefix: "8001234");
        Sandbox.GenerateCalls(6, new DateTime(2026, 11, 1), new DateTime(2026, 11, 2));
        var calls = await _f.Client().GetStatisticsAsync(new ZadarmaStatisticsQuery(
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero)) { Type = type.ApiValue() });
        Assert.Equal(4, calls.Count);
        Assert.All(calls, c => Assert.StartsWith("800", c.To));
        var request = Server.Requests.Snapshot().Single(r => r.Path.EndsWith("/v1/statistics/"));
        Assert.Equal(sent, Param(request, "type"));
        Assert.Null(ZadarmaStatisticsType.Overall.ApiValue());
    }

    [Fact]
    public async Task AnSmsWhoseNumberZadarmaDeniesIsThatNumbersError()
    {
        Sandbox.DeniedNumbers["79001234568"] = "The number is in the stop list";
        var ex = await Assert.ThrowsAsync<MessagingException>(() => _f.Client().SendSmsAsync(new ZadarmaSmsRequest("+7 900 123 45 68", "hi")));
        Assert.Equal("ZadarmaSmsWasDenied", ex.ErrorId);
        Assert.Equal("Number", ex.Field);
        Assert.False(ex.MayHaveTakenEffect);
        Assert.Contains("The number is in the stop list", ex.Message);
        Assert.Empty(Sandbox.Sms.Snapshot());
        // Another number of the same account is sent.
        var sent = await _f.Client().SendSmsAsync(new ZadarmaSmsRequest("79001234567", "hi"));
        Assert.Equal("79001234567", sent.Number);
    }
}
