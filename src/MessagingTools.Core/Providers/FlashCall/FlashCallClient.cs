using System;
using System.Net.Http;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Json;
using MessagingTools.Core.Phones;
using MessagingTools.Core.Security;

namespace MessagingTools.Core.Providers.FlashCall
{
    /// <summary>
    /// The flash-call ("missed call") verification service (docs/providers/flash-call.md): <c>POST {"destination", "token"}</c> rings
    /// the destination from a number whose last digits are the code. The token travels in the BODY, so the body is
    /// only ever logged with the token masked; every accepted request rings a phone, so a request that may have
    /// reached the server is never repeated.
    /// </summary>
    public sealed class FlashCallClient : ProviderClient
    {
        public const string ProviderName = "FlashCall";
        internal const string Operation = "call";
        internal const string UncertainOutcome = "the phone may already have been called";

        /// <summary>The address in the document's heading (docs/providers/flash-call.md, 'The endpoint'; its Python sample uses flash-call.liara.run instead).</summary>
        public static readonly Uri DefaultEndpoint = new Uri("https://flash-call2.liara.run/services/call/call/");

        public FlashCallClient(Secret token, Uri? endpoint = null, HttpTransport? transport = null, RateLimitGate? gate = null)
            // The full address of the call method (not a base: the service's path ends in /call/call/).
            : base(ProviderName, token, nameof(token), Endpoints.RequireHttp(endpoint ?? DefaultEndpoint), transport, gate)
        {
        }

        /// <summary>
        /// Checks a flash call before anything is sent and returns it with the destination in the form the service takes
        /// (09xxxxxxxxx); throws an invalid-input error naming Destination.
        /// </summary>
        public static FlashCallRequest Prepare(FlashCallRequest call)
        {
            if (call is null) throw new ArgumentNullException(nameof(call));
            return new FlashCallRequest(PhoneNumbers.ToIranLocal(call.Destination, ProviderName, "Destination"));
        }

        /// <summary>
        /// Rings the destination once. Success is decided by the HTTP status and the presence of
        /// <c>code</c>, never by the (Persian) message text. Throws <see cref="MessagingException"/> otherwise;
        /// its <c>MayHaveTakenEffect</c> says whether the phone may have rung anyway.
        /// </summary>
        public async Task<FlashCallResult> CallAsync(FlashCallRequest call, CancellationToken cancellationToken = default)
        {
            var phone = Prepare(call).Destination;
            var json = JsonText.Serialize(new CallBody { Destination = phone, Token = Credential.Reveal() });
            var request = new TransportRequest(ProviderName, Operation, HttpMethod.Post, Endpoint)
            {
                Content = () => JsonText.Content(json),
                Idempotent = false, // each accepted request rings a phone
                UncertainOutcome = UncertainOutcome,
                Gate = Gate,
                LoggableBody = System.Text.Encoding.UTF8.GetString(JsonText.Serialize(new CallBody { Destination = phone, Token = Secret.Mask })),
            };
            request.Secrets.Add(Credential);

            var response = await Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            using (var doc = JsonText.TryParse(response.Body))
            {
                var root = RequireObject(response, doc, Operation, UncertainOutcome);
                var message = root.GetString("message");
                var code = root.GetString("code");
                if (string.IsNullOrWhiteSpace(code))
                    // A 200 answer without a code: the service explained the refusal in "message" (wrong, expired or
                    // disabled key...); its wording is not compared, only passed on.
                    throw Redacted(new MessagingException(ProviderName, ErrorKind.Remote, "FlashCallWasNotPlaced",
                        $"FlashCall {Operation} to {phone}: the service answered without a code, so no call was placed" +
                        (string.IsNullOrEmpty(message) ? "." : $": {message}"),
                        providerMessage: message, httpStatus: response.StatusCode));
                return new FlashCallResult(phone, code!.Trim(), root.GetString("head_number"), root.GetString("tracking_code"),
                    message, DateTimeOffset.Now);
            }
        }

        internal sealed class CallBody
        {
            [JsonPropertyName("destination")] public string Destination { get; set; } = "";
            [JsonPropertyName("token")] public string Token { get; set; } = "";
        }
    }
}
