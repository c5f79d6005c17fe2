using System;
using System.Management.Automation;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// What Get-ZadarmaRecording and Save-ZadarmaRecording read of a piped row: whether its call was recorded. A PBX
    /// statistics row (IsRecorded) or a call event (is_recorded 0/1) says so; a row that does not say is taken as recorded.
    /// </summary>
    internal static class ZadarmaRecordingInput
    {
        /// <summary>False only when the row says its call was not recorded (false, 0, no, an empty cell stays unknown).</summary>
        public static bool SaysNotRecorded(object? isRecorded)
        {
            var value = isRecorded is PSObject pso ? pso.BaseObject : isRecorded;
            switch (value)
            {
                case null:
                    return false;
                case bool b:
                    return !b;
                case SwitchParameter s:
                    return !s.IsPresent;
                case int i:
                    return i == 0;
                case long l:
                    return l == 0;
                case string text when text.Trim().Length == 0:
                    return false;
                case string text:
                    return FlexibleBooleanTransformationAttribute.TryParse(text, out var parsed) && !parsed;
                default:
                    return false;
            }
        }

        /// <summary>The verbose line for a row that was skipped because its call was not recorded.</summary>
        public static string Skipped(long? row, string? recordingId, string? pbxCallId) =>
            (row is long n ? $"Row {n}: " : "") + $"the call {(string.IsNullOrWhiteSpace(pbxCallId) ? recordingId : pbxCallId)} was not recorded; skipped.";
    }

    /// <summary>
    /// Lets a recording id come as text, or as a whole number; refuses one that came as a decimal number. Zadarma's ids
    /// look like numbers (1458832388.1585217), and PowerShell reads an unquoted one as a double, which keeps only some of
    /// its digits (1458832388.15852): asking for that id would fetch no recording, or another one.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class RecordingIdTransformationAttribute : ArgumentTransformationAttribute
    {
        private const string Field = "RecordingId";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case string text:
                    return text;
                case int i:
                    return i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                case long l:
                    return l.ToString(System.Globalization.CultureInfo.InvariantCulture);
                case double _:
                case float _:
                case decimal _:
                    BindingNotes.Add(Field, "ZadarmaRecordingIdIsANumber",
                        $"the recording id came as a number ({Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}), which keeps " +
                        "only some of the digits of Zadarma's ids: quote it, e.g. -RecordingId '1458832388.1585217'.");
                    return null;
                default:
                    return value.ToString();
            }
        }
    }
}
