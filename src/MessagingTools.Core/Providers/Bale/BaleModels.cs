using System;

namespace MessagingTools.Core.Providers.Bale
{
    /// <summary>The error codes Safir returns per phone number in <c>error_data</c>.</summary>
    public enum BaleErrorCode
    {
        InternalServerError = 2,
        RateLimitExceeded = 3,
        InvalidInput = 4,
        InvalidPhone = 8,
        NotBaleUser = 17,
        PaymentRequired = 20,
        MaximumContactLimitReached = 21,
    }

    /// <summary>One message to send. Text, FileId or CopyText must be given (a file's Text is its caption).</summary>
    public sealed class BaleMessage
    {
        public BaleMessage(long botId, string phoneNumber)
        {
            BotId = botId;
            PhoneNumber = phoneNumber;
        }

        public long BotId { get; }

        /// <summary>Any accepted form; the client sends the Bale form 98xxxxxxxxxx.</summary>
        public string PhoneNumber { get; }

        public string? Text { get; init; }
        public string? FileId { get; init; }
        public string? CopyText { get; init; }

        /// <summary>The recipient must enter a password to read it.</summary>
        public bool IsSecure { get; init; }

        /// <summary>Idempotency key; a new one is made when null and reused on every retry.</summary>
        public string? RequestId { get; init; }

        /// <summary>The same message under another request_id (a journal sends an unknown message again under its first one).</summary>
        public BaleMessage WithRequestId(string requestId) => new BaleMessage(BotId, PhoneNumber)
        {
            Text = Text,
            FileId = FileId,
            CopyText = CopyText,
            IsSecure = IsSecure,
            RequestId = requestId,
        };
    }

    /// <summary>A message Safir accepted.</summary>
    public sealed class BaleMessageResult : RowResult
    {
        public BaleMessageResult(string requestId, string phoneNumber, long botId, string kind, string? text, string? fileId,
            string? copyText, bool isSecure, DateTimeOffset sentAt, int attempts)
        {
            RequestId = requestId;
            PhoneNumber = phoneNumber;
            BotId = botId;
            Kind = kind;
            Text = text;
            FileId = fileId;
            CopyText = copyText;
            IsSecure = isSecure;
            SentAt = sentAt;
            Attempts = attempts;
        }

        public string RequestId { get; }

        /// <summary>The number as sent (98xxxxxxxxxx).</summary>
        public string PhoneNumber { get; }

        /// <summary>The recipient (PhoneNumber), under the name every result of the module gives it: <c>Select-Object Recipient</c> and Export-Csv work across providers.</summary>
        public string? Recipient => PhoneNumber;
        public long BotId { get; }

        /// <summary>Text, File or CopyText: what the message carries.</summary>
        public string Kind { get; }
        public string? Text { get; }
        public string? FileId { get; }
        public string? CopyText { get; }
        public bool IsSecure { get; }
        public DateTimeOffset SentAt { get; }

        /// <summary>How many requests it took (more than one after retries with the same RequestId).</summary>
        public int Attempts { get; }

        public override string ToString() => $"{Kind} message {RequestId} to {PhoneNumber}";
    }

    /// <summary>A file uploaded to Safir; pipe it to Send-BaleMessage to send it by its FileId.</summary>
    public sealed class BaleFile : RowResult
    {
        public BaleFile(string fileId, string name, long length, string path, DateTimeOffset uploadedAt)
        {
            FileId = fileId;
            Name = name;
            Length = length;
            Path = path;
            UploadedAt = uploadedAt;
        }

        public string FileId { get; }
        public string Name { get; }
        public long Length { get; }
        public string Path { get; }
        public DateTimeOffset UploadedAt { get; }

        public override string ToString() => FileId;
    }
}
