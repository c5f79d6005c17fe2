namespace MessagingTools.Core.Logging
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
}
