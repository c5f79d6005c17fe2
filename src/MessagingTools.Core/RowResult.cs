using System.Text.Json.Serialization;

namespace MessagingTools.Core
{
    /// <summary>
    /// What every result of the module's cmdlets is: it says which pipeline input (row) it came from, as errors do.
    /// </summary>
    /// <remarks>
    /// A property of the type, not a note property that the cmdlet adds: PowerShell keeps an object's note properties in a
    /// table of its own (a ConditionalWeakTable keyed by the object), so each result written would cost a dependent handle,
    /// a member collection of five objects, and the copying of both by the collector; at no latency that made
    /// Send-BaleMessage spend a quarter more of its time in collections (issue 16).
    /// </remarks>
    public abstract class RowResult
    {
        /// <summary>
        /// The number of the pipeline input this result came from, 1 for the first, as its errors say "Row N"; null when
        /// the input came from parameters. Set by the cmdlet as it writes the result.
        /// </summary>
        [JsonIgnore]
        public long? Row { get; internal set; }
    }
}
