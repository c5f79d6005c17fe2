using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Journal;

namespace MessagingTools.Core.Tests;

public sealed class RunJournalTests : IDisposable
{
    private const string Cmdlet = "Send-BaleMessage";
    private readonly string _dir = Directory.CreateTempSubdirectory("journal-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name = "run.jsonl") => Path.Combine(_dir, name);

    private static KeyValuePair<string, string?> Cell(string name, string? value) => new(name, value);

    private static JournalRow Row(string key, long position, string phone, string text) =>
        new(key, position, new[] { Cell("Phone", phone), Cell("Text", text), Cell("Note", null) });

    private static string[] Lines(string path)
    {
        var text = File.ReadAllText(path, new UTF8Encoding(false, true));
        Assert.EndsWith("\n", text);
        return text.Substring(0, text.Length - 1).Split('\n');
    }

    /// <summary>A journal of three rows: done, failed, and sent with no outcome (the process died).</summary>
    private string ThreeRows(string name = "run.jsonl")
    {
        var path = PathOf(name);
        using var journal = RunJournal.Open(path, Cmdlet, "Bale");
        journal.RecordIntent(Row("k1-1", 1, "09123456789", "سلام مریم"), "req-1");
        journal.RecordSucceeded(Row("k1-1", 1, "09123456789", "سلام مریم"), "{\"RequestId\":\"req-1\",\"Attempts\":1}");
        journal.RecordIntent(Row("k2-1", 2, "09350000000", "hi"), "req-2");
        journal.RecordFailed(Row("k2-1", 2, "09350000000", "hi"),
            new JournalError("BaleRecipientIsNotABaleUser", "not a Bale user", false, "Bale", "NotFound", "17", "req-2"));
        journal.RecordIntent(Row("k3-1", 3, "09120000000", "bye"), "req-3");
        return path;
    }

    // ----- format -----

    [Fact]
    public void TheFormatIsJsonLinesOfUtf8WithoutBomBeginningWithAHeader()
    {
        var path = ThreeRows();
        var bytes = File.ReadAllBytes(path);
        Assert.NotEqual(0xEF, bytes[0]);
        var lines = Lines(path);
        Assert.Equal(6, lines.Length);

        using (var header = JsonDocument.Parse(lines[0]))
        {
            var h = header.RootElement;
            Assert.Equal("MessagingTools.Journal", h.GetProperty("format").GetString());
            Assert.Equal(1, h.GetProperty("version").GetInt32());
            Assert.Equal("header", h.GetProperty("record").GetString());
            Assert.Equal(Cmdlet, h.GetProperty("cmdlet").GetString());
            Assert.Equal("Bale", h.GetProperty("provider").GetString());
            Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(h.GetProperty("createdAt").GetString()!) < TimeSpan.FromMinutes(5));
        }
        Assert.StartsWith("{\"format\":\"MessagingTools.Journal\",", lines[0]);
        Assert.StartsWith("{\"record\":\"intent\",\"key\":\"k1-1\",\"position\":1,\"attempt\":1,", lines[1]);
        Assert.Contains("\"requestId\":\"req-1\"", lines[1]);
        Assert.Contains("\"row\":{\"Phone\":\"09123456789\",\"Text\":\"سلام مریم\",\"Note\":null}", lines[1]); // Persian as it is
        Assert.Contains("\"state\":\"succeeded\"", lines[2]);
        Assert.EndsWith("\"result\":{\"RequestId\":\"req-1\",\"Attempts\":1}}", lines[2]);
        Assert.Contains("\"error\":{\"id\":\"BaleRecipientIsNotABaleUser\",\"message\":\"not a Bale user\",\"mayHaveTakenEffect\":false,\"provider\":\"Bale\",\"kind\":\"NotFound\",\"providerCode\":\"17\",\"requestId\":\"req-2\"}", lines[4]);
        foreach (var line in lines) JsonDocument.Parse(line).Dispose();
    }

    [Fact]
    public void WhatIsWrittenIsReadBackTheSame()
    {
        var path = ThreeRows();

        var contents = RunJournal.Read(path);

        Assert.Equal(Cmdlet, contents.Cmdlet);
        Assert.Equal("Bale", contents.Provider);
        Assert.Equal(1, contents.Version);
        Assert.Null(contents.Warning);
        Assert.Equal(new[] { "k1-1", "k2-1", "k3-1" }, contents.Entries.Select(e => e.Key));
        Assert.Equal(new[] { JournalState.Done, JournalState.Failed, JournalState.Unknown }, contents.Entries.Select(e => e.State));
        Assert.Equal(1, contents.Counts[JournalState.Done]);
        Assert.Equal(1, contents.Counts[JournalState.Failed]);
        Assert.Equal(1, contents.Counts[JournalState.Unknown]);

        var done = contents.Entries[0];
        Assert.Equal(new[] { Cell("Phone", "09123456789"), Cell("Text", "سلام مریم"), Cell("Note", null) }, done.Columns);
        Assert.Equal("{\"RequestId\":\"req-1\",\"Attempts\":1}", done.ResultJson);
        Assert.Equal(1, done.Attempt);
        Assert.Equal(1, done.Position);
        Assert.Equal("req-1", done.RequestId);
        Assert.Null(done.Error);
        Assert.True(done.FirstRecordedAt <= done.LastRecordedAt);

        var failed = contents.Entries[1];
        Assert.Null(failed.ResultJson);
        Assert.Equal("BaleRecipientIsNotABaleUser", failed.Error!.ErrorId);
        Assert.Equal("not a Bale user", failed.Error.Message);
        Assert.False(failed.Error.MayHaveTakenEffect);
        Assert.Equal("Bale", failed.Error.Provider);
        Assert.Equal("NotFound", failed.Error.Kind);
        Assert.Equal("17", failed.Error.ProviderCode);
        Assert.Equal("req-2", failed.Error.RequestId);

        var unknown = contents.Entries[2];
        Assert.Equal("req-3", unknown.RequestId);
        Assert.Null(unknown.Error);
        Assert.Equal(3, unknown.Position);

        // Reopening for a run gives the same states.
        using var journal = RunJournal.Open(path, Cmdlet, "Bale");
        Assert.Null(journal.Warning);
        Assert.Equal(JournalState.Done, journal.Lookup("k1-1")!.State);
        Assert.Equal(JournalState.Failed, journal.Lookup("k2-1")!.State);
        Assert.Equal(JournalState.Unknown, journal.Lookup("k3-1")!.State);
        Assert.Null(journal.Lookup("k4-1"));
        Assert.Equal(3, journal.Entries().Count);
    }

    [Fact]
    public void AResultIsStoredCompactOnItsLineWhateverItsLayout()
    {
        var path = PathOf();
        using (var journal = RunJournal.Open(path, Cmdlet, "Bale"))
            journal.RecordSucceeded(Row("k-1", 1, "0912", "t"), "{\n  \"a\": [1, 2],\n  \"b\": \"سلام\"\n}");

        Assert.Equal(2, Lines(path).Length);
        Assert.Equal("{\"a\":[1,2],\"b\":\"سلام\"}", RunJournal.Read(path).Entries[0].ResultJson);
    }

    [Fact]
    public void AResultThatIsNotJsonIsRefusedAndNothingIsWritten()
    {
        var path = PathOf();
        using (var journal = RunJournal.Open(path, Cmdlet, "Bale"))
        {
            Assert.Throws<ArgumentException>(() => journal.RecordSucceeded(Row("k-1", 1, "0912", "t"), "{not json"));
            Assert.Null(journal.Lookup("k-1"));
        }
        Assert.Single(Lines(path)); // the header only
    }

    [Fact]
    public void ARowWithHalfACharacterIsStillRecorded()
    {
        // Such a text is refused before sending (TextIsNotValidUnicode) and its failure must be recorded all the same.
        var path = PathOf();
        using (var journal = RunJournal.Open(path, Cmdlet, "Bale"))
            journal.RecordFailed(Row("k-1", 1, "0912", "a\uD800b"), new JournalError("TextIsNotValidUnicode", "lone \uDC00", false));

        var entry = RunJournal.Read(path).Entries[0];
        Assert.Equal("a\uFFFDb", entry.Columns[1].Value);
        Assert.Equal("lone \uFFFD", entry.Error!.Message);
    }

    // ----- states -----

    [Fact]
    public void EachRowEndsInTheStateOfItsLastRecord()
    {
        using var journal = RunJournal.Open(PathOf(), Cmdlet, "Bale");
        var row = Row("k-1", 1, "0912", "t");

        var intent = journal.RecordIntent(row, "req-a");
        Assert.Equal(JournalState.Unknown, intent.State);
        Assert.Equal(1, intent.Attempt);
        Assert.Equal("req-a", intent.RequestId);
        Assert.Null(intent.Error);

        var failed = journal.RecordFailed(row, new JournalError("BaleServerError", "5xx", false));
        Assert.Equal(JournalState.Failed, failed.State);
        Assert.Equal(1, failed.Attempt);

        var retry = journal.RecordIntent(row, "req-a");
        Assert.Equal(JournalState.Unknown, retry.State);
        Assert.Equal(2, retry.Attempt);
        Assert.Null(retry.Error);

        var noAnswer = journal.RecordFailed(row, new JournalError("RequestTimedOutMayHaveTakenEffect", "no answer", true, requestId: "req-a"));
        Assert.Equal(JournalState.Unknown, noAnswer.State); // it may have been delivered: as unknown as a crash
        Assert.True(noAnswer.Error!.MayHaveTakenEffect);
        Assert.Equal(2, noAnswer.Attempt);

        journal.RecordIntent(row, "req-a");
        var done = journal.RecordSucceeded(row, "{\"ok\":true}");
        Assert.Equal(JournalState.Done, done.State);
        Assert.Equal(3, done.Attempt);
        Assert.Equal("{\"ok\":true}", done.ResultJson);
        Assert.Null(done.Error);
        Assert.Equal("req-a", done.RequestId);

        var looked = journal.Lookup("k-1")!;
        Assert.Equal(JournalState.Done, looked.State);
        Assert.Equal(3, looked.Attempt);
    }

    [Fact]
    public void AnOutcomeWithoutAnIntentIsAnAttemptOfItsOwn()
    {
        using var journal = RunJournal.Open(PathOf(), Cmdlet, "FeedBot");
        var row = Row("k-1", 1, "0912", "t");

        Assert.Equal(1, journal.RecordFailed(row, new JournalError("X", "x", false)).Attempt);
        Assert.Equal(2, journal.RecordSucceeded(row, "1").Attempt);
    }

    [Fact]
    public void AnIntentWithoutOutcomeIsUnknownAfterAReopen()
    {
        var path = PathOf();
        using (var first = RunJournal.Open(path, Cmdlet, "Bale"))
            first.RecordIntent(Row("k-1", 1, "0912", "t"), "req-1");

        using var second = RunJournal.Open(path, Cmdlet, "Bale");
        var entry = second.Lookup("k-1")!;
        Assert.Equal(JournalState.Unknown, entry.State);
        Assert.Equal("req-1", entry.RequestId);
        Assert.Equal(1, entry.Attempt);

        // The resend with the same request_id completes it, as the second attempt.
        Assert.Equal(2, second.RecordIntent(Row("k-1", 1, "0912", "t"), "req-1").Attempt);
        Assert.Equal(JournalState.Done, second.RecordSucceeded(Row("k-1", 1, "0912", "t"), "{}").State);
    }

    [Fact]
    public void FromAMessagingExceptionTheErrorKeepsWhatARetryNeeds()
    {
        var error = JournalError.From(new MessagingException("Bale", ErrorKind.Timeout, "RequestTimedOutMayHaveTakenEffect", "no answer",
            providerCode: "c", mayHaveTakenEffect: true) { RequestId = "r" });

        Assert.Equal("RequestTimedOutMayHaveTakenEffect", error.ErrorId);
        Assert.Equal("no answer", error.Message);
        Assert.True(error.MayHaveTakenEffect);
        Assert.Equal("Bale", error.Provider);
        Assert.Equal("Timeout", error.Kind);
        Assert.Equal("c", error.ProviderCode);
        Assert.Equal("r", error.RequestId);
    }

    // ----- recovery -----

    [Fact]
    public void ATornLastLineIsDroppedAndEveryCompleteRecordKept()
    {
        var path = ThreeRows();
        var complete = File.ReadAllBytes(path);
        var torn = Encoding.UTF8.GetBytes("{\"record\":\"outcome\",\"key\":\"k3-1\",\"position\":3,\"attempt\":1,\"at\":\"2025-");
        File.WriteAllBytes(path, complete.Concat(torn).ToArray());

        // Reading leaves the file as it is.
        var contents = RunJournal.Read(path);
        Assert.Contains("line 7", contents.Warning);
        Assert.Contains("cut off", contents.Warning);
        Assert.Equal(new[] { JournalState.Done, JournalState.Failed, JournalState.Unknown }, contents.Entries.Select(e => e.State));
        Assert.Equal(complete.Length + torn.Length, new FileInfo(path).Length);

        // A run cuts the torn line off before appending, so that the next record is not glued to it.
        using (var journal = RunJournal.Open(path, Cmdlet, "Bale"))
        {
            Assert.Contains("line 7", journal.Warning);
            Assert.Equal(JournalState.Unknown, journal.Lookup("k3-1")!.State);
        }
        Assert.Equal(complete, File.ReadAllBytes(path));
        using (var journal = RunJournal.Open(path, Cmdlet, "Bale"))
        {
            Assert.Null(journal.Warning);
            journal.RecordSucceeded(Row("k3-1", 3, "09120000000", "bye"), "{}");
        }
        var after = RunJournal.Read(path);
        Assert.Null(after.Warning);
        Assert.Equal(3, after.Counts[JournalState.Done] + after.Counts[JournalState.Failed]);
        Assert.Equal(7, Lines(path).Length);
    }

    [Fact]
    public void AWholeLastRecordWithoutItsNewlineIsKept()
    {
        var path = ThreeRows();
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.TrimEnd('\n'), new UTF8Encoding(false));

        Assert.Null(RunJournal.Read(path).Warning);
        using (var journal = RunJournal.Open(path, Cmdlet, "Bale"))
        {
            Assert.Null(journal.Warning);
            Assert.Equal(JournalState.Unknown, journal.Lookup("k3-1")!.State); // the last intent counts
            journal.RecordIntent(Row("k4-1", 4, "0912", "x"));
        }
        Assert.Equal(7, Lines(path).Length);
        Assert.Equal(4, RunJournal.Read(path).Entries.Count);
    }

    [Fact]
    public void ATailOfZerosFromAPowerLossIsATornLine()
    {
        var path = ThreeRows();
        var complete = File.ReadAllBytes(path);
        File.WriteAllBytes(path, complete.Concat(new byte[300]).ToArray());

        using (var journal = RunJournal.Open(path, Cmdlet, "Bale"))
        {
            Assert.NotNull(journal.Warning);
            Assert.Equal(3, journal.Entries().Count);
        }
        Assert.Equal(complete, File.ReadAllBytes(path));
    }

    [Fact]
    public void AJournalWithOnlyATornHeaderStartsOver()
    {
        var path = PathOf();
        File.WriteAllText(path, "{\"format\":\"MessagingTools.Jou", new UTF8Encoding(false));

        using (var journal = RunJournal.Open(path, Cmdlet, "Bale"))
        {
            Assert.NotNull(journal.Warning);
            journal.RecordIntent(Row("k-1", 1, "0912", "t"));
        }
        Assert.Equal(2, Lines(path).Length);
        Assert.Single(RunJournal.Read(path).Entries);
    }

    [Fact]
    public void AnEmptyFileBecomesAJournal()
    {
        var path = PathOf();
        File.WriteAllBytes(path, Array.Empty<byte>());

        using (var journal = RunJournal.Open(path, Cmdlet, "Bale")) Assert.Null(journal.Warning);

        Assert.Single(Lines(path));
        Assert.Empty(RunJournal.Read(path).Entries);
    }

    [Theory]
    [InlineData("garbage", "not JSON")]
    [InlineData("{\"record\":\"outcome\",\"key\":\"k9-1\"}", "is not a time")]
    [InlineData("{\"record\":\"sent\",\"key\":\"k9-1\"}", "record kind 'sent' is unknown")]
    [InlineData("[1,2]", "not a JSON object")]
    public void ACorruptLineInTheMiddleIsAnErrorNamingItAndTheFileIsLeftAlone(string bad, string why)
    {
        var path = ThreeRows();
        var lines = Lines(path);
        lines[2] = bad;
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        var before = File.ReadAllBytes(path);

        var opening = Assert.Throws<MessagingException>(() => RunJournal.Open(path, Cmdlet, "Bale"));
        var reading = Assert.Throws<MessagingException>(() => RunJournal.Read(path));

        foreach (var ex in new[] { opening, reading })
        {
            Assert.Equal("JournalIsCorrupt", ex.ErrorId);
            Assert.StartsWith("Line 3 of the journal", ex.Message);
            Assert.Contains(why, ex.Message);
        }
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void InvalidUtf8InTheMiddleIsCorrupt()
    {
        var path = ThreeRows();
        var bytes = File.ReadAllBytes(path);
        var firstNewline = Array.IndexOf(bytes, (byte)'\n');
        bytes[firstNewline + 5] = 0xFF;
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<MessagingException>(() => RunJournal.Open(path, Cmdlet, "Bale"));
        Assert.Equal("JournalIsCorrupt", ex.ErrorId);
        Assert.StartsWith("Line 2 ", ex.Message);
    }

    [Theory]
    [InlineData("Phone,Text\n09123456789,hello\n")]
    [InlineData("Phone,Text")] // no newline at all: never taken for a torn journal and cut
    [InlineData("{\"a\":1}\n")]
    [InlineData("{\"format\":\"Other\",\"record\":\"header\"}\n")]
    public void AFileThatIsNotAJournalIsRefusedAndLeftAlone(string content)
    {
        var path = PathOf("contacts.csv");
        File.WriteAllText(path, content, new UTF8Encoding(false));

        var ex = Assert.Throws<MessagingException>(() => RunJournal.Open(path, Cmdlet, "Bale"));

        Assert.Equal("JournalIsNotAJournal", ex.ErrorId);
        Assert.Equal(content, File.ReadAllText(path));
        Assert.Equal("JournalIsNotAJournal", Assert.Throws<MessagingException>(() => RunJournal.Read(path)).ErrorId);
    }

    [Fact]
    public void AJournalOfAnotherCmdletIsRefusedAndLeftAlone()
    {
        var path = ThreeRows();
        var before = File.ReadAllBytes(path);

        var ex = Assert.Throws<MessagingException>(() => RunJournal.Open(path, "Send-FlashCall", "FlashCall"));

        Assert.Equal("JournalIsForAnotherCmdlet", ex.ErrorId);
        Assert.Contains("Send-BaleMessage", ex.Message);
        Assert.Contains("Send-FlashCall", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        using var sameCmdletOtherCase = RunJournal.Open(path, "send-balemessage", "Bale");
        Assert.Equal(Cmdlet, sameCmdletOtherCase.Cmdlet);
    }

    [Fact]
    public void AJournalOfANewerFormatIsRefused()
    {
        var path = PathOf();
        File.WriteAllText(path, "{\"format\":\"MessagingTools.Journal\",\"version\":2,\"record\":\"header\",\"cmdlet\":\"Send-BaleMessage\",\"createdAt\":\"2025-01-01T00:00:00Z\"}\n");

        var ex = Assert.Throws<MessagingException>(() => RunJournal.Open(path, Cmdlet, "Bale"));
        Assert.Equal("JournalVersionIsNotSupported", ex.ErrorId);
    }

    [Fact]
    public void AMissingJournalCannotBeReadAndAMissingFolderCannotBeOpened()
    {
        Assert.Equal("JournalWasNotFound", Assert.Throws<MessagingException>(() => RunJournal.Read(PathOf("none.jsonl"))).ErrorId);
        var ex = Assert.Throws<MessagingException>(() => RunJournal.Open(Path.Combine(_dir, "no-such-folder", "run.jsonl"), Cmdlet, "Bale"));
        Assert.Equal("JournalCannotBeOpened", ex.ErrorId);
        Assert.Contains("no-such-folder", ex.Message);
    }

    // ----- locking -----

    [Fact]
    public void ASecondRunOnAJournalInUseIsRefusedAndSoIsReadingIt()
    {
        var path = PathOf();
        using (var first = RunJournal.Open(path, Cmdlet, "Bale"))
        {
            first.RecordIntent(Row("k-1", 1, "0912", "t"));

            var second = Assert.Throws<MessagingException>(() => RunJournal.Open(path, Cmdlet, "Bale"));
            Assert.Equal("JournalIsInUse", second.ErrorId);
            Assert.Contains(path, second.Message);
            Assert.Equal("JournalIsInUse", Assert.Throws<MessagingException>(() => RunJournal.Read(path)).ErrorId);

            first.RecordSucceeded(Row("k-1", 1, "0912", "t"), "{}"); // the holder is unaffected
        }
        using (var again = RunJournal.Open(path, Cmdlet, "Bale"))
            Assert.Equal(JournalState.Done, again.Lookup("k-1")!.State);
        Assert.Single(RunJournal.Read(path).Entries);
    }

    [Fact]
    public void TheLockHoldsAgainstAnotherProcess()
    {
        // Linux: .NET emulates FileShare.None with flock(LOCK_EX), which flock(1) in another process runs into, and
        // the other way round. (Windows: the share mode itself, which the in-process test above already shows.)
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/flock")) return;
        var path = PathOf();
        using (RunJournal.Open(path, Cmdlet, "Bale"))
            Assert.Equal(1, Run("/usr/bin/flock", "-n", path, "true"));
        Assert.Equal(0, Run("/usr/bin/flock", "-n", path, "true"));

        // Held by another process: a run here is refused.
        using var holder = Process.Start(new ProcessStartInfo("/usr/bin/flock", new[] { "-n", path, "sleep", "30" }) { RedirectStandardInput = true })!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            MessagingException? refused = null;
            while (refused is null && DateTime.UtcNow < deadline)
            {
                try
                {
                    RunJournal.Open(path, Cmdlet, "Bale").Dispose(); // not locked yet: the child is starting
                    Thread.Sleep(50);
                }
                catch (MessagingException e)
                {
                    refused = e;
                }
            }
            Assert.Equal("JournalIsInUse", refused?.ErrorId);
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }
    }

    private static int Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args))!;
        p.WaitForExit();
        return p.ExitCode;
    }

    // ----- group commit and failures -----

    [Fact]
    public async Task RecordsMadeWhileABatchIsFlushedShareTheNextFlush()
    {
        var path = PathOf();
        using var journal = RunJournal.Open(path, Cmdlet, "Bale");
        using var firstBatchStarted = new ManualResetEventSlim();
        using var releaseFirstBatch = new ManualResetEventSlim();
        journal.BeforeWrite = _ =>
        {
            if (firstBatchStarted.IsSet) return;
            firstBatchStarted.Set();
            releaseFirstBatch.Wait(TimeSpan.FromSeconds(30));
        };

        var first = Task.Run(() => journal.RecordIntentAsync(Row("k0-1", 0, "0912", "t")));
        Assert.True(firstBatchStarted.Wait(TimeSpan.FromSeconds(30)));
        var others = Enumerable.Range(1, 50).Select(i => journal.RecordIntentAsync(Row($"k{i}-1", i, "0912", "t"))).ToList();
        Assert.All(others, t => Assert.False(t.IsCompleted)); // none is durable yet, so none may be sent
        releaseFirstBatch.Set();
        await first;
        var entries = await Task.WhenAll(others);

        Assert.Equal(2, journal.Batches);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"k{i}-1"), entries.Select(e => e.Key));
        journal.Dispose();
        Assert.Equal(52, Lines(path).Length);
    }

    [Fact]
    public async Task ManyConcurrentRecordsAreAllWrittenWhole()
    {
        var path = PathOf();
        using (var journal = RunJournal.Open(path, Cmdlet, "Bale"))
        {
            await Task.WhenAll(Enumerable.Range(1, 400).Select(i => Task.Run(async () =>
            {
                var row = Row($"k{i}-1", i, "0912", "سلام " + i);
                await journal.RecordIntentAsync(row, "r" + i);
                await journal.RecordSucceededAsync(row, "{\"n\":" + i + "}");
            })));
            Assert.True(journal.Batches <= 800);
        }
        var contents = RunJournal.Read(path);
        Assert.Equal(400, contents.Counts[JournalState.Done]);
        Assert.All(contents.Entries, e => Assert.Equal(1, e.Attempt));
        Assert.Equal(801, Lines(path).Length);
    }

    [Fact]
    public void AFailedWriteFailsItsRecordAndEveryLaterOne()
    {
        var path = PathOf();
        using var journal = RunJournal.Open(path, Cmdlet, "Bale");
        journal.BeforeWrite = _ => throw new IOException("No space left on device");

        var ex = Assert.Throws<MessagingException>(() => journal.RecordIntent(Row("k-1", 1, "0912", "t")));
        Assert.Equal("JournalCannotBeWritten", ex.ErrorId);
        Assert.Contains("No space left on device", ex.Message);
        Assert.Null(journal.Lookup("k-1"));

        journal.BeforeWrite = null;
        Assert.Equal("JournalCannotBeWritten", Assert.Throws<MessagingException>(() => journal.RecordIntent(Row("k-2", 2, "0912", "t"))).ErrorId);
    }

    [Fact]
    public void ADisposedJournalRecordsNothing()
    {
        var journal = RunJournal.Open(PathOf(), Cmdlet, "Bale");
        journal.Dispose();
        journal.Dispose();

        Assert.Throws<ObjectDisposedException>(() => journal.RecordIntent(Row("k-1", 1, "0912", "t")));
    }

    [Fact]
    public void A_dry_run_reads_what_a_run_would_open_refuses_what_it_would_refuse_and_changes_nothing()
    {
        var path = Path.Combine(_dir, "dry.jsonl");
        Assert.Null(RunJournal.ReadFor(path, "Send-BaleMessage"));       // none yet: a run would create it
        Assert.False(File.Exists(path));
        File.WriteAllText(path, "");
        Assert.Null(RunJournal.ReadFor(path, "Send-BaleMessage"));       // empty: a run would start it over
        using (var journal = RunJournal.Open(path, "Send-BaleMessage", "Bale"))
            journal.RecordSucceeded(new JournalRow("k-1", 1, new[] { new KeyValuePair<string, string?>("Phone", "09120000001") }), "{}");
        var before = File.ReadAllBytes(path);

        Assert.Equal(JournalState.Done, RunJournal.ReadFor(path, "send-balemessage")!.Entries.Single().State);
        var other = Assert.Throws<MessagingException>(() => RunJournal.ReadFor(path, "Send-FlashCall"));
        Assert.Equal("JournalIsForAnotherCmdlet", other.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(path));

        var csv = Path.Combine(_dir, "rows.csv");
        File.WriteAllText(csv, "Phone,Text\n09120000001,hi\n");
        Assert.Equal("JournalIsNotAJournal", Assert.Throws<MessagingException>(() => RunJournal.ReadFor(csv, "Send-BaleMessage")).ErrorId);
    }
}
