using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Core.Providers.Zadarma.Calls;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// What a -Route scriptblock (Receive-ZadarmaCall) or a piped -Route (ConvertTo-ZadarmaRouteAnswer) may give, read
    /// as a <see cref="ZadarmaRoute"/>:
    /// nothing, $null or a blank string: default routing (null);
    /// a ZadarmaRoute: itself;
    /// a string or a whole number: the redirect target (a scenario id or an extension), 'blacklist' rejects the call;
    /// a hashtable (any IDictionary): the keys Redirect and CallerName (or Zadarma's redirect and caller_name), any case,
    /// and no other key (a misspelt key must not pass for default routing);
    /// any other object with a Redirect or CallerName property (a CSV row, a [pscustomobject]): those, the rest ignored.
    /// Anything else, or several objects, is refused with ZadarmaRouteIsNotARoute.
    /// </summary>
    internal static class ZadarmaRouteConversion
    {
        private static readonly string[] RedirectNames = { "Redirect", "redirect" };
        private static readonly string[] CallerNameNames = { "CallerName", "caller_name" };

        /// <summary>The route the output of a scriptblock gives (its non-null objects: none or one).</summary>
        public static ZadarmaRoute? FromOutput(IEnumerable<PSObject?>? output)
        {
            var items = (output ?? Enumerable.Empty<PSObject?>()).Where(o => o != null && o.BaseObject != null).ToList();
            if (items.Count > 1)
                throw NotARoute($"it gave {items.Count.ToString(CultureInfo.InvariantCulture)} objects ({Describe(items)}); give one, or nothing for default routing " +
                    "(pipe what is not the route to Out-Null)");
            return items.Count == 0 ? null : From(items[0]);
        }

        /// <summary>The route one value gives; null for default routing.</summary>
        public static ZadarmaRoute? From(object? value)
        {
            var psobject = value as PSObject;
            var inner = psobject != null ? psobject.BaseObject : value;
            switch (inner)
            {
                case null:
                    return null;
                case ZadarmaRoute route:
                    return route;
                case string text:
                    return Target(text);
                case char c:
                    return Target(c.ToString());
                case byte _: case sbyte _: case short _: case ushort _: case int _: case uint _: case long _: case ulong _:
                    return Target(Convert.ToString(inner, CultureInfo.InvariantCulture));
                case bool _:
                case DateTime _:
                    throw NotARoute($"it gave the {inner.GetType().Name} {Convert.ToString(inner, CultureInfo.InvariantCulture)}");
                case IDictionary dictionary:
                    return FromDictionary(dictionary);
            }
            var shape = psobject ?? PSObject.AsPSObject(inner);
            var redirect = Property(shape, RedirectNames);
            var callerName = Property(shape, CallerNameNames);
            if (redirect is null && callerName is null)
                throw NotARoute($"it gave a {TypeName(shape)} with neither a Redirect nor a CallerName property");
            return Make(Text(redirect?.Value, "Redirect"), Text(callerName?.Value, "CallerName"));
        }

        private static ZadarmaRoute? FromDictionary(IDictionary dictionary)
        {
            object? redirect = null, callerName = null;
            foreach (DictionaryEntry entry in dictionary)
            {
                var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                if (RedirectNames.Any(n => string.Equals(n, key, StringComparison.OrdinalIgnoreCase))) redirect = entry.Value;
                else if (CallerNameNames.Any(n => string.Equals(n, key, StringComparison.OrdinalIgnoreCase))) callerName = entry.Value;
                else throw NotARoute($"its hashtable has the key '{key}'; the keys of a route are Redirect and CallerName");
            }
            return Make(Text(redirect, "Redirect"), Text(callerName, "CallerName"));
        }

        // ZadarmaRoute's constructor reads 'blacklist' (any case) as the blacklist.
        private static ZadarmaRoute? Target(string? text) => string.IsNullOrWhiteSpace(text) ? null : ZadarmaRoute.To(text!);

        /// <summary>A route of the parts given (blank parts count as not given); null when none is given.</summary>
        public static ZadarmaRoute? Make(string? redirect, string? callerName)
        {
            if (string.IsNullOrWhiteSpace(redirect)) redirect = null;
            if (string.IsNullOrWhiteSpace(callerName)) callerName = null;
            if (redirect is null && callerName is null) return null;
            return new ZadarmaRoute(redirect, callerName); // reads 'blacklist' (any case) as the blacklist
        }

        private static string? Text(object? value, string field)
        {
            var inner = value is PSObject p ? p.BaseObject : value;
            switch (inner)
            {
                case null:
                    return null;
                case string s:
                    return s;
                case char _: case byte _: case sbyte _: case short _: case ushort _: case int _: case uint _: case long _: case ulong _:
                    return Convert.ToString(inner, CultureInfo.InvariantCulture);
                default:
                    throw NotARoute($"its {field} is a {inner.GetType().Name}; give text or a whole number");
            }
        }

        private static PSPropertyInfo? Property(PSObject shape, string[] names)
        {
            foreach (var name in names)
            {
                var property = shape.Properties[name];
                if (property != null) return property;
            }
            return null;
        }

        private static string TypeName(PSObject o) => o.BaseObject is PSCustomObject ? "[pscustomobject]" : o.BaseObject.GetType().Name;

        private static string Describe(IReadOnlyList<PSObject?> items) =>
            string.Join(", ", items.Take(3).Select(i => TypeName(i!))) + (items.Count > 3 ? ", ..." : "");

        private static MessagingException NotARoute(string why) =>
            RouteIsNotARoute($"The route cannot be read: {why}. A route is nothing (default routing), a scenario id or an extension, 'blacklist', " +
                "or @{ Redirect = ...; CallerName = ... }.", "Route");

        /// <summary>
        /// The one place the error ZadarmaRouteIsNotARoute is made (invalid input, naming <paramref name="field"/>): what
        /// was given as a route is none, here or in ConvertTo-ZadarmaRouteAnswer's parameters.
        /// </summary>
        internal static MessagingException RouteIsNotARoute(string message, string field, Exception? innerException = null) =>
            new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaRouteIsNotARoute", message, innerException: innerException)
            { Field = field };
    }
}
