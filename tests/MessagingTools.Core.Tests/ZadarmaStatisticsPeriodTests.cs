using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;

namespace MessagingTools.Core.Tests;

/// <summary>
/// Issue 11, item 12, seen in PowerShell 7.6.9: <c>Get-ZadarmaStatistics -End 9999-12-31</c> failed with .NET's "The added
/// or subtracted value results in an un-representable DateTime" as the field "value", <c>-Start 0001-01-01 -UtcOffset 03:00</c>
/// with "... must be between year 0 and 10,000" as the field "offset"; <c>-Start 1990-01-01</c> started 450 requests at
/// Zadarma's 3 statistics requests a minute. The period is now worked out in Core (<see cref="ZadarmaStatisticsPeriod"/>):
/// dates out of range name -Start or -End, and a period of more than 12 months is refused, saying how many requests it
/// would take, unless forced.
/// </summary>
public sealed class ZadarmaStatisticsPeriodTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AStartInYearOneAtAPositiveOffsetIsOutOfRangeNamingStart()
    {
        var ex = Assert.Throws<MessagingException>(() =>
            ZadarmaStatisticsPeriod.Resolve(new DateTime(1, 1, 1), null, TimeSpan.FromHours(3), force: true, now: Now));
        Assert.Equal("ZadarmaDateIsOutOfRange", ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal("Start", ex.Field);
        Assert.Contains("-Start 0001-01-01 00:00:00", ex.Message);
    }

    [Fact]
    public void TheLastDayOfYear9999AtANegativeOffsetIsOutOfRangeNamingEnd()
    {
        var ex = Assert.Throws<MessagingException>(() =>
            ZadarmaStatisticsPeriod.Resolve(null, new DateTime(9999, 12, 31), TimeSpan.FromHours(-5), force: true, now: Now));
        Assert.Equal("ZadarmaDateIsOutOfRange", ex.ErrorId);
        Assert.Equal("End", ex.Field);
        Assert.Contains("-End 9999-12-31", ex.Message);
    }

    [Fact]
    public void AnEndInYear9999IsTooLongNamingEnd()
    {
        var ex = Assert.Throws<MessagingException>(() =>
            ZadarmaStatisticsPeriod.Resolve(null, new DateTime(9999, 12, 31), TimeSpan.Zero, now: Now));
        Assert.Equal("ZadarmaPeriodIsTooLong", ex.ErrorId);
        Assert.Equal("End", ex.Field);
    }

    [Fact]
    public void AStartInYearOneIsTooLongNamingStart()
    {
        var ex = Assert.Throws<MessagingException>(() =>
            ZadarmaStatisticsPeriod.Resolve(new DateTime(1, 1, 1), null, TimeSpan.Zero, now: Now));
        Assert.Equal("ZadarmaPeriodIsTooLong", ex.ErrorId);
        Assert.Equal("Start", ex.Field);
    }

    [Fact]
    public void APeriodSince1990IsRefusedSayingHowManyRequestsItWouldTake()
    {
        var ex = Assert.Throws<MessagingException>(() =>
            ZadarmaStatisticsPeriod.Resolve(new DateTime(1990, 1, 1), null, TimeSpan.Zero, now: Now));
        Assert.Equal("ZadarmaPeriodIsTooLong", ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal("Start", ex.Field);
        // 13,482 days and a second, in pieces of 30 days: 450 requests, 150 minutes at 3 a minute.
        Assert.Contains("-Start 1990-01-01 00:00:00", ex.Message);
        Assert.Contains("-End 2026-11-30 12:00:00", ex.Message);
        Assert.Contains("450 statistics requests", ex.Message);
        Assert.Contains("150 minutes", ex.Message);
        Assert.Contains("12 months", ex.Message);
        Assert.Contains("-Force", ex.Message);
        Assert.Equal(450, ZadarmaStatisticsPeriod.RequestsAtLeast(new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero), Now));
    }

    [Fact]
    public void ForceReadsALongPeriod()
    {
        var q = ZadarmaStatisticsPeriod.Resolve(new DateTime(1990, 1, 1), null, TimeSpan.Zero, force: true, now: Now);
        Assert.Equal(new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero), q.Start);
        Assert.Equal(Now, q.End);
    }

    [Fact]
    public void TwelveMonthsToTheEndOfTheSameDateAreAllowed()
    {
        var q = ZadarmaStatisticsPeriod.Resolve(new DateTime(2025, 11, 1), new DateTime(2026, 11, 1), TimeSpan.FromHours(3), now: Now);
        Assert.Equal(new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.FromHours(3)), q.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 23, 59, 59, TimeSpan.FromHours(3)), q.End);
    }

    [Fact]
    public void TwelveMonthsAndADayMoreAreRefusedNamingStartWhenBothAreGiven()
    {
        var ex = Assert.Throws<MessagingException>(() =>
            ZadarmaStatisticsPeriod.Resolve(new DateTime(2025, 1, 1), new DateTime(2026, 1, 2), TimeSpan.Zero, now: Now));
        Assert.Equal("ZadarmaPeriodIsTooLong", ex.ErrorId);
        Assert.Equal("Start", ex.Field);
        Assert.Contains("-End 2026-01-02 23:59:59", ex.Message);
    }

    [Fact]
    public void AYearAgoUntilNowIsAllowed()
    {
        // (Get-Date).AddYears(-1) with no -End: a few moments pass between the two.
        var q = ZadarmaStatisticsPeriod.Resolve(Now.AddYears(-1).AddSeconds(-2).DateTime, null, TimeSpan.Zero, now: Now);
        Assert.Equal(Now, q.End);
    }

    [Fact]
    public void TheDefaultsAreThisMonthUntilNowAndADateAloneEndsAtTheEndOfThatDay()
    {
        var q = ZadarmaStatisticsPeriod.Resolve(null, null, TimeSpan.FromHours(3), now: Now);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(3)), q.Start);
        Assert.Equal(Now, q.End);
        var day = ZadarmaStatisticsPeriod.Resolve(new DateTime(2026, 11, 14), new DateTime(2026, 11, 15), TimeSpan.Zero, now: Now);
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 23, 59, 59, TimeSpan.Zero), day.End);
    }

    [Fact]
    public void AnEndBeforeTheStartNamesEnd()
    {
        var ex = Assert.Throws<MessagingException>(() =>
            ZadarmaStatisticsPeriod.Resolve(new DateTime(2026, 11, 15), new DateTime(2026, 11, 1), TimeSpan.Zero, now: Now));
        Assert.Equal("ZadarmaPeriodEndsBeforeItStarts", ex.ErrorId);
        Assert.Equal("End", ex.Field);
    }

    [Fact]
    public void UtcAndLocalTimesKeepTheirMeaning()
    {
        var utc = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        var q = ZadarmaStatisticsPeriod.Resolve(utc, utc.AddHours(1), TimeSpan.FromHours(3), now: Now);
        Assert.Equal(new DateTimeOffset(utc), q.Start);
        Assert.Equal(TimeSpan.Zero, q.Start.Offset);
    }
}
