using System.Reflection;
using System.Xml.Linq;

namespace MessagingTools.Docs;

/// <summary>The XML documentation of the module assembly (MessagingTools.xml, beside MessagingTools.dll).</summary>
public sealed class XmlDocs
{
    private readonly Dictionary<string, XElement> _members;

    private XmlDocs(Dictionary<string, XElement> members) => _members = members;

    public static XmlDocs Load()
    {
        var path = Path.ChangeExtension(CmdletModel.Module.Location, ".xml");
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} is missing: the module project must write its XML documentation.");
        var doc = XDocument.Load(path);
        return new XmlDocs(doc.Descendants("member").ToDictionary(m => m.Attribute("name")!.Value));
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

/// <summary>The Core library's XML documentation (MessagingTools.Core.xml): the summaries of the output types and their properties.</summary>
public sealed class CoreXmlDocs
{
    private static readonly Lazy<CoreXmlDocs> Shared = new(() => new CoreXmlDocs(
        Path.ChangeExtension(typeof(MessagingTools.Core.Errors.MessagingException).Assembly.Location, ".xml")));

    private readonly Dictionary<string, XElement> _members;

    public static CoreXmlDocs Load() => Shared.Value;

    private CoreXmlDocs(string path) =>
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
