using System;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Phones;
using MessagingTools.Core.Text;

namespace MessagingTools.Core.Providers.Zadarma
{
    // The input rules: each request's Prepare checks it before anything is sent, with errors that name the field;
    // numbers take Zadarma's form, which PhoneNumbers.ToZadarma decides beside the other providers' forms.
    public sealed partial class ZadarmaClient
    {
        /// <summary>Checks a price query before anything is sent; throws invalid-input errors naming the field (Number, CallerId).</summary>
        public static ZadarmaPriceQuery Prepare(ZadarmaPriceQuery query)
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            var cc = query.DefaultCountryCode;
            return new ZadarmaPriceQuery(NormalizePhone(query.Number, "Number", cc)) { CallerId = OptionalPhone(query.CallerId, "CallerId", cc) };
        }

        /// <summary>Checks a callback before anything is sent; throws invalid-input errors naming the field.</summary>
        public static ZadarmaCallbackRequest Prepare(ZadarmaCallbackRequest call)
        {
            if (call is null) throw new ArgumentNullException(nameof(call));
            return new ZadarmaCallbackRequest(CallbackFrom("From", call.From, call.DefaultCountryCode), NormalizePhone(call.To, "To", call.DefaultCountryCode))
            {
                Sip = OptionalNumber(call.Sip, "Sip"),
                Predicted = call.Predicted,
            };
        }

        /// <summary>Checks a CallerID change before anything is sent; throws invalid-input errors naming the field (Sip, Number).</summary>
        public static ZadarmaCallerIdRequest Prepare(ZadarmaCallerIdRequest change)
        {
            if (change is null) throw new ArgumentNullException(nameof(change));
            return new ZadarmaCallerIdRequest(NormalizeNumber(change.Sip, "Sip"), NormalizePhone(change.Number, "Number", change.DefaultCountryCode));
        }

        /// <summary>Checks a forwarding read before anything is sent: a blank SIP number means all of them.</summary>
        public static ZadarmaRedirectionQuery Prepare(ZadarmaRedirectionQuery query)
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            return new ZadarmaRedirectionQuery { Sip = OptionalNumber(query.Sip, "Sip") };
        }

        /// <summary>
        /// Checks a forwarding change before anything is sent: the SIP number and target as Zadarma takes them, and at
        /// least one thing to change. Throws invalid-input errors naming the field (Sip, Number, Status).
        /// </summary>
        public static ZadarmaRedirectionRequest Prepare(ZadarmaRedirectionRequest change)
        {
            if (change is null) throw new ArgumentNullException(nameof(change));
            var sip = NormalizeNumber(change.Sip, "Sip");
            var number = OptionalPhone(change.Number, "Number", change.DefaultCountryCode);
            if (change.Enabled is null && number is null)
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaRedirectionChangeIsEmpty",
                    "Nothing to change: give -Status On|Off, -Number, or both.") { Field = "Status" };
            return new ZadarmaRedirectionRequest(sip) { Enabled = change.Enabled, Number = number };
        }

        /// <summary>
        /// Checks an SMS before anything is sent: the number and caller id as Zadarma takes them (digits), and a text
        /// that is not empty and is valid Unicode (<see cref="UnicodeText"/>). Throws invalid-input errors naming the field (Number, Message, CallerId).
        /// </summary>
        public static ZadarmaSmsRequest Prepare(ZadarmaSmsRequest sms)
        {
            if (sms is null) throw new ArgumentNullException(nameof(sms));
            var to = NormalizePhone(sms.Number, "Number", sms.DefaultCountryCode);
            if (string.IsNullOrEmpty(sms.Message))
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaSmsTextIsEmpty", "The SMS has no text.") { Field = "Message" };
            UnicodeText.RequireWellFormed(sms.Message, ProviderName, "Message"); // the form encoder cannot write a lone surrogate
            return new ZadarmaSmsRequest(to, sms.Message) { CallerId = OptionalPhone(sms.CallerId, "CallerId", sms.DefaultCountryCode) };
        }

        /// <summary>Checks a statistics query before anything is sent: the SIP number as Zadarma takes it (Field Sip); blanks mean none.</summary>
        public static ZadarmaStatisticsQuery Prepare(ZadarmaStatisticsQuery query)
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            return new ZadarmaStatisticsQuery(query.Start, query.End)
            {
                Sip = OptionalNumber(query.Sip, "Sip"),
                Type = string.IsNullOrWhiteSpace(query.Type) ? null : query.Type,
            };
        }

        // ----- numbers -----

        /// <summary>A phone number, SIP number or extension as Zadarma wants it: <see cref="PhoneNumbers.ToZadarma"/>.</summary>
        public static string NormalizeNumber(string? value, string field) => PhoneNumbers.ToZadarma(value, field, ProviderName);

        /// <summary>
        /// A phone number as Zadarma wants it, with its country code: one in local form (a leading 0) takes
        /// <paramref name="defaultCountryCode"/> in place of the 0, and is refused without one (<see cref="PhoneNumbers.ToZadarmaPhone"/>).
        /// </summary>
        public static string NormalizePhone(string? value, string field, string? defaultCountryCode) =>
            PhoneNumbers.ToZadarmaPhone(value, field, defaultCountryCode, ProviderName);

        private static string? OptionalPhone(string? value, string field, string? defaultCountryCode) =>
            string.IsNullOrWhiteSpace(value) ? null : NormalizePhone(value, field, defaultCountryCode);

        /// <summary>An optional number: null when blank, else as <see cref="NormalizeNumber"/> makes it.</summary>
        private static string? OptionalNumber(string? value, string field) => string.IsNullOrWhiteSpace(value) ? null : NormalizeNumber(value, field);

        /// <summary>
        /// The callback's <c>from</c>: a phone, SIP or extension (digits, cleaned like <see cref="NormalizeNumber"/>), or a
        /// PBX scenario such as <c>0-1</c> (PHP SDK requestCallback passes from unfiltered: "the PBX scenario").
        /// </summary>
        private static string CallbackFrom(string field, string? value, string? defaultCountryCode)
        {
            var text = PhoneNumbers.ToAsciiDigits((value ?? "").Trim());
            if (text.Length > 0 && System.Text.RegularExpressions.Regex.IsMatch(text, @"^[0-9]+-[0-9]+$")) return text;
            return NormalizePhone(value, field, defaultCountryCode);
        }
    }
}
