using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Logging;
using MessagingTools.Core.Security;
using MessagingTools.Core.Throttling;

namespace MessagingTools.Core.Http
{
    /// <summary>What a download's answer says before its body is read: where the body goes is decided from it.</summary>
    public sealed class DownloadStart
    {
        public DownloadStart(Uri uri, string? contentType, long? contentLength, int attempt)
        {
            Uri = uri;
            ContentType = contentType;
            ContentLength = contentLength;
            Attempt = attempt;
        }

        /// <summary>The address that answered (the last one, after any redirect).</summary>
        public Uri Uri { get; }

        /// <summary>The media type of the body (audio/mpeg), without parameters; null when the answer names none.</summary>
        public string? ContentType { get; }

        /// <summary>The body's announced length; null when the answer does not say.</summary>
        public long? ContentLength { get; }

        /// <summary>1 for the first attempt; a retry starts the body again from its first byte.</summary>
        public int Attempt { get; }
    }

    /// <summary>A finished download: the body was written whole.</summary>
    public sealed class DownloadResult
    {
        public DownloadResult(Uri uri, string? contentType, long length, int attempts)
        {
            Uri = uri;
            ContentType = contentType;
            Length = length;
            Attempts = attempts;
        }

        public Uri Uri { get; }
        public string? ContentType { get; }

        /// <summary>The bytes written.</summary>
        public long Length { get; }

        public int Attempts { get; }
    }

    // Downloads: a body streamed to a stream of the caller's, never held in memory whole (a call recording can be
    // hundreds of MB). A download is a read: it is retried after timeouts, dropped connections and 5xx, each attempt from
    // the first byte again (the caller's stream is given again and starts empty). Such a request carries no credential
    // (a recording link is a temporary address of its own, not signed), so a redirect is followed, up to five, never
    // from https to http.
    public sealed partial class HttpTransport
    {
        /// <summary>The most redirects a download follows.</summary>
        public const int MaxDownloadRedirects = 5;

        private const int DownloadBufferSize = 81920;

        /// <summary>
        /// GETs <paramref name="request"/> and streams a 2xx answer's body into the stream <paramref name="open"/> gives
        /// for it (called once for each attempt that reaches a body, with what the answer says of it; the caller empties
        /// its stream for a retry). The per-attempt timeout is an idle timeout here: it runs again for every piece of the
        /// body, so a long download of a steady stream does not time out. <paramref name="progress"/> hears the bytes
        /// written by the current attempt. An answer that is not 2xx, after the retries, or a redirect not followed, is an
        /// error <paramref name="errorId"/> with its status (404 <see cref="ErrorKind.NotFound"/>).
        /// </summary>
        public async Task<DownloadResult> DownloadAsync(TransportRequest request, Func<DownloadStart, Stream> open, string errorId,
            IProgress<long>? progress = null, CancellationToken cancellationToken = default)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            if (open is null) throw new ArgumentNullException(nameof(open));
            if (string.IsNullOrEmpty(errorId)) throw new ArgumentException("The id of a failed download's error is required.", nameof(errorId));
            if (request.Method != HttpMethod.Get) throw new ArgumentException("A download is a GET.", nameof(request));
            var secrets = request.AllSecrets().ToList();
            var timeout = request.Timeout ?? Options.Timeout;
            int attempt = 0, failures = 0, rateLimitRetries = 0;
            while (true)
            {
                attempt++;
                cancellationToken.ThrowIfCancellationRequested();
                Exception? failure = null;
                bool timedOut = false;
                int? status = null;
                string? statusText = null;
                TimeSpan? retryAfter = null;
                var watch = Stopwatch.StartNew();
                var uri = request.Uri;
                using (var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    try
                    {
                        for (int redirects = 0; ; redirects++)
                        {
                            timeoutCts.CancelAfter(timeout);
                            WriteLog(LogLevel.Debug, secrets, () => $"GET {uri} (download, attempt {attempt})");
                            using (var message = new HttpRequestMessage(HttpMethod.Get, uri))
                            {
                                foreach (var h in request.Headers) message.Headers.TryAddWithoutValidation(h.Key, h.Value);
                                foreach (var h in request.SecretHeaders) message.Headers.TryAddWithoutValidation(h.Key, h.Value.Reveal());
                                using (var answer = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeoutCts.Token).ConfigureAwait(false))
                                {
                                    var code = (int)answer.StatusCode;
                                    if (code >= 300 && code < 400)
                                    {
                                        var next = answer.Headers.Location is Uri location ? (location.IsAbsoluteUri ? location : new Uri(uri, location)) : null;
                                        if (next is null || request.SecretHeaders.Count > 0 || redirects >= MaxDownloadRedirects
                                            || (uri.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
                                            || (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps))
                                            throw new MessagingException(request.Provider, ErrorKind.Remote, errorId,
                                                Secret.Redact($"{request.Provider} {request.Operation}: GET {uri} answered {code}, a redirect " +
                                                    (next is null ? "without saying where" : "to " + next) + ", which was not followed " +
                                                    $"(at most {MaxDownloadRedirects}, never from https to http).", secrets),
                                                providerCode: code.ToString(System.Globalization.CultureInfo.InvariantCulture), httpStatus: code);
                                        WriteLog(LogLevel.Verbose, secrets, () => $"GET {uri} -> {code}: following the redirect to {next}.");
                                        uri = next;
                                        continue;
                                    }
                                    if (code < 200 || code >= 300)
                                    {
                                        status = code;
                                        statusText = answer.ReasonPhrase;
                                        if (code == 429)
                                            retryAfter = RetryAfter(new TransportResponse(code, "", CollectHeaders(answer), attempt));
                                        break;
                                    }
                                    var head = new DownloadStart(uri, answer.Content?.Headers.ContentType?.MediaType, answer.Content?.Headers.ContentLength, attempt);
                                    var target = open(head);
                                    long written = 0;
                                    if (answer.Content != null)
                                    {
                                        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(DownloadBufferSize);
                                        try
                                        {
                                            using (var body = await answer.Content.ReadAsStreamAsync().ConfigureAwait(false))
                                            {
                                                int read;
                                                while ((read = await body.ReadAsync(buffer, 0, buffer.Length, timeoutCts.Token).ConfigureAwait(false)) > 0)
                                                {
                                                    await target.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                                                    written += read;
                                                    progress?.Report(written);
                                                    timeoutCts.CancelAfter(timeout); // idle timeout: each piece restarts it
                                                }
                                            }
                                        }
                                        finally
                                        {
                                            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                                        }
                                    }
                                    if (head.ContentLength is long announced && announced != written)
                                        throw new IOException($"the answer ended after {written} of the {announced} bytes it announced");
                                    await target.FlushAsync(cancellationToken).ConfigureAwait(false);
                                    WriteLog(LogLevel.Verbose, secrets, () => $"GET {uri} -> {code}: {written} bytes in {watch.ElapsedMilliseconds} ms (attempt {attempt}).");
                                    return new DownloadResult(uri, head.ContentType, written, attempt);
                                }
                            }
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        WriteLog(LogLevel.Verbose, secrets, () => $"GET {uri} cancelled by the user.");
                        throw new OperationCanceledException(cancellationToken);
                    }
                    catch (OperationCanceledException ex)
                    {
                        failure = ex;
                        timedOut = true;
                    }
                    catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is SocketException)
                    {
                        failure = ex;
                    }
                }

                if (status is int failed)
                {
                    WriteLog(LogLevel.Verbose, secrets, () => $"GET {uri} -> {failed} in {watch.ElapsedMilliseconds} ms (attempt {attempt}).");
                    bool rateLimited = failed == 429;
                    bool transient = rateLimited || s_transientStatus.Contains(failed);
                    bool allowed = transient && (rateLimited ? rateLimitRetries++ < Options.MaxRateLimitRetries : ++failures < Options.MaxAttempts);
                    var delay = rateLimited ? retryAfter ?? Options.DefaultRateLimitWait : Backoff(failures);
                    if (rateLimited && delay > Options.MaxRateLimitWait) allowed = false;
                    if (!allowed)
                        throw new MessagingException(request.Provider, failed == 404 || failed == 410 ? ErrorKind.NotFound : ErrorKind.Remote,
                            errorId,
                            Secret.Redact($"{request.Provider} {request.Operation}: GET {uri} answered {failed}" +
                                (string.IsNullOrEmpty(statusText) ? "" : $" ({statusText})") +
                                (failed == 403 || failed == 404 || failed == 410 ? "; the link may have expired: ask for a new one." : ".") +
                                (attempt > 1 ? $" Tried {attempt} times." : ""), secrets),
                            providerCode: failed.ToString(System.Globalization.CultureInfo.InvariantCulture), httpStatus: failed);
                    WriteLog(rateLimited ? LogLevel.Warning : LogLevel.Verbose, secrets, () =>
                        $"{request.Provider} {request.Operation}: the server answered {failed}; retrying in {delay.TotalSeconds:0.##} s.");
                    await ThrottleSlot.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (++failures < Options.MaxAttempts)
                {
                    var delay = Backoff(failures);
                    WriteLog(LogLevel.Verbose, secrets, () =>
                        $"GET {uri} failed ({Describe(failure!, timedOut, timeout)}, attempt {attempt}); retrying from the first byte in {delay.TotalSeconds:0.##} s.");
                    await ThrottleSlot.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw NoAnswer(request, failure!, timedOut, timeout, attempt, uncertain: false, secrets);
            }
        }
    }
}
