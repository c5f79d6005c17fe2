using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Pipeline;

namespace MessagingTools.Core.Journal
{
    /// <summary>What a cmdlet tells the journal about its requests.</summary>
    public sealed class JournalPolicy<TItem>
    {
        /// <param name="content">
        /// The values that make the request, in a fixed order, as they will be sent (see <see cref="RowIdentity"/>): two
        /// requests with the same content are the same message.
        /// </param>
        /// <param name="requestId">The provider's idempotency key of a request (Bale's request_id), recorded with its intent; null for none.</param>
        /// <param name="withRequestId">
        /// The same request under a recorded idempotency key, for a provider that drops repeats of a key (Bale): a request
        /// whose outcome is unknown is then sent again under the key it went out with, and the provider delivers it once.
        /// Null for a provider that cannot drop repeats: such a request is not sent again unless the user asks.
        /// </param>
        /// <param name="provider">The provider's name, for the journal's header.</param>
        public JournalPolicy(string provider, Func<TItem, IEnumerable<KeyValuePair<string, string?>>> content,
            Func<TItem, string?>? requestId = null, Func<TItem, string, TItem>? withRequestId = null)
        {
            Provider = provider ?? throw new ArgumentNullException(nameof(provider));
            Content = content ?? throw new ArgumentNullException(nameof(content));
            RequestId = requestId;
            WithRequestId = withRequestId;
        }

        public string Provider { get; }
        public Func<TItem, IEnumerable<KeyValuePair<string, string?>>> Content { get; }
        public Func<TItem, string?>? RequestId { get; }
        public Func<TItem, string, TItem>? WithRequestId { get; }

        /// <summary>True when a request whose outcome is unknown can be sent again without a second delivery.</summary>
        public bool DropsRepeats => WithRequestId != null;
    }

    /// <summary>What to do with one request of a journaled run.</summary>
    internal enum JournalDecisionKind
    {
        /// <summary>Send it (first time, after a failure, or again under its recorded idempotency key).</summary>
        Send,

        /// <summary>An earlier run did it: its recorded result is the outcome, and nothing is sent.</summary>
        Replay,

        /// <summary>An earlier run sent it and nobody knows whether it took effect: it is not sent again; its error says so.</summary>
        Refuse,
    }

    /// <summary>The journal's answer for one request: see <see cref="JournaledRun{TItem,TResult}.Decide"/>.</summary>
    internal sealed class JournalDecision<TItem, TResult>
    {
        internal JournalDecision(JournalDecisionKind kind, JournalRow row, TItem item, Outcome<TResult> outcome)
        {
            Kind = kind;
            Row = row;
            Item = item;
            Outcome = outcome;
        }

        public JournalDecisionKind Kind { get; }

        /// <summary>The row's key, position and columns, as recorded.</summary>
        public JournalRow Row { get; }

        /// <summary>The request to send (for <see cref="JournalDecisionKind.Send"/>: under its recorded key when it is sent again).</summary>
        public TItem Item { get; }

        /// <summary>The outcome without sending (<see cref="JournalDecisionKind.Replay"/>: the recorded result; Refuse: the error).</summary>
        public Outcome<TResult> Outcome { get; }
    }

    /// <summary>
    /// A run resumed exactly once through a <see cref="RunJournal"/>. On the pipeline thread, <see cref="Decide"/> gives
    /// each request its key and says whether to send it; as the queue's <see cref="IWorkObserver{TItem,TResult}"/>, it
    /// records the intent of each request before it goes out and its outcome before the pipeline sees it.
    /// <list type="bullet">
    /// <item>Done in an earlier run: not sent; its recorded result comes out again (<see cref="JournalDecisionKind.Replay"/>).</item>
    /// <item>Failed, in a way that cannot have taken effect: sent again.</item>
    /// <item>Unknown (sent, no outcome recorded: the process died, or no answer came): for a provider that drops repeats
    /// (Bale's request_id), sent again under the recorded key, so it is delivered once; for any other, not sent again and
    /// ended as JournalRowMayHaveBeenSent, unless <c>resendUnknown</c>.</item>
    /// </list>
    /// An outcome that is neither a result nor a provider's error (Ctrl+C while the request was in flight) is not
    /// recorded: the row stays unknown, which is the truth.
    /// </summary>
    internal sealed class JournaledRun<TItem, TResult> : IWorkObserver<TItem, TResult>
    {
        private static readonly JsonSerializerOptions s_json = new JsonSerializerOptions();
        private readonly Func<string, JournalEntry?> _lookup;
        private readonly RunJournal? _journal;
        private readonly JournalPolicy<TItem> _policy;
        private readonly bool _resendUnknown;
        private readonly RowIdentity _identity = new RowIdentity();

        /// <summary>A run that records in <paramref name="journal"/>.</summary>
        public JournaledRun(RunJournal journal, JournalPolicy<TItem> policy, bool resendUnknown)
            : this(journal is null ? throw new ArgumentNullException(nameof(journal)) : (Func<string, JournalEntry?>)journal.Lookup, journal, policy, resendUnknown) { }

        /// <summary>
        /// A dry run (-WhatIf): decides from what <paramref name="contents"/> recorded (null: a journal that does not exist
        /// yet) and records nothing.
        /// </summary>
        public JournaledRun(JournalContents? contents, JournalPolicy<TItem> policy, bool resendUnknown)
            : this(contents is null ? (Func<string, JournalEntry?>)(_ => null) : contents.Lookup, null, policy, resendUnknown) { }

        private JournaledRun(Func<string, JournalEntry?> lookup, RunJournal? journal, JournalPolicy<TItem> policy, bool resendUnknown)
        {
            _lookup = lookup;
            _journal = journal;
            _policy = policy ?? throw new ArgumentNullException(nameof(policy));
            _resendUnknown = resendUnknown;
        }

        /// <summary>
        /// The decision for the next request, in input order (keys count identical requests in that order).
        /// <paramref name="position"/> is the row's place in the input; <paramref name="columns"/> the row's own columns
        /// (for a call without pipeline rows, the request's content is used).
        /// </summary>
        public JournalDecision<TItem, TResult> Decide(TItem item, long position, IReadOnlyList<KeyValuePair<string, string?>>? columns)
        {
            var content = new List<KeyValuePair<string, string?>>(_policy.Content(item));
            var row = new JournalRow(_identity.Next(content), position, columns ?? content);
            var entry = _lookup(row.Key);
            if (entry is null || entry.State == JournalState.Failed) return Send(row, item);
            if (entry.State == JournalState.Done) return Replayed(row, item, entry);
            // Unknown: it went out, and whether it took effect is not known.
            if (_policy.DropsRepeats && !string.IsNullOrEmpty(entry.RequestId))
                return Send(row, _policy.WithRequestId!(item, entry.RequestId!));
            if (_resendUnknown) return Send(row, item);
            return new JournalDecision<TItem, TResult>(JournalDecisionKind.Refuse, row, item, Outcome<TResult>.Failure(MayHaveBeenSent(entry)));
        }

        private static JournalDecision<TItem, TResult> Send(JournalRow row, TItem item) =>
            new JournalDecision<TItem, TResult>(JournalDecisionKind.Send, row, item, default);

        private static JournalDecision<TItem, TResult> Replayed(JournalRow row, TItem item, JournalEntry entry)
        {
            Outcome<TResult> outcome;
            try
            {
                outcome = Outcome<TResult>.Success(JsonSerializer.Deserialize<TResult>(entry.ResultJson ?? "null", s_json)!);
            }
            catch (Exception e) when (e is JsonException || e is NotSupportedException || e is ArgumentException)
            {
                // Not sent again (it was done), but its result cannot be given back as it was.
                outcome = Outcome<TResult>.Failure(new MessagingException(JournalFormat.ErrorProvider, ErrorKind.InvalidInput, "JournalResultIsUnreadable",
                    $"The journal says this row was done on {entry.LastRecordedAt.ToString("u", CultureInfo.InvariantCulture)}, so it was not sent again, " +
                    $"but its recorded result cannot be read back: {e.Message}", innerException: e));
            }
            return new JournalDecision<TItem, TResult>(JournalDecisionKind.Replay, row, item, outcome);
        }

        private static MessagingException MayHaveBeenSent(JournalEntry entry)
        {
            var when = entry.LastRecordedAt.ToString("u", CultureInfo.InvariantCulture);
            var why = entry.Error is null
                ? $"an earlier run sent it on {when} and stopped before its answer was recorded"
                : $"an earlier run sent it on {when} and got no answer ({entry.Error.ErrorId})";
            return new MessagingException(JournalFormat.ErrorProvider, ErrorKind.Remote, "JournalRowMayHaveBeenSent",
                $"Not sent again: {why}, so it may have been carried out. Check with the provider; run again with -ResendUnknown " +
                "to send every such row again.", mayHaveTakenEffect: true);
        }

        /// <inheritdoc/>
        public async Task BeforeSendAsync(IReadOnlyList<TItem> items, IReadOnlyList<object?> tags, CancellationToken cancellationToken)
        {
            if (_journal is null) return;
            var records = new List<Task>(items.Count);
            for (int i = 0; i < items.Count; i++)
                if (RowOf(tags[i]) is JournalRow row)
                    records.Add(_journal.RecordIntentAsync(row, _policy.RequestId?.Invoke(items[i])));
            await Task.WhenAll(records).ConfigureAwait(false);
        }

        /// <inheritdoc/>
        public async Task<IReadOnlyList<Outcome<TResult>>> AfterSendAsync(IReadOnlyList<TItem> items, IReadOnlyList<object?> tags, IReadOnlyList<Outcome<TResult>> outcomes)
        {
            if (_journal is null) return outcomes;
            var records = new List<Task>(items.Count);
            for (int i = 0; i < items.Count; i++)
            {
                if (!(RowOf(tags[i]) is JournalRow row)) continue;
                var outcome = outcomes[i];
                if (outcome.Succeeded)
                    records.Add(_journal.RecordSucceededAsync(row, JsonSerializer.Serialize(outcome.Result, s_json)));
                else if (outcome.Error is MessagingException error)
                    records.Add(_journal.RecordFailedAsync(row, JournalError.From(error)));
                // Anything else (cancelled in flight) leaves the intent alone: unknown.
            }
            await Task.WhenAll(records).ConfigureAwait(false);
            return outcomes;
        }

        private static JournalRow? RowOf(object? tag) => (tag as IJournaledTag)?.JournalRow;
    }

    /// <summary>A queue tag that carries the journal row of its request (the cmdlet's row tag).</summary>
    internal interface IJournaledTag
    {
        JournalRow? JournalRow { get; }
    }
}
