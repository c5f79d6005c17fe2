using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Bale;

namespace MessagingTools.Core.Tests;

public sealed class BaleRequestIdsTests
{
    private static BaleMessage Prepared(string phone, string text, string? requestId) =>
        BaleClient.Prepare(new BaleMessage(123, phone) { Text = text, RequestId = requestId });

    [Fact]
    public void TheSecondMessageUnderAnIdAlreadyGivenToAnotherIsRefusedNamingRequestId()
    {
        var ids = new BaleRequestIds();
        ids.Claim(Prepared("09123456789", "hello", "order-17"));

        var ex = Assert.Throws<MessagingException>(() => ids.Claim(Prepared("09123456780", "hello", "order-17")));

        Assert.Equal("BaleRequestIdIsReused", ex.ErrorId);
        Assert.Equal("RequestId", ex.Field);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("order-17", ex.Message);
        Assert.Contains("989123456789", ex.Message);
    }

    [Theory]
    [InlineData("09123456789", "other text")]
    [InlineData("09123456780", "hello")]
    public void AnyDifferenceMakesItAnotherMessage(string phone, string text)
    {
        var ids = new BaleRequestIds();
        ids.Claim(Prepared("09123456789", "hello", "id-1"));
        Assert.Throws<MessagingException>(() => ids.Claim(Prepared(phone, text, "id-1")));
    }

    [Fact]
    public void TheSameMessageTwiceUnderItsIdIsAccepted()
    {
        var ids = new BaleRequestIds();
        ids.Claim(Prepared("0912 345 6789", "hello", "id-1"));
        ids.Claim(Prepared("+98 912 345 6789", "hello", "id-1")); // the same number, written otherwise
    }

    [Fact]
    public void NewIdsNeverCollide()
    {
        var ids = new BaleRequestIds();
        for (var i = 0; i < 100; i++) ids.Claim(Prepared("09123456789", "same", null));
    }
}
