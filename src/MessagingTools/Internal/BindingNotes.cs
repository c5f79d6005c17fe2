using System;
using System.Collections.Generic;
using MessagingTools.Core.Errors;

namespace MessagingTools.Internal
{
    /// <summary>
    /// Values that the module's argument transformations could not read while PowerShell bound a row.
    /// A transformation that throws makes PowerShell fail that row's binding with an error of its own: no row number,
    /// not the module's error id (and a misleading hint when $PSDefaultParameterValues is set), and the cmdlet never
    /// sees the row, so it cannot count it either. So the module's transformations never throw for a bad value: they
    /// note it here and bind a neutral value, and the cmdlet makes the note that row's own error
    /// (<see cref="Commands.AsyncPipelineCmdlet{TItem,TResult}"/>).
    /// Notes are per thread: PowerShell binds a row and calls ProcessRecord for it on the pipeline thread, one right
    /// after the other; the cmdlet clears them when the next row starts binding (its InputObject is bound first), and
    /// takes them before ProcessRecord writes anything (a downstream cmdlet binds while this one writes).
    /// </summary>
    internal static class BindingNotes
    {
        [ThreadStatic] private static List<MessagingException>? t_notes;

        /// <summary>Notes that the value given for <paramref name="field"/> is not what it must be (<paramref name="message"/> says why).</summary>
        public static void Add(string field, string errorId, string message)
        {
            (t_notes ??= new List<MessagingException>()).Add(
                new MessagingException("MessagingTools", ErrorKind.InvalidInput, errorId, message) { Field = field });
        }

        /// <summary>The notes since the last <see cref="Clear"/>, removed; empty when none.</summary>
        public static IReadOnlyList<MessagingException> Take()
        {
            var notes = t_notes;
            if (notes is null || notes.Count == 0) return Array.Empty<MessagingException>();
            t_notes = null;
            return notes;
        }

        public static void Clear() => t_notes?.Clear();

        /// <summary>A bad value as a note shows it: text in quotes, anything else as its value and type.</summary>
        public static string Quoted(object value) => value is string text ? $"'{text}'" : $"'{value}' ({value.GetType().Name})";
    }
}
