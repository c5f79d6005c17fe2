using System;
using System.Text.Json;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Json;
using MessagingTools.Core.Security;

namespace MessagingTools.Core.Providers
{
    /// <summary>
    /// What the provider clients share: the transport, the rate-limit gate of the run (shared by every request of the
    /// client, so that one rate-limit answer slows them all), the endpoint, the credential (sent by the client and masked
    /// in every error it throws; the one copy of it: no client keeps its own), and the first reading of an answer.
    /// </summary>
    public abstract class ProviderClient
    {
        private readonly string? _errorIdPrefix;

        /// <param name="provider">The provider's name in errors and logs.</param>
        /// <param name="secret">The credential the client sends, masked in errors (a provider may echo it back).</param>
        /// <param name="secretName">The parameter name of <paramref name="secret"/>, for the null check.</param>
        /// <param name="endpoint">The address the client's requests go to, as the client has checked it.</param>
        /// <param name="transport">The HTTP path; default the shared transport.</param>
        /// <param name="gate">The rate-limit gate of the run; default a new one for this client.</param>
        /// <param name="errorIdPrefix">How the provider's error ids begin, when not with its name (FeedBot's begin "Feedbot").</param>
        protected ProviderClient(string provider, Secret secret, string secretName, Uri endpoint, HttpTransport? transport, RateLimitGate? gate, string? errorIdPrefix = null)
        {
            _errorIdPrefix = errorIdPrefix;
            Provider = provider;
            Credential = secret ?? throw new ArgumentNullException(secretName);
            Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
            Transport = transport ?? HttpTransport.Shared;
            Gate = gate ?? new RateLimitGate();
        }

        /// <summary>Shared by every request of this client (one client per cmdlet run).</summary>
        public RateLimitGate Gate { get; }

        /// <summary>The provider's name in errors and logs.</summary>
        protected string Provider { get; }

        /// <summary>
        /// The address the requests go to (a base address, or the full address of a provider's one method). FeedBot has
        /// two: this is its send address, <see cref="Feedbot.FeedbotClient.StatusEndpoint"/> the other.
        /// </summary>
        public Uri Endpoint { get; }

        /// <summary>
        /// The credential the client sends (Bale's key, the flash-call and FeedBot tokens, Zadarma's signing secret; the
        /// Zadarma user key, not a secret on its own, is ZadarmaClient's). <see cref="Secret"/> never shows its value in
        /// ToString or logs; only derived clients of this assembly read it.
        /// </summary>
        private protected Secret Credential { get; }

        protected HttpTransport Transport { get; }

        /// <summary>The error with the credential masked in its texts.</summary>
        protected MessagingException Redacted(MessagingException ex) => ex.Without(Credential);

        /// <summary>
        /// The answer's JSON object, or the error it stands for: an HTTP error status (with the answer's
        /// <paramref name="messageKey"/> as the provider's message), else an answer that is not a JSON object. The
        /// status decides before the body, so that an error page is reported by its status, not as malformed.
        /// </summary>
        protected JsonElement RequireObject(TransportResponse response, JsonDocument? doc, string operation, string? uncertainOutcome, string messageKey = "message")
        {
            var isObject = doc != null && doc.RootElement.ValueKind == JsonValueKind.Object;
            if (!response.IsSuccess)
                throw Redacted(ProviderErrors.FromStatus(Provider, operation, response, providerMessage: isObject ? doc!.RootElement.GetString(messageKey) : null,
                    uncertainOutcome: uncertainOutcome, errorIdPrefix: _errorIdPrefix));
            if (!isObject) throw Redacted(ProviderErrors.Malformed(Provider, operation, response, uncertainOutcome, _errorIdPrefix));
            return doc!.RootElement;
        }
    }
}
