using System.Globalization;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Text
{
    /// <summary>
    /// The one rule for every text a provider is sent (a Bale text, caption or copy text, a FeedBot message, a Zadarma
    /// SMS): it must be well-formed UTF-16, so that it can be written as UTF-8. A lone surrogate (half of a character,
    /// e.g. <c>[char]0xD800</c>, or an emoji cut in the middle) cannot: .NET's strict encoder throws "Unable to translate
    /// Unicode character", the JSON writer silently puts U+FFFD in its place. Such a text is refused before any request,
    /// naming the field and the position, with one error id for every provider.
    /// </summary>
    public static class UnicodeText
    {
        /// <summary>The error id of a text that is not valid Unicode, the same for every provider.</summary>
        public const string ErrorId = "TextIsNotValidUnicode";

        /// <summary>
        /// Throws an invalid-input <see cref="MessagingException"/> (<see cref="ErrorId"/>, Field = <paramref name="field"/>)
        /// when <paramref name="text"/> holds a lone surrogate. Null and empty texts pass (emptiness is each provider's rule).
        /// </summary>
        /// <param name="text">The text as the user gave it (positions are counted in it, from 1).</param>
        /// <param name="provider">The provider the text is for (Bale, FeedBot, Zadarma).</param>
        /// <param name="field">The parameter or column the text came from (Text, Message, CopyText).</param>
        public static void RequireWellFormed(string? text, string provider, string field)
        {
            var at = IndexOfLoneSurrogate(text);
            if (at < 0) return;
            var c = text![at];
            var what = char.IsHighSurrogate(c) ? "the first half of a pair with no second half after it" : "the second half of a pair with no first half before it";
            throw new MessagingException(provider, ErrorKind.InvalidInput, ErrorId,
                $"The text holds a lone surrogate (half of a character) at position {(at + 1).ToString(CultureInfo.InvariantCulture)} " +
                $"of {text.Length.ToString(CultureInfo.InvariantCulture)}: U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}, {what}. " +
                "It cannot be sent as UTF-8; a text cut in the middle of an emoji does this. Remove or retype that character. Nothing was sent.")
            { Field = field };
        }

        /// <summary>The 0-based index of the first lone surrogate of <paramref name="text"/>, or -1 when it is well-formed.</summary>
        public static int IndexOfLoneSurrogate(string? text)
        {
            if (string.IsNullOrEmpty(text)) return -1;
            for (int i = 0; i < text!.Length; i++)
            {
                var c = text[i];
                if (char.IsHighSurrogate(c))
                {
                    if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        i++; // a whole pair
                        continue;
                    }
                    return i;
                }
                if (char.IsLowSurrogate(c)) return i;
            }
            return -1;
        }
    }
}
