namespace MessagingTools.Core.Errors
{
    /// <summary>What went wrong, in terms a caller can act on. Each maps to one PowerShell ErrorCategory.</summary>
    public enum ErrorKind
    {
        /// <summary>The input was refused before or by the provider (bad phone number, missing field).</summary>
        InvalidInput,
        /// <summary>The key, token or credentials were refused.</summary>
        Authentication,
        /// <summary>The provider asked us to slow down and the wait allowed was used up.</summary>
        RateLimited,
        /// <summary>The account has no credit or reached a quota.</summary>
        QuotaExceeded,
        /// <summary>The recipient or object does not exist at the provider (not a Bale user, unknown message id).</summary>
        NotFound,
        /// <summary>The provider answered with an error of its own (5xx, an internal error code, a malformed answer).</summary>
        Remote,
        /// <summary>The connection failed or was dropped.</summary>
        Network,
        /// <summary>No answer arrived in time.</summary>
        Timeout,
    }
}
