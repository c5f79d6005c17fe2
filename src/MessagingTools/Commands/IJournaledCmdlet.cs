using System.Management.Automation;

namespace MessagingTools.Commands
{
    /// <summary>
    /// The one rule for -Journal, -ResendUnknown and -Partition: a cmdlet whose requests are journaled implements this interface,
    /// declares the three properties as <c>[Parameter]</c> auto-properties with <c>/// &lt;inheritdoc cref="..."/&gt;</c>
    /// pointing here, and gives a <see cref="AsyncPipelineCmdlet{TItem,TResult}.JournalPolicy"/>; the base reads them
    /// through this interface. Their help text is written once, below: the help generator (HelpTests) follows the
    /// inheritdoc to it, and ContractTests holds every such cmdlet to the rule.
    /// <para>
    /// Why each cmdlet still declares the two properties: PowerShell binds only properties of the cmdlet class itself
    /// with their own <c>[Parameter]</c> attributes (attributes on interface members are not seen, and netstandard2.0
    /// has no default interface members), and the five cmdlets have four different bases (BaleCmdlet, FlashCallCmdlet,
    /// FeedbotCmdlet, ZadarmaCmdlet), so no one base can carry them without putting them on cmdlets that do not
    /// journal. Dynamic parameters (a shared parameter object) were not taken: they would leave Get-Command's static
    /// metadata, the contract tests' reflection and the generated help, and would make the parameters appear only
    /// after the others are bound.
    /// </para>
    /// </summary>
    internal interface IJournaledCmdlet
    {
        /// <summary>
        /// A journal file that makes the run resumable exactly once: run the same command again with the same -Journal after
        /// any failure or crash, and the rows it already did are not sent again (their recorded outcome comes out, with
        /// FromJournal True), failed rows are tried again, and rows sent without a recorded answer are handled as
        /// about_MessagingTools (JOURNALS) says. One journal per command; see Get-MessagingJournal.
        /// </summary>
        string? Journal { get; }

        /// <summary>
        /// With -Journal: send again the rows an earlier run sent without recording an answer. They may already have been
        /// carried out: without this switch each ends as a JournalRowMayHaveBeenSent error.
        /// </summary>
        SwitchParameter ResendUnknown { get; }

        /// <summary>
        /// This worker's share of the rows, as i/N: N workers given the same rows (each with its own -Journal) send every
        /// row exactly once between them. A row's share comes from what it sends (its journal key), not from its position.
        /// Rows of other shares are skipped without output; the run's summary counts them. See about_MessagingTools (RUNBOOKS).
        /// </summary>
        string? Partition { get; }
    }
}
