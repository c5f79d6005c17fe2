using System;
using System.Collections.Generic;
using System.Linq;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Pipeline
{
    /// <summary>
    /// Checks a row's columns against the parameters they bind to. PowerShell binds a parameter from the first column
    /// that matches its name or one of its aliases and silently ignores the others: a row with both Phone and Mobile
    /// filled in differently would go to one of them without a word. Such a row is refused instead.
    /// </summary>
    public static class RowColumns
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
            var filled = cells.Where(c => !string.IsNullOrWhiteSpace(c.Value)).ToList();
            foreach (var parameter in parameters)
            {
                var names = new HashSet<string>(parameter.Value, StringComparer.OrdinalIgnoreCase);
                var matching = filled.Where(c => names.Contains(c.Key)).ToList();
                if (matching.Select(c => c.Value!.Trim()).Distinct(StringComparer.Ordinal).Count() < 2) continue;
                var columns = string.Join(" and ", matching.Select(c => $"{c.Key} ('{c.Value!.Trim()}')"));
                throw new MessagingException("MessagingTools", ErrorKind.InvalidInput, "RowHasConflictingColumns",
                    $"the row has {columns}, which all give {parameter.Key} but differ; keep one of these columns, or make them agree.")
                { Field = parameter.Key };
            }
        }
    }
}
