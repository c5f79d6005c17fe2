using System.Management.Automation;
using System.Reflection;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// The module's MAML help (src/MessagingTools/en-US/MessagingTools.dll-Help.xml) is generated from the cmdlets'
/// attributes and XML documentation comments, so it cannot drift from the code: this test fails when the committed
/// file differs from what the code says. Regenerate with MESSAGINGTOOLS_UPDATE_HELP=1 dotnet test --filter HelpTests.
/// </summary>
public class HelpTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;

    public HelpTests(PowerShellHost ps) => _ps = ps;

    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static string HelpPath => Path.Combine(BuildOutputTests.RepoRoot(), "src", "MessagingTools", "en-US", "MessagingTools.dll-Help.xml");

    [Fact]
    public void TheCommittedHelpFileMatchesTheCode()
    {
        var generated = Generate();
        if (Environment.GetEnvironmentVariable("MESSAGINGTOOLS_UPDATE_HELP") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(HelpPath)!);
            File.WriteAllText(HelpPath, generated, new UTF8Encoding(false));
        }
        Assert.True(File.Exists(HelpPath), "No help file: run MESSAGINGTOOLS_UPDATE_HELP=1 dotnet test --filter HelpTests");
        Assert.True(generated == File.ReadAllText(HelpPath),
            "The help file is out of date: run MESSAGINGTOOLS_UPDATE_HELP=1 dotnet test tests/MessagingTools.Cmdlets.Tests --filter HelpTests");
    }

    [Fact]
    public void EveryCmdletAndEveryParameterIsDocumentedWithAnExample()
    {
        var docs = Docs.Load();
        foreach (var type in ContractTests.CmdletTypes())
        {
            var name = CmdletName(type);
            Assert.False(string.IsNullOrWhiteSpace(docs.Para(type, "synopsis")), $"{name} has no synopsis");
            Assert.False(string.IsNullOrWhiteSpace(docs.Para(type, "description")), $"{name} has no description");
            Assert.True(docs.Examples(type).Any(), $"{name} has no example");
            foreach (var p in Parameters(type))
                Assert.False(string.IsNullOrWhiteSpace(docs.Summary(p)), $"{name} -{p.Name} has no description");
        }
    }

    [Fact]
    public void GetHelpShowsTheGeneratedHelp()
    {
        var run = _ps.Run("""
            $help = Get-Help Send-BaleMessage -Full
            $help.Synopsis
            ($help.parameters.parameter | Where-Object name -eq 'PhoneNumber').aliases
            @($help.examples.example).Count
            """);
        Assert.Empty(run.Errors);
        Assert.Equal("Sends Bale messages through the Safir business API.", run.Output[0].ToString());
        Assert.Contains("Mobile", run.Output[1].ToString());
        Assert.True((int)run.Output[2].BaseObject >= 3);
    }

    internal static string CmdletName(Type t)
    {
        var a = t.GetCustomAttribute<CmdletAttribute>()!;
        return $"{a.VerbName}-{a.NounName}";
    }

    internal static IEnumerable<PropertyInfo> Parameters(Type t) =>
        t.GetProperties()
            .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any(a => !a.DontShow))
            .OrderBy(p => p.GetCustomAttributes<ParameterAttribute>().Min(a => a.Position < 0 ? int.MaxValue : a.Position))
            .ThenBy(p => p.GetCustomAttributes<ParameterAttribute>().Any(a => a.Mandatory) ? 0 : 1)
            .ThenBy(p => Depth(t, p.DeclaringType!)) // the cmdlet's own, then its provider's, then the common ones
            .ThenBy(p => p.MetadataToken);

    private static int Depth(Type t, Type declaring)
    {
        int depth = 0;
        for (var x = t; x != null && (x.IsGenericType ? x.GetGenericTypeDefinition() : x) != (declaring.IsGenericType ? declaring.GetGenericTypeDefinition() : declaring); x = x.BaseType)
            depth++;
        return depth;
    }

    internal static string Generate()
    {
        var docs = Docs.Load();
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev));
        foreach (var type in ContractTests.CmdletTypes().OrderBy(CmdletName, StringComparer.Ordinal))
            root.Add(CommandHelp(type, docs));
        var sb = new StringBuilder();
        using (var writer = XmlWriter.Create(new StringWriter(sb), new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true, NewLineChars = "\n" }))
            new XDocument(root).Save(writer);
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + sb.ToString().Replace("\r\n", "\n") + "\n";
    }

    private static XElement CommandHelp(Type type, Docs docs)
    {
        var a = type.GetCustomAttribute<CmdletAttribute>()!;
        var parameters = Parameters(type).ToList();
        var sets = parameters.SelectMany(p => p.GetCustomAttributes<ParameterAttribute>().Select(x => x.ParameterSetName))
            .Where(s => s != ParameterAttribute.AllParameterSets).Distinct().OrderBy(s => s == a.DefaultParameterSetName ? 0 : 1).ThenBy(s => s).ToList();
        if (sets.Count == 0) sets.Add(ParameterAttribute.AllParameterSets);

        var syntax = new XElement(Command + "syntax");
        foreach (var set in sets)
        {
            var item = new XElement(Command + "syntaxItem", new XElement(Maml + "name", CmdletName(type)));
            foreach (var p in parameters)
            {
                var attr = p.GetCustomAttributes<ParameterAttribute>()
                    .FirstOrDefault(x => x.ParameterSetName == set || x.ParameterSetName == ParameterAttribute.AllParameterSets);
                if (attr != null) item.Add(ParameterHelp(p, attr, docs));
            }
            syntax.Add(item);
        }

        var outputs = type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type).Select(t => t.Name);
        return new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", CmdletName(type)),
                new XElement(Command + "verb", a.VerbName),
                new XElement(Command + "noun", a.NounName),
                Description(docs.Para(type, "synopsis"))),
            Description(docs.Para(type, "description")),
            syntax,
            new XElement(Command + "parameters", parameters.Select(p => ParameterHelp(p, p.GetCustomAttributes<ParameterAttribute>().First(), docs))),
            new XElement(Command + "inputTypes", new XElement(Command + "inputType",
                new XElement(Dev + "type", new XElement(Maml + "name", "System.Management.Automation.PSObject")),
                Description("Objects whose properties match parameters that take pipeline input by property name (Import-Csv rows)."))),
            new XElement(Command + "returnValues", outputs.Select(o => new XElement(Command + "returnValue",
                new XElement(Dev + "type", new XElement(Maml + "name", o)), Description(null)))),
            new XElement(Command + "examples", docs.Examples(type).Select((e, i) => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
                new XElement(Dev + "code", e.Code),
                new XElement(Dev + "remarks", new XElement(Maml + "para", e.Remarks))))));
    }

    private static XElement ParameterHelp(PropertyInfo p, ParameterAttribute attr, Docs docs)
    {
        var all = p.GetCustomAttributes<ParameterAttribute>().ToList();
        var byValue = all.Any(x => x.ValueFromPipeline);
        var byName = all.Any(x => x.ValueFromPipelineByPropertyName);
        var pipeline = byValue || byName
            ? "True (" + string.Join(", ", new[] { byName ? "ByPropertyName" : null, byValue ? "ByValue" : null }.Where(s => s != null)) + ")"
            : "False";
        var aliases = p.GetCustomAttribute<AliasAttribute>()?.AliasNames ?? new List<string>();
        var typeName = TypeName(p.PropertyType);
        var isSwitch = p.PropertyType == typeof(SwitchParameter);
        return new XElement(Command + "parameter",
            new XAttribute("required", attr.Mandatory ? "true" : "false"),
            new XAttribute("variableLength", p.PropertyType.IsArray ? "true" : "false"),
            new XAttribute("globbing", p.Name == "Path" ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", attr.Position >= 0 ? attr.Position.ToString() : "named"),
            new XAttribute("aliases", aliases.Count == 0 ? "none" : string.Join(", ", aliases)),
            new XElement(Maml + "name", p.Name),
            Description(docs.Summary(p)),
            isSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), typeName),
            new XElement(Dev + "type", new XElement(Maml + "name", typeName)),
            new XElement(Dev + "defaultValue", "None"));
    }

    private static string TypeName(Type t)
    {
        var u = Nullable.GetUnderlyingType(t) ?? t;
        return u.IsArray ? u.GetElementType()!.Name + "[]" : u.Name;
    }

    private static XElement Description(string? text) =>
        new(Maml + "description", (text ?? "").Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(para => new XElement(Maml + "para", para)));

    /// <summary>The XML documentation of the module assembly.</summary>
    private sealed class Docs
    {
        private readonly Dictionary<string, XElement> _members;

        private Docs(Dictionary<string, XElement> members) => _members = members;

        public static Docs Load()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "MessagingTools.xml");
            var doc = XDocument.Load(path);
            return new Docs(doc.Descendants("member").ToDictionary(m => m.Attribute("name")!.Value));
        }

        private XElement? Member(string id) => _members.TryGetValue(id, out var m) ? m : null;

        private static string Id(Type t) => (t.IsGenericType ? t.GetGenericTypeDefinition() : t).FullName!;

        public string? Para(Type t, string kind) =>
            Normalize(Member("T:" + Id(t))?.Element("summary")?.Elements("para").FirstOrDefault(p => (string?)p.Attribute("type") == kind));

        public string? Summary(PropertyInfo p) => Normalize(Member($"P:{Id(p.DeclaringType!)}.{p.Name}")?.Element("summary"));

        public IEnumerable<(string Code, string Remarks)> Examples(Type t) =>
            Member("T:" + Id(t))?.Elements("example").Select(e => (Code(e.Element("code")), Normalize(e.Element("para")) ?? "")) ?? Enumerable.Empty<(string, string)>();

        private static string Code(XElement? code)
        {
            var lines = (code?.Value ?? "").Replace("\r\n", "\n").Split('\n').SkipWhile(string.IsNullOrWhiteSpace).Reverse().SkipWhile(string.IsNullOrWhiteSpace).Reverse().ToList();
            var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            return string.Join("\n", lines.Select(l => l.Length >= indent ? l.Substring(indent) : l.TrimStart()));
        }

        private static string? Normalize(XElement? e)
        {
            if (e is null) return null;
            var text = string.Concat(e.Nodes().Select(n => n is XElement x && x.Name == "see" ? (string?)x.Attribute("cref") ?? x.Value : n is XElement y ? y.Value : n is XText t ? t.Value : ""));
            return string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim();
        }
    }
}
