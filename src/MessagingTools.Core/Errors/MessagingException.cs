using System;
using System.Globalization;

namespace MessagingTools.Core.Errors
{
    /// <summary>
    /// The one exception type Core throws for a failed operation. It carries the provider, a <see cref="ErrorKind"/>,
    /// the provider's own code and text, and whether the request may already have taken effect.
    /// Messages never contain secrets: the transport redacts them before an exception is built.
    /// </summary>
    public class MessagingException : Exception
    {
        public MessagingException(string provider, ErrorKind kind, string errorId, string message,
            string? providerCode = null, string? providerMessage = null, bool mayHaveTakenEffect = false,
            int? httpStatus = null, Exception? innerException = null)
            : base(message, innerException)
        {
            Provider = provider;
            Kind = kind;
            ErrorId = errorId;
            ProviderCode = providerCode;
            ProviderMessage = providerMessage;
            MayHaveTakenEffect = mayHaveTakenEffect;
            HttpStatus = httpStatus;
        }

        /// <summary>Bale, Zadarma, FlashCall or FeedBot.</summary>
        public string Provider { get; }

        public ErrorKind Kind { get; }

        /// <summary>A stable identifier that reads as a sentence, e.g. <c>BaleRecipientIsNotABaleUser</c>.</summary>
        public string ErrorId { get; }

        /// <summary>The provider's own error code, when it gave one.</summary>
        public string? ProviderCode { get; }

        /// <summary>The provider's own error text, when it gave one.</summary>
        public string? ProviderMessage { get; }

        /// <summary>
        /// True when the request may have reached the provider and been acted on (a call placed, a message sent)
        /// even though no success answer arrived. Such requests are never retried automatically.
        /// </summary>
        public bool MayHaveTakenEffect { get; }

        public int? HttpStatus { get; }

        /// <summary>
        /// For invalid input: the parameter or column at fault (PhoneNumber, Text), when known. Set when the error is
        /// made, never on one already thrown.
        /// </summary>
        public string? Field { get; init; }

        /// <summary>
        /// The id the request carried for the provider to drop repeats (Bale's request_id), when it had one: sending
        /// the same message again with it is delivered at most once, even when this error says it may have been.
        /// Set when the error is made, never on one already thrown.
        /// </summary>
        public string? RequestId { get; init; }

        /// <summary>This error with every occurrence of the secret masked in its texts (a provider may echo a token back).</summary>
        internal MessagingException Without(Security.Secret secret)
        {
            var secrets = new[] { secret };
            var message = Security.Secret.Redact(Message, secrets);
            var providerMessage = ProviderMessage is null ? null : Security.Secret.Redact(ProviderMessage, secrets);
            if (message == Message && providerMessage == ProviderMessage) return this;
            return new MessagingException(Provider, Kind, ErrorId, message, ProviderCode, providerMessage, MayHaveTakenEffect, HttpStatus, InnerException)
            {
                Field = Field,
                RequestId = RequestId,
            };
        }

        /// <summary>This error, saying (with <paramref name="sentence"/>) that the request may have taken effect.</summary>
        internal MessagingException MayHaveTakenEffectAfterAll(string sentence) =>
            new MessagingException(Provider, Kind, ErrorId, Message.TrimEnd() + " " + sentence, ProviderCode, ProviderMessage,
                mayHaveTakenEffect: true, HttpStatus, InnerException)
            {
                Field = Field,
                RequestId = RequestId,
            };

        /// <summary>
        /// This error carrying <paramref name="requestId"/>: a new exception with everything else of this one (id, kind,
        /// message, provider code and text, whether it may have taken effect, HTTP status, inner exception, field).
        /// </summary>
        internal MessagingException WithRequestId(string? requestId) =>
            new MessagingException(Provider, Kind, ErrorId, Message, ProviderCode, ProviderMessage, MayHaveTakenEffect, HttpStatus, InnerException)
            {
                Field = Field,
                RequestId = requestId,
            };

        public override string ToString() =>
            $"{GetType().FullName} [{Provider}/{Kind}/{ErrorId}{(ProviderCode is null ? "" : "/code " + ProviderCode)}]: {Message}";

        /// <summary>
        /// The one place the rate-limit error is made (<c>&lt;Provider&gt;RateLimitExceeded</c>, rate limited): still refused
        /// after the waits allowed (the transport), a wait longer than the run may wait (the gate), or a 429 answer
        /// (ProviderErrors.FromStatus). <paramref name="providerCode"/> defaults to the HTTP status, as the other errors of a status.
        /// </summary>
        internal static MessagingException RateLimitExceeded(string provider, string? errorIdPrefix, string message,
            int? httpStatus = null, string? providerCode = null, string? providerMessage = null) =>
            new MessagingException(provider, ErrorKind.RateLimited, (errorIdPrefix ?? provider) + "RateLimitExceeded", message,
                providerCode ?? httpStatus?.ToString(CultureInfo.InvariantCulture), providerMessage, mayHaveTakenEffect: false, httpStatus: httpStatus);
    }
}
