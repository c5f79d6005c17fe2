using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;

namespace MessagingTools.Core.Tests;

/// <summary>
/// Statistics pass the account's overall gate as well as their own. When the overall budget would hold them back
/// longer than MaxWait, they must fail like every other request (a MessagingException, rate limited, not sent), not
/// with the gate's internal RateLimitWaitTooLongException (which the cmdlets report as "UnexpectedError").
/// </summary>
public sealed class ZadarmaStatisticsHeldBackTooLongFailAsRateLimited : IClassFixture<ZadarmaFixture>
{
    private readonly ZadarmaFixture _f;

    public ZadarmaStatisticsHeldBackTooLongFailAsRateLimited(ZadarmaFixture f)
    {
        _f = f;
        _f.Server.Reset();
    }

    [Fact]
    public async Task StatisticsHeldBackByTheOverallBudgetFailAsRateLimitedNotSent()
    {
        var client = _f.Client();
        client.Gate.MaxWait = TimeSpan.FromSeconds(1);
        client.Gate.Observe(100, 0, DateTimeOffset.UtcNow.AddSeconds(30)); // the overall budget is spent for 30 s

        var balance = await Assert.ThrowsAsync<MessagingException>(() => client.GetBalanceAsync());
        Assert.Equal(ErrorKind.RateLimited, balance.Kind);

        var ex = await Record.ExceptionAsync(() => client.GetStatisticsAsync(new ZadarmaStatisticsQuery(
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero))));
        var me = Assert.IsType<MessagingException>(ex);
        Assert.Equal(ErrorKind.RateLimited, me.Kind);
        Assert.False(me.MayHaveTakenEffect);
        Assert.Empty(_f.Server.Requests.Snapshot());
    }
}
