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
    /// One incoming call Zadarma notified (docs/providers/zadarma.md, "Incoming-call notifications"): the form fields
    /// <c>caller_id</c>, <c>called_did</c> and <c>call_start</c> (the notification description writes <c>callstart</c>: both are read),
    /// every other field as it was posted, where it came from and what its signature showed.
    /// </summary>
    public sealed class ZadarmaCall
    {
        public ZadarmaCall(string callerId, string calledDid, string callStartText, DateTimeOffset? callStart, string callStartField,
            ZadarmaFields otherFields, ZadarmaSignatureStatus signature, string? remoteAddress, DateTimeOffset receivedAt)
        {
            CallerId = callerId ?? throw new ArgumentNullException(nameof(callerId));
            CalledDid = calledDid ?? throw new ArgumentNullException(nameof(calledDid));
            CallStartText = callStartText ?? throw new ArgumentNullException(nameof(callStartText));
            CallStart = callStart;
            CallStartField = callStartField ?? throw new ArgumentNullException(nameof(callStartField));
            OtherFields = otherFields ?? throw new ArgumentNullException(nameof(otherFields));
            Signature = signature;
            RemoteAddress = remoteAddress;
            ReceivedAt = receivedAt;
        }

        /// <summary>The caller's number as Zadarma sent it (<c>caller_id</c>; "0" or empty for a hidden number).</summary>
        public string CallerId { get; }

        /// <summary>The number that was called (<c>called_did</c>).</summary>
        public string CalledDid { get; }

        /// <summary>
        /// The start of the call: <see cref="CallStartText"/> read as "yyyy-MM-dd HH:mm:ss" in the account's time zone
        /// (the UTC offset the parser was given, UTC by default) or as unix seconds; null when it is neither.
        /// </summary>
        public DateTimeOffset? CallStart { get; }

        /// <summary>The start time exactly as posted (what the signature covers).</summary>
        public string CallStartText { get; }

        /// <summary>The name the start time came under: <c>call_start</c> or <c>callstart</c>.</summary>
        public string CallStartField { get; }

        /// <summary>Every other posted field, in the order posted (the last value of a repeated name, as PHP keeps it).</summary>
        public ZadarmaFields OtherFields { get; }

        public ZadarmaSignatureStatus Signature { get; }

        /// <summary>The address the post came from (the listener's remote end point, or what the host gave).</summary>
        public string? RemoteAddress { get; }

        public DateTimeOffset ReceivedAt { get; }

        public override string ToString() => $"Call {CallerId} -> {CalledDid} at {CallStartText}";
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
