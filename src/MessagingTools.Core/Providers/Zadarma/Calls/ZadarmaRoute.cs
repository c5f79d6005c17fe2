using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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
            : this(new ZadarmaRouteParts { Redirect = redirect, CallerName = callerName })
        {
        }

        /// <summary>
        /// A route with any of the answer's members (docs/zadarma.md, "IVR answers"): a redirect or the blacklist, a caller
        /// name, and the IVR steps of an answer to NOTIFY_START or NOTIFY_IVR. Every value is checked here.
        /// </summary>
        /// <exception cref="MessagingException">ZadarmaRouteIsInvalid, with the member's name as Field: a bad value or a member that needs another.</exception>
        public ZadarmaRoute(ZadarmaRouteParts parts)
        {
            if (parts is null) throw new ArgumentNullException(nameof(parts));
            Redirect = Check(parts.Redirect, "Redirect");
            CallerName = Check(parts.CallerName, "CallerName");
            IvrPlay = Check(parts.IvrPlay, "IvrPlay");
            IvrSayDigits = Digits(parts.IvrSayDigits, "IvrSayDigits", 1);
            IvrSayNumber = Digits(parts.IvrSayNumber, "IvrSayNumber", 1);
            IvrSayPopular = Digits(parts.IvrSayPopular, "IvrSayPopular", 1);
            Language = CheckLanguage(parts.Language);
            if (Language != null && IvrSayDigits is null && IvrSayNumber is null && IvrSayPopular is null)
                throw Invalid("Language", "is given with nothing to say: it is the language of IvrSayDigits, IvrSayNumber or IvrSayPopular");
            if (parts.WaitDtmf != null) WaitDtmf = CheckWaitDtmf(parts.WaitDtmf);
            ReturnTimeout = Positive(parts.ReturnTimeout, "ReturnTimeout");
            RewriteForwardNumber = ForwardNumber(parts.RewriteForwardNumber);
            Hangup = parts.Hangup;
            if (Redirect is null && ReturnTimeout != null) throw Invalid("ReturnTimeout", "is given without a Redirect: it is how long the redirect rings before the call comes back");
            if (Redirect is null && RewriteForwardNumber != null) throw Invalid("RewriteForwardNumber", "is given without a Redirect: it is the number the redirect forwards to");
            if (Hangup && Redirect != null) throw Invalid("Hangup", $"and Redirect '{Redirect}' are both given: the call is either hung up or sent on");
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

        /// <summary>A sound file to play (<c>ivr_play</c>: the file's id in the PBX).</summary>
        public string? IvrPlay { get; }

        /// <summary>Digits to say one by one (<c>ivr_saydigits</c>).</summary>
        public string? IvrSayDigits { get; }

        /// <summary>A number to say as a number (<c>ivr_saynumber</c>).</summary>
        public string? IvrSayNumber { get; }

        /// <summary>A number to say the way people say a popular number (<c>ivr_saypopular</c>).</summary>
        public string? IvrSayPopular { get; }

        /// <summary>The language of what is said (<c>language</c>): one of <see cref="Languages"/>.</summary>
        public string? Language { get; }

        /// <summary>Wait for the caller's digits (<c>wait_dtmf</c>); a NOTIFY_IVR then carries them under its name.</summary>
        public ZadarmaWaitDtmf? WaitDtmf { get; }

        /// <summary>Seconds the redirect rings before the call comes back (<c>return_timeout</c>); needs <see cref="Redirect"/>.</summary>
        public int? ReturnTimeout { get; }

        /// <summary>The number the redirect forwards to instead (<c>rewrite_forward_number</c>: digits, an optional leading '+', at least 5); needs <see cref="Redirect"/>.</summary>
        public string? RewriteForwardNumber { get; }

        /// <summary>Hang up the call (<c>hangup</c>: 1).</summary>
        public bool Hangup { get; }

        /// <summary>The languages Zadarma says digits and numbers in: ru, ua, en, es, pl, fr, de.</summary>
        public static IReadOnlyList<string> Languages { get; } = new[] { "ru", "ua", "en", "es", "pl", "fr", "de" };

        public bool IsBlacklist => Redirect == BlacklistTarget; // the constructor wrote it in lower case

        /// <summary>
        /// Whether a redirect text means the blacklist: 'blacklist' in any case, spaces around it ignored. The one place
        /// that tells; the constructor writes such a text as <see cref="BlacklistTarget"/>.
        /// </summary>
        public static bool MeansBlacklist(string? redirect) =>
            redirect != null && string.Equals(redirect.Trim(), BlacklistTarget, StringComparison.OrdinalIgnoreCase);

        /// <summary>Nothing at all (no redirect, caller name or IVR step): the call goes where the PBX sends it.</summary>
        public bool IsDefault => Redirect is null && CallerName is null && IvrPlay is null && IvrSayDigits is null && IvrSayNumber is null &&
            IvrSayPopular is null && WaitDtmf is null && !Hangup;

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
                if (IvrPlay != null) WriteTextOrNumber(writer, "ivr_play", IvrPlay);
                if (IvrSayDigits != null) writer.WriteString("ivr_saydigits", IvrSayDigits);
                if (IvrSayNumber != null) writer.WriteString("ivr_saynumber", IvrSayNumber);
                if (IvrSayPopular != null) writer.WriteString("ivr_saypopular", IvrSayPopular);
                if (Language != null) writer.WriteString("language", Language);
                if (WaitDtmf != null)
                {
                    writer.WriteStartObject("wait_dtmf");
                    if (WaitDtmf.Timeout is int timeout) writer.WriteNumber("timeout", timeout);
                    if (WaitDtmf.Attempts is int attempts) writer.WriteNumber("attempts", attempts);
                    if (WaitDtmf.MaxDigits is int maxDigits) writer.WriteNumber("maxdigits", maxDigits);
                    if (WaitDtmf.Name != null) writer.WriteString("name", WaitDtmf.Name);
                    if (WaitDtmf.Default != null) WriteTextOrNumber(writer, "default", WaitDtmf.Default);
                    writer.WriteEndObject();
                }
                if (Redirect != null) WriteTextOrNumber(writer, "redirect", Redirect);
                if (ReturnTimeout is int returnTimeout) writer.WriteNumber("return_timeout", returnTimeout);
                if (RewriteForwardNumber != null) writer.WriteString("rewrite_forward_number", RewriteForwardNumber);
                if (Hangup) writer.WriteNumber("hangup", 1);
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
            var steps = new List<string>();
            if (IvrPlay != null) steps.Add("play " + IvrPlay);
            if (IvrSayDigits != null) steps.Add("say digits " + IvrSayDigits);
            if (IvrSayNumber != null) steps.Add("say number " + IvrSayNumber);
            if (IvrSayPopular != null) steps.Add("say popular " + IvrSayPopular);
            if (Language != null) steps.Add("in " + Language);
            if (WaitDtmf != null) steps.Add("wait for digits" + (WaitDtmf.Name is null ? "" : " '" + WaitDtmf.Name + "'"));
            if (Hangup) steps.Add("hang up");
            var ivr = string.Join(", ", steps);
            if (Redirect is null && steps.Count > 0) return CallerName is null ? ivr : ivr + " as '" + CallerName + "'";
            var target = Redirect is null ? "default routing" : IsBlacklist ? "blacklist" : "redirect " + Redirect;
            if (RewriteForwardNumber != null) target += " to " + RewriteForwardNumber;
            if (steps.Count > 0) target = ivr + ", " + target;
            return CallerName is null ? target : target + " as '" + CallerName + "'";
        }

        private static void WriteTextOrNumber(Utf8JsonWriter writer, string name, string value)
        {
            if (IsPlainNumber(value)) writer.WriteNumber(name, long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture));
            else writer.WriteString(name, value);
        }

        private static MessagingException Invalid(string field, string problem) =>
            new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaRouteIsInvalid", $"The route's {field} {problem}.")
            { Field = field };

        private static string? Digits(string? value, string field, int least)
        {
            var text = Check(value, field);
            if (text is null) return null;
            foreach (var c in text)
                if (c < '0' || c > '9') throw Invalid(field, $"'{text}' is not digits: give the digits 0-9 to say");
            if (text.Length < least) throw Invalid(field, $"'{text}' has fewer than {least} digits");
            return text;
        }

        private static string? CheckLanguage(string? value)
        {
            var text = Check(value, "Language");
            if (text is null) return null;
            var lower = text.ToLowerInvariant();
            if (!Languages.Contains(lower))
                throw Invalid("Language", $"'{text}' is not a language Zadarma speaks: give one of {string.Join(", ", Languages)}");
            return lower;
        }

        private static int? Positive(int? value, string field)
        {
            if (value is int n && n <= 0) throw Invalid(field, $"is {n.ToString(CultureInfo.InvariantCulture)}: give a whole number above 0");
            return value;
        }

        private static string? ForwardNumber(string? value)
        {
            var text = Check(value, "RewriteForwardNumber");
            if (text is null) return null;
            var digits = text[0] == '+' ? text.Substring(1) : text;
            var allDigits = digits.Length > 0;
            foreach (var c in digits)
                if (c < '0' || c > '9') allDigits = false;
            if (!allDigits || digits.Length < 5)
                throw Invalid("RewriteForwardNumber", $"'{text}' is not a number Zadarma forwards to: give digits, an optional leading '+', at least 5 digits");
            return text;
        }

        private static ZadarmaWaitDtmf CheckWaitDtmf(ZadarmaWaitDtmf wait) =>
            new ZadarmaWaitDtmf
            {
                Timeout = Positive(wait.Timeout, "WaitDtmf.Timeout"),
                Attempts = Positive(wait.Attempts, "WaitDtmf.Attempts"),
                MaxDigits = Positive(wait.MaxDigits, "WaitDtmf.MaxDigits"),
                Name = Check(wait.Name, "WaitDtmf.Name"),
                Default = Check(wait.Default, "WaitDtmf.Default"),
            };

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
                    field == "Redirect" || field == "CallerName"
                        ? $"The route's {field} {problem}; give a scenario id, an extension or 'blacklist', and a one-line caller name, or nothing for Zadarma's own routing."
                        : $"The route's {field} {problem}; give a one-line value, or leave it out.")
                { Field = field };
            UnicodeText.RequireWellFormed(trimmed, ZadarmaClient.ProviderName, field);
            // 'Blacklist' in any case is the blacklist: written as Zadarma's lower-case word (the one check is IsBlacklist).
            if (field == "Redirect" && MeansBlacklist(trimmed)) return BlacklistTarget;
            return trimmed;
        }
    }

    /// <summary>The members of a <see cref="ZadarmaRoute"/>, to set by name; the route checks them.</summary>
    public sealed class ZadarmaRouteParts
    {
        public string? Redirect { get; set; }
        public string? CallerName { get; set; }
        public string? IvrPlay { get; set; }
        public string? IvrSayDigits { get; set; }
        public string? IvrSayNumber { get; set; }
        public string? IvrSayPopular { get; set; }
        public string? Language { get; set; }
        public ZadarmaWaitDtmf? WaitDtmf { get; set; }
        public int? ReturnTimeout { get; set; }
        public string? RewriteForwardNumber { get; set; }
        public bool Hangup { get; set; }
    }

    /// <summary>
    /// An answer's <c>wait_dtmf</c>: wait <see cref="Timeout"/> seconds for at most <see cref="MaxDigits"/> digits,
    /// <see cref="Attempts"/> times; the NOTIFY_IVR that follows carries them under <see cref="Name"/>; <see cref="Default"/>
    /// is what happens when none come. Each member may be left out (Zadarma's defaults).
    /// </summary>
    public sealed class ZadarmaWaitDtmf
    {
        public int? Timeout { get; set; }
        public int? Attempts { get; set; }
        public int? MaxDigits { get; set; }
        public string? Name { get; set; }
        public string? Default { get; set; }

        public override string ToString() => "wait_dtmf" + (Name is null ? "" : " '" + Name + "'");
    }
}
