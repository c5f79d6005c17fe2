using System;
using System.Collections.Generic;
using System.Linq;

namespace MessagingTools.Core.Providers.Zadarma.Calls
{
    /// <summary>
    /// The call events of Zadarma's PBX (the <c>event</c> field of a notification; docs/providers/zadarma.md and
    /// Zadarma's SDK, zadarma/user-api-v1 <c>lib/Webhook/Notify*.php</c>): their names, the fields each one signs (in
    /// the order they are concatenated), and which of them can steer the call with their answer.
    /// </summary>
    public static class ZadarmaCallEvents
    {
        /// <summary>A call comes in to the PBX.</summary>
        public const string Start = "NOTIFY_START";
        /// <summary>The incoming call goes to an extension.</summary>
        public const string Internal = "NOTIFY_INTERNAL";
        /// <summary>The extension answers.</summary>
        public const string Answer = "NOTIFY_ANSWER";
        /// <summary>An incoming call ends.</summary>
        public const string End = "NOTIFY_END";
        /// <summary>An extension calls out.</summary>
        public const string OutStart = "NOTIFY_OUT_START";
        /// <summary>An outgoing call ends.</summary>
        public const string OutEnd = "NOTIFY_OUT_END";
        /// <summary>A call's recording is ready.</summary>
        public const string Record = "NOTIFY_RECORD";
        /// <summary>The caller answered an IVR step (the digits of a <c>wait_dtmf</c>).</summary>
        public const string Ivr = "NOTIFY_IVR";

        /// <summary>The form field that names the event.</summary>
        public const string EventField = "event";

        private static readonly string[] s_callerCalledStart = { ZadarmaNotifications.CallerIdField, ZadarmaNotifications.CalledDidField, ZadarmaNotifications.CallStartField };

        private static readonly Dictionary<string, string[]> s_signed = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [Start] = s_callerCalledStart,
            [Internal] = s_callerCalledStart,
            [Answer] = new[] { ZadarmaNotifications.CallerIdField, "destination", ZadarmaNotifications.CallStartField },
            [End] = s_callerCalledStart,
            [OutStart] = new[] { "internal", "destination", ZadarmaNotifications.CallStartField },
            [OutEnd] = new[] { "internal", "destination", ZadarmaNotifications.CallStartField },
            [Record] = new[] { "pbx_call_id", "call_id_with_rec" },
            [Ivr] = s_callerCalledStart,
        };

        /// <summary>Every event the module knows, in call order.</summary>
        public static IReadOnlyList<string> Known { get; } = new[] { Start, Internal, Answer, End, OutStart, OutEnd, Record, Ivr };

        /// <summary>Whether <paramref name="eventName"/> is one of <see cref="Known"/> (the names compare exactly, as Zadarma's SDK does).</summary>
        public static bool IsKnown(string? eventName) => eventName != null && s_signed.ContainsKey(eventName);

        /// <summary>
        /// The fields whose values, concatenated in this order, are signed for <paramref name="eventName"/>; for a
        /// notification without an event (the incoming-call notification), caller_id, called_did and call_start. Null for an
        /// event the module does not know.
        /// </summary>
        public static IReadOnlyList<string>? SignedFields(string? eventName)
        {
            if (eventName is null) return s_callerCalledStart;
            return s_signed.TryGetValue(eventName, out var fields) ? fields : null;
        }

        /// <summary>Every different list of fields a known event signs: what a post of an unknown event is checked against.</summary>
        internal static IEnumerable<string[]> SignedFieldLists() => s_signed.Values.Distinct();

        /// <summary>
        /// Whether the answer to <paramref name="eventName"/> can steer the call (a route, an IVR step): NOTIFY_START,
        /// NOTIFY_IVR, and the incoming-call notification without an event (null). The others are answered empty.
        /// </summary>
        public static bool CanSteer(string? eventName) => eventName is null || eventName == Start || eventName == Ivr;
    }
}
