using System.Management.Automation;
using MessagingTools.Core.Providers;

namespace MessagingTools.Commands
{
    /// <summary>
    /// A provider cmdlet that takes rows from the pipeline (CSV rows, objects from another cmdlet). The hidden
    /// <see cref="InputObject"/> receives the whole row beside the parameters bound from its properties, so that an
    /// error can carry the row as its TargetObject. (ZadarmaRowCmdlet declares the same two parameters over the same
    /// base members: a cmdlet base can have one base class only.)
    /// </summary>
    public abstract class PipelineRowCmdlet<TItem, TResult, TClient> : ProviderCmdlet<TItem, TResult, TClient>
        where TClient : ProviderClient
    {
        /// <summary>The current pipeline row; bound by PowerShell, not meant to be given by hand.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get => Input; set => Input = value; }

        /// <summary>
        /// Writes one object per input row, successes and failures alike: the row's own columns, then Row, Outcome
        /// (Succeeded or Failed), the result's properties, ErrorId, Error and MayHaveTakenEffect; every object has the
        /// same columns, so <c>| Export-Csv outcomes.csv</c> gives one CSV of outcomes. Failures are still written to
        /// the error stream as well (so -ErrorVariable and -ErrorAction keep working).
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeInput { get => IncludeInputRequested; set => IncludeInputRequested = value.IsPresent; }
    }
}
