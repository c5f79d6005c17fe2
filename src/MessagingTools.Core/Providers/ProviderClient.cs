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
    /// client, so that one rate-limit answer slows them all), the credential that is masked in every error the client
    /// throws, and the first reading of an answer.
    /// </summary>
    public abstract class ProviderClient
    {
        private readonly Secret _secret;
        private readonly string? _errorIdPrefix;

        /// <param name="provider">The provider's name in errors and logs.</param>
        /// <param name="secret">The credential to mask in errors (a provider may echo it back).</param>
        /// <param name="secretName">The parameter name of <paramref name="secret"/>, for the null check.</param>
        /// <param name="transport">The HTTP path; default the shared transport.</param>
        /// <param name="gate">The rate-limit gate of the run; default a new one for this client.</param>
        /// <param name="errorIdPrefix">How the provider's error ids begin, when not with its name (FeedBot's begin "Feedbot").</param>
        protected ProviderClient(string provider, Secret secret, string secretName, HttpTransport? transport, RateLimitGate? gate, string? errorIdPrefix = null)
        {
            _errorIdPrefix = errorIdPrefix;
            Provider = provider;
            _secret = secret ?? throw new ArgumentNullException(secretName);
            Transport = transport ?? HttpTransport.Shared;
            Gate = gate ?? new RateLimitGate();
        }

        /// <summary>Shared by every request of this client (one client per cmdlet run).</summary>
        public RateLimitGate Gate { get; }

        /// <summary>The provider's name in errors and logs.</summary>
        protected string Provider { get; }

        protected HttpTransport Transport { get; }

        /// <summary>The error with the credential masked in its texts.</summary>
        protected MessagingException Redacted(MessagingException ex) => ex.Without(_secret);

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
