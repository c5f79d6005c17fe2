using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Security;

namespace MessagingTools.Core.Providers.Zadarma.Calls
{
    /// <summary>
    /// Zadarma's incoming-call notifications without a listener (docs/providers/zadarma.md, "Incoming-call
    /// notifications"), for any host that receives the POST itself (Azure Functions, Pode, ASP.NET): read the form
    /// body and the <c>Signature</c> header into a <see cref="ZadarmaCall"/>, answer the <c>zd_echo</c> check, and
    /// write the answer of a <see cref="ZadarmaRoute"/>. <see cref="ZadarmaCallListener"/> uses these same functions.
    /// </summary>
    public static class ZadarmaNotifications
    {
        /// <summary>The largest body read: a notification is a few hundred bytes.</summary>
        public const int DefaultMaxBodyBytes = 64 * 1024;

        /// <summary>The header that carries the signature (HTTP header names ignore case).</summary>
        public const string SignatureHeader = "Signature";

        /// <summary>The query parameter of the address check: a GET with <c>zd_echo=X</c> must answer X.</summary>
        public const string EchoParameter = "zd_echo";

        public const string CallerIdField = "caller_id";
        public const string CalledDidField = "called_did";
        /// <summary>The start time as Zadarma's PHP example reads (and signs) it.</summary>
        public const string CallStartField = "call_start";
        /// <summary>The start time as the notification description in docs/providers/zadarma.md names it.</summary>
        public const string CallStartAlternateField = "callstart";

        private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";
        private static readonly UTF8Encoding s_strictUtf8 = new UTF8Encoding(false, true);

        /// <summary>
        /// Reads a notification: a form-encoded <paramref name="body"/> (RFC 1866 / PHP: '+' is a space, %XX a byte,
        /// the bytes UTF-8) and the request's <paramref name="headers"/> (for <c>Signature</c>; names ignore case).
        /// </summary>
        /// <param name="body">The request body as text.</param>
        /// <param name="headers">The request headers (null when there are none to give).</param>
        /// <param name="secret">The account's API secret: the signature is checked with it; null leaves it <see cref="ZadarmaSignatureStatus.NotChecked"/>.</param>
        /// <param name="remoteAddress">The address the post came from, kept on the call.</param>
        /// <param name="accountUtcOffset">The account's UTC offset, to read the start time (Zadarma writes local time); default UTC.</param>
        /// <param name="receivedAt">When the post arrived; default now.</param>
        /// <param name="maxBodyBytes">Bodies longer than this (in UTF-8 bytes) are refused.</param>
        /// <exception cref="MessagingException">ZadarmaNotificationIsTooLarge, ZadarmaNotificationIsMalformed, ZadarmaNotificationIsMissingAField.</exception>
        public static ZadarmaCall Parse(string body, IEnumerable<KeyValuePair<string, string?>>? headers, Secret? secret = null,
            string? remoteAddress = null, TimeSpan? accountUtcOffset = null, DateTimeOffset? receivedAt = null, int maxBodyBytes = DefaultMaxBodyBytes)
        {
            return Parse(BodyBytes(body, maxBodyBytes), FindHeader(headers, SignatureHeader), secret, remoteAddress, accountUtcOffset, receivedAt, maxBodyBytes);
        }

        /// <summary>
        /// A body given as text, as the bytes <see cref="Parse(byte[], string, Secret, string, TimeSpan?, DateTimeOffset?, int)"/>
        /// reads (UTF-8): for a host that has the text and the <c>Signature</c> value apart.
        /// </summary>
        /// <exception cref="MessagingException">ZadarmaNotificationIsTooLarge, ZadarmaNotificationIsMalformed (a lone surrogate).</exception>
        public static byte[] BodyBytes(string body, int maxBodyBytes = DefaultMaxBodyBytes)
        {
            if (body is null) throw new ArgumentNullException(nameof(body));
            try
            {
                // Refuse before encoding a huge text: a UTF-8 byte is at least one UTF-16 unit.
                if (body.Length > maxBodyBytes) throw TooLarge(body.Length, maxBodyBytes);
                return s_strictUtf8.GetBytes(body);
            }
            catch (EncoderFallbackException)
            {
                throw Malformed("it holds a lone surrogate (half of a character)");
            }
        }

        /// <summary>As <see cref="Parse(string, IEnumerable{KeyValuePair{string, string}}, Secret, string, TimeSpan?, DateTimeOffset?, int)"/>, from the body's bytes and the <c>Signature</c> value.</summary>
        public static ZadarmaCall Parse(byte[] body, string? signature, Secret? secret = null, string? remoteAddress = null,
            TimeSpan? accountUtcOffset = null, DateTimeOffset? receivedAt = null, int maxBodyBytes = DefaultMaxBodyBytes)
        {
            if (body is null) throw new ArgumentNullException(nameof(body));
            if (body.Length > maxBodyBytes) throw TooLarge(body.Length, maxBodyBytes);
            return FromFields(DecodeForm(body).Select(f => new KeyValuePair<string, string?>(f.Key, f.Value)), signature, secret, remoteAddress, accountUtcOffset, receivedAt);
        }

        /// <summary>
        /// A notification whose form the host has already decoded (Pode's <c>$WebEvent.Data</c>, ASP.NET's
        /// <c>Request.Form</c>): the fields in the order posted, and the <c>Signature</c> value (null when absent).
        /// </summary>
        public static ZadarmaCall FromFields(IEnumerable<KeyValuePair<string, string?>> fields, string? signature, Secret? secret = null,
            string? remoteAddress = null, TimeSpan? accountUtcOffset = null, DateTimeOffset? receivedAt = null)
        {
            if (fields is null) throw new ArgumentNullException(nameof(fields));
            var all = new ZadarmaFields(Project(fields));
            if (all.TryGetValue(ZadarmaCallEvents.EventField, out var eventName) && eventName.Trim().Length > 0)
                return FromEvent(eventName, all, signature, secret, remoteAddress, accountUtcOffset ?? TimeSpan.Zero, receivedAt ?? DateTimeOffset.Now);
            var callerId = Required(all, CallerIdField, mayBeEmpty: true); // a hidden number may come as "0" or empty
            var calledDid = Required(all, CalledDidField, mayBeEmpty: false);
            // call_start is what Zadarma's example reads and signs; callstart, the notification description's name, is read when it is absent.
            var startField = all.ContainsKey(CallStartField) ? CallStartField : all.ContainsKey(CallStartAlternateField) ? CallStartAlternateField : null;
            if (startField is null) throw Missing(CallStartField, all, "'call_start' (or 'callstart')");
            var startText = Required(all, startField, mayBeEmpty: false);

            var others = new List<KeyValuePair<string, string>>();
            foreach (var f in all)
                if (f.Key != CallerIdField && f.Key != CalledDidField && f.Key != startField) others.Add(f);

            var status = secret is null ? ZadarmaSignatureStatus.NotChecked : VerifySignature(callerId, calledDid, startText, signature, secret);
            return new ZadarmaCall(callerId, calledDid, startText, ReadTime(startText, accountUtcOffset ?? TimeSpan.Zero), startField,
                new ZadarmaFields(others), status, remoteAddress, receivedAt ?? DateTimeOffset.Now);
        }

        /// <summary>
        /// A call event (docs/zadarma.md, "Call events"): the fields the event signs must be posted (they may be empty:
        /// PHP signs the empty text); the Signature is checked over them. An event the module does not know is read with
        /// its fields; its Signature is checked against each text a known event signs (Verified when one matches).
        /// </summary>
        private static ZadarmaCall FromEvent(string eventName, ZadarmaFields all, string? signature, Secret? secret, string? remoteAddress,
            TimeSpan offset, DateTimeOffset receivedAt)
        {
            var signed = ZadarmaCallEvents.SignedFields(eventName);
            if (signed != null)
                foreach (var field in signed)
                    if (StartFieldOr(all, field) is null) throw Missing(field, all, field == CallStartField ? "'call_start' (or 'callstart')" : null, eventName);

            ZadarmaSignatureStatus status;
            if (secret is null) status = ZadarmaSignatureStatus.NotChecked;
            else if (signed != null) status = VerifyText(SignedText(all, signed)!, signature, secret);
            else if (string.IsNullOrEmpty(signature?.Trim())) status = ZadarmaSignatureStatus.Unsigned;
            else
            {
                // Unknown: Verified when the Signature is the one of a text some known event signs, made of the fields posted.
                status = ZadarmaSignatureStatus.Forged;
                foreach (var list in ZadarmaCallEvents.SignedFieldLists())
                {
                    var text = SignedText(all, list);
                    if (text != null && VerifyText(text, signature, secret) == ZadarmaSignatureStatus.Verified)
                    {
                        status = ZadarmaSignatureStatus.Verified;
                        break;
                    }
                }
            }

            var startField = all.ContainsKey(CallStartField) ? CallStartField : all.ContainsKey(CallStartAlternateField) ? CallStartAlternateField : null;
            var startText = startField is null ? null : all[startField];
            var others = new List<KeyValuePair<string, string>>();
            foreach (var f in all)
                if (f.Key != CallerIdField && f.Key != CalledDidField && f.Key != startField) others.Add(f);
            return new ZadarmaCall(eventName, all, all.TryGetValue(CallerIdField, out var caller) ? caller : null,
                all.TryGetValue(CalledDidField, out var called) ? called : null, startText,
                startText is null ? null : ReadTime(startText, offset), startField, new ZadarmaFields(others), status, remoteAddress, receivedAt);
        }

        /// <summary>The name under which <paramref name="field"/> was posted (call_start also as callstart), or null.</summary>
        private static string? StartFieldOr(ZadarmaFields all, string field)
        {
            if (all.ContainsKey(field)) return field;
            if (field == CallStartField && all.ContainsKey(CallStartAlternateField)) return CallStartAlternateField;
            return null;
        }

        /// <summary>
        /// The text a notification of <paramref name="eventName"/> signs (null: the incoming-call notification without an
        /// event), made of <paramref name="fields"/> as posted: the values of <see cref="ZadarmaCallEvents.SignedFields"/>
        /// concatenated (call_start also read as callstart). Null when the event is not known or a field is missing.
        /// </summary>
        public static string? SignedText(string? eventName, IReadOnlyDictionary<string, string> fields)
        {
            if (fields is null) throw new ArgumentNullException(nameof(fields));
            var list = ZadarmaCallEvents.SignedFields(eventName);
            return list is null ? null : SignedText(new ZadarmaFields(fields), list);
        }

        private static string? SignedText(ZadarmaFields all, IEnumerable<string> list)
        {
            var text = new StringBuilder();
            foreach (var field in list)
            {
                var name = StartFieldOr(all, field);
                if (name is null) return null;
                text.Append(all[name]);
            }
            return text.ToString();
        }

        /// <summary>
        /// The Signature of any signed text (<see cref="SignedText(string, IReadOnlyDictionary{string, string})"/>): <c>base64_encode(hash_hmac('sha1', $text, $secret))</c>,
        /// base64 of the lower-case hex text of the HMAC-SHA1, the secret's UTF-8 bytes the key.
        /// </summary>
        public static string ComputeSignature(string signedText, Secret secret)
        {
            if (signedText is null) throw new ArgumentNullException(nameof(signedText));
            if (secret is null) throw new ArgumentNullException(nameof(secret));
            return ZadarmaSigner.Base64OfHexHmacSha1(signedText, secret);
        }

        private static ZadarmaSignatureStatus VerifyText(string signedText, string? signature, Secret secret)
        {
            if (string.IsNullOrEmpty(signature?.Trim())) return ZadarmaSignatureStatus.Unsigned;
            return FixedTimeEquals(Encoding.UTF8.GetBytes(ComputeSignature(signedText, secret)), Encoding.UTF8.GetBytes(signature!.Trim()))
                ? ZadarmaSignatureStatus.Verified
                : ZadarmaSignatureStatus.Forged;
        }

        /// <summary>
        /// The signature Zadarma sends for a call, as its example computes it:
        /// <c>base64_encode(hash_hmac('sha1', $callerId . $calledDid . $callStart, $secret))</c>, i.e. base64 of the
        /// lower-case hex TEXT of the HMAC-SHA1 (tests/vectors/zadarma-notification-signatures.json).
        /// </summary>
        public static string ComputeSignature(string callerId, string calledDid, string callStart, Secret secret)
        {
            if (callerId is null) throw new ArgumentNullException(nameof(callerId));
            if (calledDid is null) throw new ArgumentNullException(nameof(calledDid));
            if (callStart is null) throw new ArgumentNullException(nameof(callStart));
            if (secret is null) throw new ArgumentNullException(nameof(secret));
            return ZadarmaSigner.Base64OfHexHmacSha1(callerId + calledDid + callStart, secret);
        }

        /// <summary>Checks a <c>Signature</c> value (null or empty: <see cref="ZadarmaSignatureStatus.Unsigned"/>) in constant time.</summary>
        public static ZadarmaSignatureStatus VerifySignature(string callerId, string calledDid, string callStart, string? signature, Secret secret)
        {
            if (string.IsNullOrEmpty(signature?.Trim())) return ZadarmaSignatureStatus.Unsigned;
            var expected = ComputeSignature(callerId, calledDid, callStart, secret);
            return FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signature!.Trim()))
                ? ZadarmaSignatureStatus.Verified
                : ZadarmaSignatureStatus.Forged;
        }

        /// <summary>
        /// Why a call must be refused (403) when signatures are required: ZadarmaNotificationIsUnsigned or
        /// ZadarmaNotificationSignatureIsForged; null when its signature was verified. A call read without a secret
        /// (NotChecked) is refused as unsigned: nothing vouches for it.
        /// </summary>
        public static MessagingException? SignatureRefusal(ZadarmaCall call)
        {
            if (call is null) throw new ArgumentNullException(nameof(call));
            switch (call.Signature)
            {
                case ZadarmaSignatureStatus.Verified:
                    return null;
                case ZadarmaSignatureStatus.Forged:
                    return new MessagingException(ZadarmaClient.ProviderName, ErrorKind.Authentication, "ZadarmaNotificationSignatureIsForged",
                        $"The notification {Describe(call)} was refused (403): its Signature is not the one the " +
                        "account's secret gives, so it did not come from Zadarma or was altered (or the secret is not this account's).", httpStatus: 403);
                default:
                    return new MessagingException(ZadarmaClient.ProviderName, ErrorKind.Authentication, "ZadarmaNotificationIsUnsigned",
                        $"The notification {Describe(call)} had no Signature header and was refused (403): " +
                        "signatures are required. Zadarma signs notifications only when the account has an API key and secret.", httpStatus: 403);
            }
        }

        /// <summary>What a notification is about, for a message: "of a call from X to Y", or "NOTIFY_END of call in_1 (from X to Y)".</summary>
        internal static string Describe(ZadarmaCall call)
        {
            if (call.Event is null) return $"of a call from {call.CallerId} to {call.CalledDid}";
            var from = call.CallerId ?? call.Extension;
            var to = string.IsNullOrEmpty(call.CalledDid) ? call.Destination : call.CalledDid;
            return $"{call.Event} of call {call.PbxCallId ?? "?"}" + (from is null && to is null ? "" : $" (from {from} to {to})");
        }

        /// <summary>
        /// The answer to the address check: the value of <c>zd_echo</c> in a raw query string (with or without the
        /// leading '?'), decoded as PHP's <c>$_GET</c> does; null when the query has no <c>zd_echo</c>.
        /// </summary>
        public static string? Echo(string? query)
        {
            if (string.IsNullOrEmpty(query)) return null;
            var q = query![0] == '?' ? query.Substring(1) : query;
            List<KeyValuePair<string, string>> fields;
            try
            {
                fields = DecodeForm(Encoding.UTF8.GetBytes(q));
            }
            catch (MessagingException)
            {
                return null;
            }
            string? echo = null;
            foreach (var f in fields)
                if (f.Key == EchoParameter) echo = f.Value;
            return echo;
        }

        /// <summary>The body that answers a notification with <paramref name="route"/>: empty for none or the default (see <see cref="ZadarmaRoute.ToAnswer"/>).</summary>
        public static string Answer(ZadarmaRoute? route) => (route ?? ZadarmaRoute.Default).ToAnswer();

        /// <summary>
        /// Decodes <c>application/x-www-form-urlencoded</c> bytes as PHP fills <c>$_POST</c>: pairs split at '&amp;' and
        /// the first '=', '+' is a space, '%' with two hex digits a byte (any other '%' stays as it is), the bytes UTF-8.
        /// </summary>
        /// <exception cref="MessagingException">ZadarmaNotificationIsMalformed: a name or value is not UTF-8.</exception>
        public static List<KeyValuePair<string, string>> DecodeForm(byte[] body)
        {
            if (body is null) throw new ArgumentNullException(nameof(body));
            var fields = new List<KeyValuePair<string, string>>();
            var start = 0;
            for (var i = 0; i <= body.Length; i++)
            {
                if (i < body.Length && body[i] != (byte)'&') continue;
                if (i > start)
                {
                    var eq = Array.IndexOf(body, (byte)'=', start, i - start);
                    var name = Decode(body, start, (eq < 0 ? i : eq) - start);
                    var value = eq < 0 ? string.Empty : Decode(body, eq + 1, i - eq - 1);
                    if (name.Length > 0) fields.Add(new KeyValuePair<string, string>(name, value));
                }
                start = i + 1;
            }
            return fields;
        }

        private static string Decode(byte[] source, int offset, int count)
        {
            var bytes = new byte[count];
            var n = 0;
            for (var i = offset; i < offset + count; i++)
            {
                var b = source[i];
                if (b == (byte)'+') bytes[n++] = (byte)' ';
                else if (b == (byte)'%' && i + 2 < offset + count && HexValue(source[i + 1]) >= 0 && HexValue(source[i + 2]) >= 0)
                {
                    bytes[n++] = (byte)(HexValue(source[i + 1]) * 16 + HexValue(source[i + 2]));
                    i += 2;
                }
                else bytes[n++] = b;
            }
            try
            {
                return s_strictUtf8.GetString(bytes, 0, n);
            }
            catch (DecoderFallbackException)
            {
                throw Malformed("a name or value is not UTF-8 text");
            }
        }

        private static int HexValue(byte b) =>
            b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;

        /// <summary>The value of the header <paramref name="name"/> (any case), or null.</summary>
        public static string? FindHeader(IEnumerable<KeyValuePair<string, string?>>? headers, string name)
        {
            if (headers is null) return null;
            foreach (var h in headers)
                if (string.Equals(h.Key?.Trim(), name, StringComparison.OrdinalIgnoreCase)) return h.Value;
            return null;
        }

        private static IEnumerable<KeyValuePair<string, string>> Project(IEnumerable<KeyValuePair<string, string?>> fields)
        {
            foreach (var f in fields)
                if (!string.IsNullOrEmpty(f.Key)) yield return new KeyValuePair<string, string>(f.Key, f.Value ?? string.Empty);
        }

        private static string Required(ZadarmaFields fields, string name, bool mayBeEmpty)
        {
            if (!fields.TryGetValue(name, out var value) || (!mayBeEmpty && value.Trim().Length == 0)) throw Missing(name, fields);
            return value;
        }

        private static DateTimeOffset? ReadTime(string text, TimeSpan offset)
        {
            var t = text.Trim();
            if (DateTime.TryParseExact(t, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                try { return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset); }
                catch (ArgumentOutOfRangeException) { return null; } // 0001-01-01 00:00:00 at a positive offset
            }
            if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) && unix <= 253402300799L)
            {
                try { return DateTimeOffset.FromUnixTimeSeconds(unix).ToOffset(offset); }
                catch (ArgumentOutOfRangeException) { return null; } // 9999-12-31 23:59:59 UTC at a positive offset
            }
            return null;
        }

        /// <summary>Byte arrays equal, in a time that depends on their lengths only (netstandard2.0 has no CryptographicOperations).</summary>
        internal static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            var diff = a.Length ^ b.Length;
            for (var i = 0; i < a.Length; i++) diff |= a[i] ^ (i < b.Length ? b[i] : 0);
            return diff == 0;
        }

        private static MessagingException Missing(string field, ZadarmaFields posted, string? shown = null, string? eventName = null)
        {
            var names = new List<string>(posted.Keys);
            var what = eventName is null
                ? $"The notification has no {shown ?? "'" + field + "'"} (or it is empty): it is not an incoming-call notification of Zadarma. "
                : $"The {eventName} notification has no {shown ?? "'" + field + "'"}, which that event signs: it is not a notification of Zadarma. ";
            return new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaNotificationIsMissingAField",
                what + $"Fields posted: {(names.Count == 0 ? "none" : string.Join(", ", names))}.", httpStatus: 400)
            { Field = field };
        }

        private static MessagingException Malformed(string why) => NotificationIsMalformed($"The notification cannot be read as a form: {why}.");

        private static MessagingException TooLarge(long length, int max) =>
            NotificationIsTooLarge($"The notification's body is {length.ToString(CultureInfo.InvariantCulture)} bytes, more than the " +
                $"{max.ToString(CultureInfo.InvariantCulture)} a notification may have: it was not read.");

        /// <summary>
        /// The one place the error ZadarmaNotificationIsMalformed is made (invalid input, HTTP 400): a notification that
        /// cannot be read, here or (ConvertFrom-ZadarmaNotification) from what was given as its body.
        /// </summary>
        public static MessagingException NotificationIsMalformed(string message, string? field = null) =>
            new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaNotificationIsMalformed", message, httpStatus: 400)
            { Field = field };

        /// <summary>
        /// The one place the error ZadarmaNotificationIsTooLarge is made (invalid input, HTTP 413): a notification's body
        /// over the most it may have, read here or refused by the listener.
        /// </summary>
        internal static MessagingException NotificationIsTooLarge(string message) =>
            new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaNotificationIsTooLarge", message, httpStatus: 413);
    }
}
