using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Bale;

namespace MessagingTools.Core.Tests;

public sealed class BaleRequestIdsTests
{
    private static BaleMessage Prepared(string phone, string text, string? requestId) =>
        BaleClient.Prepare(new BaleMessage(123, phone) { Text = text, RequestId = requestId });

    [Fact]
    public void TheSecondMessageUnderAnIdAlreadyGivenToAnotherIsRefusedNamingRequestIdAndTheFirstRow()
    {
        var ids = new BaleRequestIds();
        ids.Claim(Prepared("09123456789", "hello", "order-17"), row: 4);

        var ex = Assert.Throws<MessagingException>(() => ids.Claim(Prepared("09123456780", "hello", "order-17"), row: 9));

        Assert.Equal("BaleRequestIdIsReused", ex.ErrorId);
        Assert.Equal("RequestId", ex.Field);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("order-17", ex.Message);
        Assert.Contains("(row 4)", ex.Message);
        // Nothing of the first message is kept (issue 16), so nothing of it can be named.
        Assert.DoesNotContain("989123456789", ex.Message);
    }

    [Fact]
    public void AFirstMessageWithoutARowIsNamedAsAnEarlierMessage()
    {
        var ids = new BaleRequestIds();
        ids.Claim(Prepared("09123456789", "hello", "order-17"));

        var ex = Assert.Throws<MessagingException>(() => ids.Claim(Prepared("09123456789", "bye", "order-17")));

        Assert.Contains("(an earlier message)", ex.Message);
    }

    [Theory]
    [InlineData(null, "hello", null)]
    [InlineData("hello", null, null)]
    [InlineData(null, null, "hello")]
    public void TheSameTextInAnotherFieldIsAnotherMessage(string? text, string? fileId, string? copyText)
    {
        var ids = new BaleRequestIds();
        ids.Claim(BaleClient.Prepare(new BaleMessage(123, "09123456789") { Text = "hello", RequestId = "id-1" }));
        if (text == "hello") return;
        Assert.Throws<MessagingException>(() =>
            ids.Claim(BaleClient.Prepare(new BaleMessage(123, "09123456789") { Text = text, FileId = fileId, CopyText = copyText, RequestId = "id-1" })));
    }

    /// <summary>
    /// Issue 16: a million rows without a RequestId grew the heap by about 900 MB, every prepared message being kept to
    /// check the ids. A new id (a GUID) is no other message's: only the ids the rows give are recorded.
    /// </summary>
    [Fact]
    public void OnlyTheIdsGivenAreRecorded()
    {
        var ids = new BaleRequestIds();
        for (var i = 0; i < 100; i++)
        {
            var prepared = ids.Prepare(new BaleMessage(123, "09123456789") { Text = "same" }, row: i + 1);
            Assert.False(string.IsNullOrEmpty(prepared.RequestId));
        }
        Assert.Equal(0, ids.Count);

        ids.Prepare(new BaleMessage(123, "09123456789") { Text = "same", RequestId = "given" }, row: 101);
        Assert.Equal(1, ids.Count);
        var ex = Assert.Throws<MessagingException>(() => ids.Prepare(new BaleMessage(123, "09123456780") { Text = "same", RequestId = "given" }, row: 102));
        Assert.Contains("(row 101)", ex.Message);
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
