using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Json;
using MessagingTools.Core.Security;

namespace MessagingTools.Core.Providers.Zadarma
{
    // The one request path of the client (each request built once, signed and sent as that text), and the paging of
    // the statistics methods over it. The methods are in ZadarmaClient.cs, their input rules in ZadarmaClient.Rules.cs,
    // the readers of their answers in ZadarmaClient.Answers.cs.
    public sealed partial class ZadarmaClient
    {
        // ----- the one request path -----

        private static readonly List<KeyValuePair<string, string?>> NoParameters = new List<KeyValuePair<string, string?>>();

        private static List<KeyValuePair<string, string?>> Parameters(params (string Name, string? Value)[] items) =>
            items.Where(i => i.Value != null).Select(i => new KeyValuePair<string, string?>(i.Name, i.Value)).ToList();

        private sealed class Answer
        {
            public Answer(JsonDocument document, TransportResponse response, string operation)
            {
                Document = document;
                Response = response;
                Operation = operation;
            }

            public JsonDocument Document { get; }
            public TransportResponse Response { get; }
            public string Operation { get; }
        }

        /// <summary>Signs and sends one request; returns the parsed answer of a success, throws for every error.</summary>
        private Task<Answer> SendRequestAsync(HttpMethod verb, string method, string operation, List<KeyValuePair<string, string?>> parameters,
            RateLimitGate gate, CancellationToken cancellationToken, bool idempotent = true, string? uncertain = null,
            Func<HttpContent>? content = null) =>
            SendQueryAsync(verb, method, operation, ZadarmaSigner.BuildQuery(parameters), gate, cancellationToken, idempotent, uncertain, content: content);

        /// <summary>
        /// Signs and sends one request whose query is built (<see cref="ZadarmaSigner.BuildQuery"/>, <see cref="ZadarmaPhpQuery.Build"/>):
        /// this text is signed and this text is sent (or, with <paramref name="content"/>, a multipart form whose fields are
        /// the query's). Returns the parsed answer of a success; throws for every error. An answer without a <c>status</c> is
        /// a success only when <paramref name="statusRequired"/> is false (ZCRM methods).
        /// </summary>
        private async Task<Answer> SendQueryAsync(HttpMethod verb, string method, string operation, string query,
            RateLimitGate gate, CancellationToken cancellationToken, bool idempotent = true, string? uncertain = null, bool statusRequired = true,
            Func<HttpContent>? content = null)
        {
            var authorization = new Secret(ZadarmaSigner.Authorization(_key, method, query, Credential));
            var isGet = verb == HttpMethod.Get;
            var relative = method.TrimStart('/') + (isGet && query.Length > 0 ? "?" + query : "");
            var request = new TransportRequest(ProviderName, operation, verb, ExactUri.Create(Endpoint.AbsoluteUri + relative))
            {
                Idempotent = idempotent,
                Gate = gate,
                UncertainOutcome = uncertain ?? "the request may have been carried out",
                LoggableBody = isGet ? null : query,
            };
            if (!isGet && content != null)
            {
                // A multipart form (a file upload): the parameters go as its fields, and the signature covers them
                // alone, as the PHP SDK's Client::_getAuthHeader leaves the file (a CURLFile object) out of it.
                request.Content = content;
            }
            else if (!isGet)
            {
                var body = Encoding.ASCII.GetBytes(query); // form encoding leaves only ASCII
                request.Content = () =>
                {
                    var form = new ByteArrayContent(body);
                    form.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
                    return form;
                };
            }
            request.SecretHeaders["Authorization"] = authorization;
            request.Secrets.Add(Credential);

            var response = await Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var doc = JsonText.TryParse(response.Body);
            JsonElement root;
            try
            {
                root = RequireObject(response, doc, operation, uncertain);
            }
            catch (MessagingException)
            {
                doc?.Dispose();
                throw;
            }
            var status = root.GetString("status");
            var message = root.GetString("message");
            if (!string.Equals(status, "success", StringComparison.OrdinalIgnoreCase) && (statusRequired || status != null))
            {
                doc!.Dispose();
                // docs/providers/zadarma.md, 'Answers: status and message': "Ответ состоит из обязательного ключа «status» (success или error) ... «message» с описанием ошибки".
                throw Redacted(new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaReturnedAnError",
                    $"Zadarma {operation}: Zadarma answered {(status ?? "without a status")}" + (string.IsNullOrEmpty(message) ? "." : $": {message}"),
                    providerCode: status, providerMessage: message, httpStatus: response.StatusCode));
            }
            return new Answer(doc!, response, operation);
        }

        private async Task PageAsync(DateTimeOffset start, DateTimeOffset end, string operation, string method,
            Func<string, string, List<KeyValuePair<string, string?>>> parameters, Action<JsonElement, Answer> add,
            CancellationToken cancellationToken, bool paged = true)
        {
            // Whole seconds: that is the resolution of Zadarma's "Y-m-d H:i:s".
            var from = Truncate(start);
            var to = Truncate(end);
            ZadarmaStatisticsPeriod.RequireOrdered(from, to);
            var zone = _zone;
            var pieceStart = from;
            DateTime? lastLocalEnd = null;
            while (true)
            {
                var pieceEnd = pieceStart + MaxStatisticsPeriod - TimeSpan.FromSeconds(1);
                if (pieceEnd > to) pieceEnd = to;
                // Each end as the account's clock shows it at that moment: across a daylight-saving change the two ends
                // of a period have two offsets. Where the clock goes back, a piece's local start could fall at or before
                // the previous piece's local end, and the repeated hour would be read twice: it starts after it instead.
                var localStart = zone.ToAccount(pieceStart).DateTime;
                var localEnd = zone.ToAccount(pieceEnd).DateTime;
                if (lastLocalEnd is DateTime last && localStart <= last) localStart = last.AddSeconds(1);
                lastLocalEnd = localEnd > (lastLocalEnd ?? DateTime.MinValue) ? localEnd : lastLocalEnd;
                if (localStart <= localEnd)
                {
                    var s = localStart.ToString(DateFormat, CultureInfo.InvariantCulture);
                    var e = localEnd.ToString(DateFormat, CultureInfo.InvariantCulture);
                    for (int skip = 0; ; skip += _pageSize)
                    {
                        var p = parameters(s, e);
                        if (paged)
                        {
                            p.Add(new KeyValuePair<string, string?>("skip", skip.ToString(CultureInfo.InvariantCulture)));
                            p.Add(new KeyValuePair<string, string?>("limit", _pageSize.ToString(CultureInfo.InvariantCulture)));
                        }
                        // Statistics count against the account's overall limit and their own lower one.
                        try
                        {
                            await Gate.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (RateLimitWaitTooLongException ex)
                        {
                            throw ex.ToError(ProviderName, operation); // as the transport reports it for its own gate
                        }
                        Answer answer;
                        try
                        {
                            answer = await SendRequestAsync(HttpMethod.Get, method, operation, p, StatisticsGate, cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            // The transport reports this answer to StatisticsGate only: take the request off the overall
                            // gate's requests in flight (its figure is the statistics one, so it is not passed on).
                            Gate.Observe(null, null, null);
                        }
                        int count = 0;
                        using (answer.Document)
                        {
                            foreach (var r in Array(answer.Document.RootElement, "stats", answer, optional: true))
                            {
                                add(r, answer);
                                count++;
                            }
                        }
                        if (!paged || count < _pageSize) break;
                    }
                }
                if (pieceEnd >= to) break;
                pieceStart = pieceEnd + TimeSpan.FromSeconds(1);
            }
        }

        private static DateTimeOffset Truncate(DateTimeOffset t) => new DateTimeOffset(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);
    }
}
