using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Text;

namespace MessagingTools.Core.Providers.Zadarma.Calls
{
    /// <summary>
    /// How to route one notified incoming call: the answer <c>{"redirect": ..., "caller_name": ...}</c> of
    /// docs/providers/zadarma.md ("Incoming-call notifications"). <c>redirect</c> is a redirect scenario id, an
    /// extension of the PBX, or <c>blacklist</c> (the caller hears busy); <c>caller_name</c> names the caller.
    /// Either may be left out; a route with neither is <see cref="Default"/>: Zadarma routes the call as configured.
    /// </summary>
    public sealed class ZadarmaRoute
    {
        /// <summary>The <c>redirect</c> value that rejects the call with a busy signal.</summary>
        public const string BlacklistTarget = "blacklist";

        private const int MaxLength = 100;

        /// <param name="redirect">A scenario id or an extension, or <see cref="BlacklistTarget"/>; null to leave the routing as it is.</param>
        /// <param name="callerName">The name to show for the caller; null for none.</param>
        /// <exception cref="MessagingException">ZadarmaRouteIsInvalid: a value is empty, too long or holds a control character.</exception>
        public ZadarmaRoute(string? redirect, string? callerName = null)
        {
            Redirect = Check(redirect, "Redirect");
            CallerName = Check(callerName, "CallerName");
        }

        /// <summary>Zadarma's own routing: the answer says nothing (an empty body, as Zadarma's PHP example answers).</summary>
        public static ZadarmaRoute Default { get; } = new ZadarmaRoute(null, null);

        /// <summary>Reject the call (busy signal), optionally naming the caller.</summary>
        public static ZadarmaRoute Blacklist(string? callerName = null) => new ZadarmaRoute(BlacklistTarget, callerName);

        /// <summary>Send the call to a redirect scenario (its id) or to an extension of the PBX.</summary>
        public static ZadarmaRoute To(string target, string? callerName = null) =>
            new ZadarmaRoute(target ?? throw new ArgumentNullException(nameof(target)), callerName);

        /// <summary>A scenario id, an extension or <c>blacklist</c>; null for Zadarma's routing.</summary>
        public string? Redirect { get; }

        public string? CallerName { get; }

        public bool IsBlacklist => Redirect == BlacklistTarget; // the constructor wrote it in lower case

        /// <summary>
        /// Whether a redirect text means the blacklist: 'blacklist' in any case, spaces around it ignored. The one place
        /// that tells; the constructor writes such a text as <see cref="BlacklistTarget"/>.
        /// </summary>
        public static bool MeansBlacklist(string? redirect) =>
            redirect != null && string.Equals(redirect.Trim(), BlacklistTarget, StringComparison.OrdinalIgnoreCase);

        /// <summary>Neither a redirect nor a caller name: the call goes where the PBX sends it.</summary>
        public bool IsDefault => Redirect is null && CallerName is null;

        /// <summary>
        /// The body that answers the notification. Default routing answers an EMPTY body (HTTP 200): that is what
        /// Zadarma's example (zadarma/user-api-v1 examples/callinfo_callback.php) sends when it routes nothing, so it
        /// is the one answer known to leave the call alone. Otherwise a JSON object of the members given:
        /// <c>redirect</c> is a JSON number when it is a plain number (the example writes <c>'redirect' =&gt; 1</c>),
        /// else a string; <c>caller_name</c> a string. Letters of every script and '+' are written as they are (UTF-8),
        /// quotes and backslashes escaped as JSON requires: the answer goes to Zadarma's JSON reader, not into a web page.
        /// </summary>
        public string ToAnswer()
        {
            if (IsDefault) return string.Empty;
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                if (Redirect != null)
                {
                    if (IsPlainNumber(Redirect)) writer.WriteNumber("redirect", long.Parse(Redirect, NumberStyles.None, CultureInfo.InvariantCulture));
                    else writer.WriteString("redirect", Redirect);
                }
                if (CallerName != null) writer.WriteString("caller_name", CallerName);
                writer.WriteEndObject();
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        /// <summary>The media type of <see cref="ToAnswer"/>: JSON, or plain text for the empty answer.</summary>
        public string AnswerContentType => IsDefault ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";

        public override string ToString()
        {
            if (IsDefault) return "default routing";
            var target = Redirect is null ? "default routing" : IsBlacklist ? "blacklist" : "redirect " + Redirect;
            return CallerName is null ? target : target + " as '" + CallerName + "'";
        }

        // Digits without a leading zero (which a number would lose) that fit a long.
        private static bool IsPlainNumber(string text)
        {
            if (text.Length == 0 || text.Length > 18 || (text[0] == '0' && text.Length > 1)) return false;
            foreach (var c in text)
                if (c < '0' || c > '9') return false;
            return true;
        }

        private static string? Check(string? value, string field)
        {
            if (value is null) return null;
            var trimmed = value.Trim();
            string? problem = null;
            if (trimmed.Length == 0) problem = "is empty";
            else if (trimmed.Length > MaxLength) problem = $"is longer than {MaxLength} characters";
            else
            {
                foreach (var c in trimmed)
                    if (char.IsControl(c)) { problem = "holds a control character such as a line break"; break; }
            }
            if (problem != null)
                throw new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaRouteIsInvalid",
                    $"The route's {field} {problem}; give a scenario id, an extension or 'blacklist', and a one-line caller name, or nothing for Zadarma's own routing.")
                { Field = field };
            UnicodeText.RequireWellFormed(trimmed, ZadarmaClient.ProviderName, field);
            // 'Blacklist' in any case is the blacklist: written as Zadarma's lower-case word (the one check is IsBlacklist).
            if (field == "Redirect" && MeansBlacklist(trimmed)) return BlacklistTarget;
            return trimmed;
        }
    }
}
