using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using MessagingTools.Core.Pipeline;

namespace MessagingTools.Internal
{
    /// <summary>How a cmdlet's parameters bind from a row's columns, for checks PowerShell does not make.</summary>
    internal static class RowBinding
    {
        private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, IReadOnlyCollection<string>>> s_names =
            new ConcurrentDictionary<Type, IReadOnlyDictionary<string, IReadOnlyCollection<string>>>();

        /// <summary>Refuses a row (CSV-like, a PSCustomObject) whose columns give one parameter different values (see <see cref="RowColumns"/>).</summary>
        public static void RefuseConflictingColumns(Type cmdlet, PSObject row)
        {
            var cells = row.Properties.Select(p => new KeyValuePair<string, string?>(p.Name, ValueText(p)));
            RowColumns.RefuseConflicts(s_names.GetOrAdd(cmdlet, ByPropertyNameParameters), cells);
        }

        private static string? ValueText(PSPropertyInfo property)
        {
            try { return property.Value?.ToString(); }
            catch (GetValueException) { return null; }
        }

        /// <summary>Each parameter that binds by property name, with its name and aliases.</summary>
        private static IReadOnlyDictionary<string, IReadOnlyCollection<string>> ByPropertyNameParameters(Type cmdlet)
        {
            var names = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!property.GetCustomAttributes<ParameterAttribute>().Any(p => p.ValueFromPipelineByPropertyName)) continue;
                var all = new List<string> { property.Name };
                foreach (var alias in property.GetCustomAttributes<AliasAttribute>()) all.AddRange(alias.AliasNames);
                names[property.Name] = all;
            }
            return names;
        }
    }
}
