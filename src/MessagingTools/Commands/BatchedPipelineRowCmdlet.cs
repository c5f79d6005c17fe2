namespace MessagingTools.Commands
{
    /// <summary>
    /// A row cmdlet that sends several rows per request and lets the user choose how many with a public
    /// <c>-BatchSize</c> parameter. The base class names its protected hook <c>BatchSize</c> too, so a derived class
    /// cannot both override it and declare the parameter; this class bridges the two (derive, declare
    /// <c>public new int BatchSize</c> and return it from <see cref="RequestBatchSize"/>).
    /// </summary>
    public abstract class BatchedPipelineRowCmdlet<TItem, TResult> : PipelineRowCmdlet<TItem, TResult>
    {
        /// <summary>Rows per request for this run (read once, when the run begins).</summary>
        protected abstract int RequestBatchSize { get; }

        protected sealed override int BatchSize => RequestBatchSize;
    }
}
