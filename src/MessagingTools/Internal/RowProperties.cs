using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Reflection;

namespace MessagingTools.Internal
{
    /// <summary>
    /// The properties of a row of columns (a PSCustomObject: an Import-Csv row, a [pscustomobject]) as cheaply as they
    /// can be read, for the checks made on every row of a run.
    /// </summary>
    /// <remarks>
    /// PowerShell's public enumeration, <c>row.Properties</c>, goes through the integrating member collection, which
    /// builds the psobject, psbase, psadapted and psextended member sets again on every enumeration: about 40 us and 1.2
    /// to 4 KB a row, measured in PowerShell 7.6, against about 6 us and 340 B for the row's own members. With 50 to
    /// 100 us a row for everything else, that was the largest single cost a row added to the previous release (issue 16).
    /// A PSCustomObject has no adapted properties, so its properties are its own (instance) members: those are read
    /// through PSObject's internal InstanceMembers, which Windows PowerShell 5.1 and PowerShell 7 both have. Should a
    /// PowerShell lack it, the public enumeration serves; RowPropertiesTests shows both give the same columns.
    /// Members a types.ps1xml adds to PSCustomObject itself are not columns and are not read here.
    /// </remarks>
    internal static class RowProperties
    {
        private static readonly Func<PSObject, object>? s_instanceMembers = FindInstanceMembers();

        /// <summary>True when the fast way is there (tests).</summary>
        internal static bool HasFastPath => s_instanceMembers != null;

        /// <summary>The row's properties, in their order: the row's own members that are properties.</summary>
        public static IEnumerable<PSPropertyInfo> Of(PSObject row) => Of(row, allowFastPath: true);

        internal static IEnumerable<PSPropertyInfo> Of(PSObject row, bool allowFastPath)
        {
            if (row is null) throw new ArgumentNullException(nameof(row));
            if (allowFastPath && s_instanceMembers != null && row.BaseObject is PSCustomObject &&
                s_instanceMembers(row) is IEnumerable members)
            {
                foreach (var member in members)
                    if (member is PSPropertyInfo property) yield return property;
                yield break;
            }
            foreach (var property in row.Properties) yield return property;
        }

        private static Func<PSObject, object>? FindInstanceMembers()
        {
            try
            {
                var getter = typeof(PSObject).GetProperty("InstanceMembers", BindingFlags.Instance | BindingFlags.NonPublic)?.GetGetMethod(nonPublic: true);
                if (getter is null || getter.ReturnType.IsValueType || !typeof(IEnumerable).IsAssignableFrom(getter.ReturnType)) return null;
                return (Func<PSObject, object>)Delegate.CreateDelegate(typeof(Func<PSObject, object>), getter);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is MemberAccessException || ex is InvalidCastException)
            {
                return null;
            }
        }
    }
}
