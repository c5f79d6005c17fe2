using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Providers.Zadarma
{
    /// <summary>
    /// Reads the JSON of an answer (<see cref="ZadarmaApiAnswer.Json"/>) into plain .NET values, so that a caller needs no
    /// JSON library: an object becomes what <c>makeObject</c> makes of its properties (in their order), an array an
    /// <c>object?[]</c>, a string a string, true/false a bool, null null, and a number an int, a long, or a decimal
    /// (read from its own text, so that money keeps its digits), a double beyond decimal's range, and the number's text
    /// beyond double's.
    /// </summary>
    public static class ZadarmaJsonTree
    {
        public static object? Read(string json, Func<IReadOnlyList<KeyValuePair<string, object?>>, object> makeObject)
        {
            if (json is null) throw new ArgumentNullException(nameof(json));
            if (makeObject is null) throw new ArgumentNullException(nameof(makeObject));
            try
            {
                using (var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 }))
                    return Convert(doc.RootElement, makeObject);
            }
            catch (JsonException ex)
            {
                throw new MessagingException(ZadarmaClient.ProviderName, ErrorKind.Remote, "ZadarmaAnswerWasMalformed",
                    "Zadarma's answer is not JSON: " + ex.Message, innerException: ex);
            }
        }

        private static object? Convert(JsonElement e, Func<IReadOnlyList<KeyValuePair<string, object?>>, object> makeObject)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    var properties = new List<KeyValuePair<string, object?>>();
                    foreach (var p in e.EnumerateObject()) properties.Add(new KeyValuePair<string, object?>(p.Name, Convert(p.Value, makeObject)));
                    return makeObject(properties);
                case JsonValueKind.Array:
                    var items = new List<object?>();
                    foreach (var item in e.EnumerateArray()) items.Add(Convert(item, makeObject));
                    return items.ToArray();
                case JsonValueKind.String: return e.GetString();
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.Number:
                    if (e.TryGetInt32(out var i)) return i;
                    if (e.TryGetInt64(out var l)) return l;
                    var text = e.GetRawText();
                    if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
                    return e.TryGetDouble(out var f) && !double.IsInfinity(f) && !double.IsNaN(f) ? f : (object)text; // beyond double too: its text
                default: return null;
            }
        }
    }
}
