using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Text
{
    /// <summary>
    /// A message text with placeholders filled from the row: <c>'سلام {Name}، کد شما {Code} است'</c>. Parsed once per
    /// run, filled once per row.
    /// <list type="bullet">
    /// <item><c>{Name}</c> is replaced by the row's column Name; names match columns case-insensitively (an exact match
    /// wins when a row has two columns differing only in case). Everything between the braces is the name, spaces
    /// included (<c>{Phone Number}</c>), so columns of any script and any header work.</item>
    /// <item><c>{{</c> and <c>}}</c> are a literal <c>{</c> and <c>}</c>.</item>
    /// <item>A lone <c>{</c> or <c>}</c>, an empty or blank placeholder <c>{}</c>, a placeholder left open
    /// (<c>{Name</c>) or a <c>{</c> inside one are errors of the template (<see cref="InvalidErrorId"/>), naming the
    /// position (from 1, in UTF-16 units as PowerShell's <c>.Length</c> counts).</item>
    /// <item>A placeholder whose column the row lacks is that row's error (<see cref="NoColumnErrorId"/>), naming the
    /// placeholder and listing the row's columns.</item>
    /// <item>Values are inserted verbatim: braces in a value are not expanded again; a null value is empty.</item>
    /// <item>A text with no brace at all is given back unchanged, as the same string instance, so that such a text
    /// behaves exactly as it did before templates existed.</item>
    /// </list>
    /// </summary>
    public sealed class MessageTemplate
    {
        /// <summary>The error id of a template that cannot be parsed (a lone brace, an empty or unterminated placeholder).</summary>
        public const string InvalidErrorId = "TemplateIsInvalid";

        /// <summary>The error id of a row that lacks the column of a placeholder.</summary>
        public const string NoColumnErrorId = "TemplatePlaceholderHasNoColumn";

        private readonly Segment[] _segments;
        private readonly string _field;
        private readonly string _provider;

        /// <summary>
        /// The text as given when it has no placeholder (escapes already turned into braces): every row gets this same
        /// string. Null when the template has placeholders.
        /// </summary>
        private readonly string? _constant;

        private MessageTemplate(string text, Segment[] segments, string field, string provider)
        {
            Text = text;
            _segments = segments;
            _field = field;
            _provider = provider;
            Placeholders = segments.Where(s => s.IsPlaceholder).Select(s => s.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            if (Placeholders.Count == 0)
                _constant = text.IndexOf('{') < 0 && text.IndexOf('}') < 0 ? text : string.Concat(segments.Select(s => s.Value));
        }

        /// <summary>The text as the user gave it.</summary>
        public string Text { get; }

        /// <summary>The distinct placeholder names, in their first order of appearance (as written in the text).</summary>
        public IReadOnlyList<string> Placeholders { get; }

        /// <summary>True when at least one placeholder is to be filled from the row.</summary>
        public bool HasPlaceholders => Placeholders.Count > 0;

        /// <summary>
        /// Parses <paramref name="text"/>; throws an invalid-input <see cref="MessagingException"/>
        /// (<see cref="InvalidErrorId"/>, Field = <paramref name="field"/>) naming the position of the first fault.
        /// </summary>
        /// <param name="text">The text as the user gave it.</param>
        /// <param name="field">The parameter or column the text came from (Text, Message, CopyText), for errors.</param>
        /// <param name="provider">The provider the text is for (Bale, FeedBot, Zadarma), for errors.</param>
        public static MessageTemplate Parse(string text, string field, string provider = "MessagingTools")
        {
            if (text is null) throw new ArgumentNullException(nameof(text));
            if (field is null) throw new ArgumentNullException(nameof(field));
            if (provider is null) throw new ArgumentNullException(nameof(provider));
            var segments = new List<Segment>();
            var literal = new StringBuilder();
            int i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '{')
                {
                    if (i + 1 < text.Length && text[i + 1] == '{')
                    {
                        literal.Append('{');
                        i += 2;
                        continue;
                    }
                    int open = i;
                    int close = -1;
                    for (int j = i + 1; j < text.Length; j++)
                    {
                        if (text[j] == '}') { close = j; break; }
                        if (text[j] == '{')
                            throw Invalid(provider, field, text, j,
                                $"a '{{' inside the placeholder that begins at position {Position(open)}; close the placeholder with '}}' first, or write '{{{{' for a literal '{{'");
                    }
                    if (close < 0)
                        throw Invalid(provider, field, text, open,
                            "a placeholder is opened with '{' and never closed; close it with '}', or write '{{' for a literal '{'");
                    var name = text.Substring(open + 1, close - open - 1);
                    if (name.Trim().Length == 0)
                        throw Invalid(provider, field, text, open,
                            "the placeholder has no column name; write the column's name between the braces, e.g. {Name}, or '{{}}' for literal braces");
                    if (literal.Length > 0)
                    {
                        segments.Add(new Segment(literal.ToString(), isPlaceholder: false));
                        literal.Clear();
                    }
                    segments.Add(new Segment(name, isPlaceholder: true));
                    i = close + 1;
                    continue;
                }
                if (c == '}')
                {
                    if (i + 1 < text.Length && text[i + 1] == '}')
                    {
                        literal.Append('}');
                        i += 2;
                        continue;
                    }
                    throw Invalid(provider, field, text, i, "a '}' closes no placeholder; write '}}' for a literal '}'");
                }
                literal.Append(c);
                i++;
            }
            if (literal.Length > 0) segments.Add(new Segment(literal.ToString(), isPlaceholder: false));
            return new MessageTemplate(text, segments.ToArray(), field, provider);
        }

        /// <summary>
        /// The text with every placeholder replaced by the row's value. <paramref name="columns"/> are the row's columns
        /// (any comparer: names are matched case-insensitively here). Throws an invalid-input
        /// <see cref="MessagingException"/> (<see cref="NoColumnErrorId"/>, Field = the template's field) when the row
        /// lacks a placeholder's column. Without placeholders the row is not looked at and the same string comes back.
        /// </summary>
        public string Fill(IReadOnlyDictionary<string, string?> columns)
        {
            if (_constant != null) return _constant;
            if (columns is null) throw new ArgumentNullException(nameof(columns));
            var sb = new StringBuilder(Text.Length + 32);
            foreach (var segment in _segments)
            {
                if (!segment.IsPlaceholder)
                {
                    sb.Append(segment.Value);
                    continue;
                }
                if (!TryGet(columns, segment.Value, out var value))
                {
                    var names = columns.Keys.ToList();
                    var list = names.Count == 0 ? "it has no columns" : "its columns are " + string.Join(", ", names.Select(n => "'" + n + "'"));
                    throw new MessagingException(_provider, ErrorKind.InvalidInput, "TemplatePlaceholderHasNoColumn",
                        $"The {_field} has the placeholder {{{segment.Value}}}, but the row has no column '{segment.Value}' ({list}). " +
                        "Add the column, correct the placeholder's name, or write '{{' and '}}' for literal braces. Nothing was sent for this row.")
                    { Field = _field };
                }
                sb.Append(value);
            }
            return sb.ToString();
        }

        private static bool TryGet(IReadOnlyDictionary<string, string?> columns, string name, out string? value)
        {
            if (columns.TryGetValue(name, out value)) return true;
            foreach (var column in columns)
            {
                if (string.Equals(column.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = column.Value;
                    return true;
                }
            }
            value = null;
            return false;
        }

        /// <summary>
        /// The error of a call that has no pipeline row to fill the placeholders from (<see cref="NoColumnErrorId"/>, as
        /// for a row that lacks a placeholder's column).
        /// </summary>
        public MessagingException NoRow() =>
            new MessagingException(_provider, ErrorKind.InvalidInput, "TemplatePlaceholderHasNoColumn",
                $"The {_field} has the placeholder {{{Placeholders[0]}}}, but there is no pipeline row to fill it from. Pipe rows " +
                "whose columns hold the values (Import-Csv contacts.csv | ...), or write '{{' and '}}' for literal braces. Nothing was sent.")
            { Field = _field };

        private static string Position(int index) => (index + 1).ToString(CultureInfo.InvariantCulture);

        private static MessagingException Invalid(string provider, string field, string text, int index, string what)
        {
            // A short excerpt around the fault helps in a long text; Persian letters are shown as they are.
            int from = Math.Max(0, index - 15);
            int to = Math.Min(text.Length, index + 16);
            if (from > 0 && char.IsLowSurrogate(text[from])) from--; // never half a character
            if (to < text.Length && char.IsLowSurrogate(text[to])) to++;
            var excerpt = (from > 0 ? "..." : "") + text.Substring(from, to - from) + (to < text.Length ? "..." : "");
            return new MessagingException(provider, ErrorKind.InvalidInput, "TemplateIsInvalid",
                $"The {field} is not a valid template at position {Position(index)} of {text.Length.ToString(CultureInfo.InvariantCulture)} " +
                $"('{excerpt}'): {what}. Nothing was sent.")
            { Field = field };
        }

        private readonly struct Segment
        {
            public Segment(string value, bool isPlaceholder)
            {
                Value = value;
                IsPlaceholder = isPlaceholder;
            }

            /// <summary>The literal text, or the placeholder's column name.</summary>
            public string Value { get; }
            public bool IsPlaceholder { get; }
        }
    }
}
