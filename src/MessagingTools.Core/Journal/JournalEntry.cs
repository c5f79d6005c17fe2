using System;
using System.Collections.Generic;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Journal
{
    /// <summary>What the journal knows of a row: the state its last record left it in.</summary>
    public enum JournalState
    {
        /// <summary>The last outcome recorded succeeded: the row is not to be sent again; its result is recorded.</summary>
        Done,

        /// <summary>The last outcome recorded failed, and the request cannot have taken effect: the row may be tried again.</summary>
        Failed,

        /// <summary>
        /// Nobody knows whether the message went out: an intent was recorded and no outcome after it (the process died
        /// between sending and recording), or the last outcome failed with <see cref="JournalError.MayHaveTakenEffect"/>
        /// (no answer arrived). A Bale message may be sent again with <see cref="JournalEntry.RequestId"/>; any other
        /// provider's request may not, unless the user asks for it.
        /// </summary>
        Unknown,
    }

    /// <summary>One row of a run as the journal gives it back: in its row's own columns.</summary>
    public sealed class JournalRow
    {
        /// <param name="key">The row's key (see <see cref="RowIdentity"/>).</param>
        /// <param name="position">The row's position in its run's input, from 1 (0 when not known).</param>
        /// <param name="columns">The row's input columns and values as text, in their order.</param>
        public JournalRow(string key, long position, IReadOnlyList<KeyValuePair<string, string?>> columns)
        {
            if (string.IsNullOrEmpty(key)) throw new ArgumentException("The key is empty.", nameof(key));
            Key = key;
            Position = position;
            Columns = columns ?? throw new ArgumentNullException(nameof(columns));
        }

        public string Key { get; }
        public long Position { get; }
        public IReadOnlyList<KeyValuePair<string, string?>> Columns { get; }
    }

    /// <summary>A failed outcome as recorded: enough to give the same error back and to decide whether to retry.</summary>
    public sealed class JournalError
    {
        public JournalError(string errorId, string message, bool mayHaveTakenEffect, string? provider = null, string? kind = null,
            string? providerCode = null, string? requestId = null)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            Message = message ?? throw new ArgumentNullException(nameof(message));
            MayHaveTakenEffect = mayHaveTakenEffect;
            Provider = provider;
            Kind = kind;
            ProviderCode = providerCode;
            RequestId = requestId;
        }

        /// <summary>The error id the run gave (BaleServerError, RequestTimedOutMayHaveTakenEffect...).</summary>
        public string ErrorId { get; }
        public string Message { get; }
        public bool MayHaveTakenEffect { get; }
        public string? Provider { get; }

        /// <summary>The <see cref="ErrorKind"/>'s name, when the error had one.</summary>
        public string? Kind { get; }
        public string? ProviderCode { get; }
        public string? RequestId { get; }

        /// <summary>The record of a <see cref="MessagingException"/>.</summary>
        public static JournalError From(MessagingException error)
        {
            if (error is null) throw new ArgumentNullException(nameof(error));
            return new JournalError(error.ErrorId, error.Message, error.MayHaveTakenEffect, error.Provider, error.Kind.ToString(),
                error.ProviderCode, error.RequestId);
        }
    }

    /// <summary>A row's state in a journal, after every record of it was read in order.</summary>
    public sealed class JournalEntry
    {
        internal JournalEntry(string key, JournalState state, long position, IReadOnlyList<KeyValuePair<string, string?>> columns, int attempt,
            string? requestId, string? resultJson, JournalError? error, DateTimeOffset firstRecordedAt, DateTimeOffset lastRecordedAt)
        {
            Key = key;
            State = state;
            Position = position;
            Columns = columns;
            Attempt = attempt;
            RequestId = requestId;
            ResultJson = resultJson;
            Error = error;
            FirstRecordedAt = firstRecordedAt;
            LastRecordedAt = lastRecordedAt;
        }

        public string Key { get; }
        public JournalState State { get; }

        /// <summary>The row's input position in the run of its last record, from 1 (0 when not recorded).</summary>
        public long Position { get; }

        /// <summary>The row's input columns as last recorded, in their order.</summary>
        public IReadOnlyList<KeyValuePair<string, string?>> Columns { get; }

        /// <summary>How many times the row was tried, over every run (intents, and outcomes that had no intent).</summary>
        public int Attempt { get; }

        /// <summary>The request_id of the last intent (Bale), when it had one.</summary>
        public string? RequestId { get; }

        /// <summary>For <see cref="JournalState.Done"/>: the result as the run serialised it, compact JSON.</summary>
        public string? ResultJson { get; }

        /// <summary>The last failed outcome (<see cref="JournalState.Failed"/>, or <see cref="JournalState.Unknown"/> after no answer); null otherwise.</summary>
        public JournalError? Error { get; }

        public DateTimeOffset FirstRecordedAt { get; }
        public DateTimeOffset LastRecordedAt { get; }

        public override string ToString() => Key + " " + State;
    }
}
