using System;
using System.Management.Automation;
using System.Security;

namespace MessagingTools.Internal
{
    /// <summary>
    /// Lets a SecureString parameter take a plain string too (PowerShell refuses that conversion on its own),
    /// so that <c>-ApiKey $key</c>, <c>-ApiKey 'abc'</c> and <c>-ApiKey (Get-Secret Bale)</c> all work.
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
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"Expected a SecureString or a string, not a {value.GetType().Name}.");
            }
        }
    }

    /// <summary>
    /// Lets a switch or bool parameter bind from CSV text. PowerShell silently skips a [switch] bound by property name
    /// from the strings 'true', '1' or 'yes'; this accepts true/false, yes/no, 1/0, y/n, on/off and an empty cell (false),
    /// and rejects anything else with an error naming the value.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class FlexibleBooleanTransformationAttribute : ArgumentTransformationAttribute
    {
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
                case string text:
                    if (TryParse(text, out var parsed)) return new SwitchParameter(parsed);
                    throw new ArgumentTransformationMetadataException(
                        $"'{text}' is not a yes/no value. Use true or false, yes or no, 1 or 0 (or leave the cell empty for no).");
                default:
                    throw new ArgumentTransformationMetadataException($"Expected true or false, not a {value.GetType().Name}.");
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
}
