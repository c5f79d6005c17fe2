using System;
using System.Text;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Phones
{
    /// <summary>
    /// Turns phone numbers as people keep them in spreadsheets into the forms the providers accept.
    /// Digits may be ASCII, Persian (۰-۹) or Arabic-Indic (٠-٩); spaces, dashes, dots, parentheses and the
    /// invisible direction marks that right-to-left editors insert are ignored.
    /// </summary>
    public static class PhoneNumbers
    {
        public const string IranMobileForms =
            "09123456789, 9123456789, 989123456789, +989123456789 or 00989123456789 (spaces, dashes, dots, parentheses " +
            "and Persian or Arabic-Indic digits are fine)";

        /// <summary>Replaces Persian and Arabic-Indic digits by ASCII digits; leaves every other character.</summary>
        public static string ToAsciiDigits(string value)
        {
            if (value is null) throw new ArgumentNullException(nameof(value));
            var sb = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                if (c >= '\u06F0' && c <= '\u06F9') sb.Append((char)('0' + (c - '\u06F0')));      // Persian
                else if (c >= '\u0660' && c <= '\u0669') sb.Append((char)('0' + (c - '\u0660'))); // Arabic-Indic
                else if (c >= '\uFF10' && c <= '\uFF19') sb.Append((char)('0' + (c - '\uFF10'))); // full width
                else sb.Append(c);
            }
            return sb.ToString();
        }

        /// <summary>
        /// Keeps the digits and one leading plus sign; returns null when the value holds anything but digits,
        /// separators and formatting marks.
        /// </summary>
        internal static string? Clean(string value)
        {
            var ascii = ToAsciiDigits(value).Trim();
            var sb = new StringBuilder(ascii.Length);
            for (int i = 0; i < ascii.Length; i++)
            {
                var c = ascii[i];
                if (c >= '0' && c <= '9') sb.Append(c);
                else if (c == '+' && sb.Length == 0 && (i == 0 || IsIgnorable(ascii[i - 1]))) sb.Append(c);
                else if (!IsIgnorable(c)) return null;
            }
            return sb.ToString();
        }

        private static bool IsIgnorable(char c) =>
            c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '_' ||
            c == '\u00A0' || c == '\t' ||
            (c >= '\u2010' && c <= '\u2015') ||  // hyphens and dashes
            (c >= '\u200B' && c <= '\u200F') ||  // zero-width space/joiners, LRM, RLM
            (c >= '\u202A' && c <= '\u202E') ||  // bidi embeddings
            (c >= '\u2066' && c <= '\u2069') ||  // bidi isolates
            c == '\u2212' || c == '\uFEFF' || c == '\u061C';

        /// <summary>The ten national digits of an Iranian mobile number (9xxxxxxxxx), or null.</summary>
        public static string? TryIranMobileNational(string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            var digits = Clean(value!);
            if (digits is null) return null;
            string national;
            if (digits.StartsWith("+98", StringComparison.Ordinal)) national = digits.Substring(3);
            else if (digits.StartsWith("+", StringComparison.Ordinal)) return null;
            else if (digits.Length == 14 && digits.StartsWith("0098", StringComparison.Ordinal)) national = digits.Substring(4);
            else if (digits.Length == 12 && digits.StartsWith("98", StringComparison.Ordinal)) national = digits.Substring(2);
            else if (digits.Length == 11 && digits[0] == '0') national = digits.Substring(1);
            else national = digits;
            return national.Length == 10 && national[0] == '9' ? national : null;
        }

        /// <summary>The Bale form: 98 followed by ten digits. Throws an invalid-input error naming the value otherwise.</summary>
        public static string ToBale(string? value, string provider = "Bale") => "98" + RequireIranMobile(value, provider);

        /// <summary>The local form the flash-call service takes: 09 followed by nine digits.</summary>
        public static string ToIranLocal(string? value, string provider = "FlashCall") => "0" + RequireIranMobile(value, provider);

        private static string RequireIranMobile(string? value, string provider) =>
            TryIranMobileNational(value) ?? throw new MessagingException(provider, ErrorKind.InvalidInput, "PhoneNumberIsNotAnIranianMobileNumber",
                $"'{value}' is not an Iranian mobile number. Accepted forms: {IranMobileForms}.");
    }
}
