using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Http;
using MessagingTools.Core.Journal;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Core.Security;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Feedbot
{
    /// <summary>
    /// <para type="synopsis">Queues WhatsApp messages at FeedBot, many per request.</para>
    /// <para type="description">Rows piped from Import-Csv bind by column name (Phone, Message, Image, Expiry). Up to
    /// -BatchSize messages go in one request and the ids FeedBot returns are matched back to their rows in order. A
    /// rejected request ends as one error per row in it; a request that may have reached FeedBot is never repeated.
    /// Pipe the output to Get-FeedbotStatus to follow the messages.</para>
    /// </summary>
    /// <example>
    /// <code>Send-FeedbotMessage -PhoneNumber 972586666644 -Message 'Hello world' -Token $token</code>
    /// <para>Queues one WhatsApp message; the output carries the id FeedBot gave it.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv customers.csv | Send-FeedbotMessage -DefaultCountryCode 972 -BatchSize 200 | Export-Csv queued.csv</code>
    /// <para>Queues one message per row (columns Phone and Message, optionally Image and Expiry such as 2026-11-22 10:00), 200 per request; local numbers such as 058-666-6644 get the country code 972.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv customers.csv | Send-FeedbotMessage | Get-FeedbotStatus -Wait -Timeout 600 | Where-Object Status -ne Sent</code>
    /// <para>Queues the messages, waits up to ten minutes for FeedBot to send them, and lists those that failed or are still pending.</para>
    /// </example>
    /// <seealso cref="GetFeedbotStatusCommand"/>
    [Cmdlet(VerbsCommunications.Send, "FeedbotMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = OnlineHelp.Base + "Send-FeedbotMessage.md")]
    [OutputType(typeof(FeedbotMessageResult))]
    public sealed class SendFeedbotMessageCommand : FeedbotCmdlet<FeedbotMessage, FeedbotMessageResult>, IJournaledCmdlet
    {
        internal const string CountryCodeVariable = "MESSAGINGTOOLS_FEEDBOT_COUNTRY_CODE";
        public const int DefaultBatchSize = 100;

        private string? _defaultCountryCode;

        /// <summary>The recipient with its country code (972586666644, +972 58-666-6644); a local number (058-666-6644) needs -DefaultCountryCode. Several numbers each get the message and their own outcome; a CSV cell is one number.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Phone", "Mobile", "MobileNumber", "Number", "To", "Destination", "Recipient", "Cell", "Tel", "WhatsApp")]
        [AllowEmptyString]
        public string[] PhoneNumber { get; set; } = Array.Empty<string>();

        /// <summary>The message text. Given here (not from a column) it may hold placeholders filled from each row: 'Hello {Name}'; {{ and }} are literal braces.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Text", "Body", "Content")]
        [AllowEmptyString]
        [TemplateText(FeedbotClient.ProviderName)]
        public string Message { get; set; } = "";

        /// <summary>A link to an image sent with the message (imagePath). An empty CSV cell means none.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Image", "ImagePath", "Picture", "Photo")]
        [AllowEmptyString]
        [AllowNull]
        public string? ImageUrl { get; set; }

        /// <summary>After this moment FeedBot does not send the message (local time unless the text says otherwise). An empty CSV cell means none.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Expiry", "Expires", "ExpiresOn", "ValidUntil", "InvalidationTime")]
        [OptionalDateTimeTransformation(nameof(ExpiresAt))]
        public DateTime? ExpiresAt { get; set; }

        /// <summary>The country code for numbers written without one (972 Israel, 98 Iran). Default: $env:MESSAGINGTOOLS_FEEDBOT_COUNTRY_CODE.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CountryCode")]
        [AllowEmptyString]
        public string? DefaultCountryCode { get; set; }

        /// <summary>How many messages go in one request.</summary>
        [Parameter]
        [ValidateRange(1, FeedbotClient.MaxBatchSize)]
        public int BatchSize { get; set; } = DefaultBatchSize;

        /// <summary>Another send address (a sandbox). Default: $env:MESSAGINGTOOLS_FEEDBOT_ENDPOINT, else https://addnewmessages-bmb77ejh3a-uc.a.run.app.</summary>
        [Parameter]
        public Uri? Endpoint { get; set; }

        protected override int ItemsPerBatch => BatchSize;


        /// <inheritdoc cref="IJournaledCmdlet.Journal"/>
        [Parameter]
        public string? Journal { get; set; }

        /// <inheritdoc cref="IJournaledCmdlet.ResendUnknown"/>
        [Parameter]
        public SwitchParameter ResendUnknown { get; set; }

        /// <inheritdoc cref="IJournaledCmdlet.Partition"/>
        [Parameter]
        public string? Partition { get; set; }

        protected override string Activity => "Queueing FeedBot messages";

        protected override string DoneWord => "queued";

        protected override void BeginRun()
        {
            base.BeginRun();
            _defaultCountryCode = Environment.GetEnvironmentVariable(CountryCodeVariable);
        }

        protected override string? RequestIdOf(FeedbotMessage? item, FeedbotMessageResult? result) => result?.Id;

        protected override FeedbotClient CreateClient(Secret token, Uri endpoint, HttpTransport transport) => new FeedbotClient(token, endpoint, null, transport);

        protected override Uri ResolveEndpoint() => RunSettings.Endpoint(this, Endpoint, SendEndpointVariable, FeedbotClient.DefaultSendEndpoint);

        /// <summary>
        /// A message is its phone, text and image; not its expiry, which a runbook often computes from the time it runs (a
        /// second run must not send the same message again because it expires a little later).
        /// </summary>
        protected override JournalPolicy<FeedbotMessage>? JournalPolicy => new JournalPolicy<FeedbotMessage>(FeedbotClient.ProviderName,
            m => new[] { Pair("Phone", m.Phone), Pair("Text", m.Text), Pair("ImageUrl", m.ImageUrl?.AbsoluteUri) });

        protected override IReadOnlyList<Part> CreateItems() => EachRecipient(PhoneNumber, "PhoneNumber", Prepare);

        private FeedbotMessage Prepare(string phoneNumber)
        {
            var message = new FeedbotMessage(phoneNumber, Message)
            {
                ImageUrl = FeedbotClient.ParseImageUrl(ImageUrl),
                ExpiresAt = ExpiresAt is DateTime at ? new DateTimeOffset(at) : (DateTimeOffset?)null,
                DefaultCountryCode = string.IsNullOrWhiteSpace(DefaultCountryCode) ? _defaultCountryCode : DefaultCountryCode,
            };
            return FeedbotClient.Prepare(message);
        }

        protected override (string Target, string Action) Describe(FeedbotMessage item)
        {
            var text = item.Text.Length <= 40 ? item.Text : item.Text.Substring(0, 40) + "...";
            return (item.Phone, $"Queue FeedBot WhatsApp message \"{text}\"{(item.ImageUrl is null ? "" : " with an image")}");
        }

        protected override Task<IReadOnlyList<Outcome<FeedbotMessageResult>>> RunAsync(IReadOnlyList<FeedbotMessage> items, CancellationToken cancellationToken) =>
            Client.SendAsync(items, cancellationToken);
    }
}
