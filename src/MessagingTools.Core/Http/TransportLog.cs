using MessagingTools.Core.Logging;

namespace MessagingTools.Core.Http
{
    /// <summary>Receives log lines, already redacted. Called from worker threads.</summary>
    public delegate void TransportLog(LogLevel level, string message);
}
