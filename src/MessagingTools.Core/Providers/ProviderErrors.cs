using System.Globalization;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;

namespace MessagingTools.Core.Providers
{
    /// <summary>
    /// Turns an HTTP error status into a <see cref="MessagingException"/>, the same way for every provider. Error ids
    /// begin with <c>errorIdPrefix</c> (the provider's name as its ids spell it: Feedbot for FeedBot), else with the
    /// provider's name.
    /// </summary>
    internal static class ProviderErrors
    {
        public static MessagingException FromStatus(string provider, string operation, TransportResponse response,
            string? providerCode = null, string? providerMessage = null, string? uncertainOutcome = null, string? errorIdPrefix = null)
        {
            var status = response.StatusCode;
            var prefix = errorIdPrefix ?? provider;
            ErrorKind kind;
            string? id;
            string what;
            switch (status)
            {
                case 401:
                case 403:
                    kind = ErrorKind.Authentication; id = prefix + "CredentialsWereRejected";
                    what = "the provider refused the credentials";
                    break;
                case 402:
                    kind = ErrorKind.QuotaExceeded; id = prefix + "PaymentRequired";
                    what = "the account has no credit left";
                    break;
                case 404:
                    kind = ErrorKind.NotFound; id = prefix + "ResourceWasNotFound";
                    what = "the provider does not know this address or object";
                    break;
                case 429:
                    kind = ErrorKind.RateLimited; id = null; // made by MessagingException.RateLimitExceeded
                    what = "the provider's rate limit was exceeded";
                    break;
                default:
                    if (status >= 400 && status < 500)
                    {
                        kind = ErrorKind.InvalidInput; id = prefix + "RejectedTheRequest";
                        what = "the provider rejected the request";
                    }
                    else
                    {
                        kind = ErrorKind.Remote; id = prefix + "ServerError";
                        what = "the provider failed to process the request";
                    }
                    break;
            }
            var message = $"{provider} {operation}: {what} (HTTP {status}{(providerCode is null ? "" : ", code " + providerCode)})" +
                          (string.IsNullOrEmpty(providerMessage) ? "." : $": {providerMessage}");
            bool uncertain = uncertainOutcome != null && status >= 500;
            if (uncertain) message += $" It was not repeated because {uncertainOutcome}: check before sending it again.";
            if (id is null) return MessagingException.RateLimitExceeded(provider, errorIdPrefix, message, status, providerCode, providerMessage);
            return new MessagingException(provider, kind, id, message, providerCode ?? status.ToString(CultureInfo.InvariantCulture),
                providerMessage, mayHaveTakenEffect: uncertain, httpStatus: status);
        }

        /// <summary>An answer that cannot be read (not JSON, or missing what every answer has).</summary>
        public static MessagingException Malformed(string provider, string operation, TransportResponse response, string? uncertainOutcome = null,
            string? errorIdPrefix = null)
        {
            var excerpt = response.Body.Length > 200 ? response.Body.Substring(0, 200) + "..." : response.Body;
            var message = $"{provider} {operation}: the provider's answer (HTTP {response.StatusCode}) could not be read: '{excerpt}'.";
            if (uncertainOutcome != null) message += $" {char.ToUpperInvariant(uncertainOutcome[0])}{uncertainOutcome.Substring(1)}: check before sending it again.";
            return new MessagingException(provider, ErrorKind.Remote, (errorIdPrefix ?? provider) + "AnswerWasMalformed", message,
                mayHaveTakenEffect: uncertainOutcome != null, httpStatus: response.StatusCode);
        }
    }
}
