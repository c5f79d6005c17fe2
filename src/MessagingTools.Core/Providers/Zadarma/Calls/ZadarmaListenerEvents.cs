using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Providers.Zadarma.Calls
{
    /// <summary>
    /// Everything a <see cref="ZadarmaCallListener"/> did, in the order it happened, for ONE consumer to drain on its
    /// own thread (a cmdlet: on the pipeline thread, where WriteObject, WriteError and scriptblocks may run). Posted to
    /// from the listener's threads; completed when the listener has stopped and every late route has come back, so
    /// that draining until <see cref="TryTake"/> returns false (or <see cref="GetConsumingEnumerable"/> ends) sees all.
    /// </summary>
    public sealed class ZadarmaListenerEvents
    {
        private readonly BlockingCollection<ZadarmaListenerEvent> _queue = new BlockingCollection<ZadarmaListenerEvent>(new ConcurrentQueue<ZadarmaListenerEvent>());

        /// <summary>
        /// Waits up to <paramref name="wait"/> for the next event. True with an event; false with null when none came
        /// in time (<see cref="IsCompleted"/> then says whether more can come).
        /// </summary>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
        public bool TryTake(out ZadarmaListenerEvent? next, TimeSpan wait, CancellationToken cancellationToken = default)
        {
            var ms = wait < TimeSpan.Zero ? Timeout.Infinite : (int)Math.Min(int.MaxValue, wait.TotalMilliseconds);
            var taken = _queue.TryTake(out var item, ms, cancellationToken);
            next = taken ? item : null;
            return taken;
        }

        /// <summary>Each event as it comes, until the listener has stopped and all were taken (or the token is cancelled).</summary>
        public IEnumerable<ZadarmaListenerEvent> GetConsumingEnumerable(CancellationToken cancellationToken = default) =>
            _queue.GetConsumingEnumerable(cancellationToken);

        /// <summary>The listener has stopped and every event was taken: no more will come.</summary>
        public bool IsCompleted => _queue.IsCompleted;

        /// <summary>Events posted and not taken yet.</summary>
        public int Count => _queue.Count;

        internal void Post(ZadarmaListenerEvent e)
        {
            try
            {
                _queue.Add(e);
            }
            catch (InvalidOperationException)
            {
                // Completed: the listener is gone and so is its consumer; nothing is left to tell.
            }
        }

        internal void Complete() => _queue.CompleteAdding();
    }

    /// <summary>One thing the listener did. <see cref="At"/> is when it happened; <see cref="RemoteAddress"/> who asked.</summary>
    public abstract class ZadarmaListenerEvent
    {
        protected ZadarmaListenerEvent(string? remoteAddress)
        {
            RemoteAddress = remoteAddress;
            At = DateTimeOffset.Now;
        }

        public DateTimeOffset At { get; }
        public string? RemoteAddress { get; }
    }

    /// <summary>A GET <c>?zd_echo=X</c> (Zadarma checking the address) was answered with X.</summary>
    public sealed class ZadarmaEchoAnswered : ZadarmaListenerEvent
    {
        internal ZadarmaEchoAnswered(string echo, string? remoteAddress) : base(remoteAddress) => Echo = echo;

        public string Echo { get; }

        public override string ToString() => $"Answered the address check of {RemoteAddress ?? "?"} with '{Echo}'.";
    }

    /// <summary>
    /// A notified call was answered (HTTP 200). <see cref="Route"/> is the route the answer carried
    /// (<see cref="ZadarmaRoute.Default"/> when none, or when choosing failed); <see cref="RouteError"/> says why the
    /// route chosen was NOT used: ZadarmaRouteTimedOut (its late value follows as <see cref="ZadarmaRouteArrivedLate"/>),
    /// ZadarmaRouteFailed (the routing threw; InnerException is what it threw).
    /// </summary>
    public sealed class ZadarmaCallReceived : ZadarmaListenerEvent
    {
        internal ZadarmaCallReceived(ZadarmaCall call, ZadarmaRoute route, string answer, MessagingException? routeError)
            : base(call.RemoteAddress)
        {
            Call = call;
            Route = route;
            Answer = answer;
            RouteError = routeError;
        }

        public ZadarmaCall Call { get; }
        public ZadarmaRoute Route { get; }

        /// <summary>The body sent back to Zadarma (empty for default routing).</summary>
        public string Answer { get; }

        public MessagingException? RouteError { get; }

        public override string ToString() => $"{Call}: {Route}" + (RouteError is null ? "" : $" ({RouteError.ErrorId})");
    }

    /// <summary>
    /// A notification of an event that <see cref="ZadarmaCallListenerOptions.Events"/> does not ask for: checked and
    /// answered (200, empty), neither routed nor counted.
    /// </summary>
    public sealed class ZadarmaEventSkipped : ZadarmaListenerEvent
    {
        internal ZadarmaEventSkipped(ZadarmaCall call) : base(call.RemoteAddress) => Call = call;

        public ZadarmaCall Call { get; }

        public override string ToString() =>
            $"Answered the notification {ZadarmaNotifications.Describe(Call)} without writing it: {(Call.Event ?? "the notification without an event")} is not one of -Event.";
    }

    /// <summary>
    /// A request that was refused with a 4xx/5xx status (wrong method, too large, malformed, missing a field, address
    /// not allowed, unsigned or forged when signatures are required, the listener stopping). <see cref="Error"/> has
    /// the error id and a message for an error record; <see cref="Call"/> the parsed call when it got that far.
    /// </summary>
    public sealed class ZadarmaRequestRejected : ZadarmaListenerEvent
    {
        internal ZadarmaRequestRejected(int statusCode, string method, string path, MessagingException error, ZadarmaCall? call, string? remoteAddress)
            : base(remoteAddress)
        {
            StatusCode = statusCode;
            Method = method;
            Path = path;
            Error = error;
            Call = call;
        }

        public int StatusCode { get; }
        public string Method { get; }

        /// <summary>The path asked for, without its query.</summary>
        public string Path { get; }

        public MessagingException Error { get; }
        public ZadarmaCall? Call { get; }

        public override string ToString() => $"{Method} {Path} from {RemoteAddress ?? "?"}: {StatusCode} {Error.ErrorId}";
    }

    /// <summary>
    /// The routing of a call answered after its timeout, when the call had already gone to default routing: what it
    /// chose (<see cref="Route"/>) or threw (<see cref="Error"/>'s InnerException). <see cref="Error"/> (ZadarmaRouteArrivedLate)
    /// is for an error record either way.
    /// </summary>
    public sealed class ZadarmaRouteArrivedLate : ZadarmaListenerEvent
    {
        internal ZadarmaRouteArrivedLate(ZadarmaCall call, ZadarmaRoute? route, MessagingException error) : base(call.RemoteAddress)
        {
            Call = call;
            Route = route;
            Error = error;
        }

        public ZadarmaCall Call { get; }

        /// <summary>The route chosen too late (null when the routing threw or chose nothing).</summary>
        public ZadarmaRoute? Route { get; }

        public MessagingException Error { get; }

        public override string ToString() => $"{Call}: too late for {Route?.ToString() ?? "no route"}";
    }

    /// <summary>
    /// A call waiting for its route, posted by a listener made with <see cref="ZadarmaCallListener.RoutingThroughEvents"/>:
    /// the consumer chooses on its own thread and calls <see cref="Answer"/> (null or <see cref="ZadarmaRoute.Default"/>
    /// for default routing) or <see cref="Fail"/>. Each request is answered at most once; an answer after
    /// <see cref="Deadline"/> comes back as <see cref="ZadarmaRouteArrivedLate"/>.
    /// </summary>
    public sealed class ZadarmaRouteRequest : ZadarmaListenerEvent
    {
        private readonly TaskCompletionSource<ZadarmaRoute?> _route =
            new TaskCompletionSource<ZadarmaRoute?>(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _abandoned;

        internal ZadarmaRouteRequest(ZadarmaCall call, DateTimeOffset deadline) : base(call.RemoteAddress)
        {
            Call = call;
            Deadline = deadline;
        }

        public ZadarmaCall Call { get; }

        /// <summary>When the listener stops waiting and answers with default routing.</summary>
        public DateTimeOffset Deadline { get; }

        /// <summary>The listener has already answered this call (its deadline passed, or it is stopping).</summary>
        public bool IsAbandoned => Volatile.Read(ref _abandoned) != 0;

        /// <summary>Gives the route; false when this request was already answered or failed.</summary>
        public bool Answer(ZadarmaRoute? route) => _route.TrySetResult(route);

        /// <summary>Says that choosing the route failed (the call gets default routing, the error is reported).</summary>
        public bool Fail(Exception error) => _route.TrySetException(error ?? throw new ArgumentNullException(nameof(error)));

        internal Task<ZadarmaRoute?> Task => _route.Task;

        internal void Abandon() => Interlocked.Exchange(ref _abandoned, 1);

        internal void Cancel() => _route.TrySetCanceled();

        public override string ToString() => $"{Call}: route wanted by {Deadline:HH:mm:ss.fff}";
    }

    /// <summary>Why <see cref="ZadarmaCallListener.RunAsync"/> ended.</summary>
    public enum ZadarmaListenerStopReason
    {
        /// <summary>The cancellation token was cancelled (Ctrl+C).</summary>
        Cancelled,
        /// <summary>As many calls as <see cref="ZadarmaCallListenerOptions.Count"/> were answered.</summary>
        CountReached,
        /// <summary><see cref="ZadarmaCallListenerOptions.Timeout"/> passed.</summary>
        TimedOut,
    }
}
