using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;

namespace MessagingTools.Core.Security
{
    /// <summary>
    /// A credential value (API key, token, secret). It never shows its value through <see cref="ToString"/>,
    /// and <see cref="Redact(string?, IEnumerable{Secret?})"/> masks it wherever it appears in text that leaves
    /// the library (log lines, exception messages).
    /// </summary>
    public sealed class Secret
    {
        public const string Mask = "********";
        private readonly string _value;

        /// <summary>
        /// Surrounding whitespace is removed: a key read with Get-Content -Raw or from an env file ends in a newline,
        /// which would otherwise make the HTTP header invalid (and silently dropped). A value that <see cref="Refusal"/>
        /// refuses throws <see cref="ArgumentException"/> (whose message never shows the value).
        /// </summary>
        public Secret(string value)
            : this(value, Refusal(value))
        {
        }

        private Secret(string value, string? refusal)
        {
            if (refusal != null) throw new ArgumentException("The credential cannot be used: " + refusal + ".", nameof(value));
            _value = value.Trim();
            _forms = EncodedForms(_value);
        }

        /// <summary>
        /// A secret that is never sent, only used as the key of an HMAC (Zadarma's API secret): any letters, used as their
        /// UTF-8 bytes (as PHP's hash_hmac uses the bytes of its key); <see cref="SigningRefusal"/> says what is refused.
        /// </summary>
        public static Secret ForSigning(string value) => new Secret(value, SigningRefusal(value));

        /// <summary>
        /// Why a text cannot be a signing secret (<see cref="ForSigning"/>), or null when it can: empty, or a control
        /// character (a line break: a copy-paste mistake). Letters of any script are allowed: the secret never travels.
        /// </summary>
        public static string? SigningRefusal(string? value)
        {
            var trimmed = value?.Trim();
            if (string.IsNullOrEmpty(trimmed)) return "it is empty";
            for (var i = 0; i < trimmed!.Length; i++)
            {
                var c = trimmed[i];
                if (char.IsControl(c))
                    return $"it holds a control character (U+{(int)c:X4}) at position {i + 1}, such as a line break; a secret is one line";
                if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < trimmed.Length && char.IsLowSurrogate(trimmed[i + 1])) &&
                    !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(trimmed[i - 1])))
                    return $"it holds half of a character (a lone surrogate) at position {i + 1}";
            }
            return null;
        }

        /// <summary>
        /// Why a text cannot be a credential, or null when it can. Keys and tokens travel in HTTP headers, where a line
        /// break would start a header of the sender's choosing (and .NET refuses non-ASCII values only when the request
        /// is already on its way), so a credential holds printable ASCII only; surrounding whitespace does not count.
        /// </summary>
        public static string? Refusal(string? value)
        {
            var trimmed = value?.Trim();
            if (string.IsNullOrEmpty(trimmed)) return "it is empty";
            for (var i = 0; i < trimmed!.Length; i++)
            {
                var c = trimmed[i];
                if (c < 0x20 || c == 0x7F)
                    return $"it holds a control character (U+{(int)c:X4}) at position {i + 1}, such as a line break; a key or token is one line of letters, digits and signs";
                if (c > 0x7E)
                    return $"it holds a non-ASCII character at position {i + 1}; a key or token is made of ASCII letters, digits and signs";
            }
            return null;
        }

        /// <summary>The clear text, for the one place that puts it on the wire.</summary>
        public string Reveal() => _value;

        public override string ToString() => Mask;

        public override bool Equals(object? obj) => obj is Secret other && string.Equals(_value, other._value, StringComparison.Ordinal);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);

        /// <summary>
        /// Masks each secret wherever it appears in <paramref name="text"/>: as it is, base64-encoded (standard or
        /// URL-safe, with or without padding) and URL-encoded (either case of the escapes), which is how providers
        /// echo a credential back. Only whole tokens are masked, so that a short key does not eat the letters of words.
        /// </summary>
        public static string Redact(string? text, IEnumerable<Secret?> secrets)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            var result = text!;
            foreach (var secret in secrets)
            {
                if (secret is null) continue;
                foreach (var (form, comparison) in secret._forms) result = MaskWholeTokens(result, form, comparison);
            }
            return result;
        }

        private readonly IReadOnlyList<(string Form, StringComparison Comparison)> _forms;

        private static IReadOnlyList<(string, StringComparison)> EncodedForms(string value)
        {
            var forms = new List<(string, StringComparison)> { (value, StringComparison.Ordinal) };
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
            foreach (var form in new[] { base64, base64.TrimEnd('='), base64.TrimEnd('=').Replace('+', '-').Replace('/', '_') })
                forms.Add((form, StringComparison.Ordinal));
            forms.Add((Uri.EscapeDataString(value), StringComparison.OrdinalIgnoreCase));
            forms.Add((WebUtility.UrlEncode(value), StringComparison.OrdinalIgnoreCase));
            // Longest first, so that a form is masked whole before a shorter one inside it is looked for.
            return forms.Distinct().OrderByDescending(f => f.Item1.Length).ToList();
        }

        private static string MaskWholeTokens(string text, string form, StringComparison comparison)
        {
            var index = text.IndexOf(form, comparison);
            if (index < 0) return text;
            var sb = new StringBuilder(text.Length);
            var start = 0;
            while (index >= 0)
            {
                var end = index + form.Length;
                var whole = (index == 0 || !char.IsLetterOrDigit(text[index - 1]) || !char.IsLetterOrDigit(form[0])) &&
                            (end == text.Length || !char.IsLetterOrDigit(text[end]) || !char.IsLetterOrDigit(form[form.Length - 1]));
                if (whole)
                {
                    sb.Append(text, start, index - start).Append(Mask);
                    start = end;
                }
                index = text.IndexOf(form, whole ? end : index + 1, comparison);
            }
            return sb.Append(text, start, text.Length - start).ToString();
        }
    }
}
