using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using MessagingTools.Core.Security;

namespace MessagingTools.Core.Providers.Zadarma
{
    /// <summary>
    /// Zadarma's request signature, exactly as Zadarma's documented PHP computes it (docs/providers/zadarma.md, 'Authorization'; the same code is
    /// <c>Client::_getAuthHeader</c> in zadarma/user-api-v1):
    /// <code>
    /// ksort($params);
    /// $paramsStr = http_build_query($params, null, '&amp;', PHP_QUERY_RFC1738);
    /// $sign = base64_encode(hash_hmac('sha1', $method . $paramsStr . md5($paramsStr), $secret));
    /// </code>
    /// The client builds the query once with <see cref="BuildQuery"/>, signs that text and sends that same text as the
    /// GET query or the form body, so that what is signed is byte for byte what is sent.
    /// </summary>
    public static class ZadarmaSigner
    {
        private static readonly UTF8Encoding s_utf8 = new UTF8Encoding(false, true);

        /// <summary>
        /// PHP's <c>ksort</c> then <c>http_build_query</c> (RFC 1738): parameters ordered by the bytes of their names,
        /// names and values form-encoded (<see cref="FormEncode"/>), joined with '&amp;'. Null values are left out, as
        /// http_build_query leaves out nulls.
        /// </summary>
        public static string BuildQuery(IEnumerable<KeyValuePair<string, string?>> parameters)
        {
            if (parameters is null) throw new ArgumentNullException(nameof(parameters));
            var sb = new StringBuilder();
            foreach (var p in KeySorted(parameters.Where(p => p.Value != null)))
            {
                if (sb.Length > 0) sb.Append('&');
                sb.Append(FormEncode(p.Key)).Append('=').Append(FormEncode(p.Value!));
            }
            return sb.ToString();
        }

        /// <summary>
        /// PHP 8's <c>ksort</c> of string keys: ordered by the bytes of their UTF-8 names (strcmp: they are not numeric), and
        /// a stable sort, so equal names keep their given order (which a dictionary cannot have anyway).
        /// </summary>
        internal static IEnumerable<KeyValuePair<string, T>> KeySorted<T>(IEnumerable<KeyValuePair<string, T>> parameters) =>
            parameters.Select((p, i) => new { p, i, name = s_utf8.GetBytes(p.Key) })
                .OrderBy(x => x.name, ByteComparer.Instance).ThenBy(x => x.i)
                .Select(x => x.p);

        /// <summary>
        /// PHP's <c>urlencode</c> (what http_build_query uses with PHP_QUERY_RFC1738): the UTF-8 bytes of the text,
        /// A-Z a-z 0-9 '-' '_' '.' kept, space written '+', every other byte '%' and two upper-case hex digits.
        /// (<c>WebUtility.UrlEncode</c> keeps ! ( ) * and <c>Uri.EscapeDataString</c> keeps ~ and writes %20: both differ.)
        /// </summary>
        public static string FormEncode(string value)
        {
            if (value is null) throw new ArgumentNullException(nameof(value));
            var bytes = s_utf8.GetBytes(value);
            var sb = new StringBuilder(bytes.Length * 3);
            const string hex = "0123456789ABCDEF";
            foreach (var b in bytes)
            {
                if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_' || b == '.')
                    sb.Append((char)b);
                else if (b == ' ')
                    sb.Append('+');
                else
                    sb.Append('%').Append(hex[b >> 4]).Append(hex[b & 0xF]);
            }
            return sb.ToString();
        }

        /// <summary>
        /// The signature of an already built query: base64 of the LOWER-CASE HEX TEXT of
        /// HMAC-SHA1(method + query + md5hex(query), secret), as PHP's hash_hmac and md5 return hex text.
        /// </summary>
        /// <param name="method">The path with the version, e.g. <c>/v1/info/balance/</c>.</param>
        /// <param name="query">The query as sent (see <see cref="BuildQuery"/>); empty for none.</param>
        /// <param name="secret">The user's secret key.</param>
        public static string Sign(string method, string query, Secret secret)
        {
            if (method is null) throw new ArgumentNullException(nameof(method));
            if (secret is null) throw new ArgumentNullException(nameof(secret));
            query ??= string.Empty;
            string md5Hex;
            using (var md5 = MD5.Create())
                md5Hex = Hex(md5.ComputeHash(s_utf8.GetBytes(query)));
            return Base64OfHexHmacSha1(method + query + md5Hex, secret);
        }

        /// <summary>
        /// PHP's <c>base64_encode(hash_hmac('sha1', $text, $secret))</c>: base64 of the 40 lower-case hex characters of
        /// the HMAC, not of its 20 bytes. API requests sign <c>method . query . md5(query)</c> with it (<see cref="Sign"/>),
        /// incoming-call notifications <c>caller_id . called_did . call_start</c> (<see cref="Calls.ZadarmaNotifications"/>).
        /// </summary>
        internal static string Base64OfHexHmacSha1(string text, Secret secret)
        {
            string hmacHex;
            using (var hmac = new HMACSHA1(s_utf8.GetBytes(secret.Reveal())))
                hmacHex = Hex(hmac.ComputeHash(s_utf8.GetBytes(text)));
            return Convert.ToBase64String(Encoding.ASCII.GetBytes(hmacHex));
        }

        /// <summary>The whole value of the Authorization header: <c>key:signature</c>.</summary>
        public static string Authorization(string key, string method, string query, Secret secret) =>
            key + ":" + Sign(method, query, secret);

        private static string Hex(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes) sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        private sealed class ByteComparer : IComparer<byte[]>
        {
            public static readonly ByteComparer Instance = new ByteComparer();

            public int Compare(byte[]? x, byte[]? y)
            {
                if (ReferenceEquals(x, y)) return 0;
                if (x is null) return -1;
                if (y is null) return 1;
                var n = Math.Min(x.Length, y.Length);
                for (int i = 0; i < n; i++)
                    if (x[i] != y[i]) return x[i].CompareTo(y[i]);
                return x.Length.CompareTo(y.Length);
            }
        }
    }
}
