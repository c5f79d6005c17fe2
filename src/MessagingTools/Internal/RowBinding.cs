using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Rows;

namespace MessagingTools.Internal
{
    /// <summary>How a cmdlet's parameters bind from a row's columns, for checks PowerShell does not make.</summary>
    internal static class RowBinding
    {
        private static readonly ConcurrentDictionary<Type, Parameters> s_parameters = new ConcurrentDictionary<Type, Parameters>();

        /// <summary>
        /// Refuses a CSV-like row (a PSCustomObject) that PowerShell would bind wrongly without a word: columns that give
        /// one parameter different values (see <see cref="RowColumns"/>), or no column at all for a parameter that also
        /// takes a whole pipeline object by value (PowerShell then binds the row itself, as text: '@{Phone Number=...}').
        /// </summary>
        public static void CheckColumns(Type cmdlet, PSObject row) => CheckColumns(cmdlet, row, null);

        /// <summary>
        /// <see cref="CheckColumns(Type, PSObject)"/> for the rows of one run: <paramref name="shape"/> remembers the column
        /// names of the last row that needed nothing checked (no two of its columns bind one parameter, and every
        /// parameter that would otherwise bind the whole row has a column). A row with the same names, in the same
        /// order (every row of an Import-Csv), is then passed without its values being read: they were a good part of a
        /// row's cost (issue 16).
        /// </summary>
        public static void CheckColumns(Type cmdlet, PSObject row, ColumnShape? shape)
        {
            if (shape != null && shape.Matches(row)) return;
            var parameters = s_parameters.GetOrAdd(cmdlet, Describe);
            var cells = new List<KeyValuePair<string, string?>>();
            foreach (var property in RowProperties.Of(row)) cells.Add(new KeyValuePair<string, string?>(property.Name, ValueText(property)));
            RowColumns.RefuseConflicts(parameters.ByPropertyName, cells);
            foreach (var name in parameters.ByValueToo)
            {
                var names = parameters.ByPropertyName[name];
                if (HasColumn(cells, names)) continue;
                var columns = cells.Count == 0 ? "none" : string.Join(", ", cells.Select(c => $"'{c.Key}'"));
                throw new MessagingException("MessagingTools", ErrorKind.InvalidInput, "RowHasNoColumnForAParameter",
                    $"the row has no {name} column (its columns: {columns}). Name the column {string.Join(", ", names)} " +
                    "(any of these, in any case), or give the value with -" + name + ".")
                { Field = name };
            }
            if (shape != null) shape.Remember(cells, parameters.ByPropertyName);
        }

        /// <summary>
        /// Gives a text parameter that also takes the pipeline object by value its column's value, when that column holds no
        /// text (a number: <c>[pscustomobject]@{ Extension = 100 }</c>, a cell of Import-Excel). PowerShell binds such a row
        /// by value, converted, before it binds the column by property name with conversion: the parameter got the whole
        /// row as text ('@{Extension=100}'), or nothing once a transformation had refused the row. Only such a value is
        /// looked at again, so a row bound as it should be costs one read of the parameter.
        /// </summary>
        public static void TakeColumnsBoundAsRowText(PSCmdlet cmdlet, PSObject row)
        {
            foreach (var (property, names) in s_parameters.GetOrAdd(cmdlet.GetType(), Describe).ByValueTooText)
            {
                if (!(property.GetValue(cmdlet) is string bound) || (bound.Length > 0 && !bound.StartsWith("@{", StringComparison.Ordinal))) continue;
                foreach (var column in RowProperties.Of(row))
                {
                    if (!RowColumns.BindsFrom(names, column.Name)) continue;
                    object? value;
                    try { value = column.Value; }
                    catch (GetValueException) { break; }
                    if (value is null || value is string) break; // bound by name as it is: nothing to mend
                    property.SetValue(cmdlet, (string)LanguagePrimitives.ConvertTo(value, typeof(string), System.Globalization.CultureInfo.InvariantCulture));
                    break;
                }
            }
        }

        /// <summary>The column names of a run's rows that need no check (see <see cref="CheckColumns(Type, PSObject, ColumnShape)"/>); one per run, on its pipeline thread.</summary>
        internal sealed class ColumnShape
        {
            private string[]? _names;

            /// <summary>True when the row's columns are the remembered ones, by name and order (ordinal: as PowerShell's binder compares them is a superset).</summary>
            public bool Matches(PSObject row)
            {
                var names = _names;
                if (names is null) return false;
                var i = 0;
                foreach (var property in RowProperties.Of(row))
                {
                    if (i >= names.Length || !string.Equals(names[i], property.Name, StringComparison.Ordinal)) return false;
                    i++;
                }
                return i == names.Length;
            }

            /// <summary>Remembers a row's names, if no two of them bind one parameter (then its values never matter).</summary>
            public void Remember(List<KeyValuePair<string, string?>> cells, IReadOnlyDictionary<string, IReadOnlyCollection<string>> parameters)
            {
                foreach (var parameter in parameters)
                {
                    var binding = 0;
                    foreach (var cell in cells)
                        if (RowColumns.BindsFrom(parameter.Value, cell.Key) && ++binding > 1) { _names = null; return; }
                }
                var names = new string[cells.Count];
                for (var i = 0; i < names.Length; i++) names[i] = cells[i].Key;
                _names = names;
            }
        }

        /// <summary>
        /// Refuses an empty value of a required text parameter. These parameters allow an empty string so that PowerShell
        /// binds an empty CSV cell instead of failing the row's binding by itself (no row number, not the module's error).
        /// </summary>
        public static void RefuseEmptyRequiredValues(PSCmdlet cmdlet)
        {
            foreach (var (property, sets) in s_parameters.GetOrAdd(cmdlet.GetType(), Describe).RequiredText)
            {
                // Mandatory in another parameter set only (Set-ZadarmaPbxRedirection -Number of -Off): not this call's.
                if (!sets.Contains(ParameterAttribute.AllParameterSets) && !sets.Contains(cmdlet.ParameterSetName)) continue;
                var value = property.GetValue(cmdlet);
                if (value is string[] several ? several.Any(v => !string.IsNullOrWhiteSpace(v)) : !string.IsNullOrWhiteSpace(value as string)) continue;
                throw new MessagingException("MessagingTools", ErrorKind.InvalidInput, "RequiredValueIsEmpty",
                    "the value is empty; every row needs one.") { Field = property.Name };
            }
        }

        /// <summary>The column names that bind <paramref name="parameter"/> of <paramref name="cmdlet"/>: its name, then its aliases.</summary>
        public static IReadOnlyCollection<string> ColumnNames(Type cmdlet, string parameter) =>
            s_parameters.GetOrAdd(cmdlet, Describe).ByPropertyName[parameter];

        private static bool HasColumn(List<KeyValuePair<string, string?>> cells, IReadOnlyCollection<string> names)
        {
            foreach (var cell in cells)
                if (RowColumns.BindsFrom(names, cell.Key)) return true;
            return false;
        }

        private static string? ValueText(PSPropertyInfo property)
        {
            try { return property.Value?.ToString(); }
            catch (GetValueException) { return null; }
        }

        private sealed class Parameters
        {
            /// <summary>Each parameter that binds by property name, with its name and aliases.</summary>
            public Dictionary<string, IReadOnlyCollection<string>> ByPropertyName { get; } =
                new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.OrdinalIgnoreCase);

            /// <summary>Those of them that also take the pipeline object itself (by value).</summary>
            public List<string> ByValueToo { get; } = new List<string>();

            /// <summary>The text parameters among <see cref="ByValueToo"/>, with the column names that bind them.</summary>
            public List<(PropertyInfo Property, IReadOnlyCollection<string> Names)> ByValueTooText { get; } = new List<(PropertyInfo, IReadOnlyCollection<string>)>();

            /// <summary>Mandatory text parameters (string, or string[] of which one value must not be blank) that bind by property name.</summary>
            public List<(PropertyInfo Property, HashSet<string> Sets)> RequiredText { get; } = new List<(PropertyInfo, HashSet<string>)>();
        }

        private static Parameters Describe(Type cmdlet)
        {
            var result = new Parameters();
            foreach (var property in cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var attributes = property.GetCustomAttributes<ParameterAttribute>().ToList();
                if (!attributes.Any(p => p.ValueFromPipelineByPropertyName)) continue;
                var all = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { property.Name };
                foreach (var alias in property.GetCustomAttributes<AliasAttribute>()) all.UnionWith(alias.AliasNames);
                result.ByPropertyName[property.Name] = all;
                if (attributes.Any(p => p.ValueFromPipeline))
                {
                    result.ByValueToo.Add(property.Name);
                    if (property.PropertyType == typeof(string) && property.CanWrite) result.ByValueTooText.Add((property, all));
                }
                // A string[] that allows empty strings (Send-ZadarmaSms -Number) binds an empty CSV cell the same way.
                var text = property.PropertyType == typeof(string)
                    || (property.PropertyType == typeof(string[]) && property.GetCustomAttribute<AllowEmptyStringAttribute>() != null);
                if (text && attributes.Any(p => p.Mandatory))
                    result.RequiredText.Add((property, new HashSet<string>(attributes.Where(p => p.Mandatory).Select(p => p.ParameterSetName), StringComparer.OrdinalIgnoreCase)));
            }
            return result;
        }
    }
}
