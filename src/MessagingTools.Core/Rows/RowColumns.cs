using System;
using System.Collections.Generic;
using System.Linq;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Rows
{
    /// <summary>
    /// Checks a row's columns against the parameters they bind to. PowerShell binds a parameter from the first column
    /// that matches its name or one of its aliases and silently ignores the others: a row with both Phone and Mobile
    /// filled in differently would go to one of them without a word. Such a row is refused instead.
    /// </summary>
    internal static class RowColumns
    {
        /// <summary>
        /// Throws an invalid-input <see cref="MessagingException"/> (Field = the parameter) when two or more columns
        /// that bind to one parameter hold different non-blank values. <paramref name="parameters"/> maps each
        /// parameter to the names it binds from (its own name and aliases); <paramref name="cells"/> are the row's
        /// columns and values as text.
        /// </summary>
        public static void RefuseConflicts(IReadOnlyDictionary<string, IReadOnlyCollection<string>> parameters,
            IEnumerable<KeyValuePair<string, string?>> cells)
        {
            // Every row of a run comes through here: the common row (at most one filled column per parameter) is
            // checked without allocating; only a row with two candidates is looked at closely.
            var list = cells as IReadOnlyList<KeyValuePair<string, string?>> ?? cells.ToList();
            foreach (var parameter in parameters)
            {
                var filled = 0;
                for (var i = 0; i < list.Count && filled < 2; i++)
                    if (!string.IsNullOrWhiteSpace(list[i].Value) && BindsFrom(parameter.Value, list[i].Key)) filled++;
                if (filled < 2) continue;
                var matching = list.Where(c => !string.IsNullOrWhiteSpace(c.Value) && BindsFrom(parameter.Value, c.Key)).ToList();
                if (matching.Select(c => c.Value!.Trim()).Distinct(StringComparer.Ordinal).Count() < 2) continue;
                var columns = string.Join(" and ", matching.Select(c => $"{c.Key} ('{c.Value!.Trim()}')"));
                throw new MessagingException("MessagingTools", ErrorKind.InvalidInput, "RowHasConflictingColumns",
                    $"the row has {columns}, which all give {parameter.Key} but differ; keep one of these columns, or make them agree.")
                { Field = parameter.Key };
            }
        }

        /// <summary>True when <paramref name="column"/> is one of <paramref name="names"/>, in any case.</summary>
        public static bool BindsFrom(IReadOnlyCollection<string> names, string column)
        {
            if (names is HashSet<string> set && ReferenceEquals(set.Comparer, StringComparer.OrdinalIgnoreCase)) return set.Contains(column);
            foreach (var name in names)
                if (string.Equals(name, column, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }
    }
}
