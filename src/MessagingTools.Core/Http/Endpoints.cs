using System;

namespace MessagingTools.Core.Http
{
    public static class Endpoints
    {
        /// <summary>Makes a base address end in '/', so that relative method paths append to it instead of replacing its last segment.</summary>
        public static Uri AsBase(Uri endpoint)
        {
            if (endpoint is null) throw new ArgumentNullException(nameof(endpoint));
            if (!endpoint.IsAbsoluteUri) throw new ArgumentException($"The endpoint '{endpoint}' must be an absolute http or https address.", nameof(endpoint));
            if (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)
                throw new ArgumentException($"The endpoint '{endpoint}' must use http or https.", nameof(endpoint));
            var text = endpoint.GetLeftPart(UriPartial.Path);
            return text.EndsWith("/", StringComparison.Ordinal) ? new Uri(text) : new Uri(text + "/");
        }
    }
}
