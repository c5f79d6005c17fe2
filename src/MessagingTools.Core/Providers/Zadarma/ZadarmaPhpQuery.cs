using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Providers.Zadarma
{
    /// <summary>
    /// PHP's <c>ksort</c> then <c>http_build_query($params, '', '&amp;', PHP_QUERY_RFC1738)</c> over parameters whose values
    /// may be lists and maps, as Zadarma's SDK sends them (<c>numberLookupMultiple</c>: <c>['numbers' =&gt; $numbers]</c>).
    /// Checked against PHP 8.2:
    /// <list type="bullet">
    /// <item>only the top level is sorted (by the bytes of the names); a list or map keeps its own order;</item>
    /// <item>a list is written <c>numbers%5B0%5D=a&amp;numbers%5B1%5D=b</c> (the brackets encoded), a map
    /// <c>m%5Bx%5D=1</c>, nested as deep as it goes;</item>
    /// <item>null is left out (inside a list too, where its index is still counted), and so is an empty list or map;</item>
    /// <item>true is 1 and false is 0; numbers are written in invariant culture.</item>
    /// </list>
    /// Zadarma checks the signature over what PHP parses from the request and builds again, so a name PHP would change
    /// when it parses it (a '.' or a space becomes '_', a '[' opens a list) could never be signed as it arrives: such a
    /// name is refused, as is a top-level name of digits only (PHP sorts those as numbers, not as text).
    /// </summary>
    public static class ZadarmaPhpQuery
    {
        /// <summary>The query text to sign and send; throws an invalid-input error naming the parameter for a name Zadarma could not read back.</summary>
        public static string Build(IEnumerable<KeyValuePair<string, object?>> parameters)
        {
            if (parameters is null) throw new ArgumentNullException(nameof(parameters));
            var list = parameters.ToList();
            foreach (var p in list) CheckName(p.Key);
            var sb = new StringBuilder();
            foreach (var p in ZadarmaSigner.KeySorted(list)) Append(sb, ZadarmaSigner.FormEncode(p.Key), p.Value, p.Key, 0);
            return sb.ToString();
        }

        /// <summary>One value as http_build_query writes a scalar: true 1, false 0, numbers and dates in invariant form.</summary>
        public static string? Scalar(object? value)
        {
            switch (value)
            {
                case null: return null;
                case string s: return s;
                case bool b: return b ? "1" : "0";
                case char c: return c.ToString();
                case double d: return d.ToString("R", CultureInfo.InvariantCulture);
                case float f: return f.ToString("R", CultureInfo.InvariantCulture);
                case DateTime t: return t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture); // Zadarma's "Y-m-d H:i:s"
                case DateTimeOffset o: return o.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                case Enum e: return e.ToString();
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString();
            }
        }

        private const int MaxDepth = 32;

        private static void Append(StringBuilder sb, string encodedName, object? value, string name, int depth)
        {
            if (value is null) return;
            if (depth > MaxDepth) throw Invalid(name, $"The parameter '{name}' is nested more than {MaxDepth} levels deep.");
            if (value is IDictionary map)
            {
                foreach (DictionaryEntry e in map)
                {
                    var key = Scalar(e.Key) ?? "";
                    CheckInnerKey(name, key);
                    Append(sb, encodedName + "%5B" + ZadarmaSigner.FormEncode(key) + "%5D", e.Value, name, depth + 1);
                }
                return;
            }
            if (!(value is string) && value is IEnumerable items)
            {
                int index = 0;
                foreach (var item in items)
                {
                    Append(sb, encodedName + "%5B" + index.ToString(CultureInfo.InvariantCulture) + "%5D", item, name, depth + 1);
                    index++;
                }
                return;
            }
            if (sb.Length > 0) sb.Append('&');
            sb.Append(encodedName).Append('=').Append(ZadarmaSigner.FormEncode(Scalar(value)!));
        }

        private static void CheckName(string? name)
        {
            if (string.IsNullOrEmpty(name)) throw Invalid("", "A parameter has no name.");
            foreach (var c in name!)
            {
                if (c == '.' || c == ' ' || c == '[' || c == ']' || char.IsControl(c))
                    throw Invalid(name, $"The parameter name '{name}' holds '{(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString())}': " +
                        "PHP on Zadarma's side reads such a name as another one ('.' and ' ' become '_', '[' starts a list), so the signature could not match. Give a list or a hashtable as the value instead of brackets in the name.");
            }
            if (name.All(c => c >= '0' && c <= '9'))
                throw Invalid(name, $"The parameter name '{name}' is a number: PHP sorts such names as numbers, and no Zadarma method takes one.");
        }

        private static void CheckInnerKey(string name, string key)
        {
            if (key.IndexOf('[') >= 0 || key.IndexOf(']') >= 0)
                throw Invalid(name, $"A key of the parameter '{name}' holds a bracket ('{key}'): PHP would read it as another key.");
        }

        private static MessagingException Invalid(string name, string message) =>
            new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaParameterIsNotValid", message) { Field = "Parameter" };
    }
}
