using System;
using System.Collections;
using System.Collections.Generic;

namespace MessagingTools.Core.Providers.Zadarma.Calls
{
    /// <summary>What the <c>Signature</c> header of an incoming-call notification showed.</summary>
    public enum ZadarmaSignatureStatus
    {
        /// <summary>No secret was given, so the header (if any) was not checked.</summary>
        NotChecked,
        /// <summary>The header is the signature the secret gives for this caller, number and start time.</summary>
        Verified,
        /// <summary>A secret was given but the post had no <c>Signature</c> header (Zadarma signs only for accounts with an API key).</summary>
        Unsigned,
        /// <summary>A secret was given and the header is not the signature it gives: not from Zadarma, or altered.</summary>
        Forged,
    }

    /// <summary>
    /// One notification Zadarma posted about a call (docs/providers/zadarma.md, "Incoming-call notifications", and the
    /// call events of docs/zadarma.md): the incoming-call notification without an <c>event</c> field, or one of the
    /// events <see cref="ZadarmaCallEvents.Known"/> (or an event the module does not know, with its fields). The form
    /// fields <c>caller_id</c>, <c>called_did</c> and <c>call_start</c> (the notification description writes <c>callstart</c>:
    /// both are read), each event's own fields typed (<see cref="Event"/>, <see cref="PbxCallId"/>, <see cref="Extension"/>,
    /// <see cref="Destination"/>, <see cref="Duration"/>, <see cref="Disposition"/>, <see cref="StatusCode"/>,
    /// <see cref="IsRecorded"/>, <see cref="RecordingId"/>, the DTMF digits), every other field as it was posted, where it
    /// came from and what its signature showed. A field an event does not carry is null.
    /// </summary>
    public sealed class ZadarmaCall
    {
        /// <summary>The incoming-call notification without an event: its typed fields (<see cref="PbxCallId"/>...) are read from <paramref name="otherFields"/>.</summary>
        public ZadarmaCall(string callerId, string calledDid, string callStartText, DateTimeOffset? callStart, string callStartField,
            ZadarmaFields otherFields, ZadarmaSignatureStatus signature, string? remoteAddress, DateTimeOffset receivedAt)
            : this(null, otherFields ?? throw new ArgumentNullException(nameof(otherFields)),
                callerId ?? throw new ArgumentNullException(nameof(callerId)), calledDid ?? throw new ArgumentNullException(nameof(calledDid)),
                callStartText ?? throw new ArgumentNullException(nameof(callStartText)), callStart,
                callStartField ?? throw new ArgumentNullException(nameof(callStartField)), otherFields, signature, remoteAddress, receivedAt)
        {
        }

        /// <summary>
        /// A notification of a call event: the <c>event</c> it names, and the fields of <paramref name="all"/> read as that
        /// event's (the signature was checked by the caller). Fields the event does not carry are null.
        /// </summary>
        internal ZadarmaCall(string? eventName, ZadarmaFields all, string? callerId, string? calledDid, string? callStartText, DateTimeOffset? callStart,
            string? callStartField, ZadarmaFields otherFields, ZadarmaSignatureStatus signature, string? remoteAddress, DateTimeOffset receivedAt)
        {
            Event = eventName;
            CallerId = callerId;
            CalledDid = calledDid;
            CallStartText = callStartText;
            CallStart = callStart;
            CallStartField = callStartField;
            OtherFields = otherFields ?? throw new ArgumentNullException(nameof(otherFields));
            Signature = signature;
            RemoteAddress = remoteAddress;
            ReceivedAt = receivedAt;
            PbxCallId = Text(all, "pbx_call_id");
            Extension = Text(all, "internal");
            Destination = Text(all, "destination");
            Duration = Number(all, "duration");
            Disposition = Text(all, "disposition");
            StatusCode = Number(all, "status_code");
            IsRecorded = Flag(all, "is_recorded");
            RecordingId = Text(all, "call_id_with_rec");
            DtmfName = Text(all, "wait_dtmf[name]");
            DtmfDigits = Raw(all, "wait_dtmf[digits]");
            DtmfDefaultBehaviour = Text(all, "wait_dtmf[default_behaviour]");
        }

        /// <summary>
        /// The event Zadarma named (<c>event</c>: NOTIFY_START, NOTIFY_INTERNAL, NOTIFY_ANSWER, NOTIFY_END, NOTIFY_OUT_START,
        /// NOTIFY_OUT_END, NOTIFY_RECORD, NOTIFY_IVR, or one the module does not know), exactly as posted; null for the
        /// incoming-call notification that names none.
        /// </summary>
        public string? Event { get; }

        /// <summary>Whether <see cref="Event"/> is one the module knows (the incoming-call notification without an event counts as known).</summary>
        public bool IsKnownEvent => Event is null || ZadarmaCallEvents.IsKnown(Event);

        /// <summary>The caller's number as Zadarma sent it (<c>caller_id</c>; "0" or empty for a hidden number); null when the event has none.</summary>
        public string? CallerId { get; }

        /// <summary>The number that was called (<c>called_did</c>; empty for an internal call); null when the event has none.</summary>
        public string? CalledDid { get; }

        /// <summary>The PBX's id of the call (<c>pbx_call_id</c>), the same for every event of one call; Get-ZadarmaRecording takes it.</summary>
        public string? PbxCallId { get; }

        /// <summary>The PBX extension (<c>internal</c>): the one the call went to, or (outgoing) the one that called.</summary>
        public string? Extension { get; }

        /// <summary>Where the call went (<c>destination</c>): the number an extension called, or the extension that answered.</summary>
        public string? Destination { get; }

        /// <summary>How long the call lasted, in whole seconds (<c>duration</c>, NOTIFY_END and NOTIFY_OUT_END); null when not posted or not a number.</summary>
        public int? Duration { get; }

        /// <summary>How the call ended (<c>disposition</c>: answered, busy, cancel, no answer, failed, ...), as Zadarma wrote it.</summary>
        public string? Disposition { get; }

        /// <summary>The telephony cause code of the end (<c>status_code</c>, e.g. 16 normal clearing, 17 busy); null when not posted or not a number.</summary>
        public int? StatusCode { get; }

        /// <summary>Whether the call was recorded (<c>is_recorded</c> 1 or 0); null when not posted.</summary>
        public bool? IsRecorded { get; }

        /// <summary>The recording's id (<c>call_id_with_rec</c>; null when empty: not recorded); Get-ZadarmaRecording takes it.</summary>
        public string? RecordingId { get; }

        /// <summary>The name of the <c>wait_dtmf</c> step the digits answer (NOTIFY_IVR, <c>wait_dtmf[name]</c>).</summary>
        public string? DtmfName { get; }

        /// <summary>The digits the caller entered (NOTIFY_IVR, <c>wait_dtmf[digits]</c>), as text: leading zeros kept; empty when none.</summary>
        public string? DtmfDigits { get; }

        /// <summary>What Zadarma says of the step's default (NOTIFY_IVR, <c>wait_dtmf[default_behaviour]</c>), as posted; null when empty.</summary>
        public string? DtmfDefaultBehaviour { get; }

        /// <summary>
        /// The start of the call: <see cref="CallStartText"/> read as "yyyy-MM-dd HH:mm:ss" in the account's time zone
        /// (the UTC offset the parser was given, UTC by default) or as unix seconds; null when it is neither.
        /// </summary>
        public DateTimeOffset? CallStart { get; }

        /// <summary>The start time exactly as posted (what the signature covers); null when the event has none (NOTIFY_RECORD).</summary>
        public string? CallStartText { get; }

        /// <summary>The name the start time came under: <c>call_start</c> or <c>callstart</c>; null when there is none.</summary>
        public string? CallStartField { get; }

        /// <summary>Every other posted field, in the order posted (the last value of a repeated name, as PHP keeps it).</summary>
        public ZadarmaFields OtherFields { get; }

        public ZadarmaSignatureStatus Signature { get; }

        /// <summary>The address the post came from (the listener's remote end point, or what the host gave).</summary>
        public string? RemoteAddress { get; }

        public DateTimeOffset ReceivedAt { get; }

        public override string ToString()
        {
            if (Event is null) return $"Call {CallerId} -> {CalledDid} at {CallStartText}";
            if (Event == ZadarmaCallEvents.Record) return $"{Event} {PbxCallId}: recording {RecordingId}";
            var from = CallerId ?? Extension;
            var to = string.IsNullOrEmpty(CalledDid) ? Destination ?? Extension : CalledDid;
            return $"{Event} {from} -> {to} at {CallStartText}";
        }

        private static string? Raw(ZadarmaFields all, string name) => all.TryGetValue(name, out var value) ? value : null;

        private static string? Text(ZadarmaFields all, string name) => all.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        private static int? Number(ZadarmaFields all, string name) =>
            all.TryGetValue(name, out var value) && int.TryParse(value.Trim(), System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (int?)null;

        private static bool? Flag(ZadarmaFields all, string name)
        {
            if (!all.TryGetValue(name, out var value)) return null;
            switch (value.Trim().ToLowerInvariant())
            {
                case "1": case "true": case "yes": return true;
                case "0": case "false": case "no": case "": return false;
                default: return null;
            }
        }
    }

    /// <summary>Posted form fields by name, in the order posted; names compare ordinally (case matters, as in PHP).</summary>
    public sealed class ZadarmaFields : IReadOnlyDictionary<string, string>
    {
        private readonly List<KeyValuePair<string, string>> _ordered;
        private readonly Dictionary<string, string> _byName;

        public ZadarmaFields(IEnumerable<KeyValuePair<string, string>> fields)
        {
            if (fields is null) throw new ArgumentNullException(nameof(fields));
            _ordered = new List<KeyValuePair<string, string>>();
            _byName = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var f in fields)
            {
                if (_byName.ContainsKey(f.Key)) _ordered.RemoveAll(p => p.Key == f.Key);
                _byName[f.Key] = f.Value ?? string.Empty;
                _ordered.Add(new KeyValuePair<string, string>(f.Key, f.Value ?? string.Empty));
            }
        }

        public static ZadarmaFields Empty { get; } = new ZadarmaFields(Array.Empty<KeyValuePair<string, string>>());

        public string this[string key] => _byName[key];
        public IEnumerable<string> Keys { get { foreach (var p in _ordered) yield return p.Key; } }
        public IEnumerable<string> Values { get { foreach (var p in _ordered) yield return p.Value; } }
        public int Count => _ordered.Count;
        public bool ContainsKey(string key) => _byName.ContainsKey(key);
        public bool TryGetValue(string key, out string value) => _byName.TryGetValue(key, out value!);
        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _ordered.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary><c>name=value; name=value</c>, for a CSV column or a log line.</summary>
        public override string ToString()
        {
            var parts = new List<string>(_ordered.Count);
            foreach (var p in _ordered) parts.Add(p.Key + "=" + p.Value);
            return string.Join("; ", parts);
        }
    }
}
