using System;
using System.Collections.Generic;

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
        /// which would otherwise make the HTTP header invalid (and silently dropped).
        /// </summary>
        public Secret(string value)
        {
            var trimmed = value?.Trim();
            if (string.IsNullOrEmpty(trimmed)) throw new ArgumentException("A secret cannot be empty.", nameof(value));
            _value = trimmed!;
        }

        /// <summary>The clear text, for the one place that puts it on the wire.</summary>
        public string Reveal() => _value;

        public override string ToString() => Mask;

        public override bool Equals(object? obj) => obj is Secret other && string.Equals(_value, other._value, StringComparison.Ordinal);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);

        /// <summary>Replaces every occurrence of each secret's value in <paramref name="text"/> with a mask.</summary>
        public static string Redact(string? text, IEnumerable<Secret?> secrets)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            var result = text!;
            foreach (var secret in secrets)
            {
                if (secret is null) continue;
                if (result.IndexOf(secret._value, StringComparison.Ordinal) >= 0)
                    result = result.Replace(secret._value, Mask);
            }
            return result;
        }
    }
}
