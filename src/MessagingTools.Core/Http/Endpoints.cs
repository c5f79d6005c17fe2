using System;

namespace MessagingTools.Core.Http
{
    /// <summary>The one check of a provider address, and the base form of one that method paths are appended to.</summary>
    public static class Endpoints
    {
        /// <summary>Refuses an address that is not absolute http or https (ArgumentException naming "endpoint").</summary>
        public static Uri RequireHttp(Uri endpoint)
        {
            if (endpoint is null) throw new ArgumentNullException(nameof(endpoint));
            if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
                throw new ArgumentException($"The endpoint '{endpoint}' must be an absolute http or https address.", nameof(endpoint));
            return endpoint;
        }

        /// <summary>Makes a base address end in '/', so that relative method paths append to it instead of replacing its last segment.</summary>
        public static Uri AsBase(Uri endpoint)
        {
            var text = RequireHttp(endpoint).GetLeftPart(UriPartial.Path);
            return text.EndsWith("/", StringComparison.Ordinal) ? new Uri(text) : new Uri(text + "/");
        }
    }
}
