using System;
using System.Collections.Generic;
using System.IO;

namespace MessagingTools.Core.Http
{
    internal static class MediaTypes
    {
        private static readonly Dictionary<string, string> s_types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".png"] = "image/png", [".gif"] = "image/gif",
            [".webp"] = "image/webp", [".mp4"] = "video/mp4", [".mov"] = "video/quicktime", [".mp3"] = "audio/mpeg",
            [".ogg"] = "audio/ogg", [".pdf"] = "application/pdf", [".txt"] = "text/plain", [".csv"] = "text/csv",
            [".zip"] = "application/zip",
        };

        public static string FromFileName(string name) =>
            s_types.TryGetValue(Path.GetExtension(name) ?? "", out var type) ? type : "application/octet-stream";
    }
}
