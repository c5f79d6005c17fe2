using System.Globalization;
using System.Text.RegularExpressions;
using MessagingTools.Core.Journal;

namespace MessagingTools.Core.Tests;

public sealed class RowIdentityTests
{
    private static KeyValuePair<string, string?>[] Content(string phone, string? text) =>
        new[] { new KeyValuePair<string, string?>("PhoneNumber", phone), new KeyValuePair<string, string?>("Text", text) };

    private static readonly (string Phone, string Text)[] Csv =
    {
        ("989123456789", "سلام مریم، کد شما ۴۲ است"),
        ("989350000000", "hello"),
        ("989123456789", "سلام مریم، کد شما ۴۲ است"),
        ("989123456789", "سلام مریم، کد شما ۴۲ است"),
    };

    private static List<string> Keys((string Phone, string Text)[] rows)
    {
        var identity = new RowIdentity();
        return rows.Select(r => identity.Next(Content(r.Phone, r.Text))).ToList();
    }

    [Fact]
    public void IdenticalRowsAreDistinctMessagesNumberedByOccurrence()
    {
        var keys = Keys(Csv);

        Assert.Equal(4, keys.Distinct().Count());
        var hash = RowIdentity.ContentHash(Content(Csv[0].Phone, Csv[0].Text));
        Assert.Equal(new[] { hash + "-1", hash + "-2", hash + "-3" }, new[] { keys[0], keys[2], keys[3] });
        Assert.EndsWith("-1", keys[1]);
        Assert.All(keys, k => Assert.Matches(new Regex("^[0-9a-f]{32}-[0-9]+$"), k));
    }

    [Fact]
    public void ReadingTheSameRowsAgainGivesTheSameKeys()
    {
        Assert.Equal(Keys(Csv), Keys(Csv));
    }

    [Fact]
    public void TheKeysAreTheSameOnEveryMachineAndVersion()
    {
        // Pinned (computed independently: SHA-256 of the big-endian length-prefixed UTF-8 names and values): a journal
        // written by one version must be resumed by the next, whatever the machine's culture.
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("tr-TR");
            Assert.Equal("c948a82b263e8f1ae4b80d734cd32816", RowIdentity.ContentHash(Content("989123456789", "سلام {Iİıi}")));
            CultureInfo.CurrentCulture = new CultureInfo("fa-IR");
            Assert.Equal("c948a82b263e8f1ae4b80d734cd32816", RowIdentity.ContentHash(Content("989123456789", "سلام {Iİıi}")));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void AChangedRecipientOrTextIsANewMessage()
    {
        var before = Keys(Csv);
        var edited = Csv.ToArray();
        edited[2] = ("989123456780", edited[2].Text);
        edited[3] = (edited[3].Phone, edited[3].Text + ".");

        var after = Keys(edited);

        Assert.Equal(before[0], after[0]);
        Assert.Equal(before[1], after[1]);
        Assert.DoesNotContain(after[2], before);
        Assert.DoesNotContain(after[3], before);
        Assert.EndsWith("-1", after[2]);
        Assert.EndsWith("-1", after[3]);
    }

    [Fact]
    public void TheContentIsComparedExactly()
    {
        string H(params (string, string?)[] pairs) => RowIdentity.ContentHash(pairs.Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2)));

        Assert.NotEqual(H(("Text", null)), H(("Text", "")));
        Assert.NotEqual(H(("A", "bc")), H(("Ab", "c")));
        Assert.NotEqual(H(("A", "b"), ("C", "d")), H(("A", "bCd")));
        Assert.NotEqual(H(("Text", "hello")), H(("Text", "Hello")));
        Assert.NotEqual(H(("Text", "hello")), H(("text", "hello")));
        Assert.NotEqual(H(("A", "1"), ("B", "2")), H(("B", "2"), ("A", "1")));
        Assert.Equal(H(("Text", "hello")), H(("Text", "hello")));
    }

    [Fact]
    public void KeysAreTakenSafelyFromManyThreads()
    {
        var identity = new RowIdentity();
        var keys = Enumerable.Range(0, 1000).AsParallel().Select(_ => identity.Next(Content("0912", "same"))).ToList();

        Assert.Equal(1000, keys.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 1000), keys.Select(k => int.Parse(k.Split('-')[1], CultureInfo.InvariantCulture)).OrderBy(n => n));
    }
}
