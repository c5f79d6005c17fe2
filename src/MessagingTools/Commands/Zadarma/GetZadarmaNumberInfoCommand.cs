using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Looks numbers up in the mobile networks' registers (HLR) through Zadarma.
    /// Posts /v1/info/number_lookup/ with up to -BatchSize numbers in one request (rows piped from
    /// Import-Csv bind by column: Number, Phone, Mobile...). Each number gets its own result, in input order: its country
    /// and network codes and names, whether it was ported or is roaming, the lookup's own error text and status; or its own
    /// error, which names its row. Zadarma may charge for a lookup: a request is never repeated once it may have reached
    /// Zadarma, and -WhatIf shows what would be looked up.</para>
    /// <para type="description">Zadarma's API description says that it answers a lookup of several numbers with its status
    /// alone and sends the results to the HLR notification address or e-mail set in the account; such numbers come out
    /// with the Status 'submitted'. -BatchSize 1 asks for each number alone, and Zadarma then answers with its result.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaNumberInfo -Number 79001234567 -Credential $cred</code>
    /// <para>Looks one number up: its country, network, and whether it is ported or roaming.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv customers.csv | Get-ZadarmaNumberInfo -Credential $cred | Where-Object Error -ne 'No Error'</code>
    /// <para>Looks up the number of every row, 100 to a request, and keeps those the networks do not reach.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv customers.csv | Get-ZadarmaNumberInfo -BatchSize 1 -Credential $cred | Export-Csv hlr.csv</code>
    /// <para>Looks the numbers up one by one, so that Zadarma answers each with its result.</para>
    /// </example>
    /// <seealso cref="InvokeZadarmaRequestCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaNumberInfo", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = OnlineHelp.Base + "Get-ZadarmaNumberInfo.md")]
    [OutputType(typeof(ZadarmaNumberInfo))]
    public sealed class GetZadarmaNumberInfoCommand : ZadarmaPhoneCmdlet<string, ZadarmaNumberInfo>
    {
        public const int DefaultBatchSize = 100;
        public const int MaxBatchSize = 1000;

        /// <summary>The number to look up, in international format; several numbers each get their own result. A CSV cell is one number.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Phone", "PhoneNumber", "Mobile", "MobileNumber", "To", "Destination", "Recipient", "Msisdn")]
        [AllowEmptyString]
        public string[] Number { get; set; } = System.Array.Empty<string>();

        /// <summary>How many numbers go in one request.</summary>
        [Parameter]
        [ValidateRange(1, MaxBatchSize)]
        public int BatchSize { get; set; } = DefaultBatchSize;

        protected override int ItemsPerBatch => BatchSize;

        protected override string Activity => "Looking numbers up through Zadarma";

        protected override string DoneWord => "looked up";

        // Several numbers in one cell or argument: each is its own lookup and outcome; a wrong one fails alone.
        protected override IReadOnlyList<Part> CreateItems() =>
            EachRecipient(Number, "Number", number => ZadarmaClient.NormalizePhone(number, "Number", CountryCode));

        protected override (string Target, string Action) Describe(string item) => (item, "Look the number up (HLR; Zadarma may charge for it)");

        protected override async Task<IReadOnlyList<Outcome<ZadarmaNumberInfo>>> RunAsync(IReadOnlyList<string> items, CancellationToken cancellationToken)
        {
            var outcomes = await Client.LookupNumbersAsync(items, cancellationToken).ConfigureAwait(false);
            // Once a run: where the results of a lookup Zadarma only acknowledged go (written on the pipeline thread).
            if (System.Linq.Enumerable.Any(outcomes, o => o.Succeeded && o.Result!.Status == ZadarmaNumberInfo.Submitted) &&
                Interlocked.Exchange(ref _submittedWarned, 1) == 0)
                Log(MessagingTools.Core.Logging.LogLevel.Warning, "Zadarma accepted the lookup of several numbers without giving their results: " +
                    "it sends them to the HLR notification address or e-mail set in the account, and those numbers come out with the Status " +
                    $"'{ZadarmaNumberInfo.Submitted}'. -BatchSize 1 asks for each number alone, which Zadarma answers with its result.");
            return outcomes;
        }

        private int _submittedWarned;
    }
}
