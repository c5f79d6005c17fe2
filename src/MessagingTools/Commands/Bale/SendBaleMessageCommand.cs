using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Journal;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Bale
{
    /// <summary>
    /// <para type="synopsis">Sends Bale messages through the Safir business API.</para>
    /// <para type="description">Sends a text, a file (by the FileId that Publish-BaleFile returns, with Text as its caption),
    /// a copyable text or a secure message to each phone number. Phone numbers may be written as people keep them
    /// (0912 345 6789, +98-912-345-6789, 00989123456789, Persian or Arabic-Indic digits); rows piped from Import-Csv bind
    /// by column name (Phone, Mobile, Number, To; Message, Text, Body; FileId, CopyText, Secure, RequestId, BotId).
    /// Every row ends as one BaleMessageResult or one error that names the row and the field, in input order. Each
    /// message carries a request_id (yours, or a new one) that Safir never delivers twice, so retries after a lost
    /// answer are safe.</para>
    /// </summary>
    /// <example>
    /// <code>Send-BaleMessage -PhoneNumber '0912 345 6789' -Text 'Hello' -BotId 123 -ApiKey $key</code>
    /// <para>Sends one text message. The key may be a SecureString or a string.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv contacts.csv | Send-BaleMessage -BotId 123 -ApiKey $key -ThrottleLimit 16 -ErrorVariable failed</code>
    /// <para>Sends one message per CSV row (columns Phone and Message, optionally Secure, FileId, CopyText, RequestId); rows that fail are in $failed with the row as TargetObject.</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem *.jpg | Publish-BaleFile -ApiKey $key | Send-BaleMessage -PhoneNumber 09123456789 -Text 'Photos' -BotId 123 -ApiKey $key</code>
    /// <para>Uploads pictures and sends each one with a caption.</para>
    /// </example>
    /// <example>
    /// <code>Send-BaleMessage 09123456789 'Your code' -CopyText 48213 -Secure -BotId 123 -ApiKey $key -WhatIf</code>
    /// <para>Shows what would be sent (a secure message with a copyable code) without sending it.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv signups.csv | Send-BaleMessage -Text 'Welcome, {Name}! Your number is {Phone}.' -BotId 123 -ApiKey $key</code>
    /// <para>Sends each row its own text: {Name} and {Phone} are filled from the row's columns (any case). A row without such a column is that row's error; {{ and }} are literal braces.</para>
    /// </example>
    /// <seealso cref="PublishBaleFileCommand"/>
    [Cmdlet(VerbsCommunications.Send, "BaleMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = OnlineHelp.Base + "Send-BaleMessage.md")]
    [OutputType(typeof(BaleMessageResult))]
    public sealed class SendBaleMessageCommand : BaleCmdlet<BaleMessage, BaleMessageResult>
    {
        private long? _defaultBotId;
        private readonly BaleRequestIds _requestIds = new BaleRequestIds();

        /// <summary>The recipient: 0912 345 6789, +98 912 345 6789, 989123456789, Persian or Arabic-Indic digits. Several numbers (-PhoneNumber a, b) each get the message and their own outcome; a CSV cell is one number.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Phone", "Mobile", "MobileNumber", "Number", "To", "Destination", "Recipient", "Cell", "Tel")]
        [AllowEmptyString]
        [SeveralRecipientsTransformation]
        public string PhoneNumber { get; set; } = "";

        /// <summary>The message text, or the caption of a file. Given here (not from a column) it may hold placeholders filled from each row: 'Hello {Name}'; {{ and }} are literal braces.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Message", "Body", "Caption", "Content")]
        [AllowEmptyString]
        [TemplateText(BaleClient.ProviderName)]
        public string? Text { get; set; }

        /// <summary>A file id from Publish-BaleFile.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("File_Id")]
        [AllowEmptyString]
        public string? FileId { get; set; }

        /// <summary>Text the recipient can copy with one tap (a code, an address). Given here it may hold placeholders, as -Text: '{Code}'.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Copy_Text")]
        [AllowEmptyString]
        [TemplateText(BaleClient.ProviderName)]
        public string? CopyText { get; set; }

        /// <summary>The recipient must enter a password to read the message. From CSV: true/false, yes/no, 1/0.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("IsSecure", "Is_Secure")]
        [FlexibleBooleanTransformation(nameof(Secure))]
        public SwitchParameter Secure { get; set; }

        /// <summary>An idempotency key: sending the same RequestId again never delivers twice. Generated when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Request_Id")]
        [AllowEmptyString]
        public string? RequestId { get; set; }

        /// <summary>The numeric id of the Safir bot. Default: $env:MESSAGINGTOOLS_BALE_BOT_ID.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Bot_Id")]
        [WholeNumberTransformation(nameof(BotId))]
        public long BotId { get; set; }

        protected override string Activity => "Sending Bale messages";

        protected override string DoneWord => "sent";

        protected override void BeginRun()
        {
            base.BeginRun();
            _defaultBotId = RunSettings.Int64FromEnvironment(this, BotIdVariable);
        }

        /// <summary>One message per recipient (-PhoneNumber a, b: see SeveralRecipientsTransformationAttribute), each its own outcome.</summary>
        protected override IReadOnlyList<Part> CreateItems() =>
            PhoneNumber.IndexOf(SeveralRecipientsTransformationAttribute.Separator) < 0
                ? new[] { Part.Of(Message(PhoneNumber)) } // a row: one number
                : EachRecipient(SeveralRecipientsTransformationAttribute.Split(PhoneNumber), "PhoneNumber", Message);

        private BaleMessage Message(string phoneNumber)
        {
            // 0 is "not given": the environment's bot id, if any; Prepare refuses what is still not a positive id.
            var botId = BotId == 0 ? _defaultBotId ?? 0 : BotId;
            var message = new BaleMessage(botId, phoneNumber)
            {
                Text = Text,
                FileId = FileId,
                CopyText = CopyText,
                IsSecure = Secure.IsPresent,
                RequestId = RequestId,
            };
            // Validate now, so that a bad row fails before anything is sent, and fix the request_id for all retries. A
            // RequestId given by the row is recorded (as a hash) to refuse it for another message of the run.
            return _requestIds.Prepare(message, $"give -BotId, a BotId column, or set the environment variable {BotIdVariable}", RowNumber);
        }

        /// <summary>
        /// A message is its bot, recipient, texts, file and secure flag, and the RequestId only when the row gives one (a
        /// generated one differs on every run). One whose answer was not recorded goes again under the request_id it went
        /// out with, and Safir delivers it once.
        /// </summary>
        protected override JournalPolicy<BaleMessage>? JournalPolicy => new JournalPolicy<BaleMessage>(BaleClient.ProviderName,
            m => new[]
            {
                Pair("BotId", m.BotId.ToString(CultureInfo.InvariantCulture)), Pair("PhoneNumber", m.PhoneNumber), Pair("Text", m.Text),
                Pair("FileId", m.FileId), Pair("CopyText", m.CopyText), Pair("Secure", m.IsSecure ? "1" : "0"),
                Pair("RequestId", string.IsNullOrEmpty(RequestId) ? null : RequestId),
            },
            m => m.RequestId,
            (m, id) => m.WithRequestId(id));

        /// <summary>
        /// An error after the message was sent (it carries the RequestId: "may have been delivered", a refusal) has as its
        /// TargetObject what sends the same message again under the same RequestId when piped back into Send-BaleMessage,
        /// so that <c>$failed.TargetObject | Send-BaleMessage ...</c> never delivers a message twice (issue 16): a copy of a
        /// row of columns (Import-Csv, [pscustomobject]) with its RequestId column (RequestId or Request_Id) set, or one
        /// added; for a call without such a row, an object of the message's parameters (PhoneNumber, Text, FileId,
        /// CopyText, Secure, RequestId, BotId). The user's own row is left as it was.
        /// </summary>
        protected override object? ErrorTarget(BaleMessage? item, object? input, string? description, Exception error)
        {
            var requestId = (error as MessagingException)?.RequestId;
            if (item is null || string.IsNullOrEmpty(requestId)) return base.ErrorTarget(item, input, description, error);
            if (input is PSObject row && row.BaseObject is PSCustomObject)
            {
                var copy = row.Copy();
                foreach (var name in RowBinding.ColumnNames(typeof(SendBaleMessageCommand), nameof(RequestId)))
                {
                    if (copy.Properties[name] is PSNoteProperty column)
                    {
                        column.Value = requestId;
                        return copy;
                    }
                }
                copy.Properties.Add(new PSNoteProperty(nameof(RequestId), requestId));
                return copy;
            }
            var message = new PSObject();
            message.Properties.Add(new PSNoteProperty(nameof(PhoneNumber), item.PhoneNumber));
            if (!string.IsNullOrEmpty(item.Text)) message.Properties.Add(new PSNoteProperty(nameof(Text), item.Text));
            if (!string.IsNullOrEmpty(item.FileId)) message.Properties.Add(new PSNoteProperty(nameof(FileId), item.FileId));
            if (!string.IsNullOrEmpty(item.CopyText)) message.Properties.Add(new PSNoteProperty(nameof(CopyText), item.CopyText));
            message.Properties.Add(new PSNoteProperty(nameof(Secure), item.IsSecure));
            message.Properties.Add(new PSNoteProperty(nameof(RequestId), requestId));
            message.Properties.Add(new PSNoteProperty(nameof(BotId), item.BotId));
            return message;
        }


        protected override string? RequestIdOf(BaleMessage? item, BaleMessageResult? result) => result?.RequestId ?? item?.RequestId;

        protected override (string Target, string Action) Describe(BaleMessage item)
        {
            var kind = !string.IsNullOrEmpty(item.FileId) ? $"file {item.FileId}" : "message";
            var preview = item.IsSecure || string.IsNullOrEmpty(item.Text) ? "" : $" \"{Preview(item.Text!)}\"";
            return (item.PhoneNumber, $"Send Bale {(item.IsSecure ? "secure " : "")}{kind}{preview} from bot {item.BotId}");
        }

        private static string Preview(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";

        protected override Task<IReadOnlyList<Outcome<BaleMessageResult>>> RunAsync(IReadOnlyList<BaleMessage> items, CancellationToken cancellationToken) =>
            One(Client.SendMessageAsync(items[0], cancellationToken));
    }
}
