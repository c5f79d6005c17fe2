using System.Collections.Generic;
using System.Globalization;

namespace MessagingTools.Core.Http
{
    /// <summary>The answer the transport settled on: status, headers and body text (UTF-8).</summary>
    public sealed class TransportResponse
    {
        public TransportResponse(int statusCode, string body, IReadOnlyDictionary<string, string> headers, int attempts)
        {
            StatusCode = statusCode;
            Body = body;
            Headers = headers;
            Attempts = attempts;
        }

        public int StatusCode { get; }
        public string Body { get; }

        /// <summary>Response and content headers, names compared case-insensitively, repeated values joined with commas.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>How many attempts it took.</summary>
        public int Attempts { get; }

        public bool IsSuccess => StatusCode >= 200 && StatusCode < 300;

        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

        public long? HeaderAsInt64(string name) =>
            long.TryParse(Header(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (long?)null;
    }
}
