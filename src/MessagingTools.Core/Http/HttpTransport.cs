using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Logging;
using MessagingTools.Core.Security;
using MessagingTools.Core.Throttling;

namespace MessagingTools.Core.Http
{
    /// <summary>
    /// The one HTTP path of every provider: a shared <see cref="HttpClient"/> (or one over an injected handler),
    /// a per-attempt timeout, cancellation, retries that respect idempotency, rate-limit waits and redacted logs.
    /// </summary>
    public sealed partial class HttpTransport
    {
        private static readonly Lazy<HttpTransport> s_shared = new Lazy<HttpTransport>(() => new HttpTransport());
        private static readonly HashSet<int> s_transientStatus = new HashSet<int> { 500, 502, 503, 504 };
        private readonly HttpClient _client;

        // Requests that must not be repeated go through a pool of their own: see MakeSingleUse.
        private readonly HttpClient _singleUseClient;
        private static readonly bool s_onNetFramework =
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);
        [ThreadStatic] private static Random? t_random;

        /// <summary>The process-wide transport: one connection pool for every cmdlet call.</summary>
        public static HttpTransport Shared => s_shared.Value;

        /// <param name="handler">A handler to send through (tests); null for the default ones.</param>
        /// <param name="options">Timeouts, retry limits and the answer size bound; null for the defaults.</param>
        /// <param name="log">Where verbose and debug lines go; null for nowhere.</param>
        public HttpTransport(HttpMessageHandler? handler = null, TransportOptions? options = null, TransportLog? log = null)
        {
            _client = handler is null ? CreateClient(CreateDefaultHandler(), ownsHandler: true) : CreateClient(handler, ownsHandler: false);
            _singleUseClient = handler is null ? CreateClient(CreateSingleUseHandler(), ownsHandler: true) : _client;
            Options = options ?? new TransportOptions();
            Log = log;
        }

        private HttpTransport(HttpTransport pools, TransportOptions options, TransportLog? log, Func<LogLevel, bool>? isLogged)
        {
            _client = pools._client;
            _singleUseClient = pools._singleUseClient;
            Options = options;
            Log = log;
            _isLogged = isLogged;
        }

        // Which levels the log takes; null for all. A line of a level nobody reads is not even made: a request's debug
        // lines (its headers and body, masked) and its verbose line cost more than the rest of a row's bookkeeping.
        private readonly Func<LogLevel, bool>? _isLogged;

        private static HttpClient CreateClient(HttpMessageHandler handler, bool ownsHandler)
        {
            var client = new HttpClient(handler, disposeHandler: ownsHandler)
            {
                Timeout = System.Threading.Timeout.InfiniteTimeSpan, // per attempt, in SendAsync
            };
            client.DefaultRequestHeaders.UserAgent.ParseAdd("MessagingTools/" + typeof(HttpTransport).Assembly.GetName().Version);
            return client;
        }

        public TransportOptions Options { get; }

        public TransportLog? Log { get; }

        /// <summary>
        /// The same connection pool with other options and log: cheap, for one run of a cmdlet. <paramref name="isLogged"/>
        /// says which levels the log takes (the levels whose stream the user shows); null keeps this transport's choice.
        /// </summary>
        public HttpTransport With(TransportOptions? options = null, TransportLog? log = null, Func<LogLevel, bool>? isLogged = null) =>
            new HttpTransport(this, options ?? Options, log ?? Log, isLogged ?? _isLogged);

        /// <summary>
        /// The handler for requests that must not be repeated: no connection it opens serves a second request. Saying
        /// Connection: close in the request is not enough: .NET's SocketsHttpHandler honours only the answer's, and puts
        /// the connection back in its pool when the server closes without saying so (HTTP/1.1 allows it; Python's
        /// http.server does it). The next request written there meets the closed socket and, as it must not be repeated,
        /// ends "may have taken effect" though the server never read it (issue 16: 141 of 200 callbacks answered at
        /// ThrottleLimit 8). A pooled-connection lifetime of zero retires each connection after its one request.
        /// SocketsHttpHandler is not in netstandard2.0's surface, so it is made by name: it is there on every .NET
        /// (Core) that PowerShell 7 runs on. On .NET Framework (Windows PowerShell 5.1) there is none, and HttpClientHandler
        /// over HttpWebRequest does not reuse a connection for a request that says Connection: close (KeepAlive false).
        /// </summary>
        private static HttpMessageHandler CreateSingleUseHandler()
        {
            var type = s_onNetFramework ? null : Type.GetType("System.Net.Http.SocketsHttpHandler, System.Net.Http", throwOnError: false);
            if (type is null || type.GetProperty("IsSupported")?.GetValue(null) is false) return CreateDefaultHandler();
            var handler = (HttpMessageHandler)Activator.CreateInstance(type);
            type.GetProperty("PooledConnectionLifetime")!.SetValue(handler, TimeSpan.Zero);
            type.GetProperty("AllowAutoRedirect")!.SetValue(handler, FollowRedirects);
            type.GetProperty("AutomaticDecompression")!.SetValue(handler, Decompression);
            return handler;
        }

        // What both handlers are set to (a setting added to one belongs on the other). A redirect would carry the
        // credentials (headers, a token in the body) to wherever it points, and a page that answers 200 there would pass
        // for a success: a 3xx is an error instead (SendAsync).
        private const bool FollowRedirects = false;
        private const DecompressionMethods Decompression = DecompressionMethods.GZip | DecompressionMethods.Deflate;

        private static HttpMessageHandler CreateDefaultHandler()
        {
            var handler = new HttpClientHandler
            {
                AutomaticDecompression = Decompression,
                AllowAutoRedirect = FollowRedirects,
            };
            try
            {
                // .NET Framework allows 2 connections per host by default, which would serialize -ThrottleLimit.
                handler.MaxConnectionsPerServer = 256;
            }
            catch (PlatformNotSupportedException) { }
            catch (NotImplementedException) { }
            return handler;
        }

        /// <summary>
        /// Sends the request, retrying as its idempotency allows, and returns the answer it settled on.
        /// Throws <see cref="MessagingException"/> for timeouts, network faults and exhausted rate-limit waits,
        /// and <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
        /// Answers with error statuses are returned for the provider to interpret.
        /// </summary>
        public async Task<TransportResponse> SendAsync(TransportRequest request, CancellationToken cancellationToken = default)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var secrets = request.AllSecrets().ToList();
            var timeout = request.Timeout ?? Options.Timeout;
            int attempt = 0, failures = 0, rateLimitRetries = 0;

            while (true)
            {
                attempt++;
                cancellationToken.ThrowIfCancellationRequested();
                if (request.Gate != null)
                {
                    try
                    {
                        await request.Gate.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (RateLimitWaitTooLongException ex)
                    {
                        throw ex.ToError(request.Provider, request.Operation, request.ErrorIdPrefix);
                    }
                }

                TransportResponse? response = null;
                Exception? failure = null;
                bool mayHaveTakenEffect = true;
                bool timedOut = false;
                var watch = Stopwatch.StartNew();
                using (var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                using (var message = BuildMessage(request))
                {
                    timeoutCts.CancelAfter(timeout);
                    WriteLog(LogLevel.Debug, secrets, () => DescribeAttempt(request, attempt));
                    try
                    {
                        if (!request.Idempotent) MakeSingleUse(message);
                        var client = request.Idempotent ? _client : _singleUseClient;
                        using (var answer = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeoutCts.Token).ConfigureAwait(false))
                        {
                            var bytes = await ReadBoundedAsync(request, answer, timeoutCts.Token).ConfigureAwait(false);
                            response = new TransportResponse((int)answer.StatusCode, DecodeUtf8(bytes), CollectHeaders(answer), attempt);
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        WriteLog(LogLevel.Verbose, secrets, () => $"{request.Method} {request.Uri} cancelled by the user.");
                        throw new OperationCanceledException(cancellationToken);
                    }
                    catch (OperationCanceledException ex)
                    {
                        failure = ex;
                        timedOut = true;
                    }
                    catch (HttpRequestException ex)
                    {
                        failure = ex;
                        mayHaveTakenEffect = !NeverReachedServer(ex);
                    }
                    catch (Exception ex) when (ex is System.IO.IOException || ex is SocketException)
                    {
                        failure = ex;
                    }
                }

                if (response != null)
                {
                    if (response.StatusCode >= 300 && response.StatusCode < 400) throw Redirected(request, response, secrets);
                    Observe(request.Gate, response);
                    WriteLog(LogLevel.Verbose, secrets, () =>
                        $"{request.Method} {request.Uri} -> {response.StatusCode} in {watch.ElapsedMilliseconds} ms (attempt {attempt}).");
                    WriteLog(LogLevel.Debug, secrets, () => "Response body: " + Truncate(response.Body));

                    var advice = Classify(request, response);
                    if (advice is null) return response;

                    bool allowed = advice.IsRateLimit
                        ? rateLimitRetries++ < Options.MaxRateLimitRetries
                        : ++failures < Options.MaxAttempts;
                    var delay = advice.After ?? (advice.IsRateLimit ? Options.DefaultRateLimitWait : Backoff(failures));
                    if (advice.IsRateLimit && delay > Options.MaxRateLimitWait) allowed = false;
                    if (!allowed)
                    {
                        if (response.StatusCode == 429)
                            throw MessagingException.RateLimitExceeded(request.Provider, request.ErrorIdPrefix,
                                Secret.Redact($"{request.Provider} {request.Operation}: the provider kept answering that the rate limit was exceeded " +
                                    $"({response.StatusCode}); gave up after {attempt} attempts. Lower -ThrottleLimit or try again later.", secrets),
                                httpStatus: response.StatusCode);
                        return response; // the provider client turns the final answer into its error
                    }
                    if (advice.IsRateLimit) request.Gate?.PauseUntil(DateTimeOffset.UtcNow + delay);
                    WriteLog(advice.IsRateLimit ? LogLevel.Warning : LogLevel.Verbose, secrets, () =>
                        $"{request.Provider} {request.Operation}: {advice.Reason}; retrying in {delay.TotalSeconds:0.##} s.");
                    // No request is in flight while we wait: under an OrderedWorkQueue the ThrottleLimit slot goes to the
                    // rows after this one meanwhile, so one retrying row does not idle a slot (issue 11, item 8).
                    await ThrottleSlot.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // No answer: a timeout or a network fault.
                bool retryable = request.Idempotent || !mayHaveTakenEffect;
                if (retryable && ++failures < Options.MaxAttempts)
                {
                    var delay = Backoff(failures);
                    WriteLog(LogLevel.Verbose, secrets, () =>
                        $"{request.Method} {request.Uri} failed ({Describe(failure!, timedOut, timeout)}, attempt {attempt}); retrying in {delay.TotalSeconds:0.##} s.");
                    await ThrottleSlot.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw NoAnswer(request, failure!, timedOut, timeout, attempt, mayHaveTakenEffect && request.ActsOnTheServer, secrets);
            }
        }

        private RetryAdvice? Classify(TransportRequest request, TransportResponse response)
        {
            if (response.StatusCode == 429)
                return new RetryAdvice("the provider answered 429 (rate limit exceeded)", RetryAfter(response), isRateLimit: true);
            if (s_transientStatus.Contains(response.StatusCode))
                return request.Idempotent ? new RetryAdvice($"the provider answered {response.StatusCode}") : null;
            return request.RetryWhen?.Invoke(response);
        }

        /// <summary>How long a 429 asks us to wait: Retry-After (seconds or date), else X-RateLimit-Reset (unix time).</summary>
        public static TimeSpan? RetryAfter(TransportResponse response)
        {
            var retryAfter = response.Header("Retry-After");
            if (!string.IsNullOrWhiteSpace(retryAfter))
            {
                if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                    return TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));
                if (DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
                    return Max(TimeSpan.Zero, when - DateTimeOffset.UtcNow);
            }
            if (UnixTime(response.HeaderAsInt64("X-RateLimit-Reset")) is DateTimeOffset resetAt)
                // The reset is on the server's clock: measured from the answer's Date (same clock) where there is one,
                // so that a machine whose clock runs ahead does not retry a 429 every 100 ms until the retries run out.
                return Max(TimeSpan.Zero, resetAt - (ServerDate(response) ?? DateTimeOffset.UtcNow)) + TimeSpan.FromMilliseconds(100);
            return null;
        }

        private static void Observe(RateLimitGate? gate, TransportResponse response)
        {
            if (gate is null) return;
            gate.Observe(
                (int?)response.HeaderAsInt64("X-RateLimit-Limit"),
                (int?)response.HeaderAsInt64("X-RateLimit-Remaining"),
                UnixTime(response.HeaderAsInt64("X-RateLimit-Reset")),
                ServerDate(response));
        }

        /// <summary>The answer's Date header (RFC 9110: the server's clock, whole seconds), or null.</summary>
        internal static DateTimeOffset? ServerDate(TransportResponse response)
        {
            var date = response.Header("Date");
            return !string.IsNullOrWhiteSpace(date) &&
                   DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value : (DateTimeOffset?)null;
        }

        /// <summary>A unix time in seconds (or milliseconds, as some servers send); null when out of range.</summary>
        internal static DateTimeOffset? UnixTime(long? value)
        {
            const long maxSeconds = 253402300799L;
            if (!(value is long v) || v <= 0) return null;
            if (v > maxSeconds) v /= 1000;
            return v <= maxSeconds ? DateTimeOffset.FromUnixTimeSeconds(v) : (DateTimeOffset?)null;
        }

        private static HttpRequestMessage BuildMessage(TransportRequest request)
        {
            var message = new HttpRequestMessage(request.Method, request.Uri);
            if (request.Content != null) message.Content = request.Content();
            foreach (var h in request.Headers)
                if (!message.Headers.TryAddWithoutValidation(h.Key, h.Value)) message.Content?.Headers.TryAddWithoutValidation(h.Key, h.Value);
            foreach (var h in request.SecretHeaders)
                message.Headers.TryAddWithoutValidation(h.Key, h.Value.Reveal());
            return message;
        }

        /// <summary>
        /// Keeps the HTTP handler from sending a request that must not be repeated a second time by itself. When the
        /// connection closes before any answer, the handler takes it for a server that dropped an idle connection and
        /// silently sends the request again. A server that read the request, acted on it (placed the call) and then
        /// dropped the connection would act twice, and the second answer would hide the first.
        /// - .NET's SocketsHttpHandler re-sends a request without a body, even on a new connection, and never one
        ///   whose body it started sending: such a request always has a body here (an empty one for a GET).
        ///   Shown by TransportFaultTests with a server that acts and then drops the connection.
        /// - .NET Framework's HttpWebRequest refuses a body on GET, and re-sends only on a reused keep-alive connection:
        ///   there the request says Connection: close and goes through a pool of its own, so no connection is reused
        ///   for it (not verified: Windows PowerShell 5.1 cannot run on the development machines).
        /// - On every runtime, no connection serves such a request after another one: see CreateSingleUseHandler.
        /// </summary>
        private static void MakeSingleUse(HttpRequestMessage message)
        {
            message.Headers.ConnectionClose = true;
            if (message.Content is null && !s_onNetFramework) message.Content = new ByteArrayContent(new byte[0]);
        }

        private static string DescribeAttempt(TransportRequest request, int attempt)
        {
            var sb = new StringBuilder();
            sb.Append(request.Method).Append(' ').Append(request.Uri).Append(" (attempt ").Append(attempt).Append(')');
            foreach (var h in request.Headers) sb.Append("\n  ").Append(h.Key).Append(": ").Append(h.Value);
            foreach (var h in request.SecretHeaders) sb.Append("\n  ").Append(h.Key).Append(": ").Append(Secret.Mask);
            if (request.LoggableBody != null) sb.Append("\n  body: ").Append(Truncate(request.LoggableBody));
            return sb.ToString();
        }

        /// <summary>
        /// The answer's body, read up to <see cref="TransportOptions.MaxAnswerBytes"/>; past it, an error. An answer that
        /// says its length (every provider's does) is read into an array of that size and nothing else; one that does not
        /// goes through a pooled buffer. A fresh 16 KB buffer per answer was a third of what a row allocated (issue 16).
        /// </summary>
        private async Task<byte[]> ReadBoundedAsync(TransportRequest request, HttpResponseMessage answer, CancellationToken cancellationToken)
        {
            if (answer.Content is null) return s_noBytes;
            var limit = Options.MaxAnswerBytes;
            var length = answer.Content.Headers.ContentLength;
            if (length > limit) throw TooLarge(request, limit);
            using (var stream = await answer.Content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                if (length is long known)
                {
                    if (known == 0) return s_noBytes;
                    var body = new byte[known];
                    int filled = 0, got;
                    while (filled < body.Length && (got = await stream.ReadAsync(body, filled, body.Length - filled, cancellationToken).ConfigureAwait(false)) > 0)
                        filled += got;
                    if (filled == body.Length) return body;
                    // Fewer bytes than announced: the handler normally throws first; keep what came.
                    Array.Resize(ref body, filled);
                    return body;
                }
                var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    using (var buffer = new System.IO.MemoryStream())
                    {
                        int read;
                        while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            if (buffer.Length + read > limit) throw TooLarge(request, limit);
                            buffer.Write(chunk, 0, read);
                        }
                        return buffer.ToArray();
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
                }
            }
        }

        private static readonly byte[] s_noBytes = new byte[0];

        private static MessagingException TooLarge(TransportRequest request, long limit)
        {
            var message = $"{request.Provider} {request.Operation}: the answer is larger than {limit / (1024 * 1024)} MB, far more than the " +
                          "provider answers; it was not read. Check -Endpoint.";
            if (request.ActsOnTheServer) message += " The request reached the server. " + UncertainSentence(request);
            return new MessagingException(request.Provider, ErrorKind.Remote, request.ErrorIdPrefix + "AnswerWasTooLarge", message,
                mayHaveTakenEffect: request.ActsOnTheServer);
        }

        private static MessagingException Redirected(TransportRequest request, TransportResponse response, IEnumerable<Secret> secrets)
        {
            var location = response.Header("Location");
            var where = string.IsNullOrWhiteSpace(location) ? "without saying where" : "to " + location;
            var message = $"{request.Provider} {request.Operation}: {request.Method} {request.Uri} answered {response.StatusCode}, a redirect {where}. " +
                          "It was not followed, so that no credential goes to another address: check -Endpoint (or the provider's " +
                          "endpoint environment variable), and use the address the provider documents.";
            return new MessagingException(request.Provider, ErrorKind.Remote, request.ErrorIdPrefix + "AnswerWasARedirect",
                Secret.Redact(message, secrets), providerCode: response.StatusCode.ToString(CultureInfo.InvariantCulture), httpStatus: response.StatusCode);
        }

        private static MessagingException NoAnswer(TransportRequest request, Exception failure, bool timedOut, TimeSpan timeout,
            int attempts, bool uncertain, IEnumerable<Secret> secrets)
        {
            var what = Describe(failure, timedOut, timeout);
            var message = $"{request.Provider} {request.Operation}: {what} after {attempts} attempt{(attempts == 1 ? "" : "s")}.";
            if (uncertain) message += " " + UncertainSentence(request);
            return new MessagingException(request.Provider,
                timedOut ? ErrorKind.Timeout : ErrorKind.Network,
                (timedOut ? "RequestTimedOut" : "ConnectionFailed") + (uncertain ? "MayHaveTakenEffect" : ""),
                Secret.Redact(message, secrets),
                mayHaveTakenEffect: uncertain,
                innerException: timedOut ? null : new HttpRequestException(Secret.Redact(failure.Message, secrets)));
        }

        /// <summary>What a request that acts and got no (readable) answer may have done, and what to do about it.</summary>
        internal static string UncertainSentence(TransportRequest request)
        {
            var outcome = request.UncertainOutcome;
            return request.Idempotent
                ? char.ToUpperInvariant(outcome[0]) + outcome.Substring(1) + "."
                : $"It was not repeated because {outcome}: check before sending it again.";
        }

        private static string Describe(Exception failure, bool timedOut, TimeSpan timeout)
        {
            if (timedOut) return $"no answer within {timeout.TotalSeconds:0.##} s";
            var inner = failure;
            while (inner.InnerException != null) inner = inner.InnerException;
            return "the connection failed (" + inner.Message.TrimEnd('.') + ")";
        }

        /// <summary>True when the exception proves the request never left this machine (refused, unknown host).</summary>
        internal static bool NeverReachedServer(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is SocketException se)
                {
                    switch (se.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                        case SocketError.HostNotFound:
                        case SocketError.HostUnreachable:
                        case SocketError.NetworkUnreachable:
                        case SocketError.TryAgain:
                        case SocketError.NoData:
                        case SocketError.AddressNotAvailable:
                            return true;
                    }
                }
            }
            return false;
        }

        private TimeSpan Backoff(int failures)
        {
            var random = t_random ??= new Random(Guid.NewGuid().GetHashCode());
            var baseMs = Options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Max(0, failures - 1));
            var ms = Math.Min(Options.MaxBackoff.TotalMilliseconds, baseMs) * (0.8 + 0.4 * random.NextDouble());
            return TimeSpan.FromMilliseconds(ms);
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

        private static readonly UTF8Encoding s_utf8 = new UTF8Encoding(false, false);

        private static string DecodeUtf8(byte[] bytes)
        {
            int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return s_utf8.GetString(bytes, start, bytes.Length - start);
        }

        private static IReadOnlyDictionary<string, string> CollectHeaders(HttpResponseMessage answer)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var h in answer.Headers) headers[h.Key] = string.Join(",", h.Value);
            if (answer.Content != null)
                foreach (var h in answer.Content.Headers) headers[h.Key] = string.Join(",", h.Value);
            return headers;
        }

        private static string Truncate(string text) => text.Length <= 4096 ? text : text.Substring(0, 4096) + $"... ({text.Length} chars)";

        private void WriteLog(LogLevel level, IEnumerable<Secret> secrets, Func<string> message)
        {
            var log = Log;
            if (log is null || (_isLogged != null && !_isLogged(level))) return;
            log(level, Secret.Redact(message(), secrets));
        }
    }
}
