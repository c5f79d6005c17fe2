namespace MessagingTools.Core.Pipeline
{
    /// <summary>One finished input, handed back in input order with the tag it was added with (the pipeline row).</summary>
    internal sealed class Completion<TItem, TResult>
    {
        internal Completion(long sequence, TItem? item, object? tag, Outcome<TResult>? outcome)
        {
            Sequence = sequence;
            Item = item;
            Tag = tag;
            _outcome = outcome;
        }

        /// <summary>Position in input order, from 1.</summary>
        public long Sequence { get; }
        public TItem? Item { get; }
        public object? Tag { get; }
        /// <summary>The outcome; null only in <see cref="OrderedWorkQueue{TItem,TResult}.SentNotTaken"/>, for work that has not ended.</summary>
        public Outcome<TResult> Outcome => _outcome ?? throw new System.InvalidOperationException("The work of this input has not ended.");

        /// <summary>True when the outcome is known.</summary>
        public bool HasOutcome => _outcome != null;

        private readonly Outcome<TResult>? _outcome;
    }
}
