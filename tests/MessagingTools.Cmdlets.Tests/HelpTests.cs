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

    private static XElement GeneratedCommand(string name) =>
        XDocument.Parse(Generate()).Root!.Elements(Command + "command").Single(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == name);

    private static XElement HelpParameter(XElement parent, string name) =>
        parent.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == name);

    private static string Text(XElement parameter) =>
        string.Join("\n", parameter.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value));

    [Fact]
    public void DefaultsAndRangesInTheHelpComeFromTheCode()
    {
        // Not typed in the help: the value a new cmdlet holds (the property initializer) and ValidateRange.
        using var cmdlet = new MessagingTools.Commands.Bale.SendBaleMessageCommand();
        var range = typeof(MessagingTools.Commands.Bale.SendBaleMessageCommand).GetProperty("ThrottleLimit")!.GetCustomAttribute<ValidateRangeAttribute>()!;
        var help = GeneratedCommand("Send-BaleMessage").Element(Command + "parameters")!;
        var throttle = HelpParameter(help, "ThrottleLimit");
        Assert.Equal(cmdlet.ThrottleLimit.ToString(), throttle.Element(Dev + "defaultValue")!.Value);
        Assert.Equal("8", throttle.Element(Dev + "defaultValue")!.Value);
        Assert.Contains($"Range: {range.MinRange} to {range.MaxRange}.", Text(throttle));
        Assert.Equal(cmdlet.TimeoutSec.ToString(), HelpParameter(help, "TimeoutSec").Element(Dev + "defaultValue")!.Value);

        var feedbot = GeneratedCommand("Send-FeedbotMessage").Element(Command + "parameters")!;
        Assert.Equal(MessagingTools.Commands.Feedbot.SendFeedbotMessageCommand.DefaultBatchSize.ToString(), HelpParameter(feedbot, "BatchSize").Element(Dev + "defaultValue")!.Value);
        Assert.Contains($"Range: 1 to {MessagingTools.Core.Providers.Feedbot.FeedbotClient.MaxBatchSize}.", Text(HelpParameter(feedbot, "BatchSize")));
        using var status = new MessagingTools.Commands.Feedbot.GetFeedbotStatusCommand();
        Assert.StartsWith(status.Timeout.ToString("c"), HelpParameter(GeneratedCommand("Get-FeedbotStatus").Element(Command + "parameters")!, "Timeout").Element(Dev + "defaultValue")!.Value);
    }

    [Fact]
    public void ADefaultIsStatedOnceWhereTheCodeSetsIt()
    {
        // A parameter whose initializer sets a default gets it from the code: its description must not state it again
        // (it would go stale); descriptions state only what code cannot show (an environment variable, "now").
        var docs = Docs.Load();
        foreach (var type in ContractTests.CmdletTypes())
        {
            var defaults = CodeDefaults(type);
            foreach (var p in Parameters(type).Where(p => defaults.ContainsKey(p.Name) && p.PropertyType != typeof(SwitchParameter)))
                Assert.DoesNotMatch(@"\bDefault\b", docs.Summary(p) ?? "");
        }
        // A stated default is shown as the default value too.
        Assert.Equal("$env:MESSAGINGTOOLS_BALE_API_KEY",
            HelpParameter(GeneratedCommand("Send-BaleMessage").Element(Command + "parameters")!, "ApiKey").Element(Dev + "defaultValue")!.Value);
    }

    [Fact]
    public void EveryShouldProcessCmdletDescribesWhatIfAndConfirmInItsSyntaxAndParameters()
    {
        foreach (var type in ContractTests.CmdletTypes())
        {
            var name = CmdletName(type);
            var command = GeneratedCommand(name);
            var places = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").Append(command.Element(Command + "parameters")!).ToList();
            foreach (var place in places)
            foreach (var (parameter, alias) in new[] { ("WhatIf", "wi"), ("Confirm", "cf") })
            {
                var entries = place.Elements(Command + "parameter").Where(p => p.Element(Maml + "name")!.Value == parameter).ToList();
                if (!type.GetCustomAttribute<CmdletAttribute>()!.SupportsShouldProcess)
                {
                    Assert.Empty(entries);
                    continue;
                }
                var entry = Assert.Single(entries);
                Assert.Equal(alias, entry.Attribute("aliases")!.Value);
                Assert.Equal("SwitchParameter", entry.Element(Dev + "type")!.Value);
                Assert.False(string.IsNullOrWhiteSpace(Text(entry)), $"{name} -{parameter}");
            }
        }
        Assert.Contains("ConfirmImpact is Low", Text(HelpParameter(GeneratedCommand("Publish-BaleFile").Element(Command + "parameters")!, "Confirm")));
    }

    [Fact]
    public void EveryCmdletHasItsOnlinePageAndRelatedLinksThatGoBothWays()
    {
        var docs = Docs.Load();
        var links = ContractTests.CmdletTypes().ToDictionary(CmdletName, t => RelatedLinks(t, docs).ToList());
        foreach (var (name, related) in links)
        {
            var type = ContractTests.CmdletTypes().Single(t => CmdletName(t) == name);
            var helpUri = type.GetCustomAttribute<CmdletAttribute>()!.HelpUri;
            Assert.Equal(MessagingTools.Internal.OnlineHelp.Base + name + ".md", helpUri);
            Assert.Equal(("Online Version:", helpUri), related[0]);
            Assert.Equal((AboutTopic, ""), related[^1]);
            foreach (var (other, _) in related.Skip(1).SkipLast(1))
                Assert.True(links[other].Any(l => l.Text == name), $"{name} links to {other}, but {other} does not link back");
        }
        // The cmdlets that pipe into each other.
        Assert.Contains(links["Send-BaleMessage"], l => l.Text == "Publish-BaleFile");
        Assert.Contains(links["Send-FeedbotMessage"], l => l.Text == "Get-FeedbotStatus");
        Assert.Contains(links["Get-ZadarmaSip"], l => l.Text == "Get-ZadarmaRedirection");
        Assert.Contains(links["Get-ZadarmaRedirection"], l => l.Text == "Set-ZadarmaRedirection");
    }

    [Fact]
    public void PublishBaleFileStatesTheUploadTimeoutTheClientHas()
    {
        // -TimeoutSec's default (30 s) is not what an upload gets: the description says what it gets instead.
        var client = new MessagingTools.Core.Providers.Bale.BaleClient(new MessagingTools.Core.Security.Secret("key"));
        var minutes = client.UploadTimeout.TotalMinutes;
        Assert.Contains($"up to {minutes:0} minutes", Docs.Load().Para(typeof(MessagingTools.Commands.Bale.PublishBaleFileCommand), "description"));
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
        var sets = ParameterSets(type);

        var defaults = CodeDefaults(type);
        var syntax = new XElement(Command + "syntax");
        foreach (var set in sets)
        {
            var item = new XElement(Command + "syntaxItem", new XElement(Maml + "name", CmdletName(type)));
            foreach (var p in parameters)
            {
                var attr = p.GetCustomAttributes<ParameterAttribute>()
                    .FirstOrDefault(x => x.ParameterSetName == set || x.ParameterSetName == ParameterAttribute.AllParameterSets);
                if (attr != null) item.Add(ParameterHelp(p, attr, docs, defaults, inSyntax: true));
            }
            item.Add(ShouldProcessParameters(a));
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
            new XElement(Command + "parameters", parameters.Select(p => ParameterHelp(p, p.GetCustomAttributes<ParameterAttribute>().First(), docs, defaults, inSyntax: false)),
                ShouldProcessParameters(a)),
            new XElement(Command + "inputTypes", new XElement(Command + "inputType",
                new XElement(Dev + "type", new XElement(Maml + "name", "System.Management.Automation.PSObject")),
                Description("Objects whose properties match parameters that take pipeline input by property name (Import-Csv rows)."))),
            new XElement(Command + "returnValues", outputs.Select(o => new XElement(Command + "returnValue",
                new XElement(Dev + "type", new XElement(Maml + "name", o)), Description(null)))),
            new XElement(Command + "examples", docs.Examples(type).Select((e, i) => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
                new XElement(Dev + "code", e.Code),
                new XElement(Dev + "remarks", new XElement(Maml + "para", e.Remarks))))),
            new XElement(Maml + "relatedLinks", RelatedLinks(type, docs).Select(l => new XElement(Maml + "navigationLink",
                new XElement(Maml + "linkText", l.Text), new XElement(Maml + "uri", l.Uri)))));
    }

    /// <summary>
    /// The cmdlet's parameter sets in the order of its syntax items (the default set first), or only
    /// <see cref="ParameterAttribute.AllParameterSets"/> when it has none of its own.
    /// </summary>
    internal static List<string> ParameterSets(Type type)
    {
        var a = type.GetCustomAttribute<CmdletAttribute>()!;
        var sets = Parameters(type).SelectMany(p => p.GetCustomAttributes<ParameterAttribute>().Select(x => x.ParameterSetName))
            .Where(s => s != ParameterAttribute.AllParameterSets).Distinct().OrderBy(s => s == a.DefaultParameterSetName ? 0 : 1).ThenBy(s => s).ToList();
        if (sets.Count == 0) sets.Add(ParameterAttribute.AllParameterSets);
        return sets;
    }

    /// <summary>The topic every cmdlet's help links to (src/MessagingTools/en-US/about_MessagingTools.help.txt).</summary>
    internal const string AboutTopic = "about_MessagingTools";

    /// <summary>
    /// The cmdlet's related links: its online page (HelpUri, first, as Get-Help -Online reads it), the cmdlets its XML
    /// documentation names with seealso (those it pipes into or takes from), and the about topic.
    /// </summary>
    internal static IEnumerable<(string Text, string Uri)> RelatedLinks(Type type, Docs docs)
    {
        var helpUri = type.GetCustomAttribute<CmdletAttribute>()!.HelpUri;
        if (!string.IsNullOrEmpty(helpUri)) yield return ("Online Version:", helpUri);
        foreach (var cref in docs.SeeAlso(type))
        {
            var target = ContractTests.CmdletTypes().SingleOrDefault(t => "T:" + t.FullName == cref)
                ?? throw new InvalidOperationException($"{CmdletName(type)}: <seealso cref=\"{cref}\"/> is not a cmdlet.");
            yield return (CmdletName(target), "");
        }
        yield return (AboutTopic, "");
    }

    /// <summary>
    /// -WhatIf and -Confirm, which PowerShell adds to a cmdlet that supports ShouldProcess: described here so that
    /// Get-Help shows them in the syntax and answers Get-Help -Parameter WhatIf. The text follows the cmdlet's ConfirmImpact.
    /// </summary>
    private static IEnumerable<XElement> ShouldProcessParameters(CmdletAttribute a)
    {
        if (!a.SupportsShouldProcess) yield break;
        var asks = a.ConfirmImpact switch
        {
            ConfirmImpact.High => "High: PowerShell asks before each one unless $ConfirmPreference is None",
            ConfirmImpact.Medium => "Medium: without -Confirm, PowerShell asks only when $ConfirmPreference is Medium or Low, so under the default (High) an Import-Csv run does not prompt for every row",
            ConfirmImpact.Low => "Low: without -Confirm, PowerShell asks only when $ConfirmPreference is Low",
            _ => "None: PowerShell asks only when -Confirm is given",
        };
        yield return SwitchHelp("WhatIf", "wi",
            "Shows what the cmdlet would do, one \"What if:\" line for each item, without doing it: no request is sent.");
        yield return SwitchHelp("Confirm", "cf",
            $"Asks for confirmation before each item is sent, placed, uploaded or changed. The cmdlet's ConfirmImpact is {asks}.");
    }

    private static XElement SwitchHelp(string name, string alias, string description) =>
        new(Command + "parameter",
            new XAttribute("required", "false"), new XAttribute("variableLength", "false"), new XAttribute("globbing", "false"),
            new XAttribute("pipelineInput", "False"), new XAttribute("position", "named"), new XAttribute("aliases", alias),
            new XElement(Maml + "name", name),
            Description(description),
            new XElement(Dev + "type", new XElement(Maml + "name", nameof(SwitchParameter))),
            new XElement(Dev + "defaultValue", "False"));

    /// <summary>
    /// Each parameter's default as the code sets it: the property's value in a new instance of the cmdlet (its
    /// initializer), shown when it says something (not null, empty, zero or the type's default; a switch is False).
    /// </summary>
    internal static Dictionary<string, string> CodeDefaults(Type type)
    {
        var instance = Activator.CreateInstance(type)!;
        try
        {
            var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in Parameters(type))
            {
                var text = DefaultText(p.GetValue(instance), Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType);
                if (text != null) defaults[p.Name] = text;
            }
            return defaults;
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    private static string? DefaultText(object? value, Type type)
    {
        switch (value)
        {
            case null: return null;
            case SwitchParameter s: return s.IsPresent ? "True" : "False";
            case string text: return text.Length == 0 ? null : text;
            case Array array: return array.Length == 0 ? null : string.Join(", ", array.Cast<object>());
            case TimeSpan span when span != TimeSpan.Zero: return $"{span:c} ({Words(span)})";
        }
        if (type.IsEnum) return value.ToString();
        if (type.IsValueType && value.Equals(Activator.CreateInstance(type))) return null;
        return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Words(TimeSpan span)
    {
        static string Count(double n, string unit) => $"{n:0.###} {unit}{(n == 1 ? "" : "s")}";
        if (span.TotalHours >= 1 && span.TotalHours % 1 == 0) return Count(span.TotalHours, "hour");
        if (span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0) return Count(span.TotalMinutes, "minute");
        return Count(span.TotalSeconds, "second");
    }

    /// <summary>The default a parameter's description states ("Default: $env:MESSAGINGTOOLS_BALE_API_KEY."), for defaults the code cannot show (an environment variable, now).</summary>
    internal static string? StatedDefault(string? summary)
    {
        var m = System.Text.RegularExpressions.Regex.Match(summary ?? "", @"\bDefault:\s*(?<value>.+?)\.?$");
        return m.Success ? m.Groups["value"].Value : null;
    }

    /// <summary>What the validation attributes accept, as a sentence: "Range: 1 to 64." (ValidateRange).</summary>
    internal static string? Accepted(PropertyInfo p)
    {
        var range = p.GetCustomAttribute<ValidateRangeAttribute>();
        if (range != null) return $"Range: {range.MinRange} to {range.MaxRange}.";
        return null;
    }

    /// <summary>The values a parameter takes from a fixed list (ValidateSet, an enum), for the syntax ({On | Off}).</summary>
    internal static IReadOnlyList<string> ValueSet(PropertyInfo p)
    {
        var set = p.GetCustomAttribute<ValidateSetAttribute>();
        if (set != null) return set.ValidValues.Where(v => v.Length > 0).ToList();
        var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        return t.IsEnum ? Enum.GetNames(t) : Array.Empty<string>();
    }

    private static XElement ParameterHelp(PropertyInfo p, ParameterAttribute attr, Docs docs, IReadOnlyDictionary<string, string> defaults, bool inSyntax)
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
        var summary = docs.Summary(p);
        var defaultValue = defaults.TryGetValue(p.Name, out var fromCode) ? fromCode : StatedDefault(summary) ?? "None";
        var values = ValueSet(p);
        return new XElement(Command + "parameter",
            new XAttribute("required", attr.Mandatory ? "true" : "false"),
            new XAttribute("variableLength", p.PropertyType.IsArray ? "true" : "false"),
            new XAttribute("globbing", p.Name == "Path" ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", attr.Position >= 0 ? attr.Position.ToString() : "named"),
            new XAttribute("aliases", aliases.Count == 0 ? "none" : string.Join(", ", aliases)),
            new XElement(Maml + "name", p.Name),
            Description(string.Join("\n\n", new[] { summary, Accepted(p) }.Where(t => t != null))),
            inSyntax && values.Count > 0
                ? new XElement(Command + "parameterValueGroup", values.Select(v =>
                    new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v)))
                : null,
            isSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), typeName),
            new XElement(Dev + "type", new XElement(Maml + "name", typeName)),
            new XElement(Dev + "defaultValue", defaultValue));
    }

    private static string TypeName(Type t)
    {
        var u = Nullable.GetUnderlyingType(t) ?? t;
        return u.IsArray ? u.GetElementType()!.Name + "[]" : u.Name;
    }

    private static XElement Description(string? text) =>
        new(Maml + "description", (text ?? "").Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(para => new XElement(Maml + "para", para)));

    /// <summary>The XML documentation of the module assembly.</summary>
    internal sealed class Docs
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

        /// <summary>
        /// A property's summary; for one documented as <c>&lt;inheritdoc cref="..."/&gt;</c> (-Journal and -ResendUnknown:
        /// see IJournaledCmdlet), the summary it names: the compiler writes the inheritdoc as it is, without the text.
        /// </summary>
        public string? Summary(PropertyInfo p) => Normalize(SummaryOf(Member($"P:{Id(p.DeclaringType!)}.{p.Name}")));

        private XElement? SummaryOf(XElement? member) =>
            member?.Element("summary") ?? (member?.Element("inheritdoc")?.Attribute("cref") is XAttribute cref ? SummaryOf(Member(cref.Value)) : null);

        /// <summary>The crefs of the type's seealso elements ("T:MessagingTools.Commands.Bale.PublishBaleFileCommand").</summary>
        public IEnumerable<string> SeeAlso(Type t) =>
            Member("T:" + Id(t))?.Elements("seealso").Select(e => (string?)e.Attribute("cref")).OfType<string>() ?? Enumerable.Empty<string>();

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
