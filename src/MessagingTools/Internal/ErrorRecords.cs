using System;
using System.Management.Automation;
using MessagingTools.Core.Errors;

namespace MessagingTools.Internal
{
    /// <summary>The one place that turns Core errors into PowerShell error records.</summary>
    internal static class ErrorRecords
    {
        public static ErrorCategory CategoryOf(ErrorKind kind) => kind switch
        {
            ErrorKind.InvalidInput => ErrorCategory.InvalidArgument,
            ErrorKind.Authentication => ErrorCategory.AuthenticationError,
            ErrorKind.RateLimited => ErrorCategory.LimitsExceeded,
            ErrorKind.QuotaExceeded => ErrorCategory.QuotaExceeded,
            ErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            ErrorKind.Remote => ErrorCategory.InvalidResult,
            ErrorKind.Network => ErrorCategory.ConnectionError,
            ErrorKind.Timeout => ErrorCategory.OperationTimeout,
            _ => ErrorCategory.NotSpecified,
        };

        /// <summary>
        /// An error record for one input. <paramref name="row"/> is the 1-based position of the pipeline input,
        /// or null when the cmdlet was called without pipeline input.
        /// </summary>
        public static ErrorRecord For(Exception exception, object? target, long? row)
        {
            ErrorRecord record;
            string? field = null;
            if (exception is MessagingException me)
            {
                record = new ErrorRecord(me, me.ErrorId, CategoryOf(me.Kind), target);
                field = me.Field;
                if (me.MayHaveTakenEffect)
                    record.ErrorDetails = new ErrorDetails(Prefix(row, field) + me.Message)
                    {
                        RecommendedAction = $"Check with {me.Provider} whether it was carried out before sending it again.",
                    };
                record.CategoryInfo.Reason = me.Kind.ToString();
            }
            else if (exception is IContainsErrorRecord contains && contains.ErrorRecord != null)
            {
                // A PowerShell error (a path that does not resolve): keep its id and category, point it at the row.
                var inner = contains.ErrorRecord;
                record = new ErrorRecord(exception, inner.FullyQualifiedErrorId.Split(',')[0], inner.CategoryInfo.Category, target);
            }
            else if (exception is ArgumentException ae)
            {
                record = new ErrorRecord(ae, "InvalidArgument", ErrorCategory.InvalidArgument, target);
                field = ae.ParamName;
            }
            else
            {
                record = new ErrorRecord(exception, "UnexpectedError", ErrorCategory.NotSpecified, target);
            }
            if (record.ErrorDetails is null && (row != null || field != null))
                record.ErrorDetails = new ErrorDetails(Prefix(row, field) + exception.Message);
            return record;
        }

        private static string Prefix(long? row, string? field) =>
            row is null ? (field is null ? "" : field + ": ") : $"Row {row}{(field is null ? "" : ", " + field)}: ";

        /// <summary>A terminating error for a problem with the run as a whole (no credentials, a bad endpoint).</summary>
        public static ErrorRecord ForRun(string errorId, ErrorCategory category, string message, object? target = null) =>
            new ErrorRecord(new PSArgumentException(message), errorId, category, target);
    }
}
