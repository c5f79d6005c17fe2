using System;
using System.Text;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Phones
{
    /// <summary>
    /// Turns phone numbers as people keep them in spreadsheets into the forms the providers accept, one function a
    /// form, all through one cleaning step (<see cref="Clean(string)"/>): Bale <see cref="ToBale"/> (98 and ten digits),
    /// the flash call <see cref="ToIranLocal"/> (09 and nine digits), FeedBot <see cref="ToInternational"/> (country
    /// code and number), Zadarma <see cref="ToZadarma"/> (the digits as written: phone, SIP number or extension).
    /// Digits may be ASCII, Persian (۰-۹) or Arabic-Indic (٠-٩); spaces, dashes, dots, parentheses and the
    /// invisible direction marks that right-to-left editors insert are ignored (Zadarma's form forgives fewer:
    /// <see cref="Separators"/>).
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

        /// <summary>The most digits a phone number has (E.164), its country code included.</summary>
        public const int MaxDigits = 15;

        /// <summary>
        /// What a form forgives around the digits. <see cref="Wide"/>: numbers as spreadsheets and right-to-left
        /// editors keep them (every separator and formatting mark of <see cref="IsSeparator"/>, a '+' after separators,
        /// and the "(0)" trunk prefix of "+972 (0)58..." dropped). <see cref="Narrow"/>: Zadarma's numbers, which may
        /// be SIP numbers and extensions as well as phones: spaces, dashes, dots, brackets and no-break spaces only, a
        /// '+' only as the first character, and no trunk-prefix rule.
        /// </summary>
        private enum Separators { Wide, Narrow }

        /// <summary>
        /// The one cleaning step of every form: keeps the digits (Persian and Arabic-Indic ones made ASCII) and one
        /// leading plus sign; returns null when the value holds anything but digits and the separators its form allows.
        /// </summary>
        internal static string? Clean(string value) => Clean(value, Separators.Wide);

        private static string? Clean(string value, Separators separators)
        {
            var ascii = ToAsciiDigits(value).Trim();
            // "+972 (0)58-666-6644": the "(0)" is the trunk prefix dialled only inside the country; it is not part of the number.
            if (separators == Separators.Wide) ascii = s_trunkZero.Replace(ascii, "$1");
            var sb = new StringBuilder(ascii.Length);
            for (int i = 0; i < ascii.Length; i++)
            {
                var c = ascii[i];
                if (c >= '0' && c <= '9') sb.Append(c);
                else if (c == '+' && sb.Length == 0 && (i == 0 || (separators == Separators.Wide && IsSeparator(ascii[i - 1], separators)))) sb.Append(c);
                else if (!IsSeparator(c, separators)) return null;
            }
            return sb.ToString();
        }

        private static readonly System.Text.RegularExpressions.Regex s_trunkZero =
            new System.Text.RegularExpressions.Regex(@"^((?:\+|00)[\s\-.]*[0-9]{1,3}[\s\-.]*)\(0\)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private static bool IsSeparator(char c, Separators separators) =>
            c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\u00A0' ||
            (separators == Separators.Wide && (
                c == '/' || c == '_' || c == '\t' ||
                (c >= '\u2010' && c <= '\u2015') ||  // hyphens and dashes
                (c >= '\u200B' && c <= '\u200F') ||  // zero-width space/joiners, LRM, RLM
                (c >= '\u202A' && c <= '\u202E') ||  // bidi embeddings
                (c >= '\u2066' && c <= '\u2069') ||  // bidi isolates
                c == '\u2212' || c == '\uFEFF' || c == '\u061C'));

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

        /// <summary>
        /// The Bale form: 98 followed by ten digits. Throws an invalid-input error naming the value otherwise, with
        /// <paramref name="field"/> (the parameter or column the value came from) as its Field.
        /// </summary>
        public static string ToBale(string? value, string provider = "Bale", string? field = null) => "98" + RequireIranMobile(value, provider, field);

        /// <summary>The local form the flash-call service takes: 09 followed by nine digits (errors as <see cref="ToBale"/>).</summary>
        public static string ToIranLocal(string? value, string provider = "FlashCall", string? field = null) => "0" + RequireIranMobile(value, provider, field);

        private static string RequireIranMobile(string? value, string provider, string? field) =>
            TryIranMobileNational(value) ?? throw new MessagingException(provider, ErrorKind.InvalidInput, "PhoneNumberIsNotAnIranianMobileNumber",
                $"'{value}' is not an Iranian mobile number. Accepted forms: {IranMobileForms}.") { Field = field };

        public const string InternationalForms =
            "972586666644, +972 58-666-6644 or 00972586666644; a local number such as 058-666-6644 needs a default country code " +
            "(spaces, dashes, dots, parentheses and Persian or Arabic-Indic digits are fine)";

        /// <summary>
        /// The international form without a plus sign (country code and number, digits only), as FeedBot takes it
        /// (docs/providers/feedbot.md, 'Phone numbers': "972586666644", the number must include the country code). A leading <c>+</c> or <c>00</c> is
        /// dropped; a leading single 0 (a local number) is replaced by <paramref name="defaultCountryCode"/>.
        /// Throws an invalid-input error naming the value and the accepted forms when no country code can be found.
        /// </summary>
        public static string ToInternational(string? value, string? defaultCountryCode = null, string provider = "FeedBot")
        {
            var cc = NormalizeCountryCode(defaultCountryCode, provider);
            var digits = string.IsNullOrWhiteSpace(value) ? null : Clean(value!);
            if (string.IsNullOrEmpty(digits) || digits == "+")
                throw InvalidInternational(value, provider, "it is not a phone number");
            string international;
            if (digits![0] == '+') international = digits.Substring(1);
            else if (digits.StartsWith("00", StringComparison.Ordinal)) international = digits.Substring(2);
            else if (digits[0] == '0')
            {
                if (cc is null)
                    throw InvalidInternational(value, provider, "it is a local number without a country code (give -DefaultCountryCode, e.g. 972 or 98)");
                international = cc + digits.Substring(1);
            }
            else international = digits;
            if (international.Length == 0 || international[0] == '0')
                throw InvalidInternational(value, provider, "no country code can be determined");
            // E.164: at most 15 digits; the shortest numbers in use have 8 with their country code.
            if (international.Length < 8 || international.Length > MaxDigits)
                throw InvalidInternational(value, provider, $"an international number has 8 to {MaxDigits} digits, this one has {international.Length}");
            return international;
        }

        /// <summary>
        /// A phone number for Zadarma (<see cref="ToZadarma"/>) that must carry its country code: a number in local form,
        /// with a leading 0 (0912 345 6789; 00 is the international prefix and is kept), is refused
        /// (ZadarmaNumberHasNoCountryCode, naming <paramref name="field"/>), unless <paramref name="defaultCountryCode"/>
        /// is given: then the 0 gives way to it (0912... with 98 is 98912...), as FeedBot's numbers do. Zadarma itself
        /// would take 0912... as a number of the caller's own country, or not at all (issue 18, item 6).
        /// </summary>
        public static string ToZadarmaPhone(string? value, string field, string? defaultCountryCode, string provider = "Zadarma")
        {
            var digits = ToZadarma(value, field, provider);
            if (digits.Length < 2 || digits[0] != '0' || digits[1] == '0') return digits;
            var countryCode = NormalizeCountryCode(defaultCountryCode, provider);
            if (countryCode is null)
                throw new MessagingException(provider, ErrorKind.InvalidInput, "ZadarmaNumberHasNoCountryCode",
                    $"{field} '{value}' has no country code (it starts with 0): write it as Zadarma takes it (98912..., +98 912...) " +
                    "or give -DefaultCountryCode (98 for Iran), which takes the place of the 0.") { Field = field };
            return countryCode + digits.Substring(1);
        }

        /// <summary>A country calling code as 1 to 3 digits ("+972", "00972" and "972" are the same); null for none.</summary>
        public static string? NormalizeCountryCode(string? value, string provider = "FeedBot")
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            var digits = Clean(value!);
            if (digits != null && digits.StartsWith("+", StringComparison.Ordinal)) digits = digits.Substring(1);
            else if (digits != null && digits.StartsWith("00", StringComparison.Ordinal)) digits = digits.Substring(2);
            if (string.IsNullOrEmpty(digits) || digits!.Length > 3 || digits[0] == '0' || digits.IndexOf('+') >= 0)
                throw new MessagingException(provider, ErrorKind.InvalidInput, "CountryCodeIsInvalid",
                    $"'{value}' is not a country calling code: give 1 to 3 digits such as 972 (Israel) or 98 (Iran).") { Field = "DefaultCountryCode" };
            return digits;
        }

        private static MessagingException InvalidInternational(string? value, string provider, string why) =>
            new MessagingException(provider, ErrorKind.InvalidInput, "PhoneNumberIsNotInternational",
                $"'{value}' is not a usable international phone number: {why}. Accepted forms: {InternationalForms}.") { Field = "PhoneNumber" };

        /// <summary>
        /// Zadarma's form: digits only, for a phone number, SIP number or extension alike (the PHP SDK's filterNumber
        /// keeps only digits). The <see cref="Separators.Narrow"/> separators and a leading + are dropped, a leading 00
        /// is kept; at most <see cref="MaxDigits"/> digits, counted without that 00 (the international prefix written
        /// instead of +). Throws an invalid-input error naming <paramref name="field"/> otherwise.
        /// </summary>
        public static string ToZadarma(string? value, string field, string provider = "Zadarma")
        {
            var digits = Clean(value ?? "", Separators.Narrow)
                ?? throw new MessagingException(provider, ErrorKind.InvalidInput, "ZadarmaNumberIsInvalid",
                    $"{field} '{value}' is not a phone number, SIP number or extension: only digits, spaces, dashes, brackets and a leading + are allowed.")
                { Field = field };
            if (digits.StartsWith("+", StringComparison.Ordinal)) digits = digits.Substring(1);
            if (digits.Length == 0)
                throw new MessagingException(provider, ErrorKind.InvalidInput, "ZadarmaNumberIsMissing", $"{field} is empty.") { Field = field };
            var count = digits.Length > 2 && digits.StartsWith("00", StringComparison.Ordinal) ? digits.Length - 2 : digits.Length;
            if (count > MaxDigits)
                throw new MessagingException(provider, ErrorKind.InvalidInput, "ZadarmaNumberIsInvalid",
                    $"{field} '{value}' has {count} digits; a phone number has at most {MaxDigits}.") { Field = field };
            return digits;
        }
    }
}
