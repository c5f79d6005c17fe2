using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace MessagingTools.Core.Journal
{
    /// <summary>
    /// Gives each row of a run its journal key, the same on every run over the same input.
    /// <para>The rule: a row's key is the hash of its <em>content</em>, the values that make the message, plus the
    /// occurrence of that content in the run: <c>&lt;hash&gt;-&lt;n&gt;</c>, where n is 1 for the first row of the run
    /// with this content, 2 for the second identical one, and so on, counted in input order.</para>
    /// <list type="bullet">
    /// <item>The content is what the caller gives: an ordered list of name/value pairs, the values as they will be sent
    /// (the recipient as normalised, the text after its placeholders are filled, the file id...). Names and values are
    /// compared ordinally (exactly, culture-invariantly); a null value differs from an empty one. Columns that do not
    /// change the message (a note, a row number) are left out by the caller, so editing them keeps the key.</item>
    /// <item>Two identical rows are two messages: they get keys ...-1 and ...-2.</item>
    /// <item>Reading the same CSV again gives the same keys: the same contents in the same order of occurrence.</item>
    /// <item>A row whose recipient or text changed has another content, hence a new key: it is a new message.</item>
    /// <item>Removing one of several identical rows between runs leaves the later ones' keys to the earlier ones: with
    /// three identical rows done, a second run over two of them sends nothing.</item>
    /// </list>
    /// The hash is SHA-256 over a length-prefixed UTF-8 encoding of every name and value (so that no two different
    /// lists encode alike), written as the first 32 hex digits (128 bits), lower case.
    /// Keys must be taken in input order (the pipeline thread does that); the class is thread-safe all the same.
    /// </summary>
    internal sealed class RowIdentity
    {
        private readonly object _lock = new object();
        private readonly Dictionary<string, int> _occurrences = new Dictionary<string, int>(StringComparer.Ordinal);

        /// <summary>The key of the next row of the run with this content.</summary>
        public string Next(IEnumerable<KeyValuePair<string, string?>> content)
        {
            var hash = ContentHash(content);
            int n;
            lock (_lock)
            {
                _occurrences.TryGetValue(hash, out n);
                n++;
                _occurrences[hash] = n;
            }
            return hash + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>The hash part of a key: 32 lower-case hex digits of SHA-256 over the content.</summary>
        public static string ContentHash(IEnumerable<KeyValuePair<string, string?>> content)
        {
            if (content is null) throw new ArgumentNullException(nameof(content));
            var bytes = new List<byte>(256);
            foreach (var pair in content)
            {
                Append(bytes, pair.Key ?? throw new ArgumentException("A content name is null.", nameof(content)));
                Append(bytes, pair.Value);
            }
            byte[] digest;
            using (var sha = SHA256.Create()) digest = sha.ComputeHash(bytes.ToArray());
            var hex = new StringBuilder(32);
            for (int i = 0; i < 16; i++) hex.Append(digest[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return hex.ToString();
        }

        private static void Append(List<byte> bytes, string? value)
        {
            // -1 for null, else the UTF-8 length; big-endian so the encoding is the same on every machine.
            // A lone surrogate is encoded as U+FFFD by UTF8Encoding's default replacement; such a text is refused before sending anyway.
            var data = value is null ? null : Encoding.UTF8.GetBytes(value);
            int length = data?.Length ?? -1;
            bytes.Add((byte)(length >> 24));
            bytes.Add((byte)(length >> 16));
            bytes.Add((byte)(length >> 8));
            bytes.Add((byte)length);
            if (data != null) bytes.AddRange(data);
        }
    }
}
