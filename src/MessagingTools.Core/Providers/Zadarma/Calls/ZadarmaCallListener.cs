using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Security;

namespace MessagingTools.Core.Providers.Zadarma.Calls
{
    /// <summary>Settings of a <see cref="ZadarmaCallListener"/>.</summary>
    public sealed class ZadarmaCallListenerOptions
    {
        /// <summary>
        /// HttpListener prefixes, e.g. <c>http://+:8080/</c> (every address; on Windows that needs an administrator or
        /// a <c>netsh http add urlacl</c>), <c>http://localhost:8080/</c> (Windows lets anyone take it), or
        /// <c>http://127.0.0.1:8080/</c>. The host part must match the Host header of the requests (+ and * match any).
        /// A missing final '/' is added.
        /// </summary>
        public IList<string> Prefixes { get; } = new List<string>();

        /// <summary>The account's API secret: each post's <c>Signature</c> is checked with it. Null: not checked.</summary>
        public Secret? Secret { get; set; }

        /// <summary>Refuse (403) posts that are unsigned or forged. Needs <see cref="Secret"/>.</summary>
        public bool RequireSignature { get; set; }

        /// <summary>
        /// When not empty, requests from any other address are refused (403), the address check included. Entries are
        /// addresses (<c>185.45.152.42</c>, <c>::1</c>) or networks (<c>185.45.152.0/24</c>). The address is the TCP
        /// peer's: behind a proxy that is the proxy.
        /// </summary>
        public IList<string> AllowedAddresses { get; } = new List<string>();

        /// <summary>Bodies longer than this are refused with 413.</summary>
        public int MaxBodyBytes { get; set; } = ZadarmaNotifications.DefaultMaxBodyBytes;

        /// <summary>
        /// How long the routing may take before the call is answered with default routing (the late route is
        /// reported). Zadarma does not document how long it waits; keep it short.
        /// </summary>
        public TimeSpan RouteTimeout { get; set; } = TimeSpan.FromSeconds(3);

        /// <summary>How long a client may take to send its body before it is dropped (408).</summary>
        public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Stop after this many calls were answered; 0 for no limit.</summary>
        public int Count { get; set; }

        /// <summary>Stop after this long; null for no limit.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>The account's UTC offset, to read the calls' start times (local time of the account); default UTC.</summary>
        public TimeSpan AccountUtcOffset { get; set; } = TimeSpan.Zero;

        /// <summary>
        /// When not empty, only the notifications of these events (Zadarma's names, compared exactly, such as NOTIFY_END)
        /// are reported and counted; the others are still checked and answered (200, empty), but not routed or reported.
        /// A notification without an event matches none. A name the module does not know is allowed.
        /// </summary>
        public IList<string> Events { get; } = new List<string>();

        /// <summary>Requests handled at the same time; more wait to be accepted.</summary>
        public int MaxConcurrentRequests { get; set; } = 16;
    }

    /// <summary>
    /// Receives Zadarma's incoming-call notifications on an <see cref="HttpListener"/> (docs/providers/zadarma.md,
    /// "Incoming-call notifications"): answers the <c>zd_echo</c> check, reads each POST into a
    /// <see cref="ZadarmaCall"/>, asks the routing for a <see cref="ZadarmaRoute"/> and answers with it, and reports
    /// everything through <see cref="Events"/>. Bad requests get a 4xx and an event; nothing a client sends stops it.
    /// It stops when <see cref="RunAsync"/>'s token is cancelled, after <see cref="ZadarmaCallListenerOptions.Count"/>
    /// calls, or after <see cref="ZadarmaCallListenerOptions.Timeout"/>.
    /// </summary>
    /// <remarks>
    /// Use: <c>Start()</c> (throws at once if the prefix cannot be served), then <c>RunAsync(token)</c>, and on the
    /// consumer's thread drain <see cref="Events"/> until it completes. Statuses: GET ?zd_echo → 200 text/plain;
    /// other methods or a GET without zd_echo → 405; body over the limit → 413; not a notification → 400;
    /// address not allowed, or unsigned/forged with <see cref="ZadarmaCallListenerOptions.RequireSignature"/> → 403;
    /// a call beyond <see cref="ZadarmaCallListenerOptions.Count"/> → 503; a call → 200 with the route's answer.
    /// </remarks>
    public sealed class ZadarmaCallListener : IDisposable
    {
        private readonly ZadarmaCallListenerOptions _options;
        private readonly Func<ZadarmaCall, CancellationToken, Task<ZadarmaRoute?>> _route;
        private readonly IReadOnlyList<AddressRange> _allowed;
        private readonly IReadOnlyList<string> _prefixes;
        private readonly HttpListener _http = new HttpListener();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly SemaphoreSlim _slots;
        private readonly object _gate = new object();
        private readonly HashSet<Task> _inFlight = new HashSet<Task>();
        private readonly HashSet<Task> _late = new HashSet<Task>();
        private int _reserved, _answered, _stopReason = -1, _started;
        private Exception? _fault;

        // How long stopping waits for the requests in progress before closing the listener under them. Once stopped,
        // reading bodies and routing end at once; this only bounds a handler stuck somewhere unforeseen.
        private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

        /// <param name="options">What to serve and how.</param>
        /// <param name="route">
        /// Chooses the route of each call; may return null (default routing). It gets a token cancelled at the route
        /// timeout. Null: every call gets default routing.
        /// </param>
        public ZadarmaCallListener(ZadarmaCallListenerOptions options, Func<ZadarmaCall, CancellationToken, Task<ZadarmaRoute?>>? route)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.RequireSignature && options.Secret is null)
                throw new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaSignatureSecretIsMissing",
                    "Signatures can be required only with the account's secret: give the API key and secret, or do not require signatures.");
            if (options.MaxBodyBytes <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxBodyBytes must be positive.");
            if (options.RouteTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "RouteTimeout must be positive.");
            if (options.Count < 0) throw new ArgumentOutOfRangeException(nameof(options), "Count must not be negative.");
            if (options.MaxConcurrentRequests <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxConcurrentRequests must be positive.");
            if (options.Prefixes.Count == 0) throw new ArgumentException("Give at least one prefix to listen on.", nameof(options));
            _route = route ?? ((call, token) => Task.FromResult<ZadarmaRoute?>(null));
            _allowed = options.AllowedAddresses.Select(AddressRange.Parse).ToList();
            _prefixes = options.Prefixes.Select(p => p.EndsWith("/", StringComparison.Ordinal) ? p : p + "/").ToList();
            _slots = new SemaphoreSlim(options.MaxConcurrentRequests);
        }

        /// <summary>
        /// A listener whose routing is done by the consumer of <see cref="Events"/>: each call is posted as a
        /// <see cref="ZadarmaRouteRequest"/>, which the consumer answers on its own thread (a cmdlet runs a
        /// scriptblock there). Events are taken in order, so a slow route delays the ones behind it.
        /// </summary>
        public static ZadarmaCallListener RoutingThroughEvents(ZadarmaCallListenerOptions options)
        {
            ZadarmaCallListener? listener = null;
            listener = new ZadarmaCallListener(options, (call, token) =>
            {
                var request = new ZadarmaRouteRequest(call, DateTimeOffset.Now + options.RouteTimeout);
                // The token is cancelled at the timeout or when stopping: from then on the call is answered already.
                token.Register(request.Abandon);
                listener!.Events.Post(request);
                return request.Task;
            });
            return listener;
        }

        public ZadarmaListenerEvents Events { get; } = new ZadarmaListenerEvents();

        /// <summary>The prefixes served (each ending in '/').</summary>
        public IReadOnlyList<string> Prefixes => _prefixes;

        /// <summary>Calls answered so far (200 with a route or default routing).</summary>
        public int CallsAnswered => Volatile.Read(ref _answered);

        /// <summary>
        /// Starts serving the prefixes; requests wait for <see cref="RunAsync"/>.
        /// </summary>
        /// <exception cref="MessagingException">ZadarmaListenerCouldNotStart: a prefix is invalid, taken, or not allowed to this user.</exception>
        public void Start()
        {
            if (Interlocked.Exchange(ref _started, 1) != 0) return;
            try
            {
                foreach (var prefix in _prefixes) _http.Prefixes.Add(prefix);
                _http.IgnoreWriteExceptions = true;
                _http.Start();
            }
            catch (Exception ex) when (ex is HttpListenerException || ex is ArgumentException || ex is SocketException || ex is PlatformNotSupportedException)
            {
                Events.Complete();
                throw new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaListenerCouldNotStart",
                    $"Cannot listen on {string.Join(", ", _prefixes)}: {ex.Message} A prefix looks like http://+:8080/ or http://localhost:8080/; " +
                    "the port must be free, and on Windows a prefix other than localhost needs an administrator or 'netsh http add urlacl'.",
                    innerException: ex);
            }
        }

        /// <summary>
        /// Serves until <paramref name="cancellationToken"/> is cancelled, Count calls were answered, or Timeout passed;
        /// then lets the requests in progress finish (their routing is cut short: default routing), waits for late
        /// routes (at most the route timeout), closes the listener and completes <see cref="Events"/>.
        /// </summary>
        public async Task<ZadarmaListenerStopReason> RunAsync(CancellationToken cancellationToken = default)
        {
            Start();
            try
            {
                using (cancellationToken.Register(() => StopFor(ZadarmaListenerStopReason.Cancelled)))
                using (var timer = _options.Timeout is TimeSpan t ? new Timer(_ => StopFor(ZadarmaListenerStopReason.TimedOut), null, Clamp(t), System.Threading.Timeout.InfiniteTimeSpan) : null)
                {
                    await ServeAsync().ConfigureAwait(false);
                    await Task.WhenAny(Task.WhenAll(Snapshot(_inFlight)), Task.Delay(StopGrace)).ConfigureAwait(false);
                    // Late routes: the consumer is still draining, so a route request it has not answered yet can still be.
                    var late = Task.WhenAll(Snapshot(_late));
                    await Task.WhenAny(late, Task.Delay(_options.RouteTimeout)).ConfigureAwait(false);
                }
            }
            finally
            {
                // Whatever ended the run (an accept that threw, a fault), the port is let go and the consumer's loop ends.
                StopFor(ZadarmaListenerStopReason.Cancelled);
                try { _http.Close(); } catch (ObjectDisposedException) { }
                Events.Complete();
            }
            var fault = Volatile.Read(ref _fault);
            if (fault != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(fault).Throw();
            return (ZadarmaListenerStopReason)Volatile.Read(ref _stopReason);
        }

        private async Task ServeAsync()
        {
            var stopped = Task.Delay(System.Threading.Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
                    // On .NET Framework BeginGetContext may throw here, synchronously: that ends the run (RunAsync's finally).
                    var accept = _http.GetContextAsync();
                    if (await Task.WhenAny(accept, stopped).ConfigureAwait(false) != accept)
                    {
                        _slots.Release();
                        // Closing the listener faults it; observe that.
                        _ = accept.ContinueWith(a => a.Exception, TaskScheduler.Default);
                        break;
                    }
                    HttpListenerContext context;
                    try
                    {
                        context = await accept.ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is HttpListenerException || ex is ObjectDisposedException || ex is InvalidOperationException)
                    {
                        _slots.Release();
                        if (_stop.IsCancellationRequested) break;
                        continue; // one failed accept (a client that hung up) does not stop the listener
                    }
                    var handler = Task.Run(() => HandleAsync(context));
                    Track(_inFlight, handler);
                    // HandleAsync answers whatever goes wrong; one that faults anyway is a bug, reported when the run ends.
                    _ = handler.ContinueWith(h => Interlocked.CompareExchange(ref _fault, h.Exception!.GetBaseException(), null),
                        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }

        public void Dispose()
        {
            StopFor(ZadarmaListenerStopReason.Cancelled);
            try { _http.Close(); } catch (ObjectDisposedException) { }
            Events.Complete();
        }

        private void StopFor(ZadarmaListenerStopReason reason)
        {
            if (Interlocked.CompareExchange(ref _stopReason, (int)reason, -1) == -1)
            {
                try { _stop.Cancel(); } catch (ObjectDisposedException) { }
            }
        }

        private static TimeSpan Clamp(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t > TimeSpan.FromDays(24) ? TimeSpan.FromDays(24) : t;

        private void Track(HashSet<Task> set, Task task)
        {
            lock (_gate) set.Add(task);
            task.ContinueWith(done => { lock (_gate) set.Remove(done); }, TaskScheduler.Default);
        }

        private Task[] Snapshot(HashSet<Task> set)
        {
            lock (_gate) return set.ToArray();
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            var request = context.Request;
            var method = request.HttpMethod ?? "";
            var path = request.Url?.AbsolutePath ?? "/";
            var remote = request.RemoteEndPoint?.Address;
            if (remote != null && remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
            var remoteText = remote?.ToString();
            try
            {
                if (_allowed.Count > 0 && (remote is null || !_allowed.Any(a => a.Contains(remote))))
                {
                    Reject(context, 403, method, path, remoteText, null, new MessagingException(ZadarmaClient.ProviderName, ErrorKind.Authentication,
                        "ZadarmaNotificationAddressIsNotAllowed",
                        $"A {method} from {remoteText ?? "an unknown address"} was refused (403): the address is not one of the allowed ones.", httpStatus: 403));
                    return;
                }

                if (method == "GET")
                {
                    var echo = ZadarmaNotifications.Echo(request.Url?.Query);
                    if (echo != null)
                    {
                        // Each event is posted before its answer goes out, so that a client that waits for its answer
                        // before the next request (Zadarma, the sandbox) finds the events in the order it sent.
                        Events.Post(new ZadarmaEchoAnswered(echo, remoteText));
                        Write(context, 200, "text/plain; charset=utf-8", echo);
                        return;
                    }
                }
                if (method != "POST")
                {
                    context.Response.AddHeader("Allow", "GET, POST");
                    Reject(context, 405, method, path, remoteText, null, new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput,
                        "ZadarmaNotificationMethodIsNotAllowed",
                        $"A {method} of {path} from {remoteText ?? "an unknown address"} was refused (405): only a POST (a notification) " +
                        "and a GET with zd_echo (the address check) are answered.", httpStatus: 405));
                    return;
                }

                var body = await ReadBodyAsync(context, method, path, remoteText).ConfigureAwait(false);
                if (body is null) return;

                ZadarmaCall call;
                try
                {
                    call = ZadarmaNotifications.Parse(body, request.Headers[ZadarmaNotifications.SignatureHeader], _options.Secret, remoteText,
                        _options.AccountUtcOffset, DateTimeOffset.Now, _options.MaxBodyBytes);
                }
                catch (MessagingException ex)
                {
                    Reject(context, ex.HttpStatus ?? 400, method, path, remoteText, null, ex);
                    return;
                }

                var refusal = _options.RequireSignature ? ZadarmaNotifications.SignatureRefusal(call) : null;
                if (refusal != null)
                {
                    Reject(context, 403, method, path, remoteText, call, refusal);
                    return;
                }

                if (_options.Events.Count > 0 && (call.Event is null || !_options.Events.Contains(call.Event)))
                {
                    // Not asked for: Zadarma gets its 200 (an empty answer leaves the call alone); reported as skipped.
                    Events.Post(new ZadarmaEventSkipped(call));
                    Write(context, 200, ZadarmaRoute.Default.AnswerContentType, string.Empty);
                    return;
                }

                if (_options.Count > 0 && Interlocked.Increment(ref _reserved) > _options.Count)
                {
                    Reject(context, 503, method, path, remoteText, call, new MessagingException(ZadarmaClient.ProviderName, ErrorKind.Remote,
                        "ZadarmaListenerIsStopping",
                        $"The notification of a call from {call.CallerId} to {call.CalledDid} came after the last of the {_options.Count.ToString(CultureInfo.InvariantCulture)} " +
                        "calls to receive and was answered 503 (Zadarma routes it as usual).", httpStatus: 503));
                    return;
                }

                // Only the answer to the incoming-call notification, NOTIFY_START and NOTIFY_IVR can steer the call: the
                // routing runs for those; the other events are answered with an empty 200.
                var (route, routeError) = ZadarmaCallEvents.CanSteer(call.Event)
                    ? await RouteAsync(call).ConfigureAwait(false)
                    : (ZadarmaRoute.Default, (MessagingException?)null);
                var answer = route.ToAnswer();
                Events.Post(new ZadarmaCallReceived(call, route, answer, routeError));
                Write(context, 200, route.AnswerContentType, answer);
                if (_options.Count > 0 && Interlocked.Increment(ref _answered) >= _options.Count) StopFor(ZadarmaListenerStopReason.CountReached);
                else if (_options.Count == 0) Interlocked.Increment(ref _answered);
            }
            catch (Exception ex)
            {
                // Whatever went wrong, this request is answered and the listener goes on.
                Reject(context, 500, method, path, remoteText, null,
                    ListenerFailed($"A {method} of {path} could not be answered: {ex.GetType().Name}: {ex.Message}", ex, httpStatus: 500));
            }
            finally
            {
                _slots.Release();
            }
        }

        /// <summary>The body, or null when it was refused (too large, or not sent in time).</summary>
        private async Task<byte[]?> ReadBodyAsync(HttpListenerContext context, string method, string path, string? remote)
        {
            var max = _options.MaxBodyBytes;
            var declared = context.Request.ContentLength64;
            var chunk = new byte[8192];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_options.BodyTimeout);
            var stream = context.Request.InputStream;
            if (declared > max)
            {
                var size = declared.ToString(CultureInfo.InvariantCulture) + " bytes";
                // Read what was announced (up to a bound) so that the client, still sending, gets the 413 and not a reset;
                // within the body timeout and the stop, as any body: a client that announces 100 kB and sends nothing
                // would otherwise hold a slot for good (Linux's managed HttpListener has no body timer of its own).
                if (declared <= 1024 * 1024)
                {
                    long total = 0;
                    while (total < declared)
                    {
                        var n = await ReadWithinAsync(stream, chunk, timeout.Token).ConfigureAwait(false);
                        if (n is null)
                        {
                            Events.Post(new ZadarmaRequestRejected(413, method, path, TooLarge(method, path, remote, size), null, remote));
                            try { context.Response.Abort(); } catch (Exception) { }
                            return null;
                        }
                        if (n == 0) break;
                        total += n.Value;
                    }
                }
                RejectTooLarge(context, method, path, remote, size);
                return null;
            }
            using var buffer = new MemoryStream();
            while (true)
            {
                var read = await ReadWithinAsync(stream, chunk, timeout.Token).ConfigureAwait(false);
                if (read is null)
                {
                    Events.Post(new ZadarmaRequestRejected(408, method, path, new MessagingException(ZadarmaClient.ProviderName, ErrorKind.Timeout,
                        "ZadarmaNotificationIsIncomplete",
                        $"A {method} of {path} from {remote ?? "an unknown address"} did not send its whole body in time and was dropped.", httpStatus: 408), null, remote));
                    try { context.Response.Abort(); } catch (Exception) { }
                    return null;
                }
                if (read == 0) return buffer.ToArray();
                buffer.Write(chunk, 0, read.Value);
                if (buffer.Length > max)
                {
                    RejectTooLarge(context, method, path, remote, "more than " + max.ToString(CultureInfo.InvariantCulture) + " bytes");
                    return null;
                }
            }
        }

        /// <summary>The bytes read, or null when <paramref name="token"/> was cancelled first (body timeout, or stopping).</summary>
        private static async Task<int?> ReadWithinAsync(Stream stream, byte[] chunk, CancellationToken token)
        {
            var read = stream.ReadAsync(chunk, 0, chunk.Length, token);
            // HttpListener's stream may not watch the token: wait for either.
            if (await Task.WhenAny(read, Task.Delay(System.Threading.Timeout.Infinite, token)).ConfigureAwait(false) != read)
            {
                _ = read.ContinueWith(r => r.Exception, TaskScheduler.Default);
                return null;
            }
            return await read.ConfigureAwait(false);
        }

        private void RejectTooLarge(HttpListenerContext context, string method, string path, string? remote, string size) =>
            Reject(context, 413, method, path, remote, null, TooLarge(method, path, remote, size));

        private MessagingException TooLarge(string method, string path, string? remote, string size) =>
            ZadarmaNotifications.NotificationIsTooLarge(
                $"A {method} of {path} from {remote ?? "an unknown address"} was refused (413): its body is {size}, more than the " +
                $"{_options.MaxBodyBytes.ToString(CultureInfo.InvariantCulture)} a notification may have.");

        /// <summary>
        /// The one place the error ZadarmaListenerFailed is made (remote): a request the listener could not answer
        /// (HTTP 500, the listener goes on), or (Receive-ZadarmaCall) the run of the listener itself failing.
        /// </summary>
        public static MessagingException ListenerFailed(string message, Exception innerException, int? httpStatus = null) =>
            new MessagingException(ZadarmaClient.ProviderName, ErrorKind.Remote, "ZadarmaListenerFailed", message, httpStatus: httpStatus,
                innerException: innerException);

        private async Task<(ZadarmaRoute Route, MessagingException? Error)> RouteAsync(ZadarmaCall call)
        {
            // Not disposed here: the routing may still hold its token after the timeout; disposed when it ends.
            var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            cut.CancelAfter(_options.RouteTimeout);
            Task<ZadarmaRoute?> task;
            try
            {
                task = _route(call, cut.Token) ?? Task.FromResult<ZadarmaRoute?>(null);
            }
            catch (Exception ex)
            {
                task = Task.FromException<ZadarmaRoute?>(ex);
            }
            var timedOut = Task.Delay(System.Threading.Timeout.Infinite, cut.Token);
            await Task.WhenAny(task, timedOut).ConfigureAwait(false);
            if (task.IsCompleted && !(task.IsCanceled && cut.IsCancellationRequested))
            {
                _ = timedOut.ContinueWith(_ => { }, TaskScheduler.Default);
                cut.Dispose();
                if (task.Status == TaskStatus.RanToCompletion) return (task.Result ?? ZadarmaRoute.Default, null);
                var thrown = task.IsFaulted ? task.Exception!.GetBaseException() : new OperationCanceledException("The routing was cancelled.");
                return (ZadarmaRoute.Default, new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaRouteFailed",
                    $"Choosing the route of the call from {call.CallerId} to {call.CalledDid} failed, so it got default routing: {thrown.Message}",
                    innerException: thrown));
            }

            var stopping = _stop.IsCancellationRequested;
            Track(_late, task.ContinueWith(done =>
            {
                cut.Dispose();
                if (done.IsCanceled) return; // it gave up when told to: the timeout already said all
                var late = done.Status == TaskStatus.RanToCompletion ? done.Result : null;
                var thrown = done.IsFaulted ? done.Exception!.GetBaseException() : null;
                var what = thrown != null ? "failed: " + thrown.Message : "chose " + (late?.ToString() ?? "default routing");
                Events.Post(new ZadarmaRouteArrivedLate(call, late, new MessagingException(ZadarmaClient.ProviderName, ErrorKind.Timeout,
                    "ZadarmaRouteArrivedLate",
                    $"The routing of the call from {call.CallerId} to {call.CalledDid} {what}, after the call had got default routing.",
                    innerException: thrown)));
            }, TaskScheduler.Default));
            return (ZadarmaRoute.Default, new MessagingException(ZadarmaClient.ProviderName, ErrorKind.Timeout, "ZadarmaRouteTimedOut",
                stopping
                    ? $"The listener stopped before the route of the call from {call.CallerId} to {call.CalledDid} was chosen, so it got default routing."
                    : $"Choosing the route of the call from {call.CallerId} to {call.CalledDid} took longer than " +
                      $"{_options.RouteTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s, so it got default routing.",
                httpStatus: null));
        }

        private void Reject(HttpListenerContext context, int status, string method, string path, string? remote, ZadarmaCall? call, MessagingException error)
        {
            Events.Post(new ZadarmaRequestRejected(status, method, path, error, call, remote));
            Write(context, status, "text/plain; charset=utf-8", error.ErrorId);
        }

        private static void Write(HttpListenerContext context, int status, string contentType, string body)
        {
            try
            {
                var bytes = new UTF8Encoding(false).GetBytes(body);
                context.Response.StatusCode = status;
                context.Response.ContentType = contentType;
                context.Response.ContentLength64 = bytes.Length;
                context.Response.OutputStream.Write(bytes, 0, bytes.Length);
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException || ex is ObjectDisposedException || ex is IOException || ex is InvalidOperationException)
            {
                // The client hung up: nothing to answer to. The event still says what it was.
            }
        }
    }
}
