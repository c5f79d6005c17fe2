using System;
using System.Collections.Generic;
using System.Net.Http;
using MessagingTools.Core.Security;

namespace MessagingTools.Core.Http
{
    /// <summary>
    /// One logical request. The transport may send it several times (retries), so the body is given as a factory
    /// that builds fresh content for every attempt (a file upload opens its file again).
    /// </summary>
    public sealed class TransportRequest
    {
        public TransportRequest(string provider, string operation, HttpMethod method, Uri uri)
        {
            Provider = provider ?? throw new ArgumentNullException(nameof(provider));
            Operation = operation ?? throw new ArgumentNullException(nameof(operation));
            Method = method ?? throw new ArgumentNullException(nameof(method));
            Uri = uri ?? throw new ArgumentNullException(nameof(uri));
        }

        public string Provider { get; }

        /// <summary>
        /// How the ids of the transport's own errors begin (<c>BaleAnswerWasARedirect</c>): the provider's name
        /// unless its ids spell it otherwise (FeedBot's ids begin with Feedbot).
        /// </summary>
        public string ErrorIdPrefix
        {
            get => _errorIdPrefix ?? Provider;
            set => _errorIdPrefix = value;
        }

        private string? _errorIdPrefix;

        /// <summary>The provider's name for the operation, as shown in logs and errors (send_message, callback).</summary>
        public string Operation { get; }

        public HttpMethod Method { get; }

        public Uri Uri { get; }

        /// <summary>Builds the body of one attempt; null for none.</summary>
        public Func<HttpContent>? Content { get; set; }

        /// <summary>Plain headers.</summary>
        public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Headers whose value is a credential: sent as is, logged masked.</summary>
        public IDictionary<string, Secret> SecretHeaders { get; } = new Dictionary<string, Secret>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Further secrets to mask in every log line and error message (a token sent in the body).</summary>
        public IList<Secret> Secrets { get; } = new List<Secret>();

        /// <summary>
        /// True when repeating the request cannot do harm (a read, or a send the provider de-duplicates).
        /// False when every accepted attempt acts (rings a phone, sends a message): such a request is repeated
        /// only when the transport knows the earlier attempt never reached the server.
        /// </summary>
        public bool Idempotent { get; set; }

        /// <summary>The time one attempt may take; null for the transport's default.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>The body as it may appear in the debug log (already masked by the provider); null to log none.</summary>
        public string? LoggableBody { get; set; }

        /// <summary>
        /// What may have happened when a request that acts got no answer, e.g. "the call may have been placed". For a
        /// request that is not repeated it follows "It was not repeated because"; for one that acts but may be repeated
        /// (<see cref="ActsOnTheServer"/> and <see cref="Idempotent"/>) it is a sentence of its own, with what to do.
        /// </summary>
        public string UncertainOutcome { get; set; } = "the request may have been carried out";

        /// <summary>
        /// True when the request changes something at the provider (sends, calls, changes a setting); false for a read.
        /// A request that acts and got no answer may have taken effect, and its error says so (MayHaveTakenEffect),
        /// even when repeating it is safe (a Bale send with its request_id). Default: true unless <see cref="Idempotent"/>.
        /// </summary>
        public bool ActsOnTheServer
        {
            get => _actsOnTheServer ?? !Idempotent;
            set => _actsOnTheServer = value;
        }

        private bool? _actsOnTheServer;

        /// <summary>Shared by the requests of one run so that a rate-limit answer slows all of them; null for none.</summary>
        public RateLimitGate? Gate { get; set; }

        /// <summary>
        /// Decides, after the transport's own rules, whether an answer should be retried (a provider error code in a
        /// 200 answer that means "try again"). Return null to accept the answer.
        /// </summary>
        public Func<TransportResponse, RetryAdvice?>? RetryWhen { get; set; }

        internal IEnumerable<Secret> AllSecrets()
        {
            foreach (var s in SecretHeaders.Values) yield return s;
            foreach (var s in Secrets) yield return s;
        }
    }

    /// <summary>A provider's wish to retry an answer, optionally after a given delay.</summary>
    public sealed class RetryAdvice
    {
        public RetryAdvice(string reason, TimeSpan? after = null, bool isRateLimit = false)
        {
            Reason = reason;
            After = after;
            IsRateLimit = isRateLimit;
        }

        public string Reason { get; }
        public TimeSpan? After { get; }
        public bool IsRateLimit { get; }
    }
}
