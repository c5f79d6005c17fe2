using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Json;

namespace MessagingTools.Core.Providers.Zadarma
{
    // Call recordings: the temporary links (GET /v1/pbx/record/request/, PHP SDK getPbxRecord) and the files at them,
    // streamed to disk.
    public sealed partial class ZadarmaClient
    {
        /// <summary>The shortest link lifetime Zadarma takes (PHP SDK getPbxRecord: "minimum - 180").</summary>
        public static readonly TimeSpan MinRecordingLinkLifetime = TimeSpan.FromSeconds(180);

        /// <summary>The longest link lifetime Zadarma takes, 60 days (PHP SDK getPbxRecord: "maximum - 5184000").</summary>
        public static readonly TimeSpan MaxRecordingLinkLifetime = TimeSpan.FromSeconds(5184000);

        /// <summary>The lifetime of a link when none is asked for (PHP SDK getPbxRecord: "default - 1800").</summary>
        public static readonly TimeSpan DefaultRecordingLinkLifetime = TimeSpan.FromSeconds(1800);

        // Zadarma's recording ids are unix time, a dot and a fraction ("1458832388.1585217"), and its file names carry
        // them: 1-1465906452.1528072-100-2016-06-14-151412.mp3.
        private static readonly Regex s_recordingIdInName = new Regex(@"(?<![0-9])([0-9]{9,11}\.[0-9]+)(?![0-9])", RegexOptions.CultureInvariant);

        /// <summary>
        /// Checks a recording-link query before anything is sent: a recording id or a PBX call id (Field RecordingId),
        /// and a lifetime of 180 s to 60 days in whole seconds (Field Lifetime).
        /// </summary>
        public static ZadarmaRecordingQuery Prepare(ZadarmaRecordingQuery query)
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            var id = Blank(query.RecordingId);
            var pbx = Blank(query.PbxCallId);
            if (id is null && pbx is null)
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaRecordingIdIsMissing",
                    "Say which recording: give -RecordingId (call_id_with_rec of a call event) or -PbxCallId (pbx_call_id of a PBX statistics row or call event).")
                { Field = "RecordingId" };
            if (query.Lifetime is TimeSpan lifetime)
            {
                if (lifetime < MinRecordingLinkLifetime || lifetime > MaxRecordingLinkLifetime || lifetime.Ticks % TimeSpan.TicksPerSecond != 0)
                    throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaLinkLifetimeIsOutOfRange",
                        $"The link lifetime {lifetime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s is not one Zadarma takes: " +
                        "give whole seconds from 180 (3 minutes) to 5184000 (60 days), or a TimeSpan such as 01:00:00.")
                    { Field = "Lifetime" };
            }
            return new ZadarmaRecordingQuery { RecordingId = id, PbxCallId = pbx, Lifetime = query.Lifetime };
        }

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

        /// <summary>
        /// GET /v1/pbx/record/request/ with <c>call_id</c> (the recording id; given one, the PBX call id is not sent) or
        /// <c>pbx_call_id</c>, and <c>lifetime</c> when asked (PHP SDK getPbxRecord). Answer: <c>link</c> (for a
        /// call_id) or <c>links[]</c> (every recording of a PBX call), and <c>lifetime_till</c>. A read: retried.
        /// </summary>
        public async Task<IReadOnlyList<ZadarmaRecordingLink>> GetRecordingLinksAsync(ZadarmaRecordingQuery query, CancellationToken cancellationToken = default)
        {
            var prepared = Prepare(query);
            var lifetime = prepared.Lifetime is TimeSpan l ? ((long)l.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null;
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/pbx/record/request/", "pbx/record/request",
                prepared.RecordingId != null
                    ? Parameters(("call_id", prepared.RecordingId), ("lifetime", lifetime))
                    : Parameters(("pbx_call_id", prepared.PbxCallId), ("lifetime", lifetime)),
                Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var root = answer.Document.RootElement;
                var expires = root.TryGetProperty("lifetime_till", out _) && root.GetString("lifetime_till") is string till && till.Length > 0
                    ? Time(root, "lifetime_till", answer)
                    : _zone.ToAccount(DateTimeOffset.UtcNow + (prepared.Lifetime ?? DefaultRecordingLinkLifetime));
                var urls = new List<string>();
                if (root.GetString("link") is string one && one.Length > 0) urls.Add(one);
                if (root.TryGetProperty("links", out var many) && many.ValueKind == System.Text.Json.JsonValueKind.Array)
                    foreach (var e in many.EnumerateArray())
                        if (e.ValueKind == System.Text.Json.JsonValueKind.String && e.GetString() is string s && s.Length > 0 && !urls.Contains(s)) urls.Add(s);
                if (urls.Count == 0) throw Malformed(answer, "link");
                var list = new List<ZadarmaRecordingLink>();
                foreach (var text in urls)
                {
                    if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                        throw Malformed(answer, "link");
                    list.Add(new ZadarmaRecordingLink(prepared.RecordingId ?? RecordingIdOf(url), prepared.PbxCallId, url, expires));
                }
                return list;
            }
        }

        /// <summary>The recording id a link's file name carries (Zadarma's "1-&lt;call_id&gt;-..."), or null.</summary>
        public static string? RecordingIdOf(Uri url)
        {
            if (url is null) throw new ArgumentNullException(nameof(url));
            var name = Uri.UnescapeDataString(url.Segments.LastOrDefault() ?? "");
            var m = s_recordingIdInName.Match(name);
            return m.Success ? m.Groups[1].Value : null;
        }

        /// <summary>
        /// The name a recording is saved under: its recording id (else its PBX call id and position, else "recording"),
        /// with the characters a file name cannot hold replaced by '_', and the extension of the link's file name (mp3,
        /// wav) or, when it has none, of the media type (audio/mpeg .mp3, audio/wav .wav, audio/ogg .ogg).
        /// </summary>
        public static string RecordingFileName(ZadarmaRecordingLink link, int position, string? contentType)
        {
            if (link is null) throw new ArgumentNullException(nameof(link));
            var stem = link.RecordingId ?? (link.PbxCallId is string pbx ? pbx + "-" + position.ToString(CultureInfo.InvariantCulture) : "recording-" + position.ToString(CultureInfo.InvariantCulture));
            var safe = new string(stem.Select(c => char.IsLetterOrDigit(c) && c < 128 || c == '.' || c == '-' || c == '_' ? c : '_').ToArray());
            if (safe.StartsWith(".", StringComparison.Ordinal)) safe = "_" + safe.Substring(1);
            return safe + (ExtensionOf(link.Url) ?? ExtensionOf(contentType) ?? "");
        }

        private static string? ExtensionOf(Uri url)
        {
            var ext = Path.GetExtension(Uri.UnescapeDataString(url.Segments.LastOrDefault() ?? ""));
            return ext.Length >= 2 && ext.Length <= 6 && ext.Skip(1).All(c => c < 128 && char.IsLetterOrDigit(c)) ? ext.ToLowerInvariant() : null;
        }

        private static string? ExtensionOf(string? contentType)
        {
            switch ((contentType ?? "").Trim().ToLowerInvariant())
            {
                case "audio/mpeg": case "audio/mp3": case "audio/mpeg3": return ".mp3";
                case "audio/wav": case "audio/x-wav": case "audio/wave": case "audio/vnd.wave": return ".wav";
                case "audio/ogg": return ".ogg";
                default: return null;
            }
        }

        /// <summary>
        /// Downloads a recording into its folder (created when missing), named by <see cref="RecordingFileName"/>. The
        /// body is streamed to a temporary file beside it (<c>&lt;name&gt;.&lt;random&gt;.partial</c>), renamed to its name
        /// only once it is whole, and removed when the download fails or is cancelled: a file of the recording's name is
        /// always complete. An existing file of that name is an error (ZadarmaRecordingFileExists, Field Path) unless
        /// <see cref="ZadarmaRecordingDownload.Overwrite"/>. The link is not on Zadarma's API address and carries no
        /// credential; the download is a read, retried from its first byte (<see cref="HttpTransport.DownloadAsync"/>).
        /// </summary>
        public async Task<ZadarmaRecordingFile> SaveRecordingAsync(ZadarmaRecordingDownload download, IProgress<long>? progress = null,
            CancellationToken cancellationToken = default)
        {
            if (download is null) throw new ArgumentNullException(nameof(download));
            var link = download.Link ?? throw new ArgumentException("The download has no link: SaveRecordingsAsync asks for it.", nameof(download));
            if (link.Url.Scheme != Uri.UriSchemeHttp && link.Url.Scheme != Uri.UriSchemeHttps)
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaRecordingLinkIsInvalid",
                    $"'{link.Url}' is not an http or https link.") { Field = "Url" };
            var folder = Path.GetFullPath(download.Folder);
            // The name is known before the request when the link's file name has an extension: an existing file is then
            // refused without downloading anything.
            string? final = ExtensionOf(link.Url) != null ? Path.Combine(folder, RecordingFileName(link, download.Position, null)) : null;
            if (final != null && !download.Overwrite && File.Exists(final)) throw FileExists(final);
            Directory.CreateDirectory(folder);
            var request = new TransportRequest(ProviderName, "recording download", HttpMethod.Get, link.Url) { Idempotent = true };
            var id = "ZadarmaDownloadFailed"; // an error answer of the link (403, 404 when it has expired)
            string? temp = null;
            FileStream? file = null;
            try
            {
                var result = await Transport.DownloadAsync(request, head =>
                {
                    if (file != null)
                    {
                        // A retry: the body starts again from its first byte.
                        file.SetLength(0);
                        file.Position = 0;
                        return file;
                    }
                    final ??= Path.Combine(folder, RecordingFileName(link, download.Position, head.ContentType));
                    if (!download.Overwrite && File.Exists(final)) throw FileExists(final);
                    temp = final + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial";
                    file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
                    return file;
                }, id, progress, cancellationToken).ConfigureAwait(false);
                file?.Dispose();
                file = null;
                if (temp is null)
                {
                    // No body came (a 204): an empty file all the same.
                    final ??= Path.Combine(folder, RecordingFileName(link, download.Position, result.ContentType));
                    if (!download.Overwrite && File.Exists(final)) throw FileExists(final);
                    temp = final + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial";
                    File.WriteAllBytes(temp, new byte[0]);
                }
                if (download.Overwrite && File.Exists(final!)) File.Delete(final!);
                try
                {
                    File.Move(temp, final!);
                }
                catch (IOException) when (File.Exists(final!))
                {
                    throw FileExists(final!); // written meanwhile by someone else
                }
                temp = null;
                return new ZadarmaRecordingFile(link.RecordingId, link.PbxCallId, final!, result.Length, result.ContentType, DateTimeOffset.Now);
            }
            finally
            {
                file?.Dispose();
                if (temp != null)
                {
                    try { File.Delete(temp); }
                    catch (IOException) { }
                    catch (UnauthorizedAccessException) { }
                }
            }
        }

        /// <summary>
        /// Saves the recording at a download's link, or, for a download given as a query, asks for the links
        /// (<see cref="GetRecordingLinksAsync"/>) and saves each in turn (the n-th named by its recording id, else
        /// &lt;PbxCallId&gt;-n): one file per link, in order. The first failure ends it (the files saved before stay).
        /// </summary>
        public async Task<IReadOnlyList<ZadarmaRecordingFile>> SaveRecordingsAsync(ZadarmaRecordingDownload download, IProgress<long>? progress = null,
            CancellationToken cancellationToken = default)
        {
            if (download is null) throw new ArgumentNullException(nameof(download));
            if (download.Link != null) return new[] { await SaveRecordingAsync(download, progress, cancellationToken).ConfigureAwait(false) };
            var links = await GetRecordingLinksAsync(download.Query!, cancellationToken).ConfigureAwait(false);
            var files = new List<ZadarmaRecordingFile>();
            for (int i = 0; i < links.Count; i++)
                files.Add(await SaveRecordingAsync(new ZadarmaRecordingDownload(links[i], download.Folder) { Overwrite = download.Overwrite, Position = i + 1 },
                    progress, cancellationToken).ConfigureAwait(false));
            return files;
        }

        private static MessagingException FileExists(string path) =>
            new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaRecordingFileExists",
                $"The file '{path}' already exists; it was left as it is. Give -Force to replace it.") { Field = "Path" };
    }
}
