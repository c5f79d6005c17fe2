using System.Text.Json;
using MessagingTools.Core;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Journal;
using MessagingTools.Core.Logging;
using MessagingTools.Core.Pipeline;

namespace MessagingTools.Core.Tests;

/// <summary>
/// A journaled run: what is sent again on a rerun, and what the journal records around each request (through the queue's
/// observer, as the cmdlets drive it).
/// </summary>
public sealed class JournaledRunTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"journaled-run-{Guid.NewGuid():N}.jsonl");

    public void Dispose()
    {
        if (File.Exists(_path)) File.Delete(_path);
    }

    /// <summary>A request: a recipient, a text and an idempotency key that the provider may drop repeats of.</summary>
    public sealed record Message(string To, string Text, string Id);

    public sealed record Sent(string To, string Id, int Attempt);

    private static JournalPolicy<Message> Policy(bool dropsRepeats) => new("Test",
        m => new[] { new KeyValuePair<string, string?>("To", m.To), new KeyValuePair<string, string?>("Text", m.Text) },
        m => m.Id,
        dropsRepeats ? (m, id) => m with { Id = id } : null);

    private sealed class Tag(JournalRow row) : IJournaledTag
    {
        public JournalRow? JournalRow { get; } = row;
    }

    /// <summary>Runs the messages through a pump with the journal as observer, as AsyncPipelineCmdlet does; returns the outcomes in order.</summary>
    private List<(JournalDecisionKind Kind, Outcome<Sent> Outcome)> Run(IEnumerable<Message> messages, bool dropsRepeats,
        Func<Message, Outcome<Sent>> send, bool resendUnknown = false, List<Message>? wire = null)
    {
        using var journal = RunJournal.Open(_path, "Send-Test", "Test");
        var run = new JournaledRun<Message, Sent>(journal, Policy(dropsRepeats), resendUnknown);
        var output = new Collector();
        var kinds = new List<JournalDecisionKind>();
        using (var pump = new PipelinePump<Message, Sent>((items, ct) =>
               {
                   lock (output) wire?.AddRange(items);
                   return Task.FromResult<IReadOnlyList<Outcome<Sent>>>(items.Select(send).ToArray());
               }, throttleLimit: 4, batchSize: 1, output, CancellationToken.None, run))
        {
            long position = 0;
            foreach (var message in messages)
            {
                var decision = run.Decide(message, ++position, null);
                kinds.Add(decision.Kind);
                if (decision.Kind == JournalDecisionKind.Send) pump.Add(decision.Item, new Tag(decision.Row));
                else pump.AddCompleted(new Tag(decision.Row), decision.Outcome);
            }
            pump.Complete();
        }
        return kinds.Zip(output.Written, (k, c) => (k, c.Outcome)).ToList();
    }

    private sealed class Collector : IPipelineOutput<Message, Sent>
    {
        public List<Completion<Message, Sent>> Written { get; } = new();
        public void Write(Completion<Message, Sent> done) => Written.Add(done);
        public void Log(LogLevel level, string message) { }
        public void Progress(PumpProgress progress) { }
    }

    private static Message M(int i, string? text = null) => new($"0912000{i:D4}", text ?? $"hello {i}", Guid.NewGuid().ToString());

    private static Outcome<Sent> Ok(Message m) => Outcome<Sent>.Success(new Sent(m.To, m.Id, 1));

    private static MessagingException Refused(bool mayHaveTakenEffect) =>
        new("Test", ErrorKind.Remote, mayHaveTakenEffect ? "NoAnswer" : "Refused", mayHaveTakenEffect ? "no answer" : "refused", mayHaveTakenEffect: mayHaveTakenEffect);

    [Fact]
    public void A_rerun_sends_nothing_done_gives_each_row_its_recorded_result_in_order_and_retries_what_failed()
    {
        var messages = Enumerable.Range(1, 6).Select(i => M(i)).ToList();
        var first = Run(messages, dropsRepeats: false, m => m.To.EndsWith('3') ? Outcome<Sent>.Failure(Refused(false)) : Ok(m));
        Assert.Equal(5, first.Count(o => o.Outcome.Succeeded));

        var wire = new List<Message>();
        // Fresh request ids on the rerun, as a cmdlet gives when the row has none: the content is what identifies a row.
        var again = messages.Select(m => m with { Id = Guid.NewGuid().ToString() }).ToList();
        var second = Run(again, dropsRepeats: false, Ok, wire: wire);

        Assert.Equal(new[] { "09120000003" }, wire.Select(m => m.To));
        Assert.Equal(Enumerable.Repeat(JournalDecisionKind.Replay, 2).Append(JournalDecisionKind.Send).Concat(Enumerable.Repeat(JournalDecisionKind.Replay, 3)),
            second.Select(o => o.Kind));
        // The recorded results come back typed, exactly as they were first returned (the first run's ids, not the rerun's).
        for (int i = 0; i < 6; i++)
            if (i != 2) Assert.Equal(first[i].Outcome.Result, second[i].Outcome.Result);
        var read = RunJournal.Read(_path);
        Assert.Equal((6, 0, 0), (read.Done, read.Failed, read.Unknown));
    }

    [Fact]
    public void Identical_rows_are_distinct_messages_and_a_changed_text_is_a_new_message()
    {
        var twice = new[] { M(1, "same"), M(1, "same") };
        Run(twice, dropsRepeats: false, Ok);
        var wire = new List<Message>();
        var rerun = Run(new[] { M(1, "same"), M(1, "same"), M(1, "same"), M(1, "changed") }, dropsRepeats: false, Ok, wire: wire);

        Assert.Equal(new[] { JournalDecisionKind.Replay, JournalDecisionKind.Replay, JournalDecisionKind.Send, JournalDecisionKind.Send }, rerun.Select(o => o.Kind));
        // The third identical row is a third message (sent concurrently with the changed one: in either order).
        Assert.Equal(new[] { "changed", "same" }, wire.Select(m => m.Text).OrderBy(t => t, StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_row_of_a_provider_that_cannot_drop_repeats_is_refused_unless_resend_is_asked()
    {
        var messages = new[] { M(1), M(2) };
        Run(messages, dropsRepeats: false, m => m.To.EndsWith('2') ? Outcome<Sent>.Failure(Refused(true)) : Ok(m));
        Assert.Equal(1, RunJournal.Read(_path).Unknown);

        var wire = new List<Message>();
        var refused = Run(messages, dropsRepeats: false, Ok, wire: wire);
        Assert.Empty(wire);
        var error = Assert.IsType<MessagingException>(refused[1].Outcome.Error);
        Assert.Equal(("JournalRowMayHaveBeenSent", true), (error.ErrorId, error.MayHaveTakenEffect));
        Assert.Contains("-ResendUnknown", error.Message);
        Assert.Equal(1, RunJournal.Read(_path).Unknown); // a refusal records nothing: it stays unknown

        Run(messages, dropsRepeats: false, Ok, resendUnknown: true, wire: wire);
        Assert.Equal(new[] { "0912000" + "0002" }, wire.Select(m => m.To));
        Assert.Equal(0, RunJournal.Read(_path).Unknown);
    }

    [Fact]
    public void An_unknown_row_of_a_provider_that_drops_repeats_goes_again_under_the_key_it_went_out_with()
    {
        var message = M(7);
        Run(new[] { message }, dropsRepeats: true, _ => Outcome<Sent>.Failure(Refused(true)));
        var wire = new List<Message>();
        var rerun = Run(new[] { message with { Id = "a-new-id" } }, dropsRepeats: true, Ok, wire: wire);

        Assert.Equal(JournalDecisionKind.Send, rerun[0].Kind);
        Assert.Equal(message.Id, Assert.Single(wire).Id);
        Assert.Equal(message.Id, RunJournal.Read(_path).Entries.Single().RequestId);
    }

    [Fact]
    public async Task A_process_that_dies_after_the_intent_leaves_the_row_unknown_with_its_request_id()
    {
        var message = M(9);
        var policy = Policy(dropsRepeats: true);
        using (var journal = RunJournal.Open(_path, "Send-Test", "Test"))
        {
            var run = new JournaledRun<Message, Sent>(journal, policy, resendUnknown: false);
            var decision = run.Decide(message, 1, null);
            // The request goes out here, and the process dies before the answer: only the intent is on the disk.
            await run.BeforeSendAsync(new[] { decision.Item }, new object?[] { new Tag(decision.Row) }, CancellationToken.None);
        }
        var entry = RunJournal.Read(_path).Entries.Single();
        Assert.Equal((JournalState.Unknown, message.Id), (entry.State, entry.RequestId));
    }

    [Fact]
    public void An_outcome_that_is_not_an_answer_is_not_recorded_so_the_row_stays_unknown()
    {
        Run(new[] { M(1) }, dropsRepeats: false, _ => Outcome<Sent>.Failure(new OperationCanceledException()));
        Assert.Equal(JournalState.Unknown, RunJournal.Read(_path).Entries.Single().State);
    }

    [Fact]
    public async Task A_dry_run_decides_from_what_the_journal_recorded_and_writes_nothing()
    {
        Run(new[] { M(1) }, dropsRepeats: false, Ok);
        var before = File.ReadAllBytes(_path);
        var dry = new JournaledRun<Message, Sent>(RunJournal.Read(_path), Policy(false), resendUnknown: false);
        Assert.Equal(JournalDecisionKind.Replay, dry.Decide(M(1), 1, null).Kind);
        Assert.Equal(JournalDecisionKind.Send, dry.Decide(M(2), 2, null).Kind);
        var tags = new object?[] { new Tag(new JournalRow("k-1", 2, Array.Empty<KeyValuePair<string, string?>>())) };
        await dry.BeforeSendAsync(new[] { M(2) }, tags, CancellationToken.None);
        await dry.AfterSendAsync(new[] { M(2) }, tags, new[] { Ok(M(2)) });
        Assert.Equal(before, File.ReadAllBytes(_path));

        var none = new JournaledRun<Message, Sent>((JournalContents?)null, Policy(false), resendUnknown: false);
        Assert.Equal(JournalDecisionKind.Send, none.Decide(M(1), 1, null).Kind);
    }

    [Fact]
    public void The_row_is_recorded_in_its_own_columns_or_in_the_requests_content_when_there_is_no_row()
    {
        using (var journal = RunJournal.Open(_path, "Send-Test", "Test"))
        {
            var run = new JournaledRun<Message, Sent>(journal, Policy(false), resendUnknown: false);
            var columns = new[] { new KeyValuePair<string, string?>("Mobile", "0912 000 0001"), new KeyValuePair<string, string?>("Name", "Maryam") };
            Assert.Equal(columns, run.Decide(M(1), 1, columns).Row.Columns);
            Assert.Equal(new[] { "To", "Text" }, run.Decide(M(2), 2, null).Row.Columns.Select(c => c.Key));
        }
    }

    [Fact]
    public void A_recorded_result_that_cannot_be_read_back_is_that_rows_error_and_it_is_not_sent_again()
    {
        Run(new[] { M(1) }, dropsRepeats: false, Ok);
        using var journal = RunJournal.Open(_path, "Send-Test", "Test");
        var run = new JournaledRun<Message, int[]>(journal, Policy(false), resendUnknown: false); // another result type: not readable as it
        var decision = run.Decide(M(1), 1, null);
        Assert.Equal(JournalDecisionKind.Replay, decision.Kind);
        Assert.Equal("JournalResultIsUnreadable", Assert.IsType<MessagingException>(decision.Outcome.Error).ErrorId);
    }
}
