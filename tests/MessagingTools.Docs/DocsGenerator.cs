using System.Text;
using System.Xml.Linq;

namespace MessagingTools.Docs;

/// <summary>One file the generator writes: its path from the repository root, what is committed (null: none) and what the code makes.</summary>
public sealed record GeneratedFile(string RelativePath, string? Committed, string Generated)
{
    public bool IsCurrent => Committed == Generated;
}

/// <summary>
/// Every file generated from the cmdlets' code and doc comments, made anew and set beside the committed one: the MAML
/// help, the about topic's generated sections, each cmdlet's page in docs/ (around its hand-written part) and the
/// index docs/README.md. <see cref="Write"/> writes those that differ (what `./build.ps1 -Task Docs` does); the drift
/// tests compare them and fail with <see cref="Command"/>.
/// </summary>
public static class DocsGenerator
{
    /// <summary>How to regenerate every generated file.</summary>
    public const string Command = "./build.ps1 -Task Docs";

    private static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    /// <summary>src/MessagingTools/en-US/MessagingTools.dll-Help.xml (compared byte for byte).</summary>
    public static GeneratedFile Maml(string repoRoot) =>
        new(MamlHelp.RelativePath, Read(Path.Combine(repoRoot, MamlHelp.RelativePath)), MamlHelp.Generate());

    /// <summary>about_MessagingTools.help.txt with its CMDLETS, SEE ALSO and CSV COLUMNS sections generated.</summary>
    public static GeneratedFile AboutTopicFile(string repoRoot)
    {
        var committed = Read(Path.Combine(repoRoot, AboutTopic.RelativePath))
            ?? throw new InvalidOperationException($"{AboutTopic.RelativePath} is missing: its hand-written sections cannot be generated.");
        var topic = committed.Replace("\r\n", "\n");
        return new(AboutTopic.RelativePath, topic, AboutTopic.Generate(repoRoot, topic));
    }

    /// <summary>docs/&lt;Verb-Noun&gt;.md of every cmdlet, each keeping its committed hand-written part.</summary>
    public static IReadOnlyList<GeneratedFile> CmdletPages(string repoRoot)
    {
        var maml = XDocument.Parse(MamlHelp.Generate()).Root!;
        var pages = new List<GeneratedFile>();
        foreach (var type in CmdletModel.CmdletTypes().OrderBy(CmdletModel.CmdletName, StringComparer.Ordinal))
        {
            var relative = MarkdownHelp.PageRelativePath(CmdletModel.CmdletName(type));
            var existing = Read(Path.Combine(repoRoot, relative)) is { } text ? MarkdownHelp.Normalize(text) : null;
            pages.Add(new(relative, existing, MarkdownHelp.Page(type, maml, existing == null ? "" : MarkdownHelp.HandWritten(existing, relative))));
        }
        return pages;
    }

    /// <summary>docs/README.md, keeping its hand-written part.</summary>
    public static GeneratedFile Index(string repoRoot)
    {
        var existing = Read(Path.Combine(repoRoot, MarkdownHelp.IndexRelativePath)) is { } text ? MarkdownHelp.Normalize(text) : null;
        return new(MarkdownHelp.IndexRelativePath, existing,
            MarkdownHelp.Index(repoRoot, existing == null ? "" : MarkdownHelp.HandWritten(existing, MarkdownHelp.IndexRelativePath)));
    }

    /// <summary>Every generated file.</summary>
    public static IReadOnlyList<GeneratedFile> All(string repoRoot) =>
        new[] { Maml(repoRoot), AboutTopicFile(repoRoot) }.Concat(CmdletPages(repoRoot)).Append(Index(repoRoot)).ToList();

    /// <summary>Writes every generated file that differs from the committed one (UTF-8, no BOM); returns those written.</summary>
    public static IReadOnlyList<GeneratedFile> Write(string repoRoot)
    {
        var written = new List<GeneratedFile>();
        foreach (var file in All(repoRoot).Where(f => !f.IsCurrent))
        {
            var path = Path.Combine(repoRoot, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Generated, new UTF8Encoding(false));
            written.Add(file);
        }
        return written;
    }

    /// <summary>The repository root: the nearest folder at or above <paramref name="start"/> that holds MessagingTools.sln.</summary>
    public static string FindRepoRoot(string start)
    {
        var dir = new DirectoryInfo(start);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MessagingTools.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MessagingTools.sln not found at or above " + start);
    }
}
