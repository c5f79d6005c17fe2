using System;

namespace MessagingTools.Core.Providers.FlashCall
{
    /// <summary>A flash call to place: the phone to ring once. <see cref="FlashCallClient.Prepare"/> puts it in the form the service takes.</summary>
    public sealed class FlashCallRequest
    {
        public FlashCallRequest(string destination)
        {
            Destination = destination;
        }

        /// <summary>The Iranian mobile number to ring, in any accepted form (09xxxxxxxxx once prepared).</summary>
        public string Destination { get; }

        public override string ToString() => Destination;
    }

    /// <summary>
    /// A flash call the service accepted: the user's phone rings from <c>HeadNumber</c> followed by <c>Code</c>,
    /// and the user types <c>Code</c> into your app (docs/providers/flash-call.md, 'The answer': "code" is the last n digits of the calling number,
    /// "head_number" its leading digits, "tracking_code" the request's id for later reports).
    /// </summary>
    public sealed class FlashCallResult : RowResult
    {
        public FlashCallResult(string destination, string code, string? headNumber, string? trackingCode, string? message, DateTimeOffset calledAt)
        {
            Destination = destination;
            Code = code;
            HeadNumber = headNumber;
            TrackingCode = trackingCode;
            Message = message;
            CalledAt = calledAt;
        }

        /// <summary>The number called, in the local form the service takes (09xxxxxxxxx).</summary>
        public string Destination { get; }

        /// <summary>The recipient (Destination), under the name every result of the module gives it: <c>Select-Object Recipient</c> and Export-Csv work across providers.</summary>
        public string? Recipient => Destination;

        /// <summary>The digits the user must enter: the last digits of the number that rang them.</summary>
        public string Code { get; }

        /// <summary>The leading digits of the number that rang the user.</summary>
        public string? HeadNumber { get; }

        /// <summary>The service's id of this request, for its reports.</summary>
        public string? TrackingCode { get; }

        /// <summary>The provider's message, as it sent it (Persian on success: درخواست با موفقیت انجام شد).</summary>
        public string? Message { get; }

        public DateTimeOffset CalledAt { get; }

        /// <summary>The full calling number as the user sees it: head number followed by the code.</summary>
        public string CallerNumber => (HeadNumber ?? "") + Code;

        public override string ToString() => $"Flash call to {Destination}: code {Code}";
    }
}
