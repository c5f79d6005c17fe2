using MessagingTools.Core.Errors;
using MessagingTools.Core.Journal;

namespace MessagingTools.Core.Tests;

/// <summary>-Partition i/N (issue 19, item 5): N workers over the same rows take every row exactly once between them.</summary>
public sealed class RunPartitionTests
{
    private static KeyValuePair<string, string?>[] Content(string phone, string text) =>
        new[] { new KeyValuePair<string, string?>("PhoneNumber", phone), new KeyValuePair<string, string?>("Text", text) };

    [Theory]
    [InlineData("1/4", 1, 4)]
    [InlineData(" 4 / 4 ", 4, 4)]
    [InlineData("1/1", 1, 1)]
    public void ParsesAShare(string text, int index, int count)
    {
        var partition = RunPartition.Parse(text);
        Assert.Equal(index, partition.Index);
        Assert.Equal(count, partition.Count);
        Assert.Equal($"{index}/{count}", partition.ToString());
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("-1/4")]
    [InlineData("")]
    [InlineData(null)]
    public void RefusesWhatIsNotAShareNamingTheParameter(string? text)
    {
        var error = Assert.Throws<MessagingException>(() => RunPartition.Parse(text));
        Assert.Equal("PartitionIsInvalid", error.ErrorId);
        Assert.Equal("Partition", error.Field);
        Assert.Contains("i/N", error.Message);
    }

    [Fact]
    public void FourWorkersTakeEveryRowExactlyOnceInEvenShares()
    {
        const int rows = 2000;
        var workers = Enumerable.Range(1, 4).Select(i => RunPartition.Parse($"{i}/4")).ToArray();
        var taken = new int[rows];
        var shares = new int[4];
        for (int row = 0; row < rows; row++)
        {
            // Every 10th row repeats an earlier one's content: identical messages are still counted one by one.
            var content = row % 10 == 9 ? Content("989120000000", "the same text") : Content($"98912{row:D7}", $"row {row}");
            for (int w = 0; w < workers.Length; w++)
            {
                if (!workers[w].Takes(content)) continue;
                taken[row]++;
                shares[w]++;
            }
        }
        Assert.All(taken, t => Assert.Equal(1, t));
        Assert.All(shares, s => Assert.InRange(s, 400, 600)); // within 20 % of a quarter
    }

    [Fact]
    public void IdenticalRowsAreSpreadByTheirOccurrence()
    {
        var workers = Enumerable.Range(1, 2).Select(i => RunPartition.Parse($"{i}/2")).ToArray();
        var perWorker = new int[2];
        for (int n = 0; n < 200; n++)
            for (int w = 0; w < 2; w++)
                if (workers[w].Takes(Content("989121234567", "hello"))) perWorker[w]++;
        Assert.Equal(200, perWorker.Sum());
        Assert.All(perWorker, c => Assert.InRange(c, 60, 140));
    }

    [Fact]
    public void AShareDoesNotDependOnTheRowsAroundIt()
    {
        var alone = RunPartition.Parse("2/3");
        var amongOthers = RunPartition.Parse("2/3");
        for (int i = 0; i < 50; i++) amongOthers.Takes(Content($"98912{i:D7}", "other"));
        for (int i = 0; i < 100; i++)
        {
            var content = Content($"98935{i:D7}", "mine?");
            Assert.Equal(alone.Takes(content), amongOthers.Takes(content));
        }
    }

    [Fact]
    public void ARowWithoutContentFallsToTheShareOfItsNumber()
    {
        var workers = Enumerable.Range(1, 3).Select(i => RunPartition.Parse($"{i}/3")).ToArray();
        for (long row = 1; row <= 30; row++)
            Assert.Equal(1, workers.Count(w => w.TakesRow(row)));
        Assert.True(workers[0].TakesRow(1));
        Assert.True(workers[1].TakesRow(2));
        Assert.True(workers[0].TakesRow(4));
    }
}
