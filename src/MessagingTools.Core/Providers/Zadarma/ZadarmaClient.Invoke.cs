using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;

namespace MessagingTools.Core.Providers.Zadarma
{
    // A signed request to any Zadarma method (Invoke-ZadarmaRequest), as the PHP SDK's Client::call($method, $params,
    // $requestType) makes one: the same signing and the same request path as the methods of ZadarmaClient.cs.
    public sealed partial class ZadarmaClient
    {
        internal const string RequestUncertain = "the request may have been carried out";

        /// <summary>
        /// Checks a request to any method before anything is sent: the path (<c>/v1/...</c>, no query, no '..') and the
        /// parameters, whose query is built here once (<see cref="ZadarmaApiRequest.Query"/>). Throws invalid-input errors
        /// naming the field (Path, Parameter).
        /// </summary>
        public static ZadarmaApiRequest Prepare(ZadarmaApiRequest request)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var path = (request.Path ?? "").Trim();
            if (path.Length == 0) throw BadPath(request.Path, "The path is empty: give a method's path with its version, such as /v1/info/balance/.");
            if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                throw BadPath(path, $"'{path}' is an address: give the method's path alone (such as /v1/info/balance/); another address goes in -Endpoint.");
            if (path.IndexOf('?') >= 0 || path.IndexOf('#') >= 0)
                throw BadPath(path, $"The path '{path}' holds a query: give the parameters in -Parameter (a hashtable), so that they are signed as Zadarma checks them.");
            if (!path.StartsWith("/v1/", StringComparison.Ordinal) || path.Length == 4)
                throw BadPath(path, $"'{path}' is not a method of Zadarma's API: a path starts with /v1/ and names the method, such as /v1/info/balance/ or /v1/sip/100/status/.");
            foreach (var c in path)
            {
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' || c == '/';
                if (!ok) throw BadPath(path, $"The path '{path}' holds '{c}': a method's path has letters, digits, '-', '_', '.', '~' and '/' only.");
            }
            if (path.Split('/').Skip(1).Any(s => s == "." || s == ".." ) || path.IndexOf("//", StringComparison.Ordinal) >= 0)
                throw BadPath(path, $"The path '{path}' has an empty, '.' or '..' part.");
            var format = request.Parameters.Where(p => string.Equals(p.Key, "format", StringComparison.Ordinal)).Select(p => ZadarmaPhpQuery.Scalar(p.Value)).LastOrDefault();
            if (format != null && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaParameterIsNotValid",
                    $"format={format}: the answer is read as JSON (Zadarma's default); leave format out.") { Field = "Parameter" };
            return new ZadarmaApiRequest(path, request.Method, request.Parameters) { Query = ZadarmaPhpQuery.Build(request.Parameters) };
        }

        /// <summary>
        /// Signs and sends a request to any Zadarma method, as the PHP SDK's <c>Client::call</c> does: the parameters in
        /// the query of a GET, in the form body of a POST, PUT or DELETE. A GET is a read and is retried as reads are; any
        /// other verb is never repeated once it may have reached Zadarma. A <c>/v1/statistics</c> path also waits for
        /// <see cref="StatisticsGate"/>. Returns the JSON answer of a success; an answer whose <c>status</c> is not
        /// <c>success</c> (or an HTTP error, or 429) throws the module's errors (ZadarmaReturnedAnError, ...).
        /// </summary>
        public async Task<ZadarmaApiAnswer> InvokeAsync(ZadarmaApiRequest request, CancellationToken cancellationToken = default)
        {
            var prepared = Prepare(request);
            var verb = prepared.Method switch
            {
                ZadarmaHttpMethod.Post => HttpMethod.Post,
                ZadarmaHttpMethod.Put => HttpMethod.Put,
                ZadarmaHttpMethod.Delete => HttpMethod.Delete,
                _ => HttpMethod.Get,
            };
            var operation = prepared.Path.Substring("/v1/".Length).TrimEnd('/');
            var isRead = verb == HttpMethod.Get;
            var uncertain = isRead ? null : RequestUncertain;
            var statistics = prepared.Path.StartsWith("/v1/statistics/", StringComparison.Ordinal) || prepared.Path == "/v1/statistics";
            var answer = statistics
                ? await SendStatisticsQueryAsync(verb, prepared.Path, operation, prepared.Query!, cancellationToken, isRead, uncertain).ConfigureAwait(false)
                : await SendQueryAsync(verb, prepared.Path, operation, prepared.Query!, Gate, cancellationToken, idempotent: isRead, uncertain: uncertain, statusRequired: false).ConfigureAwait(false);
            using (answer.Document)
                return new ZadarmaApiAnswer(verb.Method, prepared.Path, answer.Response.StatusCode, answer.Response.Body, answer.Response.Attempts);
        }

        /// <summary>
        /// A statistics request: it counts against the account's overall limit and the statistics one, so it waits for
        /// <see cref="ProviderClient.Gate"/> and then goes through <see cref="StatisticsGate"/> (as the statistics pages do).
        /// </summary>
        private async Task<Answer> SendStatisticsQueryAsync(HttpMethod verb, string method, string operation, string query,
            CancellationToken cancellationToken, bool idempotent = true, string? uncertain = null)
        {
            try
            {
                await Gate.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RateLimitWaitTooLongException ex)
            {
                throw ex.ToError(ProviderName, operation);
            }
            try
            {
                return await SendQueryAsync(verb, method, operation, query, StatisticsGate, cancellationToken, idempotent, uncertain, statusRequired: false).ConfigureAwait(false);
            }
            finally
            {
                Gate.Observe(null, null, null); // the answer's figures are the statistics ones: StatisticsGate has them
            }
        }

        private static MessagingException BadPath(string? path, string message) =>
            new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaPathIsNotValid", message) { Field = "Path" };
    }
}
