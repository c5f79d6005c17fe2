using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Text;

namespace MessagingTools.Internal
{
    /// <summary>
    /// Marks a text parameter that is sent (a message, a caption, a copy text): given on the command line, its value is
    /// a <see cref="MessageTemplate"/> filled from each pipeline row (see <see cref="RowTemplates"/>).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class TemplateTextAttribute : Attribute
    {
        public TemplateTextAttribute(string provider) => Provider = provider;

        /// <summary>The provider the text goes to (Bale, FeedBot, Zadarma), named by the template's errors.</summary>
        public string Provider { get; }
    }

    /// <summary>
    /// The templates of one run: the <see cref="TemplateTextAttribute"/> parameters that were given on the command line.
    /// <list type="bullet">
    /// <item>Only a text given on the command line is a template. PowerShell binds those parameters before the first
    /// row (they are in BoundParameters at BeginProcessing, <c>$PSDefaultParameterValues</c> included) and never rebinds
    /// them from a row. A text that comes from a row's own column is data, sent as it is: a CSV cell may hold braces.</item>
    /// <item>Parsed once, when the run begins: a template that cannot be parsed stops the run before anything is sent, as
    /// a bad value typed on the command line does.</item>
    /// <item>Filled for every row from the pipeline row's properties (<see cref="RowValues"/>), then set on the cmdlet's
    /// parameter, so the cmdlet's CreateItem, -WhatIf and the checks of the text all see the filled text. A row that lacks
    /// a placeholder's column is that row's error; a call without pipeline input has no columns at all.</item>
    /// <item>A text without a brace is given back as it is (<see cref="MessageTemplate.Fill"/>). A text with braces but
    /// no placeholder still has its <c>{{</c> and <c>}}</c> turned into braces: one rule for every command-line text,
    /// whether or not it also holds a placeholder.</item>
    /// </list>
    /// </summary>
    internal sealed class RowTemplates
    {
        private static readonly ConcurrentDictionary<Type, TemplateParameter[]> s_parameters = new ConcurrentDictionary<Type, TemplateParameter[]>();

        /// <summary>No template: the cmdlet has no template parameter, or none was given on the command line.</summary>
        public static readonly RowTemplates None = new RowTemplates(Array.Empty<(PropertyInfo, MessageTemplate)>());

        private readonly (PropertyInfo Property, MessageTemplate Template)[] _templates;

        private RowTemplates((PropertyInfo, MessageTemplate)[] templates) => _templates = templates;

        /// <summary>
        /// Parses the cmdlet's template parameters given on the command line. Call it at BeginProcessing, before any row
        /// is bound. Throws the <see cref="MessagingException"/> of the first template that cannot be parsed
        /// (<see cref="MessageTemplate.InvalidErrorId"/>).
        /// </summary>
        public static RowTemplates Parse(PSCmdlet cmdlet)
        {
            var parameters = s_parameters.GetOrAdd(cmdlet.GetType(), Describe);
            if (parameters.Length == 0) return None;
            var bound = cmdlet.MyInvocation.BoundParameters;
            var templates = new List<(PropertyInfo, MessageTemplate)>();
            foreach (var parameter in parameters)
            {
                if (!bound.ContainsKey(parameter.Property.Name)) continue;
                if (!(parameter.Property.GetValue(cmdlet) is string text) || text.Length == 0) continue;
                var template = MessageTemplate.Parse(text, parameter.Property.Name, parameter.Provider);
                // Nothing to fill: the parsed constant (a text without a brace is the very same string) is set once.
                if (!template.HasPlaceholders) parameter.Property.SetValue(cmdlet, template.Fill(RowValues.Empty));
                else templates.Add((parameter.Property, template));
            }
            return templates.Count == 0 ? None : new RowTemplates(templates.ToArray());
        }

        /// <summary>
        /// Sets each template parameter to its template filled from <paramref name="row"/> (null: the call has no
        /// pipeline input). Throws the row's <see cref="MessagingException"/> (<see cref="MessageTemplate.NoColumnErrorId"/>)
        /// when the row lacks a placeholder's column.
        /// </summary>
        public void Fill(PSCmdlet cmdlet, PSObject? row)
        {
            if (_templates.Length == 0) return;
            foreach (var (property, template) in _templates)
            {
                if (row is null) throw template.NoRow();
                // Always from the template: the parameter holds the previous row's filled text, as PowerShell does not
                // rebind a command-line parameter between rows.
                property.SetValue(cmdlet, template.Fill(new RowValues(row)));
            }
        }

        private static TemplateParameter[] Describe(Type cmdlet) =>
            cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Property: p, Attribute: p.GetCustomAttribute<TemplateTextAttribute>()))
                .Where(p => p.Attribute != null)
                .Select(p => new TemplateParameter(p.Property, p.Attribute!.Provider))
                .ToArray();

        private sealed class TemplateParameter
        {
            public TemplateParameter(PropertyInfo property, string provider)
            {
                if (property.PropertyType != typeof(string) || !property.CanWrite)
                    throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name}: a template parameter must be a settable string.");
                Property = property;
                Provider = provider;
            }

            public PropertyInfo Property { get; }
            public string Provider { get; }
        }
    }

    /// <summary>
    /// A pipeline row's properties as the text a template inserts: names case-insensitive (as PowerShell's own), values
    /// read only when a placeholder asks for them. Numbers and dates are written in the invariant culture, as PowerShell
    /// writes them in <c>"$value"</c>, so a run gives the same text on any machine; a list is its items separated by
    /// spaces; null is empty. A piped string or number is not a row of columns: it has none.
    /// </summary>
    internal sealed class RowValues : IReadOnlyDictionary<string, string?>
    {
        public static readonly RowValues Empty = new RowValues(null);

        private readonly PSObject? _row;

        public RowValues(PSObject? row) => _row = row is null || IsScalar(row.BaseObject) ? null : row;

        public bool TryGetValue(string key, out string? value)
        {
            var property = _row?.Properties[key];
            if (property is null)
            {
                value = null;
                return false;
            }
            value = Text(property);
            return true;
        }

        public string? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public bool ContainsKey(string key) => _row?.Properties[key] != null;

        public IEnumerable<string> Keys => Properties.Select(p => p.Name);

        public IEnumerable<string?> Values => Properties.Select(Text);

        public int Count => Properties.Count();

        public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() =>
            Properties.Select(p => new KeyValuePair<string, string?>(p.Name, Text(p))).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private IEnumerable<PSPropertyInfo> Properties => _row?.Properties ?? Enumerable.Empty<PSPropertyInfo>();

        private static bool IsScalar(object value) => value is string || value.GetType().IsPrimitive || value is decimal;

        private static string? Text(PSPropertyInfo property)
        {
            object? value;
            try { value = property.Value; }
            catch (GetValueException) { return null; } // a script property that throws: no value
            return Text(value);
        }

        /// <summary>A value as a template inserts it.</summary>
        internal static string? Text(object? value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            switch (value)
            {
                case null: return null;
                case string text: return text;
                case IFormattable formattable: return formattable.ToString(null, CultureInfo.InvariantCulture);
                case IEnumerable list: return string.Join(" ", list.Cast<object?>().Select(Text));
                default: return value.ToString();
            }
        }
    }
}
