namespace MessagingTools.Core.Pipeline
{
    /// <summary>One finished input, handed back in input order with the tag it was added with (the pipeline row).</summary>
    internal sealed class Completion<TItem, TResult>
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
