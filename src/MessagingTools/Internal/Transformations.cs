using System;
using System.Management.Automation;
using System.Security;

namespace MessagingTools.Internal
{
    /// <summary>
    /// Lets a SecureString parameter take a plain string too (PowerShell refuses that conversion on its own), and a
    /// PSCredential, whose password is the key (what Azure Automation's <c>Get-AutomationPSCredential</c> and
    /// SecretManagement's credential secrets give; the user name is not used): so <c>-ApiKey $key</c>,
    /// <c>-ApiKey 'abc'</c>, <c>-ApiKey (Get-Secret Bale)</c> and <c>-ApiKey (Get-AutomationPSCredential Bale)</c> all work.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case SecureString secure:
                    return secure;
                case string text:
                    return Secrets.ToSecureString(text);
                case PSCredential credential:
                    return credential.Password;
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"Expected a SecureString, a PSCredential (its password is the key) or a string, not a {value.GetType().Name}.");
            }
        }
    }

    /// <summary>
    /// Lets a one-string recipient parameter that also binds from the pipeline by value (Send-BaleMessage -PhoneNumber,
    /// Send-FlashCall -Destination) take several recipients on the command line: <c>-PhoneNumber a, b</c> arrives as one
    /// text, its items joined by <see cref="Separator"/>, which <see cref="Split"/> takes apart again (no phone number
    /// holds it). The parameter stays a string because a string[] that binds from the pipeline by value cost about 20 %
    /// of Send-BaleMessage's rows a second in PowerShell's binder (214 against 167 us a row, issue 19 item 6); a single
    /// string (every CSV cell, every piped string) passes through untouched.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SeveralRecipientsTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>The unit separator (U+001F): a control character that no recipient holds.</summary>
        public const char Separator = '\u001F';

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is null || value is string) return value;
            if (!(value is System.Collections.IEnumerable several)) return value;
            var items = new System.Collections.Generic.List<string>();
            foreach (var item in several) items.Add(LanguagePrimitives.ConvertTo<string>(item is PSObject p ? p.BaseObject : item) ?? "");
            return string.Join(Separator.ToString(), items);
        }

        /// <summary>The recipients a value of such a parameter holds: one, or those given on the command line.</summary>
        public static string[] Split(string? value) =>
            value is null ? new[] { "" } : value.IndexOf(Separator) < 0 ? new[] { value } : value.Split(Separator);
    }

    /// <summary>
    /// Lets a switch or bool parameter bind from CSV text. PowerShell silently skips a [switch] bound by property name
    /// from the strings 'true', '1' or 'yes'; this accepts true/false, yes/no, 1/0, y/n, on/off and an empty cell (false).
    /// Anything else is noted as the row's error (<see cref="BindingNotes"/>), naming the value and <see cref="Field"/>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class FlexibleBooleanTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <param name="field">The parameter, as errors name it.</param>
        public FlexibleBooleanTransformationAttribute(string field) => Field = field;

        public string Field { get; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return new SwitchParameter(false);
                case bool b:
                    return new SwitchParameter(b);
                case SwitchParameter s:
                    return s;
                case int i when i == 0 || i == 1:
                    return new SwitchParameter(i == 1);
                case string text when TryParse(text, out var parsed):
                    return new SwitchParameter(parsed);
                default:
                    BindingNotes.Add(Field, "ValueIsNotYesOrNo",
                        $"{BindingNotes.Quoted(value)} is not a yes/no value. Use true or false, yes or no, 1 or 0 (or leave the cell empty for no).");
                    return new SwitchParameter(false);
            }
        }

        public static bool TryParse(string text, out bool value)
        {
            switch (text.Trim().ToLowerInvariant())
            {
                case "true": case "yes": case "y": case "1": case "on": case "$true":
                    value = true; return true;
                case "false": case "no": case "n": case "0": case "off": case "$false": case "":
                    value = false; return true;
                default:
                    value = false; return false;
            }
        }
    }

    /// <summary>
    /// Lets a whole-number parameter (a bot id) bind from CSV text: digits, with spaces around; an empty cell is no
    /// value (0). Anything else is noted as the row's error (<see cref="BindingNotes"/>) instead of being replaced by
    /// a default: PowerShell alone would fail the row's binding, or a cmdlet would silently fall back.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class WholeNumberTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <param name="field">The parameter, as errors name it.</param>
        public WholeNumberTransformationAttribute(string field) => Field = field;

        public string Field { get; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return 0L;
                case int i:
                    return (long)i;
                case long l:
                    return l;
                case string text when string.IsNullOrWhiteSpace(text):
                    return 0L;
                case string text when long.TryParse(text.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
                default:
                    BindingNotes.Add(Field, "ValueIsNotAWholeNumber",
                        $"{BindingNotes.Quoted(value)} is not a whole number; give the number itself, e.g. 123.");
                    return 0L;
            }
        }
    }

    /// <summary>
    /// Lets a text parameter with a fixed set of values (On, Off) bind from CSV text, case-insensitively; an empty cell
    /// is no value. Anything else is noted as the row's error (<see cref="BindingNotes"/>), where ValidateSet would fail
    /// the row's binding. Tab completion comes from a <see cref="FixedValuesCompleter"/>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class OneOfTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <param name="field">The parameter, as errors name it.</param>
        /// <param name="values">The values it takes, as they are written back.</param>
        public OneOfTransformationAttribute(string field, params string[] values)
        {
            Field = field;
            Values = values;
        }

        public string Field { get; }
        public string[] Values { get; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is null || value is string empty && string.IsNullOrWhiteSpace(empty)) return null;
            var text = value.ToString()!.Trim();
            foreach (var allowed in Values)
                if (string.Equals(allowed, text, StringComparison.OrdinalIgnoreCase)) return allowed;
            BindingNotes.Add(Field, "ValueIsNotOneOfTheAllowed",
                $"{BindingNotes.Quoted(value)} is not one of {string.Join(", ", Values)}.");
            return null;
        }
    }

    /// <summary>Tab completion of a fixed set of values (those of a <see cref="OneOfTransformationAttribute"/>).</summary>
    public abstract class FixedValuesCompleter : IArgumentCompleter
    {
        private readonly string[] _values;

        protected FixedValuesCompleter(params string[] values) => _values = values;

        public System.Collections.Generic.IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
            string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            foreach (var value in _values)
                if (value.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(value, value, CompletionResultType.ParameterValue, value);
        }
    }

    /// <summary>Completes On and Off.</summary>
    public sealed class OnOffCompleter : FixedValuesCompleter
    {
        public OnOffCompleter() : base("On", "Off") { }
    }
}
