using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Json;

namespace MessagingTools.Core.Providers.Zadarma
{
    // Reading Zadarma's answers: each field missing or unreadable is a ZadarmaAnswerWasMalformed error naming it.
    public sealed partial class ZadarmaClient
    {
        // ----- reading answers -----

        private static MessagingException Malformed(Answer answer, string what) =>
            new MessagingException(ProviderName, ErrorKind.Remote, "ZadarmaAnswerWasMalformed",
                $"Zadarma {answer.Operation}: the answer (HTTP {answer.Response.StatusCode}) has no readable {what}.", httpStatus: answer.Response.StatusCode);

        private static string Required(JsonElement e, string name, Answer answer) =>
            e.GetString(name) is string s && s.Length > 0 ? s : throw Malformed(answer, name);

        private static decimal Money(JsonElement e, string name, Answer answer)
        {
            // Parsed from the number's own text (GetString gives the raw JSON text of a number), never through double.
            var text = e.GetString(name);
            if (text is null) throw Malformed(answer, name);
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Malformed(answer, name);
        }

        private static int Int(JsonElement e, string name) =>
            int.TryParse(e.GetString(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

        private DateTimeOffset Time(JsonElement e, string name, Answer answer)
        {
            var text = e.GetString(name);
            // The account's clock, at the offset the zone has at that time.
            if (text != null && DateTime.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                return _zone.FromAccount(local);
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
                return _zone.ToAccount(DateTimeOffset.FromUnixTimeSeconds(unix));
            throw Malformed(answer, name);
        }

        private static JsonElement Object(JsonElement e, string name, Answer answer) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : throw Malformed(answer, name);

        private static IEnumerable<JsonElement> Array(JsonElement e, string name, Answer answer, bool optional = false)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
                return optional ? Enumerable.Empty<JsonElement>() : throw Malformed(answer, name);
            if (v.ValueKind != JsonValueKind.Array) throw Malformed(answer, name);
            return v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object);
        }

        /// <summary>Whether a number Zadarma names in an answer (denied_numbers) is the one this request sent.</summary>
        private static bool SameNumber(string answered, string sent)
        {
            var digits = new string(answered.Where(c => c >= '0' && c <= '9').ToArray());
            return digits == sent || digits.TrimStart('0') == sent.TrimStart('0');
        }
    }
}
