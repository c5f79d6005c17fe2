using System;

namespace MessagingTools.Core
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
}
