using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace MessagingTools.Core.Json
{
    /// <summary>The serializer settings of every request body Core writes.</summary>
    internal static class JsonText
    {
        /// <summary>
        /// Letters of every script are written as they are (UTF-8), not as \uXXXX escapes, so that request logs of
        /// Persian, Hebrew or Russian text stay readable; HTML-sensitive characters are still escaped.
        /// </summary>
        public static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };

        public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

        /// <summary>A request body of UTF-8 JSON bytes, labelled as such.</summary>
        public static System.Net.Http.HttpContent Content(byte[] json)
        {
            var content = new System.Net.Http.ByteArrayContent(json);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return content;
        }

        /// <summary>Parses a provider's answer; null when it is not JSON.</summary>
        public static JsonDocument? TryParse(string text)
        {
            try
            {
                return JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public static string? GetString(this JsonElement element, string name)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value)) return null;
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
        }
    }
}
