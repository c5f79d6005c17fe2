using System.Management.Automation;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MessagingTools.Internal;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// The cmdlet reference in docs/ (docs/&lt;Verb-Noun&gt;.md, one page a cmdlet, the address each cmdlet's HelpUri names;
/// docs/README.md, the index) and the cmdlet table of the repository's README.md are generated from the same source
/// as the MAML help: the page of a cmdlet is rendered from the MAML element <see cref="HelpTests.Generate"/> makes for
/// it, with what MAML cannot hold read from the same code (parameter sets, accepted values, what binds from the
/// pipeline, the output type's properties). Each page keeps one hand-written part between
/// <see cref="BeginHandWritten"/> and <see cref="EndHandWritten"/> (the README's account of the cmdlet: columns, what
/// it writes, its failure rules); everything else is generated. The tests fail when a file differs from what the
/// code says; MESSAGINGTOOLS_UPDATE_HELP=1 dotnet test --filter HelpTests rewrites them, as it does the MAML.
/// </summary>
public class MarkdownHelpTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    internal const string BeginHandWritten = "<!-- Hand-written part: the generator keeps what is between this line and the end marker. -->";
    internal const string EndHandWritten = "<!-- End of the hand-written part. -->";
    private const string BeginTable = "<!-- The cmdlet table is generated from the cmdlets' synopses (tests/MessagingTools.Cmdlets.Tests/MarkdownHelpTests.cs): do not edit it here. -->";
    private const string EndTable = "<!-- End of the generated cmdlet table. -->";
    private const string Regenerate = "MESSAGINGTOOLS_UPDATE_HELP=1 dotnet test tests/MessagingTools.Cmdlets.Tests -c Release --filter HelpTests";

    private static string Root => BuildOutputTests.RepoRoot();
    private static string DocsDir => Path.Combine(Root, "docs");
    private static string PagePath(string cmdlet) => Path.Combine(DocsDir, cmdlet + ".md");
    private static string IndexPath => Path.Combine(DocsDir, "README.md");
    private static string ReadmePath => Path.Combine(Root, "README.md");

    private static bool Update => Environment.GetEnvironmentVariable("MESSAGINGTOOLS_UPDATE_HELP") == "1";

    /// <summary>The provider of each cmdlet namespace (MessagingTools.Commands.&lt;namespace&gt;), in the order the docs list them.</summary>
    internal static readonly (string Namespace, string Provider)[] Providers =
    {
        ("Bale", "Bale (Safir)"), ("Zadarma", "Zadarma"), ("FlashCall", "Flash call"), ("Feedbot", "FeedBot"), ("Journal", "Journals"),
    };

    internal static string ProviderOf(Type t) => Providers.Single(p => t.Namespace == "MessagingTools.Commands." + p.Namespace).Provider;

    /// <summary>The cmdlets grouped by provider (in <see cref="Providers"/> order), each group in the order of the manifest's exports.</summary>
    internal static IEnumerable<(string Provider, List<Type> Cmdlets)> ByProvider()
    {
        var exported = ManifestOrder();
        return Providers.Select(p => (p.Provider, ContractTests.CmdletTypes().Where(t => ProviderOf(t) == p.Provider)
            .OrderBy(t => exported.IndexOf(HelpTests.CmdletName(t))).ToList()));
    }

    private static List<string> ManifestOrder()
    {
        var manifest = File.ReadAllText(Path.Combine(Root, "MessagingTools.psd1"));
        var list = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
        return Regex.Matches(list, @"'(?<name>[\w-]+)'").Select(m => m.Groups["name"].Value).ToList();
    }

    [Fact]
    public void EveryCmdletsPageIsWhatTheGeneratorMakes()
    {
        var maml = XDocument.Parse(HelpTests.Generate()).Root!;
        var stale = new List<string>();
        foreach (var type in ContractTests.CmdletTypes())
        {
            var name = HelpTests.CmdletName(type);
            var path = PagePath(name);
            var existing = File.Exists(path) ? Normalize(File.ReadAllText(path)) : null;
            var generated = Page(type, maml, existing == null ? "" : HandWritten(existing, path));
            if (Update && generated != existing)
            {
                Directory.CreateDirectory(DocsDir);
                File.WriteAllText(path, generated, new UTF8Encoding(false));
                existing = generated;
            }
            if (generated != existing) stale.Add(name);
        }
        Assert.True(stale.Count == 0, $"docs/ pages out of date ({string.Join(", ", stale)}): run {Regenerate}");
    }

    [Fact]
    public void TheDocsIndexAndTheReadmesCmdletTableAreWhatTheGeneratorMakes()
    {
        var index = File.Exists(IndexPath) ? Normalize(File.ReadAllText(IndexPath)) : null;
        var generatedIndex = Index(index == null ? "" : HandWritten(index, IndexPath));
        var readme = Normalize(File.ReadAllText(ReadmePath));
        var generatedReadme = ReplaceBetween(readme, BeginTable, EndTable, CmdletTable(linkPrefix: "docs/"), ReadmePath);
        if (Update)
        {
            if (generatedIndex != index) File.WriteAllText(IndexPath, generatedIndex, new UTF8Encoding(false));
            if (generatedReadme != readme) File.WriteAllText(ReadmePath, generatedReadme, new UTF8Encoding(false));
            index = generatedIndex;
            readme = generatedReadme;
        }
        Assert.True(generatedIndex == index, $"docs/README.md is out of date: run {Regenerate}");
        Assert.True(generatedReadme == readme, $"The cmdlet table of README.md is out of date: run {Regenerate}");
    }

    [Fact]
    public void EveryPageInDocsIsACmdletsPageOrTheIndex()
    {
        // A cmdlet renamed or removed must not leave its old page behind, reachable from search engines.
        var cmdlets = ContractTests.CmdletTypes().Select(HelpTests.CmdletName).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(DocsDir, "*.md", SearchOption.TopDirectoryOnly).Select(Path.GetFileNameWithoutExtension))
            Assert.True(file == "README" || cmdlets.Contains(file!), $"docs/{file}.md is not the page of a cmdlet");
    }

    [Fact]
    public void EveryCmdletsHelpUriIsItsPageInDocs()
    {
        foreach (var type in ContractTests.CmdletTypes())
        {
            var name = HelpTests.CmdletName(type);
            var uri = type.GetCustomAttribute<CmdletAttribute>()!.HelpUri;
            Assert.Equal(OnlineHelp.Base + name + ".md", uri);
            Assert.True(File.Exists(PagePath(name)), $"{name}: its HelpUri names docs/{name}.md, which does not exist");
        }
        Assert.EndsWith("/docs/", OnlineHelp.Base, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryPageHasAHandWrittenPartThatLinksOnlyToPagesThatExist()
    {
        foreach (var type in ContractTests.CmdletTypes())
        {
            var name = HelpTests.CmdletName(type);
            var page = Normalize(File.ReadAllText(PagePath(name)));
            Assert.False(string.IsNullOrWhiteSpace(HandWritten(page, name)), $"docs/{name}.md has no hand-written part");
            foreach (Match link in Regex.Matches(page, @"\]\((?<target>[^)#:]+\.(?:md|txt))(?:#[^)]*)?\)"))
            {
                var target = Path.GetFullPath(Path.Combine(DocsDir, link.Groups["target"].Value));
                Assert.True(File.Exists(target), $"docs/{name}.md links to {link.Groups["target"].Value}, which does not exist");
            }
        }
    }

    [Fact]
    public void AGeneratedPageKeepsItsHandWrittenPartAndStatesTheCodesFacts()
    {
        var maml = XDocument.Parse(HelpTests.Generate()).Root!;
        var type = typeof(MessagingTools.Commands.Bale.SendBaleMessageCommand);
        var page = Page(type, maml, "## What it writes\n\nText *kept* as it is.\n");
        Assert.Equal("## What it writes\n\nText *kept* as it is.\n", HandWritten(page, "test"));
        using var cmdlet = new MessagingTools.Commands.Bale.SendBaleMessageCommand();
        Assert.Contains($"| Default value | {cmdlet.ThrottleLimit} |", page);
        Assert.Contains("| Accepted values | 1 to 64 |", page);
        Assert.Contains("| Aliases | Phone, Mobile, MobileNumber, Number, To, Destination, Recipient, Cell, Tel |", page);
        Assert.Contains("Send-BaleMessage [-PhoneNumber] <String> [[-Text] <String>]", page);
        Assert.Contains("[Publish-BaleFile](Publish-BaleFile.md)", page);
        var pbx = Page(typeof(MessagingTools.Commands.Zadarma.GetZadarmaPbxStatisticsCommand), maml, "x\n");
        Assert.Contains("[-Direction {All | Incoming | Outgoing}]", pbx);
        Assert.Contains("| Accepted values | All, Incoming, Outgoing |", pbx);
        var files = Page(typeof(MessagingTools.Commands.Bale.PublishBaleFileCommand), maml, "x\n");
        Assert.Contains("### Path (default)", files);
        Assert.Contains("| Accepts wildcards | True |", files);
    }

    // ----- the pages -----

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    /// <summary>The text between the hand-written markers (without them).</summary>
    internal static string HandWritten(string page, string where)
    {
        var begin = page.IndexOf(BeginHandWritten + "\n", StringComparison.Ordinal);
        var end = page.IndexOf(EndHandWritten, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
            throw new InvalidOperationException($"{where}: no hand-written part between '{BeginHandWritten}' and '{EndHandWritten}'; the generator would lose it.");
        return page.Substring(begin + BeginHandWritten.Length + 1, end - begin - BeginHandWritten.Length - 1);
    }

    private static string ReplaceBetween(string text, string begin, string end, string body, string where)
    {
        var b = text.IndexOf(begin + "\n", StringComparison.Ordinal);
        var e = text.IndexOf(end, StringComparison.Ordinal);
        if (b < 0 || e < b) throw new InvalidOperationException($"{where} has no '{begin}' ... '{end}' to generate into.");
        return text.Substring(0, b + begin.Length + 1) + body + text.Substring(e);
    }

    private static void HandWrittenPart(StringBuilder sb, string handWritten)
    {
        sb.Append(BeginHandWritten).Append('\n');
        sb.Append(handWritten.Length == 0 || handWritten.EndsWith('\n') ? handWritten : handWritten + "\n");
        sb.Append(EndHandWritten).Append("\n\n");
    }

    private static string Header(string what) =>
        $"<!-- {what} Generated by tests/MessagingTools.Cmdlets.Tests/MarkdownHelpTests.cs from the cmdlets' code and doc comments, " +
        $"the source of Get-Help; edit those, or the hand-written part below. Regenerate: {Regenerate} -->\n";

    /// <summary>The page of one cmdlet, from its MAML (<paramref name="maml"/> is what HelpTests.Generate makes) and its type.</summary>
    internal static string Page(Type type, XElement maml, string handWritten)
    {
        var name = HelpTests.CmdletName(type);
        var command = maml.Elements(Command + "command").Single(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == name);
        var sb = new StringBuilder();
        sb.Append(Header($"The reference of {name}."));
        sb.Append("# ").Append(name).Append("\n\n");
        sb.Append(Paras(command.Element(Command + "details")!.Element(Maml + "description")));
        sb.Append($"Provider: {ProviderOf(type)}. [All cmdlets](README.md); the rules every cmdlet follows: ")
          .Append("[How every cmdlet behaves](../README.md#how-every-cmdlet-behaves) and ").Append(AboutLink).Append(".\n\n");

        sb.Append("## Syntax\n\n");
        var sets = HelpTests.ParameterSets(type);
        var items = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(sets.Count, items.Count);
        var defaultSet = type.GetCustomAttribute<CmdletAttribute>()!.DefaultParameterSetName;
        for (var i = 0; i < items.Count; i++)
        {
            if (sets.Count > 1) sb.Append("### ").Append(sets[i]).Append(sets[i] == defaultSet ? " (default)" : "").Append("\n\n");
            sb.Append("```\n").Append(SyntaxLine(items[i])).Append("\n```\n\n");
        }

        sb.Append("## Description\n\n");
        sb.Append(Paras(command.Element(Maml + "description")));
        HandWrittenPart(sb, handWritten);

        sb.Append("## Examples\n\n");
        var number = 0;
        foreach (var example in command.Element(Command + "examples")!.Elements(Command + "example"))
        {
            sb.Append("### Example ").Append(++number).Append("\n\n");
            sb.Append("```powershell\n").Append(example.Element(Dev + "code")!.Value).Append("\n```\n\n");
            sb.Append(Paras(example.Element(Dev + "remarks")));
        }

        sb.Append("## Parameters\n\n");
        foreach (var parameter in command.Element(Command + "parameters")!.Elements(Command + "parameter"))
            Parameter(sb, type, parameter, sets);
        sb.Append("### CommonParameters\n\n");
        sb.Append("This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, ")
          .Append("-InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction and ")
          .Append("-WarningVariable. See [about_CommonParameters](https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_commonparameters).\n\n");

        sb.Append("## Inputs\n\n");
        Inputs(sb, type);
        sb.Append("## Outputs\n\n");
        Outputs(sb, type);

        sb.Append("## Related links\n\n");
        foreach (var link in command.Element(Maml + "relatedLinks")!.Elements(Maml + "navigationLink"))
        {
            var text = link.Element(Maml + "linkText")!.Value;
            var uri = link.Element(Maml + "uri")!.Value;
            if (text == "Online Version:") Assert.Equal(OnlineHelp.Base + name + ".md", uri); // this page
            else if (text == HelpTests.AboutTopic) sb.Append("- ").Append(AboutLink).Append('\n');
            else sb.Append($"- [{text}]({text}.md)\n");
        }
        sb.Append("- [All cmdlets](README.md)\n");
        return sb.ToString();
    }

    private const string AboutLink = "[about_MessagingTools](../src/MessagingTools/en-US/about_MessagingTools.help.txt)";

    /// <summary>A syntax item as Get-Help writes it: [-Name] &lt;Type&gt; for a positional parameter, [...] around an optional one.</summary>
    private static string SyntaxLine(XElement item)
    {
        var parts = new List<string> { item.Element(Maml + "name")!.Value };
        foreach (var p in item.Elements(Command + "parameter"))
        {
            var name = "-" + p.Element(Maml + "name")!.Value;
            if (p.Attribute("position")!.Value != "named") name = "[" + name + "]";
            var group = p.Element(Command + "parameterValueGroup");
            var value = group != null
                ? "{" + string.Join(" | ", group.Elements(Command + "parameterValue").Select(v => v.Value)) + "}"
                : p.Element(Command + "parameterValue") is { } v ? "<" + v.Value + ">" : null;
            var text = value == null ? name : name + " " + value;
            parts.Add(p.Attribute("required")!.Value == "true" ? text : "[" + text + "]");
        }
        parts.Add("[<CommonParameters>]");
        return string.Join(" ", parts);
    }

    private static void Parameter(StringBuilder sb, Type type, XElement parameter, List<string> sets)
    {
        var name = parameter.Element(Maml + "name")!.Value;
        var property = type.GetProperty(name); // null for WhatIf and Confirm, which PowerShell adds
        var accepted = property == null ? null : HelpTests.Accepted(property);
        sb.Append("### -").Append(name).Append("\n\n");
        var paras = parameter.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value).Where(p => p != accepted);
        foreach (var para in paras) sb.Append(Escape(para)).Append("\n\n");

        var attributes = property?.GetCustomAttributes<ParameterAttribute>().ToList() ?? new List<ParameterAttribute>();
        string PerSet(Func<ParameterAttribute, string> value)
        {
            var distinct = attributes.Select(value).Distinct().ToList();
            if (distinct.Count <= 1) return distinct.SingleOrDefault() ?? "";
            return string.Join("; ", attributes.Select(a => $"{value(a)} ({a.ParameterSetName})"));
        }
        var rows = new List<(string, string)> { ("Type", parameter.Element(Dev + "type")!.Element(Maml + "name")!.Value) };
        if (sets.Count > 1)
            rows.Add(("Parameter sets", attributes.Count == 0 || attributes.Any(a => a.ParameterSetName == ParameterAttribute.AllParameterSets)
                ? "All" : string.Join(", ", attributes.Select(a => a.ParameterSetName))));
        rows.Add(("Required", property == null ? "False" : PerSet(a => a.Mandatory ? "True" : "False")));
        rows.Add(("Position", property == null ? "Named" : PerSet(a => a.Position >= 0 ? a.Position.ToString() : "Named")));
        rows.Add(("Pipeline input", parameter.Attribute("pipelineInput")!.Value));
        rows.Add(("Aliases", parameter.Attribute("aliases")!.Value is var aliases && aliases != "none" ? aliases : "None"));
        rows.Add(("Default value", parameter.Element(Dev + "defaultValue")!.Value));
        var values = property == null ? Array.Empty<string>() : HelpTests.ValueSet(property);
        if (values.Count > 0) rows.Add(("Accepted values", string.Join(", ", values)));
        else if (accepted != null) rows.Add(("Accepted values", Regex.Replace(accepted, @"^Range: (.+)\.$", "$1")));
        if (parameter.Attribute("globbing")!.Value == "true") rows.Add(("Accepts wildcards", "True"));
        sb.Append("| | |\n| --- | --- |\n");
        foreach (var (key, value) in rows) sb.Append("| ").Append(key).Append(" | ").Append(Cell(value)).Append(" |\n");
        sb.Append('\n');
    }

    private static void Inputs(StringBuilder sb, Type type)
    {
        var parameters = HelpTests.Parameters(type).ToList();
        foreach (var p in parameters.Where(p => p.GetCustomAttributes<ParameterAttribute>().Any(a => a.ValueFromPipeline)))
            sb.Append($"- `{TypeName(p.PropertyType.IsArray ? p.PropertyType.GetElementType()! : p.PropertyType)}`: a piped value binds to -{p.Name}.\n");
        var byName = parameters.Where(p => p.GetCustomAttributes<ParameterAttribute>().Any(a => a.ValueFromPipelineByPropertyName)).ToList();
        if (byName.Count > 0)
        {
            sb.Append("- Any object (an `Import-Csv` row, another cmdlet's output) whose properties bind by name, each from a property of the parameter's name or one of its aliases:\n");
            foreach (var p in byName)
            {
                var aliases = p.GetCustomAttribute<AliasAttribute>()?.AliasNames ?? new List<string>();
                sb.Append($"  - -{p.Name}").Append(aliases.Count == 0 ? "" : " (" + string.Join(", ", aliases) + ")").Append('\n');
            }
        }
        if (parameters.All(p => !p.GetCustomAttributes<ParameterAttribute>().Any(a => a.ValueFromPipeline || a.ValueFromPipelineByPropertyName)))
            sb.Append("None: the cmdlet takes no pipeline input.\n");
        sb.Append('\n');
    }

    private static void Outputs(StringBuilder sb, Type type)
    {
        var core = CoreDocs.Value;
        foreach (var output in type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type).Select(t => t.Type!))
        {
            sb.Append($"### {output.FullName}\n\n");
            var summary = core.Summary("T:" + output.FullName);
            if (summary != null) sb.Append(Escape(summary)).Append("\n\n");
            sb.Append("| Property | Type | Description |\n| --- | --- | --- |\n");
            foreach (var property in output.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
                sb.Append($"| {property.Name} | {Cell(TypeName(property.PropertyType))} | {Cell(core.Summary($"P:{property.DeclaringType!.FullName}.{property.Name}") ?? "")} |\n");
            sb.Append('\n');
        }
        if (type.GetProperty("IncludeInput") != null)
            sb.Append("With -IncludeInput, one `PSObject` per input row instead: the row's own properties, Row, Outcome, the properties above and ErrorId, Error, MayHaveTakenEffect.\n\n");
    }

    private static string TypeName(Type t)
    {
        var u = Nullable.GetUnderlyingType(t);
        if (u != null) return TypeName(u) + "?";
        if (t.IsArray) return TypeName(t.GetElementType()!) + "[]";
        if (t.IsGenericType)
            return t.Name.Substring(0, t.Name.IndexOf('`')) + "<" + string.Join(", ", t.GetGenericArguments().Select(TypeName)) + ">";
        return t.Name;
    }

    private static string Paras(XElement? description) =>
        string.Concat((description?.Elements(Maml + "para") ?? Enumerable.Empty<XElement>())
            .Where(p => p.Value.Length > 0).Select(p => Escape(p.Value) + "\n\n"));

    /// <summary>Text as Markdown shows it literally: the characters that would start emphasis, HTML or code are escaped.</summary>
    private static string Escape(string text) => Regex.Replace(text, @"[\\`*<]", m => "\\" + m.Value);

    private static string Cell(string text) => Escape(text).Replace("|", "\\|");

    // ----- the index and the README's table -----

    private static string CmdletTable(string linkPrefix)
    {
        var docs = HelpTests.Docs.Load();
        var sb = new StringBuilder("| Provider | Cmdlet | What it does |\n| --- | --- | --- |\n");
        foreach (var (provider, cmdlets) in ByProvider())
            foreach (var t in cmdlets)
                sb.Append($"| {provider} | [{HelpTests.CmdletName(t)}]({linkPrefix}{HelpTests.CmdletName(t)}.md) | {Cell(docs.Para(t, "synopsis")!)} |\n");
        return sb.ToString();
    }

    internal static string Index(string handWritten)
    {
        var sb = new StringBuilder();
        sb.Append(Header("The index of the cmdlet reference."));
        sb.Append("# MessagingTools cmdlet reference\n\n");
        sb.Append("One page a cmdlet, the address its `Get-Help -Online` opens, generated from the same code and doc comments as ")
          .Append("`Get-Help <cmdlet> -Full`. The rules every cmdlet follows are in the repository's ")
          .Append("[README](../README.md#how-every-cmdlet-behaves) and in ").Append(AboutLink).Append(".\n\n");
        sb.Append(CmdletTable(linkPrefix: "")).Append('\n');
        HandWrittenPart(sb, handWritten);
        return sb.ToString().TrimEnd('\n') + "\n";
    }

    // ----- the Core library's XML documentation (the output types' properties) -----

    private static readonly Lazy<CoreDocumentation> CoreDocs = new(() => new CoreDocumentation(Path.Combine(AppContext.BaseDirectory, "MessagingTools.Core.xml")));

    private sealed class CoreDocumentation
    {
        private readonly Dictionary<string, XElement> _members;

        public CoreDocumentation(string path) =>
            _members = File.Exists(path)
                ? XDocument.Load(path).Descendants("member").ToDictionary(m => m.Attribute("name")!.Value)
                : throw new InvalidOperationException($"{path} is missing: the Core project must write its XML documentation.");

        public string? Summary(string id)
        {
            if (!_members.TryGetValue(id, out var member) || member.Element("summary") is not { } summary) return null;
            var text = string.Concat(summary.Nodes().Select(n => n is XElement x && x.Name == "see" ? ((string?)x.Attribute("cref") ?? x.Value).Split('.').Last() : n is XElement y ? y.Value : n is XText t ? t.Value : ""));
            return string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim();
        }
    }
}
