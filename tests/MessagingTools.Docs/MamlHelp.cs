using System.Management.Automation;
using System.Reflection;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace MessagingTools.Docs;

/// <summary>
/// The module's MAML help (src/MessagingTools/en-US/MessagingTools.dll-Help.xml), generated from the cmdlets'
/// attributes and XML documentation comments, so that it cannot drift from the code.
/// </summary>
public static class MamlHelp
{
    public static readonly XNamespace Msh = "http://msh";
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>The file, from the repository root.</summary>
    public static readonly string RelativePath = Path.Combine("src", "MessagingTools", "en-US", "MessagingTools.dll-Help.xml");

    /// <summary>The topic every cmdlet's help links to (src/MessagingTools/en-US/about_MessagingTools.help.txt).</summary>
    public const string AboutTopic = "about_MessagingTools";

    /// <summary>The whole help file.</summary>
    public static string Generate()
    {
        var docs = XmlDocs.Load();
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev));
        foreach (var type in CmdletModel.CmdletTypes().OrderBy(CmdletModel.CmdletName, StringComparer.Ordinal))
            root.Add(CommandHelp(type, docs));
        var sb = new StringBuilder();
        using (var writer = XmlWriter.Create(new StringWriter(sb), new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true, NewLineChars = "\n" }))
            new XDocument(root).Save(writer);
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + sb.ToString().Replace("\r\n", "\n") + "\n";
    }

    private static XElement CommandHelp(Type type, XmlDocs docs)
    {
        var a = type.GetCustomAttribute<CmdletAttribute>()!;
        var parameters = CmdletModel.Parameters(type).ToList();
        var sets = CmdletModel.ParameterSets(type);

        var defaults = CmdletModel.CodeDefaults(type);
        var syntax = new XElement(Command + "syntax");
        foreach (var set in sets)
        {
            var item = new XElement(Command + "syntaxItem", new XElement(Maml + "name", CmdletModel.CmdletName(type)));
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
                new XElement(Command + "name", CmdletModel.CmdletName(type)),
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
    /// The cmdlet's related links: its online page (HelpUri, first, as Get-Help -Online reads it), the cmdlets its XML
    /// documentation names with seealso (those it pipes into or takes from), and the about topic.
    /// </summary>
    public static IEnumerable<(string Text, string Uri)> RelatedLinks(Type type, XmlDocs docs)
    {
        var helpUri = type.GetCustomAttribute<CmdletAttribute>()!.HelpUri;
        if (!string.IsNullOrEmpty(helpUri)) yield return ("Online Version:", helpUri);
        foreach (var cref in docs.SeeAlso(type))
        {
            var target = CmdletModel.CmdletTypes().SingleOrDefault(t => "T:" + t.FullName == cref)
                ?? throw new InvalidOperationException($"{CmdletModel.CmdletName(type)}: <seealso cref=\"{cref}\"/> is not a cmdlet.");
            yield return (CmdletModel.CmdletName(target), "");
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

    private static XElement ParameterHelp(PropertyInfo p, ParameterAttribute attr, XmlDocs docs, IReadOnlyDictionary<string, string> defaults, bool inSyntax)
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
        var defaultValue = defaults.TryGetValue(p.Name, out var fromCode) ? fromCode : CmdletModel.StatedDefault(summary) ?? "None";
        var values = CmdletModel.ValueSet(p);
        return new XElement(Command + "parameter",
            new XAttribute("required", attr.Mandatory ? "true" : "false"),
            new XAttribute("variableLength", p.PropertyType.IsArray ? "true" : "false"),
            new XAttribute("globbing", p.Name == "Path" ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", attr.Position >= 0 ? attr.Position.ToString() : "named"),
            new XAttribute("aliases", aliases.Count == 0 ? "none" : string.Join(", ", aliases)),
            new XElement(Maml + "name", p.Name),
            Description(string.Join("\n\n", new[] { summary, CmdletModel.Accepted(p) }.Where(t => t != null))),
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
}
