using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using MessagingTools.Core;
using MessagingTools.Core.Errors;

namespace MessagingTools.Internal
{
    /// <summary>
    /// One object per input row for -IncludeInput: the row's own columns, then Row, Outcome (Succeeded or Failed),
    /// the result's properties, and ErrorId, Error and MayHaveTakenEffect. Every object of a run has the same columns
    /// in the same order, whether the row succeeded or failed, because Export-Csv takes its header from the first
    /// object: one pipeline gives one CSV of outcomes.
    /// </summary>
    internal sealed class OutcomeObjects
    {
        private readonly string[] _resultProperties;

        /// <param name="resultType">The type of one result (the element type when a row gives a list).</param>
        public OutcomeObjects(Type resultType)
        {
            _resultProperties = resultType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0)
                // The result's own Row is the row's, which the outcome says in its Row column.
                .Where(p => p.DeclaringType != typeof(RowResult))
                .Select(p => p.Name).ToArray();
        }

        /// <summary>Set for a journaled run: every outcome object then says whether it came from the journal (FromJournal).</summary>
        public bool Journaled { get; set; }

        public PSObject Success(object? input, long? row, object result, bool fromJournal = false)
        {
            var resultObject = PSObject.AsPSObject(result);
            return Build(input, row, "Succeeded", name => resultObject.Properties[name]?.Value, null, fromJournal);
        }

        public PSObject Failure(object? input, long? row, Exception error)
        {
            var me = error as MessagingException;
            // What the error knows of the result: the request id the message carried (Bale).
            Func<string, object?> known = name => name == "RequestId" ? me?.RequestId : null;
            return Build(input, row, "Failed", known, error, false);
        }

        private PSObject Build(object? input, long? row, string outcome, Func<string, object?> resultValue, Exception? error, bool fromJournal)
        {
            var target = new PSObject();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            void Add(string name, object? value)
            {
                if (names.Add(name)) target.Properties.Add(new PSNoteProperty(name, value));
            }

            foreach (var column in InputColumns(input)) Add(column.Key, column.Value);
            Add("Row", row);
            Add("Outcome", outcome);
            foreach (var name in _resultProperties)
            {
                var value = resultValue(name);
                // A result property named like an input column (Message, Phone) keeps the column and comes as ResultX.
                if (names.Contains(name)) Add("Result" + name, value);
                else Add(name, value);
            }
            var me = error as MessagingException;
            Add("ErrorId", error is null ? null : me?.ErrorId ?? error.GetType().Name);
            Add("Error", error?.Message);
            Add("MayHaveTakenEffect", error is null ? (bool?)null : me?.MayHaveTakenEffect ?? false);
            if (Journaled) Add("FromJournal", fromJournal);
            return target;
        }

        /// <summary>A row's own columns: a CSV row's cells, an object's properties, or a bare value as InputObject.</summary>
        internal static IEnumerable<KeyValuePair<string, object?>> InputColumns(object? input)
        {
            switch (input)
            {
                case null:
                    yield break;
                case PSObject pso when pso.BaseObject is string || pso.BaseObject.GetType().IsPrimitive:
                    yield return new KeyValuePair<string, object?>("InputObject", pso.BaseObject);
                    yield break;
                case PSObject pso:
                    foreach (var property in pso.Properties)
                    {
                        if (property.MemberType != PSMemberTypes.NoteProperty && property.MemberType != PSMemberTypes.Property) continue;
                        object? value;
                        try { value = property.Value; }
                        catch (GetValueException) { continue; }
                        yield return new KeyValuePair<string, object?>(property.Name, value);
                    }
                    yield break;
                default:
                    foreach (var column in InputColumns(PSObject.AsPSObject(input))) yield return column;
                    yield break;
            }
        }
    }
}
