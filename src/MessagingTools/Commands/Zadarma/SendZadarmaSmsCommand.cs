using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Journal;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Sends SMS through Zadarma.</para>
    /// <para type="description">Posts /v1/sms/send/ for each row: Number, Message and optionally the CallerId to send from
    /// (one of the account's confirmed numbers). -Number takes several numbers: each is sent its own request and gets its
    /// own result or error (a wrong or denied number fails alone). An SMS is never repeated once it may have reached Zadarma.</para>
    /// </summary>
    /// <example>
    /// <code>Send-ZadarmaSms -Number 79001234567 -Message 'Your code is 4821' -Credential $cred</code>
    /// <para>Sends one SMS.</para>
    /// </example>
    /// <example>
    /// <code>Send-ZadarmaSms -Number 79001234567, 79001234568, 442037691880 -Message 'The office is closed today' -Credential $cred</code>
    /// <para>Sends the same text to three numbers: three results, or an error for each number that was not sent.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv sms.csv | Send-ZadarmaSms -CallerId 442037691880 -Credential $cred -WhatIf</code>
    /// <para>Shows the SMS each row (columns Phone and Text) would send, without sending.</para>
    /// </example>
    /// <seealso cref="GetZadarmaBalanceCommand"/>
    [Cmdlet(VerbsCommunications.Send, "ZadarmaSms", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = OnlineHelp.Base + "Send-ZadarmaSms.md")]
    [OutputType(typeof(ZadarmaSms))]
    public sealed class SendZadarmaSmsCommand : ZadarmaPhoneCmdlet<ZadarmaSmsRequest, ZadarmaSms>, IJournaledCmdlet
    {
        /// <summary>The recipient, in international format; several numbers each get the SMS and their own outcome. A CSV cell is one number.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Phone", "PhoneNumber", "Mobile", "To", "Destination", "Recipient")]
        [AllowEmptyString]
        public string[] Number { get; set; } = System.Array.Empty<string>();

        /// <summary>The text; Zadarma splits a long one into several SMS. Given here (not from a column) it may hold placeholders filled from each row: 'Hello {Name}'; {{ and }} are literal braces.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Text", "Body", "Content")]
        [AllowEmptyString]
        [TemplateText(ZadarmaClient.ProviderName)]
        public string Message { get; set; } = "";

        /// <summary>The number the SMS comes from (a confirmed number of the account).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Caller_Id", "From", "Sender")]
        [AllowEmptyString]
        public string? CallerId { get; set; }


        /// <inheritdoc cref="IJournaledCmdlet.Journal"/>
        [Parameter]
        public string? Journal { get; set; }

        /// <inheritdoc cref="IJournaledCmdlet.ResendUnknown"/>
        [Parameter]
        public SwitchParameter ResendUnknown { get; set; }

        /// <inheritdoc cref="IJournaledCmdlet.Partition"/>
        [Parameter]
        public string? Partition { get; set; }

        protected override string Activity => "Sending Zadarma SMS";

        protected override string DoneWord => "sent";

        // Validated now, so that a bad row fails before anything is sent.
        /// <summary>An SMS is its number, text and sender.</summary>
        protected override JournalPolicy<ZadarmaSmsRequest>? JournalPolicy => new JournalPolicy<ZadarmaSmsRequest>(ZadarmaClient.ProviderName,
            m => new[] { Pair("Number", m.Number), Pair("Message", m.Message), Pair("CallerId", m.CallerId) });

        // Several numbers: one request each (Zadarma's answer to several numbers in one request totals messages and cost, and
        // only may list the numbers it sent to and denied; see docs/providers/zadarma.md, 'SMS'), so each number ends as its
        // own result or error. A wrong number is its own error; a wrong text or CallerId is the row's.
        protected override IReadOnlyList<Part> CreateItems() =>
            EachRecipient(Number, "Number", number => ZadarmaClient.Prepare(new ZadarmaSmsRequest(number, Message) { CallerId = CallerId, DefaultCountryCode = CountryCode }));

        protected override (string Target, string Action) Describe(ZadarmaSmsRequest item) =>
            (item.Number, $"Send a Zadarma SMS \"{(item.Message.Length <= 40 ? item.Message : item.Message.Substring(0, 40) + "...")}\"{(item.CallerId is null ? "" : " from " + item.CallerId)}");

        protected override Task<IReadOnlyList<Outcome<ZadarmaSms>>> RunAsync(IReadOnlyList<ZadarmaSmsRequest> items, CancellationToken cancellationToken) =>
            One(Client.SendSmsAsync(items[0], cancellationToken));
    }
}
