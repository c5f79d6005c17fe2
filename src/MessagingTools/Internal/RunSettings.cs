using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using MessagingTools.Core.Security;

namespace MessagingTools.Internal
{
    /// <summary>
    /// Settings of a whole run of a cmdlet: a parameter if given, else an environment variable (the runbook default),
    /// else a built-in default. A missing or malformed setting stops the run with one clear error. ("Call" is kept for
    /// phone calls.)
    /// </summary>
    internal static class RunSettings
    {
        /// <summary>
        /// The credential of a run: the parameter, else the environment variable. Missing or unusable (a line break,
        /// a non-ASCII letter) stops the run with an error whose id begins with <paramref name="errorIdPrefix"/>
        /// (the provider's name as its ids spell it; <paramref name="provider"/> is the name shown in messages).
        /// </summary>
        public static Secret RequireSecret(PSCmdlet cmdlet, SecureString? value, string parameter, string variable, string provider, string? errorIdPrefix = null)
        {
            var prefix = errorIdPrefix ?? provider;
            var text = Secrets.Read(value, parameter, variable, out var source);
            if (text is null && IsDryRun(cmdlet)) return DryRunSecret;
            if (text is null)
                cmdlet.ThrowTerminatingError(ErrorRecords.ForRun($"{prefix}{parameter}IsMissing", ErrorCategory.InvalidArgument,
                    $"No {provider} {parameter} was given: use -{parameter}, or set the environment variable {variable}."));
            RefuseUnusableSecret(cmdlet, text!, $"{prefix}{parameter}IsInvalid", $"The {provider} {parameter} from {source}");
            return new Secret(text!);
        }

        /// <summary>
        /// Stands in for a credential that was not given to a dry run (-WhatIf): nothing is sent, so none is needed, and
        /// the run still checks every row and shows what would be sent.
        /// </summary>
        public static readonly Secret DryRunSecret = new Secret("dry-run-sends-nothing");

        /// <summary>True for a dry run: -WhatIf given, or $WhatIfPreference set.</summary>
        public static bool IsDryRun(PSCmdlet cmdlet) =>
            SwitchOrPreference(cmdlet, "WhatIf", "WhatIfPreference", LanguagePrimitives.IsTrue);

        /// <summary>
        /// True when the verbose or debug stream of this call is shown or captured: its common parameter (-Verbose,
        /// -Debug, also -Verbose:$false) when given, else its preference variable as the caller's scope sees it (set by
        /// the caller, or by -Debug/-Verbose on a function that calls this cmdlet) being other than SilentlyContinue
        /// or Ignore. PowerShell makes the same choice when it writes the stream; asked once per run, so that no line
        /// nobody reads is made.
        /// </summary>
        public static bool StreamIsShown(PSCmdlet cmdlet, string parameter, string preferenceVariable) =>
            SwitchOrPreference(cmdlet, parameter, preferenceVariable, PreferenceShows);

        /// <summary>Whether a value of a stream's preference variable shows the stream: not SilentlyContinue or Ignore.</summary>
        public static bool PreferenceShows(object? preference)
        {
            if (preference is null) return false;
            try
            {
                var value = LanguagePrimitives.ConvertTo<ActionPreference>(preference);
                return value != ActionPreference.SilentlyContinue && value != ActionPreference.Ignore;
            }
            catch (PSInvalidCastException)
            {
                return true; // a value PowerShell would refuse: keep the lines rather than lose them
            }
        }

        /// <summary>
        /// $ConfirmPreference as the caller's scope sees it (High when unset); null for a value that is no ConfirmImpact,
        /// which PowerShell makes sense of in its own way.
        /// </summary>
        public static ConfirmImpact? ConfirmPreference(PSCmdlet cmdlet)
        {
            var value = cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference");
            if (value is null) return ConfirmImpact.High;
            try { return LanguagePrimitives.ConvertTo<ConfirmImpact>(value); }
            catch (PSInvalidCastException) { return null; }
        }

        /// <summary>
        /// A common switch parameter of this call when given (also as -Name:$false), else what its preference variable,
        /// as the caller's scope sees it, means (<paramref name="means"/>).
        /// </summary>
        private static bool SwitchOrPreference(PSCmdlet cmdlet, string parameter, string preferenceVariable, Func<object?, bool> means)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue(parameter, out var given))
                return given is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(given);
            return means(cmdlet.SessionState.PSVariable.GetValue(preferenceVariable));
        }

        /// <summary>Stops the run when a credential cannot be sent (a line break, a non-ASCII letter), naming where it came from.</summary>
        public static void RefuseUnusableSecret(PSCmdlet cmdlet, string text, string errorId, string what)
        {
            var refusal = Secret.Refusal(text);
            if (refusal != null)
                cmdlet.ThrowTerminatingError(ErrorRecords.ForRun(errorId, ErrorCategory.InvalidArgument, $"{what} cannot be used: {refusal}."));
        }

        /// <summary>The endpoint for this run: -Endpoint, else the session's environment variable, else the provider's address.</summary>
        public static Uri Endpoint(PSCmdlet cmdlet, Uri? value, string variable, Uri fallback)
        {
            if (value != null) return Validated(cmdlet, value, "-Endpoint");
            var text = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(text)) return fallback;
            if (!Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri))
                cmdlet.ThrowTerminatingError(ErrorRecords.ForRun("EndpointIsNotAnAddress", ErrorCategory.InvalidArgument,
                    $"The environment variable {variable} holds '{text}', which is not an absolute http(s) address."));
            return Validated(cmdlet, uri!, variable);
        }

        private static Uri Validated(PSCmdlet cmdlet, Uri uri, string source)
        {
            if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                cmdlet.ThrowTerminatingError(ErrorRecords.ForRun("EndpointIsNotAnAddress", ErrorCategory.InvalidArgument,
                    $"{source} must be an absolute http or https address; got '{uri}'."));
            return uri;
        }

        /// <summary>A whole number from an environment variable; null when unset.</summary>
        public static long? Int64FromEnvironment(PSCmdlet cmdlet, string variable)
        {
            var text = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (long.TryParse(text!.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0) return value;
            cmdlet.ThrowTerminatingError(ErrorRecords.ForRun("EnvironmentVariableIsNotANumber", ErrorCategory.InvalidArgument,
                $"The environment variable {variable} holds '{text}', which is not a positive whole number."));
            return null;
        }
    }
}
