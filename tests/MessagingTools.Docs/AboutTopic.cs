using System.Management.Automation;
using System.Reflection;
using System.Text;
using MessagingTools.Internal;

namespace MessagingTools.Docs;

/// <summary>
/// The generated sections of the about_MessagingTools topic (src/MessagingTools/en-US/about_MessagingTools.help.txt):
/// CMDLETS (each cmdlet's synopsis), the cmdlets of SEE ALSO and CSV COLUMNS, from the cmdlets' doc comments and
/// parameters. The rest of the topic is written by hand.
/// </summary>
public static class AboutTopic
{
    /// <summary>The file, from the repository root.</summary>
    public static readonly string RelativePath = Path.Combine("src", "MessagingTools", "en-US", MamlHelp.AboutTopic + ".help.txt");

    public const string ColumnsHeading = "CSV COLUMNS";
    public const string ErrorIdsHeading = "ERROR IDS";
    public const string CmdletsHeading = "CMDLETS";
    public const string SeeAlsoHeading = "SEE ALSO";
    private const int Width = 79;

    /// <summary>The topic with its generated sections made anew from the code (<paramref name="topic"/> with \n line ends).</summary>
    public static string Generate(string repoRoot, string topic)
    {
        var generated = ReplaceSection(topic, CmdletsHeading, Cmdlets(repoRoot));
        generated = ReplaceSection(generated, SeeAlsoHeading, SeeAlso(repoRoot, Section(topic, SeeAlsoHeading)));
        return ReplaceSection(generated, ColumnsHeading, Columns());
    }

    // ----- the CMDLETS and SEE ALSO sections -----

    /// <summary>
    /// Each provider's cmdlets with their synopses (the MAML's and docs/'s one line), in the order of docs/README.md.
    /// </summary>
    public static string Cmdlets(string repoRoot)
    {
        var docs = XmlDocs.Load();
        var sb = new StringBuilder();
        sb.Append("    Each cmdlet and what it does (generated from the cmdlets' synopses).\n");
        foreach (var (provider, cmdlets) in CmdletModel.ByProvider(repoRoot))
        {
            sb.Append('\n').Append("    ").Append(provider).Append('\n');
            foreach (var t in cmdlets)
            {
                sb.Append("        ").Append(CmdletModel.CmdletName(t)).Append('\n');
                Wrap(sb, "            ", docs.Para(t, "synopsis")!);
            }
        }
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>Every cmdlet (in the order of <see cref="Cmdlets"/>), then the section's other topics (about_...) as they are.</summary>
    public static string SeeAlso(string repoRoot, string section)
    {
        var sb = new StringBuilder();
        foreach (var (_, cmdlets) in CmdletModel.ByProvider(repoRoot))
            foreach (var t in cmdlets) sb.Append("    ").Append(CmdletModel.CmdletName(t)).Append('\n');
        foreach (var line in section.Split('\n').Where(l => l.TrimStart().StartsWith("about_", StringComparison.Ordinal)))
            sb.Append(line).Append('\n');
        sb.Append('\n');
        return sb.ToString();
    }

    // ----- the CSV COLUMNS section -----

    /// <summary>Each cmdlet's parameters that bind from rows or piped values, with the column names they take.</summary>
    public static string Columns()
    {
        var sb = new StringBuilder();
        sb.Append("    Each parameter below binds from a column of its own name or of one of the\n");
        sb.Append("    names after it (generated from the cmdlets' parameters).\n");
        foreach (var type in CmdletModel.CmdletTypes().OrderBy(t => t.Namespace, StringComparer.Ordinal).ThenBy(CmdletModel.CmdletName, StringComparer.Ordinal))
        {
            var bound = CmdletModel.Parameters(type)
                .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any(a => a.ValueFromPipelineByPropertyName || a.ValueFromPipeline))
                .ToList();
            if (bound.Count == 0) continue;
            sb.Append('\n').Append("    ").Append(CmdletModel.CmdletName(type)).Append('\n');
            var pad = bound.Max(p => p.Name.Length) + 2;
            foreach (var p in bound)
            {
                var attributes = p.GetCustomAttributes<ParameterAttribute>().ToList();
                var names = attributes.Any(a => a.ValueFromPipelineByPropertyName)
                    ? (p.GetCustomAttribute<AliasAttribute>()?.AliasNames ?? new List<string>()).ToList()
                    : new List<string>();
                var notes = new List<string>();
                if (names.Count == 0 && attributes.Any(a => a.ValueFromPipelineByPropertyName)) notes.Add("no other name");
                if (!attributes.Any(a => a.ValueFromPipelineByPropertyName)) notes.Add("not a column");
                if (attributes.Any(a => a.ValueFromPipeline)) notes.Add("a piped string binds here");
                var kind = Kind(p);
                if (kind != null) notes.Add(kind);
                var text = string.Join(", ", names) + (notes.Count == 0 ? "" : (names.Count == 0 ? "" : "; ") + string.Join("; ", notes));
                Wrap(sb, "        " + p.Name.PadRight(pad), text);
            }
        }
        sb.Append('\n');
        return sb.ToString();
    }

    private static string? Kind(PropertyInfo p)
    {
        var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        if (p.GetCustomAttribute<FlexibleBooleanTransformationAttribute>() != null) return "yes/no";
        if (p.GetCustomAttribute<ValidateSetAttribute>() is { } set)
            return string.Join(" or ", set.ValidValues.Where(v => v.Length > 0)) + (set.ValidValues.Contains("") ? " or empty" : "");
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset)) return "a date";
        if (t == typeof(int) || t == typeof(long)) return "a whole number";
        return null;
    }

    private static void Wrap(StringBuilder sb, string lead, string text)
    {
        var indent = new string(' ', lead.Length);
        var line = new StringBuilder(lead);
        var first = true;
        foreach (var word in text.Split(' '))
        {
            if (!first && line.Length + 1 + word.Length > Width)
            {
                sb.Append(line.ToString().TrimEnd()).Append('\n');
                line.Clear().Append(indent);
                first = true;
            }
            if (!first) line.Append(' ');
            line.Append(word);
            first = false;
        }
        sb.Append(line.ToString().TrimEnd()).Append('\n');
    }

    /// <summary>The lines of a top-level section: from the line after its heading to the next heading (a line that does not begin with a space).</summary>
    private static (int Start, int End) SectionBounds(string[] lines, string heading)
    {
        var start = Array.IndexOf(lines, heading);
        if (start < 0) throw new InvalidOperationException($"about_MessagingTools has no {heading} section.");
        var end = start + 1;
        while (end < lines.Length && (lines[end].Length == 0 || lines[end][0] == ' ')) end++;
        return (start + 1, end);
    }

    public static string Section(string topic, string heading)
    {
        var lines = topic.Split('\n');
        var (start, end) = SectionBounds(lines, heading);
        return string.Join("\n", lines[start..end]);
    }

    public static string ReplaceSection(string topic, string heading, string body)
    {
        var lines = topic.Split('\n');
        var (start, end) = SectionBounds(lines, heading);
        return string.Join("\n", lines[..start]) + "\n" + body + string.Join("\n", lines[end..]);
    }
}
