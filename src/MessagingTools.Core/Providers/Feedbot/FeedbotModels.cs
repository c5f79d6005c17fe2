using System;

namespace MessagingTools.Core.Providers.Feedbot
{
    /// <summary>A message's state at FeedBot (docs/providers/feedbot.md, 'The status request': -1 failed, 0 pending, 1 sent).</summary>
    public enum FeedbotMessageStatus
    {
        /// <summary>Not sent; see the reason.</summary>
        Failed = -1,
        /// <summary>Waiting for the FeedBot desktop app, in its server mode, to pull and send it.</summary>
        Pending = 0,
        /// <summary>Sent.</summary>
        Sent = 1,
    }

    /// <summary>One WhatsApp message to queue at FeedBot.</summary>
    public sealed class FeedbotMessage
    {
        public FeedbotMessage(string phone, string text)
        {
            Phone = phone;
            Text = text;
        }

        /// <summary>Any accepted form; the client sends country code and number, digits only (972586666644).</summary>
        public string Phone { get; }

        public string Text { get; }

        /// <summary>A link to an image sent with the message (imagePath).</summary>
        public Uri? ImageUrl { get; init; }

        /// <summary>After this moment FeedBot does not send the message (invalidationTime, unix milliseconds).</summary>
        public DateTimeOffset? ExpiresAt { get; init; }

        /// <summary>Used for a phone number without a country code (058-666-6644): 972, 98 ...</summary>
        public string? DefaultCountryCode { get; init; }
    }

    /// <summary>One message whose state to read (<c>getmessagestatus?id=</c>), with its phone number when it is known.</summary>
    public sealed class FeedbotStatusQuery
    {
        public FeedbotStatusQuery(string id)
        {
            Id = id;
        }

        /// <summary>FeedBot's message id.</summary>
        public string Id { get; }

        /// <summary>The number the message went to, carried into the result (FeedBot's status answer does not say it).</summary>
        public string? Phone { get; init; }

        public override string ToString() => Id;
    }

    /// <summary>A message FeedBot accepted and queued; pipe it to Get-FeedbotStatus (it binds by Id).</summary>
    public sealed class FeedbotMessageResult : RowResult
    {
        public FeedbotMessageResult(string id, string phone, string text, Uri? imageUrl, DateTimeOffset? expiresAt, DateTimeOffset queuedAt, int batchSize)
        {
            Id = id;
            Phone = phone;
            Text = text;
            ImageUrl = imageUrl;
            ExpiresAt = expiresAt;
            QueuedAt = queuedAt;
            BatchSize = batchSize;
        }

        /// <summary>FeedBot's message id.</summary>
        public string Id { get; }

        /// <summary>The number as sent (country code and number, digits only).</summary>
        public string Phone { get; }

        /// <summary>The recipient (Phone), under the name every result of the module gives it: <c>Select-Object Recipient</c> and Export-Csv work across providers.</summary>
        public string? Recipient => Phone;
        public string Text { get; }
        public Uri? ImageUrl { get; }
        public DateTimeOffset? ExpiresAt { get; }
        public DateTimeOffset QueuedAt { get; }

        /// <summary>How many messages went in the same request.</summary>
        public int BatchSize { get; }

        /// <summary>The id: so that the object converts to its id wherever PowerShell wants a string (Get-FeedbotStatus -Id).</summary>
        public override string ToString() => Id;
    }

    /// <summary>A message's state as Get-FeedbotStatus found it.</summary>
    public sealed class FeedbotStatusResult : RowResult
    {
        public FeedbotStatusResult(string id, FeedbotMessageStatus status, string? reason, string? phone, DateTimeOffset checkedAt, int checks)
        {
            Id = id;
            Status = status;
            Reason = reason;
            Phone = phone;
            CheckedAt = checkedAt;
            Checks = checks;
        }

        public string Id { get; }
        public FeedbotMessageStatus Status { get; }

        /// <summary>Why the message failed, as FeedBot said it.</summary>
        public string? Reason { get; }

        /// <summary>The phone number, when the id came from Send-FeedbotMessage output.</summary>
        public string? Phone { get; }

        /// <summary>The recipient (Phone), under the name every result of the module gives it: <c>Select-Object Recipient</c> and Export-Csv work across providers.</summary>
        public string? Recipient => Phone;

        public DateTimeOffset CheckedAt { get; }

        /// <summary>How many status requests it took (more than one with -Wait).</summary>
        public int Checks { get; }

        /// <summary>The same state with the phone number it was sent to (known to the caller, not to the status API).</summary>
        public FeedbotStatusResult WithPhone(string? phone) => phone is null ? this : new FeedbotStatusResult(Id, Status, Reason, phone, CheckedAt, Checks);

        internal FeedbotStatusResult WithChecks(int checks) => new FeedbotStatusResult(Id, Status, Reason, Phone, CheckedAt, checks);

        public override string ToString() => $"{Id}: {Status}{(Reason is null ? "" : " (" + Reason + ")")}";
    }

    /// <summary>How FeedbotClient.WaitForStatusAsync polls.</summary>
    public sealed class FeedbotWaitOptions
    {
        /// <summary>How long to wait in all for pending messages.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>The first pause between checks; it grows by <see cref="BackoffFactor"/> up to <see cref="MaxInterval"/>.</summary>
        public TimeSpan InitialInterval { get; set; } = TimeSpan.FromSeconds(2);

        public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(30);

        public double BackoffFactor { get; set; } = 2.0;
    }
}
