using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
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
using MessagingTools.Core.Throttling;

namespace MessagingTools.Core.Providers.Feedbot
{
    /// <summary>
    /// The FeedBot WhatsApp sender (docs/providers/feedbot.md): <c>addnewmessages</c> queues many messages in one request (header
    /// <c>auth</c>), answering one id per message in order; <c>getmessagestatus?id=</c> reads a message's state.
    /// A send is never repeated once it may have reached the server (FeedBot does not de-duplicate); a status read is.
    /// </summary>
    public sealed class FeedbotClient : ProviderClient
    {
        public const string ProviderName = "FeedBot";

        /// <summary>How this provider's error ids begin (FeedbotUserIsNotAuthorized).</summary>
        public const string ErrorIdPrefix = "Feedbot";
        internal const string SendOperation = "addnewmessages";
        internal const string StatusOperation = "getmessagestatus";
        internal const string SendUncertainOutcome = "the messages may already have been queued for sending";

        /// <summary>docs/providers/feedbot.md, 'The send request': the send address (a Cloud Run function).</summary>
        public static readonly Uri DefaultSendEndpoint = new Uri("https://addnewmessages-bmb77ejh3a-uc.a.run.app");

        /// <summary>docs/providers/feedbot.md, 'The status request': the status address; the message id goes in the query (?id=).</summary>
        public static readonly Uri DefaultStatusEndpoint = new Uri("https://getmessagestatus-bmb77ejh3a-uc.a.run.app");

        /// <summary>The most messages one request carries: FeedBot's document names no limit (docs/providers/feedbot.md, 'The send request'), this keeps requests small.</summary>
        public const int MaxBatchSize = 1000;

        private readonly SemaphoreSlim _statusSlots;

        /// <param name="token">The FeedBot token, sent in the <c>auth</c> header.</param>
        /// <param name="sendEndpoint">The addnewmessages address; null for FeedBot's.</param>
        /// <param name="statusEndpoint">The getmessagestatus address; null for FeedBot's.</param>
        /// <param name="transport">The transport; null for the shared one.</param>
        /// <param name="gate">A rate-limit gate shared with other clients; null for a new one.</param>
        /// <param name="maxConcurrentStatusReads">Status requests in flight at once across every wait of this client.</param>
        public FeedbotClient(Secret token, Uri? sendEndpoint = null, Uri? statusEndpoint = null, HttpTransport? transport = null, RateLimitGate? gate = null,
            int maxConcurrentStatusReads = 8)
            : base(ProviderName, token, nameof(token), Endpoints.RequireHttp(sendEndpoint ?? DefaultSendEndpoint), transport, gate, ErrorIdPrefix)
        {
            if (maxConcurrentStatusReads < 1) throw new ArgumentOutOfRangeException(nameof(maxConcurrentStatusReads), "At least one status read must be allowed.");
            _statusSlots = new SemaphoreSlim(maxConcurrentStatusReads, maxConcurrentStatusReads);
            StatusEndpoint = Endpoints.RequireHttp(statusEndpoint ?? DefaultStatusEndpoint);
        }

        /// <summary>The addnewmessages address: <see cref="ProviderClient.Endpoint"/>.</summary>
        public Uri SendEndpoint => Endpoint;

        /// <summary>The getmessagestatus address, FeedBot's second one.</summary>
        public Uri StatusEndpoint { get; }

        /// <summary>
        /// An image link from text (a CSV cell): null when blank, else an absolute http or https address; anything else
        /// is an invalid-input error naming ImageUrl.
        /// </summary>
        public static Uri? ParseImageUrl(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri);
            return RequireImageUrl(uri, text!);
        }

        private static Uri RequireImageUrl(Uri? uri, string text)
        {
            if (uri != null && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)) return uri;
            throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "FeedbotImageUrlIsInvalid",
                $"The image URL '{text}' must be an absolute http or https link to the image.") { Field = "ImageUrl" };
        }

        /// <summary>
        /// Checks a message before anything is sent and returns it with the phone number in the international form.
        /// Throws an invalid-input <see cref="MessagingException"/> naming the field at fault.
        /// </summary>
        public static FeedbotMessage Prepare(FeedbotMessage message, DateTimeOffset? now = null)
        {
            if (message is null) throw new ArgumentNullException(nameof(message));
            var phone = PhoneNumbers.ToInternational(message.Phone, message.DefaultCountryCode, ProviderName);
            if (string.IsNullOrWhiteSpace(message.Text))
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "FeedbotMessageIsEmpty",
                    "The message text is empty: FeedBot needs a text for every message (the image is sent with it).") { Field = "Message" };
            UnicodeText.RequireWellFormed(message.Text, ProviderName, "Message");
            if (message.ImageUrl != null) RequireImageUrl(message.ImageUrl.IsAbsoluteUri ? message.ImageUrl : null, message.ImageUrl.ToString());
            if (message.ExpiresAt is DateTimeOffset expires && expires <= (now ?? DateTimeOffset.Now))
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "FeedbotExpiryIsInThePast",
                    $"The expiry {expires:yyyy-MM-dd HH:mm:ss zzz} has already passed: FeedBot would never send the message.") { Field = "ExpiresAt" };
            return new FeedbotMessage(phone, message.Text.Trim())
            {
                ImageUrl = message.ImageUrl,
                ExpiresAt = message.ExpiresAt,
                DefaultCountryCode = message.DefaultCountryCode,
            };
        }

        /// <summary>
        /// Queues the messages in ONE request and returns one outcome per message, in order: its id, or an error.
        /// A rejected request (MISSING_PARAMS, USER_NOT_AUTHORIZED, an HTTP error, a timeout) ends as that error for
        /// every message; a message the answer gives no id for ends as its own error. Only cancellation throws.
        /// </summary>
        public async Task<IReadOnlyList<Outcome<FeedbotMessageResult>>> SendAsync(IReadOnlyList<FeedbotMessage> messages, CancellationToken cancellationToken = default)
        {
            if (messages is null) throw new ArgumentNullException(nameof(messages));
            if (messages.Count == 0) return Array.Empty<Outcome<FeedbotMessageResult>>();
            if (messages.Count > MaxBatchSize)
                throw new ArgumentException($"At most {MaxBatchSize} messages go in one request; got {messages.Count}.", nameof(messages));

            var prepared = new FeedbotMessage[messages.Count];
            var outcomes = new Outcome<FeedbotMessageResult>[messages.Count];
            var toSend = new List<int>(messages.Count);
            for (int i = 0; i < messages.Count; i++)
            {
                try
                {
                    prepared[i] = Prepare(messages[i]);
                    toSend.Add(i);
                }
                catch (MessagingException ex)
                {
                    outcomes[i] = Outcome<FeedbotMessageResult>.Failure(ex);
                }
            }
            if (toSend.Count == 0) return outcomes;

            var batch = toSend.Select(i => prepared[i]).ToList();
            IReadOnlyList<Outcome<FeedbotMessageResult>> sent;
            try
            {
                var ids = await SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                sent = Match(batch, ids);
            }
            catch (MessagingException ex)
            {
                var error = Redacted(ex);
                sent = batch.Select(_ => Outcome<FeedbotMessageResult>.Failure(error)).ToList();
            }
            for (int k = 0; k < toSend.Count; k++) outcomes[toSend[k]] = sent[k];
            return outcomes;
        }

        /// <summary>Sends prepared messages and returns the ids of the answer (entries may be null); throws for a rejected request.</summary>
        private async Task<IReadOnlyList<string?>> SendBatchAsync(IReadOnlyList<FeedbotMessage> batch, CancellationToken cancellationToken)
        {
            var body = new SendBody
            {
                Messages = batch.Select(m => new MessageBody
                {
                    Message = m.Text,
                    Phone = m.Phone,
                    // FeedBot's sample sends the unix time in milliseconds as a string: "1685662968767" (docs/providers/feedbot.md, 'The send request').
                    InvalidationTime = m.ExpiresAt?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                    ImagePath = m.ImageUrl?.AbsoluteUri,
                }).ToList(),
            };
            var json = JsonText.Serialize(body);
            var request = new TransportRequest(ProviderName, SendOperation, HttpMethod.Post, SendEndpoint)
            {
                ErrorIdPrefix = ErrorIdPrefix,
                Content = () => JsonText.Content(json),
                Idempotent = false, // FeedBot queues every request it receives: a repeat would send twice
                UncertainOutcome = SendUncertainOutcome,
                Gate = Gate,
                LoggableBody = System.Text.Encoding.UTF8.GetString(json), // the token travels in a header, not here
            };
            request.SecretHeaders["auth"] = Credential;

            var response = await Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var what = batch.Count == 1 ? "the message" : $"the batch of {batch.Count} messages";
            using (var doc = JsonText.TryParse(response.Body))
            {
                var root = doc?.RootElement;
                bool isObject = root?.ValueKind == JsonValueKind.Object;
                bool accepted = isObject && root!.Value.TryGetProperty("success", out var ok) && ok.ValueKind == JsonValueKind.True;
                if (isObject && !accepted && response.StatusCode < 500 &&
                    ProviderError(root!.Value, response, SendOperation, what) is MessagingException refused) throw refused;
                if (!TryGetIds(RequireObject(response, doc, SendOperation, SendUncertainOutcome), out var ids))
                    throw ProviderErrors.Malformed(ProviderName, SendOperation, response, SendUncertainOutcome, ErrorIdPrefix);
                return ids;
            }
        }

        private static IReadOnlyList<Outcome<FeedbotMessageResult>> Match(IReadOnlyList<FeedbotMessage> batch, IReadOnlyList<string?> ids)
        {
            var now = DateTimeOffset.Now;
            var outcomes = new List<Outcome<FeedbotMessageResult>>(batch.Count);
            for (int i = 0; i < batch.Count; i++)
            {
                var m = batch[i];
                var id = i < ids.Count ? ids[i] : null;
                if (string.IsNullOrWhiteSpace(id))
                {
                    var why = i < ids.Count ? $"its entry ({i + 1} of {ids.Count}) is empty" : $"the answer holds {ids.Count} ids for {batch.Count} messages";
                    outcomes.Add(Outcome<FeedbotMessageResult>.Failure(new MessagingException(ProviderName, ErrorKind.Remote, "FeedbotReturnedNoIdForTheMessage",
                        $"FeedBot {SendOperation} to {m.Phone}: FeedBot accepted the request but returned no id for this message ({why}). " +
                        "It may have been queued for sending: check in FeedBot before sending it again.", mayHaveTakenEffect: true)));
                    continue;
                }
                outcomes.Add(Outcome<FeedbotMessageResult>.Success(new FeedbotMessageResult(id!.Trim(), m.Phone, m.Text, m.ImageUrl, m.ExpiresAt, now, batch.Count)));
            }
            return outcomes;
        }

        /// <summary>
        /// The ids of a send answer. The documented key is "ids"; FeedBot's own sample shows <c>"ids:"</c> (docs/providers/feedbot.md, 'The ids: answer') (the colon
        /// inside the quotes), so a key that is "ids" once surrounding blanks and colons are removed is accepted too,
        /// but only when exactly one key matches (never guess between two). Trailing commas are allowed by the parser.
        /// </summary>
        internal static bool TryGetIds(JsonElement root, out IReadOnlyList<string?> ids)
        {
            ids = Array.Empty<string?>();
            JsonElement array = default;
            bool found = root.TryGetProperty("ids", out array);
            if (!found)
            {
                int matches = 0;
                foreach (var p in root.EnumerateObject())
                {
                    if (string.Equals(p.Name.Trim().Trim(':').Trim(), "ids", StringComparison.OrdinalIgnoreCase))
                    {
                        matches++;
                        array = p.Value;
                    }
                }
                found = matches == 1;
            }
            if (!found || array.ValueKind != JsonValueKind.Array) return false;
            var list = new List<string?>();
            foreach (var item in array.EnumerateArray())
            {
                list.Add(item.ValueKind switch
                {
                    JsonValueKind.String => item.GetString(),
                    JsonValueKind.Number => item.GetRawText(),
                    _ => null,
                });
            }
            ids = list;
            return true;
        }

        /// <summary>An error FeedBot stated in its answer (errorCode set, or success false); null when none.</summary>
        private static MessagingException? ProviderError(JsonElement root, TransportResponse response, string operation, string what)
        {
            root.TryGetProperty("errorCode", out var codeElement);
            string? code = codeElement.ValueKind switch
            {
                JsonValueKind.String => codeElement.GetString(),
                JsonValueKind.Number => codeElement.GetRawText(),
                _ => null,
            };
            bool failed = root.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.False;
            if (string.IsNullOrWhiteSpace(code) && !failed) return null;
            var text = root.GetString("message") ?? root.GetString("error") ?? root.GetString("reason");
            // FeedBot's document names the codes both ways: MISSING_PARAMS (2), USER_NOT_AUTHORIZED (99) (docs/providers/feedbot.md, 'Error codes').
            var name = code?.Trim().ToUpperInvariant();
            ErrorKind kind;
            string id, description;
            if (name == "2" || name == "MISSING_PARAMS")
            {
                kind = ErrorKind.InvalidInput; id = "FeedbotParametersAreMissing"; description = "FeedBot says parameters are missing (MISSING_PARAMS, code 2)";
            }
            else if (name == "99" || name == "USER_NOT_AUTHORIZED")
            {
                kind = ErrorKind.Authentication; id = "FeedbotUserIsNotAuthorized"; description = "FeedBot refused the token (USER_NOT_AUTHORIZED, code 99)";
            }
            else if (response.StatusCode == 404)
            {
                kind = ErrorKind.NotFound; id = "FeedbotMessageWasNotFound"; description = "FeedBot does not know this message id";
            }
            else
            {
                kind = ErrorKind.Remote; id = "FeedbotReturnedAnError";
                description = $"FeedBot returned an error{(code is null ? "" : " (code " + code + ")")}";
            }
            var message = $"FeedBot {operation}: {description}; {what} {(operation == SendOperation ? "was not queued" : "could not be read")}" +
                          (string.IsNullOrEmpty(text) ? "." : $": {text}");
            return new MessagingException(ProviderName, kind, id, message, code, text, httpStatus: response.StatusCode)
            {
                // An unknown id is the fault of the id given: name its field, as other input errors do.
                Field = kind == ErrorKind.NotFound && operation == StatusOperation ? "Id" : null,
            };
        }

        /// <summary>
        /// Checks a status read before anything is sent and returns it with the id trimmed; a blank id is an
        /// invalid-input error naming Id (and <paramref name="place"/>, e.g. "at position 2 of 3", when it is one of several).
        /// </summary>
        public static FeedbotStatusQuery Prepare(FeedbotStatusQuery query, string? place = null)
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            if (string.IsNullOrWhiteSpace(query.Id))
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "FeedbotMessageIdIsMissing",
                    place is null ? "The FeedBot message id is empty." : $"The FeedBot message id {place} is empty.") { Field = "Id" };
            return new FeedbotStatusQuery(query.Id.Trim()) { Phone = query.Phone };
        }

        /// <summary>Reads one message's state (a read: retried after timeouts and 5xx).</summary>
        public async Task<FeedbotStatusResult> GetStatusAsync(string id, CancellationToken cancellationToken = default)
        {
            id = Prepare(new FeedbotStatusQuery(id)).Id;
            var request = new TransportRequest(ProviderName, StatusOperation, HttpMethod.Get, StatusUri(id))
            {
                ErrorIdPrefix = ErrorIdPrefix,
                Idempotent = true, // a read
                Gate = Gate,
            };
            // FeedBot's document shows no header for the status request (docs/providers/feedbot.md, 'The status request'); the token is sent anyway (harmless if unused, needed if checked).
            request.SecretHeaders["auth"] = Credential;

            var response = await Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            using (var doc = JsonText.TryParse(response.Body))
            {
                if (doc?.RootElement.ValueKind == JsonValueKind.Object &&
                    ProviderError(doc.RootElement, response, StatusOperation, $"the status of Id '{id}'") is MessagingException refused) throw Redacted(refused);
                var root = RequireObject(response, doc, StatusOperation, null, "reason");
                var statusText = root.GetString("status");
                if (statusText is null || !int.TryParse(statusText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var status))
                    throw Redacted(ProviderErrors.Malformed(ProviderName, StatusOperation, response, errorIdPrefix: ErrorIdPrefix));
                if (status < -1 || status > 1)
                    throw new MessagingException(ProviderName, ErrorKind.Remote, "FeedbotStatusIsUnknown",
                        $"FeedBot {StatusOperation}: message {id} has the status {status}, which is none of -1 (failed), 0 (pending), 1 (sent).",
                        providerCode: statusText, httpStatus: response.StatusCode);
                var reason = root.GetString("reason");
                return new FeedbotStatusResult(id, (FeedbotMessageStatus)status, string.IsNullOrEmpty(reason) ? null : reason, null, DateTimeOffset.Now, 1);
            }
        }

        /// <summary>
        /// Reads the state of each id, in order. With <paramref name="wait"/>, ids that are pending are checked again
        /// with exponential back-off until none is pending or the timeout passes; ids still pending then are returned
        /// with the status Pending (a state, not an error). A failed read ends as that id's error. Only cancellation throws.
        /// </summary>
        public Task<IReadOnlyList<Outcome<FeedbotStatusResult>>> WaitForStatusAsync(IReadOnlyList<string> ids, FeedbotWaitOptions? wait = null,
            CancellationToken cancellationToken = default)
        {
            if (ids is null) throw new ArgumentNullException(nameof(ids));
            return WaitForStatusAsync(ids.Select(id => new FeedbotStatusQuery(id)).ToList(), wait, cancellationToken);
        }

        /// <summary>
        /// As <see cref="WaitForStatusAsync(IReadOnlyList{string}, FeedbotWaitOptions?, CancellationToken)"/>; each
        /// result carries its query's phone number, when the query knows it.
        /// </summary>
        public async Task<IReadOnlyList<Outcome<FeedbotStatusResult>>> WaitForStatusAsync(IReadOnlyList<FeedbotStatusQuery> queries, FeedbotWaitOptions? wait = null,
            CancellationToken cancellationToken = default)
        {
            if (queries is null) throw new ArgumentNullException(nameof(queries));
            var ids = queries.Select(q => q.Id).ToList();
            var outcomes = new Outcome<FeedbotStatusResult>[ids.Count];
            var checks = new int[ids.Count];
            var clock = Stopwatch.StartNew();
            var open = Enumerable.Range(0, ids.Count).ToList();
            var interval = wait?.InitialInterval ?? TimeSpan.Zero;
            var slots = _statusSlots; // shared by every wait of this client, so parallel batches do not multiply it
            // The ids of one batch are read at once under the batch's one ThrottleLimit slot: a read backing off must not
            // lend that slot while its siblings are still on the wire (they are bounded by the status slots instead).
            using (ThrottleSlot.KeepDuringDelays())
            {
                while (true)
                {
                    await Task.WhenAll(open.Select(async i =>
                    {
                        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                        try
                        {
                            checks[i]++;
                            var status = await GetStatusAsync(ids[i], cancellationToken).ConfigureAwait(false);
                            outcomes[i] = Outcome<FeedbotStatusResult>.Success(status.WithChecks(checks[i]).WithPhone(queries[i].Phone));
                        }
                        catch (MessagingException ex)
                        {
                            outcomes[i] = Outcome<FeedbotStatusResult>.Failure(ex);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    })).ConfigureAwait(false);

                    open = open.Where(i => outcomes[i].Succeeded && outcomes[i].Result!.Status == FeedbotMessageStatus.Pending).ToList();
                    if (wait is null || open.Count == 0) return outcomes;
                    var left = wait.Timeout - clock.Elapsed;
                    if (left <= TimeSpan.Zero) return outcomes;
                    // Sleep no later than the deadline, so that the last check happens at the timeout, not after it.
                    var pause = interval < left ? interval : left;
                    await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                    var next = TimeSpan.FromTicks((long)(interval.Ticks * Math.Max(1.0, wait.BackoffFactor)));
                    interval = next > wait.MaxInterval ? wait.MaxInterval : next;
                }
            }
        }

        internal Uri StatusUri(string id)
        {
            var text = StatusEndpoint.AbsoluteUri;
            var separator = string.IsNullOrEmpty(StatusEndpoint.Query) ? "?" : "&";
            return new Uri(text + separator + "id=" + Uri.EscapeDataString(id));
        }

        internal sealed class SendBody
        {
            [JsonPropertyName("messages")] public List<MessageBody> Messages { get; set; } = new List<MessageBody>();
        }

        internal sealed class MessageBody
        {
            [JsonPropertyName("message")] public string Message { get; set; } = "";
            [JsonPropertyName("phone")] public string Phone { get; set; } = "";
            [JsonPropertyName("invalidationTime")] public string? InvalidationTime { get; set; }
            [JsonPropertyName("imagePath")] public string? ImagePath { get; set; }
        }
    }
}
