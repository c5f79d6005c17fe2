using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Json;
using MessagingTools.Core.Phones;
using MessagingTools.Core.Security;
using MessagingTools.Core.Text;

namespace MessagingTools.Core.Providers.Bale
{
    /// <summary>
    /// Bale "Safir" business messages: <c>send_message</c> and <c>upload_file</c>.
    /// Sends are idempotent through <c>request_id</c>, so they are retried (with the same id) after timeouts,
    /// dropped connections, 5xx and Safir's own InternalServerError and RateLimitExceeded codes.
    /// </summary>
    public sealed class BaleClient : ProviderClient
    {
        public const string ProviderName = "Bale";
        public static readonly Uri DefaultEndpoint = new Uri("https://safir.bale.ai/api/v3/");

        /// <summary>Safir's upload limit: 500 MB.</summary>
        public const long MaxUploadBytes = 500L * 1024 * 1024;

        public BaleClient(Secret apiKey, Uri? endpoint = null, HttpTransport? transport = null, RateLimitGate? gate = null)
            : base(ProviderName, apiKey, nameof(apiKey), Endpoints.AsBase(endpoint ?? DefaultEndpoint), transport, gate)
        {
        }

        /// <summary>The time an upload attempt may take.</summary>
        public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(30);

        /// <summary>
        /// Sends one message. Throws <see cref="MessagingException"/> with the Safir error code when it is refused; every
        /// error carries the message's request_id (<see cref="MessagingException.RequestId"/>), and one after which the
        /// message may have been delivered (no answer, a server error, an unreadable answer) says so.
        /// </summary>
        public async Task<BaleMessageResult> SendMessageAsync(BaleMessage message, CancellationToken cancellationToken = default)
        {
            var body = BuildSendBody(message);
            try
            {
                return await SendAsync(message, body, cancellationToken).ConfigureAwait(false);
            }
            catch (MessagingException ex)
            {
                throw ex.WithRequestId(body.RequestId);
            }
        }

        private async Task<BaleMessageResult> SendAsync(BaleMessage message, SendBody body, CancellationToken cancellationToken)
        {
            var json = JsonText.Serialize(body);
            var request = new TransportRequest(ProviderName, "send_message", HttpMethod.Post, new Uri(Endpoint, "send_message"))
            {
                Content = () => JsonText.Content(json),
                Idempotent = true, // Safir does not deliver a request_id twice
                ActsOnTheServer = true,
                UncertainOutcome = MayHaveBeenDelivered(body.RequestId!),
                Gate = Gate,
                LoggableBody = message.IsSecure ? MaskSecureText(body) : System.Text.Encoding.UTF8.GetString(json),
                RetryWhen = RetryOnSafirError,
            };
            request.SecretHeaders["api-access-key"] = Credential;

            var response = await Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            using (var doc = JsonText.TryParse(response.Body))
            {
                var refusedKey = response.StatusCode == 401 || response.StatusCode == 403;
                if (!response.IsSuccess && (doc is null || !HasErrorData(doc.RootElement) || refusedKey))
                {
                    // A refused key is a refused key even when Safir dresses it as error_data (code 4, invalid input).
                    var description = doc is null ? null : FirstError(doc.RootElement, null)?.GetString("description");
                    var error = ProviderErrors.FromStatus(ProviderName, "send_message", response,
                        providerMessage: description ?? doc?.RootElement.GetString("message") ?? doc?.RootElement.GetString("description"));
                    // A 5xx after every retry: Safir may have delivered before failing.
                    throw Redacted(response.StatusCode >= 500 ? error.MayHaveTakenEffectAfterAll(HttpTransport.UncertainSentence(request)) : error);
                }
                if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw Redacted(ProviderErrors.Malformed(ProviderName, "send_message", response).MayHaveTakenEffectAfterAll(HttpTransport.UncertainSentence(request)));
                var refusal = FirstError(doc.RootElement, body.PhoneNumber);
                if (refusal != null) throw Redacted(ToException(refusal.Value, body.PhoneNumber, response.StatusCode));

                var kind = message.FileId != null ? "File" : message.Text != null ? "Text" : "CopyText";
                return new BaleMessageResult(doc.RootElement.GetString("request_id") ?? body.RequestId!, body.PhoneNumber, body.BotId, kind,
                    message.Text, message.FileId, message.CopyText, message.IsSecure, DateTimeOffset.Now, response.Attempts);
            }
        }

        /// <summary>
        /// Uploads a file, streamed from disk (never read into memory), and returns its file id.
        /// A file over 500 MB is refused before any byte is sent.
        /// </summary>
        public async Task<BaleFile> UploadFileAsync(string path, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrEmpty(path)) throw new ArgumentException("A file path is required.", nameof(path));
            var info = new FileInfo(path);
            RequireReadableRegularFile(path, info);
            if (info.Length > MaxUploadBytes)
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "BaleFileIsTooLarge",
                    $"The file '{info.Name}' is {info.Length:N0} bytes; Bale accepts files of at most {MaxUploadBytes:N0} bytes (500 MB). Nothing was sent.")
                { Field = "Path" };

            var fullName = info.FullName;
            var request = new TransportRequest(ProviderName, "upload_file", HttpMethod.Post, new Uri(Endpoint, "upload_file"))
            {
                Content = () => FileContent(fullName, info.Name),
                Idempotent = true, // a repeated upload only yields a second file id
                Gate = Gate,
                Timeout = UploadTimeout,
                LoggableBody = $"multipart/form-data: file={info.Name} ({info.Length:N0} bytes)",
            };
            request.SecretHeaders["api-access-key"] = Credential;

            var response = await Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            using (var doc = JsonText.TryParse(response.Body))
            {
                JsonElement error = default;
                bool hasError = doc != null && doc.RootElement.ValueKind == JsonValueKind.Object &&
                                doc.RootElement.TryGetProperty("error", out error) && error.ValueKind == JsonValueKind.Object;
                if (hasError) throw Redacted(ToException(error, null, response.StatusCode, "upload_file"));
                if (!response.IsSuccess)
                    throw Redacted(ProviderErrors.FromStatus(ProviderName, "upload_file", response, providerMessage: doc?.RootElement.GetString("message")));
                var fileId = doc?.RootElement.GetString("file_id");
                if (string.IsNullOrEmpty(fileId)) throw Redacted(ProviderErrors.Malformed(ProviderName, "upload_file", response));
                return new BaleFile(fileId!, info.Name, info.Length, fullName, DateTimeOffset.Now);
            }
        }

        /// <summary>
        /// Refuses, before any request and naming Path, what cannot be uploaded as it is: a path that does not exist, a
        /// folder, and a file that is not a regular file or cannot be read. The upload announces the file's size as
        /// its length, so a device or system file that reports 0 bytes but gives data (/dev/zero, /proc/self/status)
        /// would break the request half-way ("content would exceed Content-Length") and be retried in vain.
        /// An empty regular file passes.
        /// </summary>
        private static void RequireReadableRegularFile(string path, FileInfo info)
        {
            MessagingException Refuse(string id, string message) =>
                new MessagingException(ProviderName, ErrorKind.InvalidInput, id, message + " Nothing was sent.") { Field = "Path" };

            if (Directory.Exists(path))
                throw Refuse("FileIsNotARegularFile", $"'{path}' is a folder, not a file: give the files in it (Get-ChildItem -File).");
            if (!info.Exists)
                throw FileWasNotFound($"The file '{path}' does not exist. Nothing was sent.");
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1))
                {
                    if (!stream.CanSeek)
                        throw Refuse("FileIsNotARegularFile", $"'{path}' is not a regular file (a device, pipe or socket): its length cannot be known, so it cannot be uploaded.");
                    if (stream.Length == 0 && stream.ReadByte() >= 0)
                        throw Refuse("FileIsNotARegularFile",
                            $"'{path}' is not a regular file: it reports a size of 0 bytes but reading it gives data (a device or system file, " +
                            "such as /dev/zero or /proc/...), so its length cannot be known and it cannot be uploaded. Copy what you need into a file first.");
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                throw Refuse("FileCannotBeRead", $"The file '{path}' cannot be read: {ex.Message.TrimEnd('.')}.");
            }
        }

        /// <summary>
        /// The one place the error FileWasNotFound is made (invalid input, Field = Path): a file to upload does not exist,
        /// or (Publish-BaleFile) no file matches a path.
        /// </summary>
        public static MessagingException FileWasNotFound(string message, Exception? innerException = null) =>
            new MessagingException(ProviderName, ErrorKind.InvalidInput, "FileWasNotFound", message, innerException: innerException) { Field = "Path" };

        /// <summary>
        /// Checks a message before anything is sent and returns it with the phone number in the Bale form and a
        /// request_id fixed (the given one, or a new one). Throws an invalid-input <see cref="MessagingException"/>
        /// naming the field at fault.
        /// </summary>
        public static BaleMessage Prepare(BaleMessage message) => Prepare(message, null);

        /// <summary>As <see cref="Prepare(BaleMessage)"/>, saying where a bot id can come from when none was given.</summary>
        /// <param name="message">The message.</param>
        /// <param name="botIdSources">
        /// Where a bot id can come from, said when none was given (BotId 0): "give -BotId, a BotId column, or set the
        /// environment variable ..." for a cmdlet. Without it, a missing bot id is refused as any other that is not positive.
        /// </param>
        public static BaleMessage Prepare(BaleMessage message, string? botIdSources)
        {
            var body = BuildSendBody(message, botIdSources);
            return new BaleMessage(body.BotId, body.PhoneNumber)
            {
                Text = message.Text,
                FileId = message.FileId,
                CopyText = message.CopyText,
                IsSecure = message.IsSecure,
                RequestId = body.RequestId,
            };
        }

        /// <summary>Checks a message and builds the body Safir takes; throws invalid-input errors naming the field.</summary>
        internal static SendBody BuildSendBody(BaleMessage message, string? botIdSources = null)
        {
            if (message is null) throw new ArgumentNullException(nameof(message));
            // The bot id first: it is the run's setting (usually from the environment), wrong for every row alike.
            if (message.BotId <= 0)
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "BaleBotIdIsMissing",
                    message.BotId == 0 && botIdSources != null
                        ? $"No bot id: {botIdSources}."
                        : $"BotId must be the positive numeric id of your Safir bot; got {message.BotId}.") { Field = "BotId" };
            var phone = PhoneNumbers.ToBale(message.PhoneNumber, ProviderName, "PhoneNumber");
            if (string.IsNullOrEmpty(message.Text) && string.IsNullOrEmpty(message.FileId) && string.IsNullOrEmpty(message.CopyText))
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "BaleMessageIsEmpty",
                    "The message has nothing to send: give Text, FileId (with Text as its caption) or CopyText.") { Field = "Text" };
            // Every text of the body must be writable as UTF-8 (the JSON writer would put U+FFFD in place of a lone surrogate).
            UnicodeText.RequireWellFormed(message.Text, ProviderName, "Text");
            UnicodeText.RequireWellFormed(message.FileId, ProviderName, "FileId");
            UnicodeText.RequireWellFormed(message.CopyText, ProviderName, "CopyText");
            UnicodeText.RequireWellFormed(message.RequestId, ProviderName, "RequestId");

            return new SendBody
            {
                RequestId = string.IsNullOrEmpty(message.RequestId) ? Guid.NewGuid().ToString() : message.RequestId,
                BotId = message.BotId,
                PhoneNumber = phone,
                MessageData = new MessageData
                {
                    Message = new MessageBody
                    {
                        Text = NullIfEmpty(message.Text),
                        FileId = NullIfEmpty(message.FileId),
                        CopyText = NullIfEmpty(message.CopyText),
                    },
                    IsSecure = message.IsSecure ? true : (bool?)null,
                },
            };
        }

        private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

        private static string MaskSecureText(SendBody body)
        {
            var copy = new SendBody
            {
                RequestId = body.RequestId, BotId = body.BotId, PhoneNumber = body.PhoneNumber,
                MessageData = new MessageData
                {
                    IsSecure = true,
                    Message = new MessageBody
                    {
                        Text = body.MessageData!.Message!.Text is null ? null : Secret.Mask,
                        FileId = body.MessageData.Message.FileId,
                        CopyText = body.MessageData.Message.CopyText is null ? null : Secret.Mask,
                    },
                },
            };
            return System.Text.Encoding.UTF8.GetString(JsonText.Serialize(copy));
        }


        private static HttpContent FileContent(string path, string name)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var file = new StreamContent(stream, 81920);
            file.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.FromFileName(name));
            // Quoted as curl sends them (Safir's example, docs/providers/bale.md, 'Uploading a file'): name="file"; filename="...". .NET leaves a plain name
            // unquoted, which strict servers refuse. A name that is not ASCII is left to .NET, which encodes it.
            file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
            {
                Name = "\"file\"",
                FileName = name.All(c => c >= 0x20 && c < 0x7F) ? "\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" : name,
                FileNameStar = name,
            };
            var form = new MultipartFormDataContent();
            form.Add(file);
            return form;
        }

        private static RetryAdvice? RetryOnSafirError(TransportResponse response)
        {
            using (var doc = JsonText.TryParse(response.Body))
            {
                if (doc is null) return response.IsSuccess ? new RetryAdvice("the answer was not valid JSON") : null;
                var error = FirstError(doc.RootElement, null);
                if (error is null) return null;
                var code = error.Value.GetString("code");
                if (code == "2") return new RetryAdvice("Safir answered InternalServerError (code 2)");
                if (code == "3") return new RetryAdvice("Safir answered RateLimitExceeded (code 3)", isRateLimit: true);
                return null;
            }
        }

        private static bool HasErrorData(JsonElement root) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_data", out var data) &&
            data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0;

        private static JsonElement? FirstError(JsonElement root, string? phone)
        {
            if (!HasErrorData(root)) return null;
            JsonElement? first = null;
            foreach (var item in root.GetProperty("error_data").EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                first ??= item;
                if (phone != null && item.GetString("phone_number") is string p && p.TrimStart('+') == phone) return item;
            }
            return first;
        }

        private static string MayHaveBeenDelivered(string requestId) =>
            $"the message may have been delivered: send it again with the same RequestId ('{requestId}'), which Safir delivers at most once";

        /// <summary>Maps one ErrorInfo to an error whose id and kind say what to do about it.</summary>
        internal static MessagingException ToException(JsonElement error, string? phone, int status, string operation = "send_message")
        {
            var codeText = error.GetString("code");
            var description = error.GetString("description");
            int.TryParse(codeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code);
            var (kind, id, what, field, advice) = (BaleErrorCode)code switch
            {
                BaleErrorCode.InternalServerError => (ErrorKind.Remote, "BaleInternalServerError", "Safir had an internal error and kept failing", (string?)null,
                    "Try again later (give the same RequestId: Safir delivers it at most once)."),
                BaleErrorCode.RateLimitExceeded => (ErrorKind.RateLimited, "BaleRateLimitExceeded", "too many messages were sent; Safir kept refusing after waiting", null,
                    "Send fewer at once (-ThrottleLimit) or later."),
                BaleErrorCode.InvalidInput => (ErrorKind.InvalidInput, "BaleInputWasInvalid", "Safir found the request invalid", null, (string?)null),
                BaleErrorCode.InvalidPhone => (ErrorKind.InvalidInput, "BalePhoneNumberIsInvalid", "Safir says the phone number is invalid", "PhoneNumber",
                    "Check the number in this row."),
                BaleErrorCode.NotBaleUser => (ErrorKind.NotFound, "BaleRecipientIsNotABaleUser", "the recipient has no Bale account", "PhoneNumber",
                    "Reach this recipient another way: an SMS (Send-ZadarmaSms) or WhatsApp (Send-FeedbotMessage)."),
                BaleErrorCode.PaymentRequired => (ErrorKind.QuotaExceeded, "BalePaymentIsRequired", "the Safir account has no credit left", null,
                    "Top up the Safir account, then send the failed rows again."),
                BaleErrorCode.MaximumContactLimitReached => (ErrorKind.QuotaExceeded, "BaleContactLimitWasReached", "the bot reached its maximum number of contacts", null,
                    "Ask Bale to raise the bot's contact limit, or send from another bot (-BotId)."),
                _ => (ErrorKind.Remote, "BaleReturnedAnError", "Safir returned an error", null, null),
            };
            var name = Enum.IsDefined(typeof(BaleErrorCode), code) ? ((BaleErrorCode)code).ToString() : "code " + codeText;
            var target = phone ?? error.GetString("phone_number");
            // Safir's description is often just the code's name: say the name once.
            var says = string.IsNullOrWhiteSpace(description) || string.Equals(description!.Trim(), name, StringComparison.OrdinalIgnoreCase)
                ? "" : $" Safir says: {description!.Trim()}.";
            var message = $"Bale {operation}{(target is null ? "" : " to " + target)}: {what} ({name}, code {codeText}).{says}" +
                          (advice is null ? "" : " " + advice);
            return new MessagingException(ProviderName, kind, id, message, codeText, description, httpStatus: status) { Field = field };
        }

        internal sealed class SendBody
        {
            [JsonPropertyName("request_id")] public string? RequestId { get; set; }
            [JsonPropertyName("bot_id")] public long BotId { get; set; }
            [JsonPropertyName("phone_number")] public string PhoneNumber { get; set; } = "";
            [JsonPropertyName("message_data")] public MessageData? MessageData { get; set; }
        }

        internal sealed class MessageData
        {
            [JsonPropertyName("message")] public MessageBody? Message { get; set; }
            [JsonPropertyName("is_secure")] public bool? IsSecure { get; set; }
        }

        internal sealed class MessageBody
        {
            [JsonPropertyName("text")] public string? Text { get; set; }
            [JsonPropertyName("file_id")] public string? FileId { get; set; }
            [JsonPropertyName("copy_text")] public string? CopyText { get; set; }
        }
    }
}
