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
    /// a hashtable (any IDictionary): the keys Redirect and CallerName and the IVR members IvrPlay, IvrSayDigits,
    /// IvrSayNumber, IvrSayPopular, Language, WaitDtmf (a hashtable of Timeout, Attempts, MaxDigits, Name, Default),
    /// ReturnTimeout, RewriteForwardNumber, Hangup (or Zadarma's names: redirect, caller_name, ivr_play, wait_dtmf ...), any
    /// case, and no other key (a misspelt key must not pass for default routing);
    /// any other object with one of those properties (a CSV row, a [pscustomobject]): those, the rest ignored.
    /// Anything else, or several objects, is refused with ZadarmaRouteIsNotARoute.
    /// </summary>
    internal static class ZadarmaRouteConversion
    {
        private static readonly string[] RedirectNames = { "Redirect", "redirect" };
        private static readonly string[] CallerNameNames = { "CallerName", "caller_name" };

        /// <summary>Every member of a route: its name here and Zadarma's name in the answer.</summary>
        private static readonly (string Name, string Zadarma)[] Members =
        {
            ("Redirect", "redirect"), ("CallerName", "caller_name"), ("IvrPlay", "ivr_play"), ("IvrSayDigits", "ivr_saydigits"),
            ("IvrSayNumber", "ivr_saynumber"), ("IvrSayPopular", "ivr_saypopular"), ("Language", "language"), ("WaitDtmf", "wait_dtmf"),
            ("ReturnTimeout", "return_timeout"), ("RewriteForwardNumber", "rewrite_forward_number"), ("Hangup", "hangup"),
        };

        private static readonly (string Name, string Zadarma)[] WaitMembers =
        {
            ("Timeout", "timeout"), ("Attempts", "attempts"), ("MaxDigits", "maxdigits"), ("Name", "name"), ("Default", "default"),
        };

        /// <summary>The member a key or property name means (either spelling, any case), or null.</summary>
        private static string? MemberOf(string key, (string Name, string Zadarma)[] members)
        {
            foreach (var m in members)
                if (string.Equals(m.Name, key, StringComparison.OrdinalIgnoreCase) || string.Equals(m.Zadarma, key, StringComparison.OrdinalIgnoreCase))
                    return m.Name;
            return null;
        }

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
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var m in Members)
            {
                var property = Property(shape, new[] { m.Name, m.Zadarma });
                if (property != null) values[m.Name] = property.Value;
            }
            if (values.Count == 0)
                throw NotARoute($"it gave a {TypeName(shape)} with neither a Redirect nor a CallerName property (nor an IVR member such as WaitDtmf)");
            return Make(values);
        }

        private static ZadarmaRoute? FromDictionary(IDictionary dictionary)
        {
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in dictionary)
            {
                var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                var member = MemberOf(key, Members);
                if (member is null)
                    throw NotARoute($"its hashtable has the key '{key}'; the keys of a route are {string.Join(", ", Members.Select(m => m.Name))}");
                values[member] = entry.Value;
            }
            return Make(values);
        }

        /// <summary>A route of the members given by name (blank values count as not given); null when none is given.</summary>
        internal static ZadarmaRoute? Make(IDictionary<string, object?> values)
        {
            object? Get(string name) => values.TryGetValue(name, out var v) ? v : null;
            var parts = new ZadarmaRouteParts
            {
                Redirect = Blank(Text(Get("Redirect"), "Redirect")),
                CallerName = Blank(Text(Get("CallerName"), "CallerName")),
                IvrPlay = Blank(Text(Get("IvrPlay"), "IvrPlay")),
                IvrSayDigits = Blank(Text(Get("IvrSayDigits"), "IvrSayDigits")),
                IvrSayNumber = Blank(Text(Get("IvrSayNumber"), "IvrSayNumber")),
                IvrSayPopular = Blank(Text(Get("IvrSayPopular"), "IvrSayPopular")),
                Language = Blank(Text(Get("Language"), "Language")),
                WaitDtmf = WaitDtmf(Get("WaitDtmf")),
                ReturnTimeout = Number(Get("ReturnTimeout"), "ReturnTimeout"),
                RewriteForwardNumber = Blank(Text(Get("RewriteForwardNumber"), "RewriteForwardNumber")),
                Hangup = Flag(Get("Hangup"), "Hangup"),
            };
            var route = new ZadarmaRoute(parts); // reads 'blacklist' (any case) as the blacklist
            return route.IsDefault ? null : route;
        }

        private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

        private static ZadarmaWaitDtmf? WaitDtmf(object? value)
        {
            var inner = value is PSObject p ? p.BaseObject : value;
            if (inner is null) return null;
            var wait = new ZadarmaWaitDtmf();
            void Set(string member, object? v)
            {
                switch (member)
                {
                    case "Timeout": wait.Timeout = Number(v, "WaitDtmf.Timeout"); break;
                    case "Attempts": wait.Attempts = Number(v, "WaitDtmf.Attempts"); break;
                    case "MaxDigits": wait.MaxDigits = Number(v, "WaitDtmf.MaxDigits"); break;
                    case "Name": wait.Name = Blank(Text(v, "WaitDtmf.Name")); break;
                    case "Default": wait.Default = Blank(Text(v, "WaitDtmf.Default")); break;
                }
            }
            if (inner is ZadarmaWaitDtmf given) return given;
            if (inner is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                    var member = MemberOf(key, WaitMembers);
                    if (member is null)
                        throw NotARoute($"its WaitDtmf has the key '{key}'; the keys of WaitDtmf are {string.Join(", ", WaitMembers.Select(m => m.Name))}", "WaitDtmf");
                    Set(member, entry.Value);
                }
                return wait;
            }
            if (inner is string || inner.GetType().IsPrimitive) throw NotARoute($"its WaitDtmf is a {inner.GetType().Name}; give @{{ Timeout = 5; MaxDigits = 1; Name = 'menu' }}", "WaitDtmf");
            var shape = value as PSObject ?? PSObject.AsPSObject(inner);
            foreach (var m in WaitMembers)
            {
                var property = Property(shape, new[] { m.Name, m.Zadarma });
                if (property != null) Set(m.Name, property.Value);
            }
            return wait;
        }

        private static int? Number(object? value, string field)
        {
            var inner = value is PSObject p ? p.BaseObject : value;
            switch (inner)
            {
                case null:
                    return null;
                case string s when string.IsNullOrWhiteSpace(s):
                    return null;
                case string s when int.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
                case byte _: case sbyte _: case short _: case ushort _: case int _:
                    return Convert.ToInt32(inner, CultureInfo.InvariantCulture);
                case long l when l >= int.MinValue && l <= int.MaxValue:
                    return (int)l;
                default:
                    throw NotARoute($"its {field} is {Show(inner)}; give a whole number", field);
            }
        }

        private static bool Flag(object? value, string field)
        {
            var inner = value is PSObject p ? p.BaseObject : value;
            switch (inner)
            {
                case null:
                    return false;
                case bool b:
                    return b;
                case SwitchParameter sw:
                    return sw.IsPresent;
                case int i when i == 0 || i == 1:
                    return i == 1;
                case string s:
                    switch (s.Trim().ToLowerInvariant())
                    {
                        case "": case "0": case "false": case "no": return false;
                        case "1": case "true": case "yes": return true;
                    }
                    break;
            }
            throw NotARoute($"its {field} is {Show(inner!)}; give $true or 1 to hang up", field);
        }

        private static string Show(object value) => value is string s ? "'" + s + "'" : "a " + value.GetType().Name;

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
                    throw NotARoute($"its {field} is a {inner.GetType().Name}; give text or a whole number", field);
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

        private static MessagingException NotARoute(string why, string field = "Route") =>
            RouteIsNotARoute($"The route cannot be read: {why}. A route is nothing (default routing), a scenario id or an extension, 'blacklist', " +
                "or @{ Redirect = ...; CallerName = ... } with the IVR members of docs/zadarma.md (IvrPlay, WaitDtmf, Hangup ...).", field);

        /// <summary>
        /// The one place the error ZadarmaRouteIsNotARoute is made (invalid input, naming <paramref name="field"/>): what
        /// was given as a route is none, here or in ConvertTo-ZadarmaRouteAnswer's parameters.
        /// </summary>
        internal static MessagingException RouteIsNotARoute(string message, string field, Exception? innerException = null) =>
            new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaRouteIsNotARoute", message, innerException: innerException)
            { Field = field };
    }
}
