using System;

namespace MessagingTools.Core.Pipeline
{
    /// <summary>What became of one input: a result or an error, never both.</summary>
    public readonly struct Outcome<T>
    {
        private Outcome(T? result, Exception? error)
        {
            Result = result;
            Error = error;
        }

        public T? Result { get; }
        public Exception? Error { get; }
        public bool Succeeded => Error is null;

        public static Outcome<T> Success(T result) => new Outcome<T>(result, null);
        public static Outcome<T> Failure(Exception error) => new Outcome<T>(default, error ?? throw new ArgumentNullException(nameof(error)));
    }

    /// <summary>One finished input, handed back in input order with the tag it was added with (the pipeline row).</summary>
    public sealed class Completion<TItem, TResult>
    {
        internal Completion(long sequence, TItem? item, object? tag, Outcome<TResult> outcome)
        {
            Sequence = sequence;
            Item = item;
            Tag = tag;
            Outcome = outcome;
        }

        /// <summary>Position in input order, from 1.</summary>
        public long Sequence { get; }
        public TItem? Item { get; }
        public object? Tag { get; }
        public Outcome<TResult> Outcome { get; }
    }
}
