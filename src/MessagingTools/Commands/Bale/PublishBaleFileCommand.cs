using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Journal;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Bale
{
    /// <summary>
    /// <para type="synopsis">Uploads files to Bale Safir and returns their file ids.</para>
    /// <para type="description">Each file is streamed from disk, never read into memory; Safir takes files of at most
    /// 500 MB and a larger one is refused before any byte is sent. The output, a BaleFile with its FileId, pipes into
    /// Send-BaleMessage. Paths may hold wildcards (-Path) or be taken literally (-LiteralPath, and Get-ChildItem output);
    /// each path is its own outcome. A path that does not exist, a folder, a file that cannot be read and a device or system
    /// file whose size is unknown (/dev/zero, /proc/...) are refused before any request, with an error naming Path.
    /// An upload attempt may take up to 30 minutes, as large files need; -TimeoutSec, when given, bounds it instead.</para>
    /// </summary>
    /// <example>
    /// <code>Publish-BaleFile -Path .\report.pdf -ApiKey $key</code>
    /// <para>Uploads one file and shows its FileId.</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem .\photos\*.jpg | Publish-BaleFile -ApiKey $key | Send-BaleMessage -PhoneNumber 09123456789 -Text 'Photos from today' -BotId 123 -ApiKey $key</code>
    /// <para>Uploads every picture of a folder and sends each one with a caption.</para>
    /// </example>
    /// <seealso cref="SendBaleMessageCommand"/>
    [Cmdlet(VerbsData.Publish, "BaleFile", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = OnlineHelp.Base + "Publish-BaleFile.md")]
    [OutputType(typeof(BaleFile))]
    public sealed class PublishBaleFileCommand : BaleCmdlet<string, BaleFile>
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>Files to upload; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Files to upload, taken literally (no wildcards). Get-ChildItem output binds here.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        protected override string Activity => "Uploading files to Bale";

        protected override string DoneWord => "uploaded";

        protected override void BeginRun()
        {
            base.BeginRun();
            // -TimeoutSec given: it bounds each upload attempt too (else uploads keep the client's 30 minutes).
            if (MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec))) Client.UploadTimeout = TimeSpan.FromSeconds(TimeoutSec);
        }

        /// <summary>An upload is its file: the full path, the length and the time it was last written (a changed file is a new upload).</summary>
        protected override JournalPolicy<string>? JournalPolicy => new JournalPolicy<string>(BaleClient.ProviderName, path =>
        {
            var file = new FileInfo(path);
            var exists = file.Exists;
            return new[]
            {
                Pair("Path", file.FullName),
                Pair("Length", exists ? file.Length.ToString(CultureInfo.InvariantCulture) : null),
                Pair("LastWriteTimeUtc", exists ? file.LastWriteTimeUtc.ToString("o", CultureInfo.InvariantCulture) : null),
            };
        });

        protected override IReadOnlyList<Part> CreateItems()
        {
            // Each path is its own outcome: one that does not resolve is its error, and the others are still uploaded.
            var parts = new List<Part>();
            if (ParameterSetName == LiteralPathSet)
            {
                foreach (var p in LiteralPath)
                {
                    try
                    {
                        parts.Add(Part.Of(SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)));
                    }
                    catch (Exception ex) when (!(ex is PipelineStoppedException))
                    {
                        parts.Add(Part.Failed(ex, p));
                    }
                }
                return parts;
            }
            foreach (var p in Path)
            {
                try
                {
                    var resolved = GetResolvedProviderPathFromPSPath(p, out _);
                    if (resolved.Count == 0)
                        throw BaleClient.FileWasNotFound($"No file matches '{p}'.");
                    foreach (var r in resolved) parts.Add(Part.Of(r));
                }
                catch (ItemNotFoundException ex)
                {
                    parts.Add(Part.Failed(BaleClient.FileWasNotFound(ex.Message), p));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    // Another reason the path does not resolve (a drive that does not exist): that path's error.
                    parts.Add(Part.Failed(ex, p));
                }
            }
            return parts;
        }

        protected override (string Target, string Action) Describe(string item) => (item, "Upload file to Bale");

        protected override Task<IReadOnlyList<Outcome<BaleFile>>> RunAsync(IReadOnlyList<string> items, CancellationToken cancellationToken) =>
            One(Client.UploadFileAsync(items[0], cancellationToken));
    }
}
