namespace MessagingTools.Core.Http
{
    public enum LogLevel
    {
        /// <summary>One line a request: what was sent where, the status and the time it took.</summary>
        Verbose,
        /// <summary>Bodies (masked), headers (masked), retry decisions.</summary>
        Debug,
        /// <summary>Something the user should know about although the request went on (waiting out a rate limit).</summary>
        Warning,
    }

    /// <summary>Receives log lines, already redacted. Called from worker threads.</summary>
    public delegate void TransportLog(LogLevel level, string message);
}
