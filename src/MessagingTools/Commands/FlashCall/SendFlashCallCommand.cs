using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Journal;
using MessagingTools.Core.Providers.FlashCall;
using MessagingTools.Internal;

namespace MessagingTools.Commands.FlashCall
{
    /// <summary>
    /// <para type="synopsis">Rings a phone once from a number whose last digits are a one-time code (flash-call verification).</para>
    /// <para type="description">Calls each destination through the flash-call service and returns the code the user must
    /// enter, the head number and the tracking code. A call is never repeated once the request may have reached the
    /// service: a timeout ends as an error saying the phone may already have been called.</para>
    /// </summary>
    /// <example>
    /// <code>$call = Send-FlashCall -Destination '0912 345 6789' -Token $token
    /// $call.Code</code>
    /// <para>Rings the phone once and keeps the code the user must type in (the last digits of the calling number).</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv signups.csv | Send-FlashCall -ErrorVariable failed | Export-Csv codes.csv</code>
    /// <para>Calls every number of the Phone (or Mobile, Number...) column with the token from $env:MESSAGINGTOOLS_FLASHCALL_TOKEN; rows that fail are in $failed with the row as TargetObject. A timeout is never retried: its error says the phone may already have been called.</para>
    /// </example>
    /// <example>
    /// <code>'+98 912 345 6789', '۰۹۳۵۱۲۳۴۵۶۷' | Send-FlashCall -Token $token -WhatIf</code>
    /// <para>Shows which numbers would be called, in the form sent to the service (09xxxxxxxxx), without calling.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Send, "FlashCall", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = OnlineHelp.Base + "Send-FlashCall.md")]
    [OutputType(typeof(FlashCallResult))]
    public sealed class SendFlashCallCommand : FlashCallCmdlet<FlashCallRequest, FlashCallResult>
    {
        /// <summary>The Iranian mobile number to ring: 0912 345 6789, +98 912 345 6789, 989123456789, Persian or Arabic-Indic digits. Several numbers (-Destination a, b) are each called and get their own outcome; a CSV cell is one number.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Phone", "PhoneNumber", "Mobile", "MobileNumber", "Number", "To", "Recipient", "Cell", "Tel")]
        [AllowEmptyString]
        [SeveralRecipientsTransformation]
        public string Destination { get; set; } = "";

        protected override string Activity => "Placing flash calls";

        protected override string DoneWord => "placed";

        /// <summary>Normalizes the destination now, so that a bad row fails before anything is sent.</summary>
        /// <summary>A flash call is its destination, as sent.</summary>
        protected override JournalPolicy<FlashCallRequest>? JournalPolicy =>
            new JournalPolicy<FlashCallRequest>(FlashCallClient.ProviderName, c => new[] { Pair("Destination", c.Destination) });

        /// <summary>One call per number (-Destination a, b: see SeveralRecipientsTransformationAttribute), each its own outcome.</summary>
        protected override IReadOnlyList<Part> CreateItems() =>
            EachRecipient(SeveralRecipientsTransformationAttribute.Split(Destination), "Destination",
                destination => FlashCallClient.Prepare(new FlashCallRequest(destination)));

        protected override string? RequestIdOf(FlashCallRequest? item, FlashCallResult? result) => result?.TrackingCode;

        protected override (string Target, string Action) Describe(FlashCallRequest item) => (item.Destination, "Place a flash call (the phone rings once)");

        protected override Task<IReadOnlyList<Outcome<FlashCallResult>>> RunAsync(IReadOnlyList<FlashCallRequest> items, CancellationToken cancellationToken) =>
            One(Client.CallAsync(items[0], cancellationToken));
    }
}
