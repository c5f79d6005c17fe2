using System;
using System.Management.Automation;
using System.Reflection;

namespace MessagingTools.Internal
{
    /// <summary>
    /// Makes <c>-Debug</c> on a cmdlet of this module mean what it means on an advanced function in PowerShell 7: show
    /// the debug lines, and nothing else.
    /// <para>
    /// PowerShell gives a compiled cmdlet's <c>-Debug</c> more: while <c>-Verbose</c> is not given, its verbose
    /// preference becomes Inquire (MshCommandRuntime.VerbosePreference, in 5.1 and 7.6 alike), and in Windows
    /// PowerShell 5.1 its debug preference too, and its confirm preference Low. So every verbose line asks "Continue
    /// with this operation?", and under <c>-NonInteractive</c> (a runbook, a job, CI) the first one fails the row with
    /// "PowerShell is in NonInteractive mode" after its request went out, and the result is lost (issue 19; seen with
    /// <c>$VerbosePreference = 'Continue'</c>, and by Get-ZadarmaStatistics, which always writes the account's zone).
    /// </para>
    /// <para>
    /// The runtime has the settings a caller would have given: its internal <c>Verbose</c> flag (as if -Verbose or
    /// -Verbose:$false had been given, following $VerbosePreference), its <c>DebugPreference</c> (Continue) and, in 5.1,
    /// <c>Confirm</c> (as if -Confirm:$false, only when $ConfirmPreference would not have asked). They are internal, so
    /// they are set by reflection; where a PowerShell lacks them, <see cref="Settle"/> returns false and the cmdlet writes
    /// no verbose or debug lines under -Debug rather than ask.
    /// </para>
    /// </summary>
    internal static class DebugSwitch
    {
        private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

        /// <summary>True when this call was given -Debug (not -Debug:$false).</summary>
        public static bool IsGiven(PSCmdlet cmdlet) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue("Debug", out var value) &&
            (value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value));

        /// <summary>
        /// When -Debug was given, settles the runtime so that no line asks for input; true when nothing can ask (also
        /// when -Debug was not given), false when the runtime could not be settled (then write no verbose or debug line).
        /// Call once, at the start of the run, on the pipeline thread.
        /// </summary>
        public static bool Settle(PSCmdlet cmdlet)
        {
            if (!IsGiven(cmdlet)) return true;
            var runtime = cmdlet.CommandRuntime;
            if (runtime is null) return false;
            var type = runtime.GetType();
            try
            {
                var bound = cmdlet.MyInvocation.BoundParameters;
                if (!bound.ContainsKey("Verbose"))
                {
                    var verbose = type.GetProperty("Verbose", Instance);
                    if (verbose is null || !verbose.CanWrite || verbose.PropertyType != typeof(bool)) return false;
                    verbose.SetValue(runtime, RunSettings.PreferenceShows(cmdlet.SessionState.PSVariable.GetValue("VerbosePreference")));
                }

                var debug = type.GetProperty("DebugPreference", Instance);
                if (debug is null || !debug.CanWrite || debug.PropertyType != typeof(ActionPreference)) return false;
                debug.SetValue(runtime, ActionPreference.Continue);

                // Windows PowerShell 5.1: -Debug also lowers the confirm preference to Low (every ShouldProcess asks).
                if (!bound.ContainsKey("Confirm") && type.GetProperty("ConfirmPreference", Instance) is { } confirm &&
                    confirm.GetValue(runtime) is ConfirmImpact runtimeImpact && runtimeImpact == ConfirmImpact.Low &&
                    (RunSettings.ConfirmPreference(cmdlet) ?? ConfirmImpact.High) != ConfirmImpact.Low &&
                    type.GetProperty("Confirm", Instance) is { CanWrite: true } confirmFlag && confirmFlag.PropertyType == typeof(SwitchParameter))
                {
                    confirmFlag.SetValue(runtime, new SwitchParameter(false));
                }
                return true;
            }
            catch (Exception e) when (e is TargetInvocationException || e is ArgumentException || e is MemberAccessException)
            {
                return false;
            }
        }
    }
}
