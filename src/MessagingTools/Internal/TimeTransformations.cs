using System;
using System.Globalization;
using System.Management.Automation;

namespace MessagingTools.Internal
{
    /// <summary>
    /// Lets a TimeSpan parameter take a number of seconds (<c>-Timeout 90</c>, <c>-PollInterval 0.5</c>) as well as a
    /// TimeSpan or its text ('00:05:00'). Without it PowerShell turns the integer 90 into 90 ticks (9 microseconds).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecondsOrTimeSpanTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case TimeSpan span:
                    return span;
                case int i:
                    return TimeSpan.FromSeconds(i);
                case long l:
                    return TimeSpan.FromSeconds(l);
                case double d:
                    return TimeSpan.FromSeconds(d);
                case decimal m:
                    return TimeSpan.FromSeconds((double)m);
                case string text:
                    if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                        return TimeSpan.FromSeconds(seconds);
                    if (TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var parsed)) return parsed;
                    throw new ArgumentTransformationMetadataException($"'{text}' is neither a number of seconds nor a time span such as 00:05:00.");
                default:
                    throw new ArgumentTransformationMetadataException($"Expected a number of seconds or a TimeSpan, not a {value.GetType().Name}.");
            }
        }
    }

    /// <summary>
    /// Lets an optional DateTime parameter bound from CSV take an empty cell (no value) instead of failing the row,
    /// and read text as PowerShell does ('2026-11-22 10:00', invariant culture; an offset or Z is honoured).
    /// Text that is no date is noted as the row's error (<see cref="BindingNotes"/>), naming <see cref="Field"/>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class OptionalDateTimeTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <param name="field">The parameter, as errors name it.</param>
        public OptionalDateTimeTransformationAttribute(string field) => Field = field;

        public string Field { get; }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case DateTime dt:
                    return dt;
                case DateTimeOffset dto:
                    return dto.LocalDateTime;
                case string text:
                    if (string.IsNullOrWhiteSpace(text)) return null;
                    if (DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed)) return parsed;
                    if (DateTime.TryParse(text.Trim(), CultureInfo.CurrentCulture, DateTimeStyles.AllowWhiteSpaces, out parsed)) return parsed;
                    BindingNotes.Add(Field, "ValueIsNotADateTime",
                        $"'{text}' is not a date and time: write it as 2026-11-22 10:00 (local time) or 2026-11-22T10:00:00Z.");
                    return null;
                default:
                    return value;
            }
        }
    }
}
