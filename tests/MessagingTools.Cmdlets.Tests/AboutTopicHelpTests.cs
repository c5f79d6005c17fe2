using System.Management.Automation;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using MessagingTools.Docs;
using MessagingTools.Internal;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// The about_MessagingTools topic (src/MessagingTools/en-US/about_MessagingTools.help.txt) stays true to the code: its
/// CMDLETS section (each cmdlet's synopsis), the cmdlets of its SEE ALSO and its CSV COLUMNS section are generated from
/// the cmdlets' doc comments and parameters by tests/MessagingTools.Docs (AboutTopic; regenerated, like the MAML help,
/// with ./build.ps1 -Task Docs), it lists every error id the source can raise and no other, and it names every
/// MESSAGINGTOOLS_ environment variable the source reads.
/// </summary>
public class AboutTopicHelpTests
{
    private static string TopicPath => Path.Combine(BuildOutputTests.RepoRoot(), AboutTopic.RelativePath);

    private static string Topic() => File.ReadAllText(TopicPath).Replace("\r\n", "\n");


    [Fact]
    public void TheGeneratedSectionsOfTheTopicAreTheCmdletsSynopsesAndParameters()
    {
        Assert.True(DocsGenerator.AboutTopicFile(BuildOutputTests.RepoRoot()).IsCurrent,
            $"The CMDLETS, SEE ALSO or CSV COLUMNS of about_MessagingTools are out of date: run {DocsGenerator.Command}");
    }

    [Fact]
    public void TheTopicIsPlainAsciiOfAtMost80Columns()
    {
        // Windows PowerShell 5.1 reads it without a BOM as the ANSI code page; Get-Help prints it as it is.
        var text = File.ReadAllText(TopicPath);
        Assert.All(text, c => Assert.True(c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7F), $"U+{(int)c:X4} in the topic"));
        Assert.All(text.Replace("\r\n", "\n").Split('\n'), line => Assert.True(line.Length <= 80, $"longer than 80 columns: {line}"));
    }

    [Fact]
    public void EveryErrorIdTheSourceRaisesIsInTheTopic()
    {
        var topic = Topic();
        var ids = SourceErrorIds();
        Assert.True(ids.Count > 60, $"only {ids.Count} error ids found in the source: has the way errors are made changed?");
        var missing = ids.Where(id => !Regex.IsMatch(topic, $@"\b{id}\b")).OrderBy(id => id).ToList();
        Assert.True(missing.Count == 0, "about_MessagingTools does not list: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryErrorIdTheTopicListsIsRaisedByTheSource()
    {
        var ids = SourceErrorIds();
        var suffixes = ComposedSuffixes();
        var listed = ListedErrorIds(AboutTopic.Section(Topic(), AboutTopic.ErrorIdsHeading)).ToList();
        Assert.True(listed.Count > 40, $"only {listed.Count} ids found in the ERROR IDS section: has its layout changed?");
        foreach (var id in listed)
        {
            if (id.StartsWith("<Provider>", StringComparison.Ordinal)) Assert.Contains(id.Substring("<Provider>".Length), suffixes);
            else Assert.True(ids.Contains(id), $"the topic lists {id}, which the source does not raise");
        }
    }

    [Fact]
    public void EveryPlaceThatMakesAnErrorNamesItsIdInAFormThisTestReads()
    {
        // So that SourceErrorIds cannot miss an id: every MessagingException, ErrorRecord and ForRun of the source
        // takes its id as a literal, a prefix + a literal suffix, the transport's RequestTimedOut ternary, or a
        // variable passed through from one of those (the id table of a provider, a refusal repeated for later rows).
        var passedThrough = new HashSet<string> { "id", "errorId", "ErrorId", "refusal.ErrorId", "me.ErrorId", "inner.FullyQualifiedErrorId.Split(',')[0]" };
        var source = Source();
        var seen = 0;
        foreach (var (call, position) in new[] { ("MessagingException(", 2), ("new ErrorRecord(", 1), ("ForRun(", 0) })
        {
            foreach (var args in Calls(source, call))
            {
                if (args.Count <= position || args[0].StartsWith("string ", StringComparison.Ordinal) || args[0].StartsWith("Exception ", StringComparison.Ordinal)) continue; // a declaration
                var id = Regex.Replace(args[position], @"\s+", " ").Trim();
                seen++;
                var readable = Regex.IsMatch(id, @"^""\w+""$")
                    || Regex.IsMatch(id, @"^(?:\w+|request\.ErrorIdPrefix|\(errorIdPrefix \?\? provider\)) \+ ""\w+""$")
                    || Regex.IsMatch(id, @"^\$""\{prefix\}\{parameter\}\w+""$")
                    || Regex.IsMatch(id, @"^\(\w+ \? ""\w+"" : ""\w+""\) \+ \(\w+ \? ""\w+"" : """"\)$")
                    || passedThrough.Contains(id);
                Assert.True(readable, $"{call}...: the error id '{id}' is made in a way AboutTopicHelpTests does not read: teach SourceErrorIds");
            }
        }
        Assert.True(seen > 40, $"only {seen} places make errors");
    }

    /// <summary>The argument lists (split at top-level commas) of every call of <paramref name="call"/> in the text.</summary>
    private static IEnumerable<List<string>> Calls(string source, string call)
    {
        for (var at = source.IndexOf(call, StringComparison.Ordinal); at >= 0; at = source.IndexOf(call, at + 1, StringComparison.Ordinal))
        {
            var args = new List<string>();
            var depth = 0;
            var inString = false;
            var current = new StringBuilder();
            for (var i = at + call.Length; i < source.Length; i++)
            {
                var c = source[i];
                if (inString)
                {
                    if (c == '\\') { current.Append(c).Append(source[++i]); continue; }
                    if (c == '"') inString = false;
                    current.Append(c);
                    continue;
                }
                if (c == '"') { inString = true; current.Append(c); continue; }
                if (c == '(' || c == '{' || c == '[') depth++;
                if (c == ')' || c == '}' || c == ']')
                {
                    if (depth == 0) { args.Add(current.ToString().Trim()); break; }
                    depth--;
                }
                if (c == ',' && depth == 0) { args.Add(current.ToString().Trim()); current.Clear(); continue; }
                current.Append(c);
            }
            yield return args;
        }
    }

    [Fact]
    public void EveryEnvironmentVariableTheSourceReadsIsInTheTopicAndNoOther()
    {
        var topic = Topic();
        var used = SourceFiles().SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\bMESSAGINGTOOLS_[A-Z0-9_]+\b").Select(m => m.Value)).ToHashSet();
        var named = Regex.Matches(topic, @"\bMESSAGINGTOOLS_[A-Z0-9_]+\b").Select(m => m.Value).ToHashSet();
        Assert.True(used.Count >= 12, string.Join(", ", used));
        Assert.Empty(used.Except(named));
        Assert.Empty(named.Except(used));
    }

    [Fact]
    public void TheOnlineHelpAddressIsTheProjectsDocsFolder()
    {
        // A placeholder project address until the docs exist; every HelpUri is built from this one constant.
        Assert.Equal("https://github.com/messagingtools/MessagingTools/blob/main/docs/", OnlineHelp.Base);
    }

    // ----- error ids in the source -----

    private static IEnumerable<string> SourceFiles()
    {
        var src = Path.Combine(BuildOutputTests.RepoRoot(), "src");
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}bin{separator}") && !f.Contains($"{separator}obj{separator}"));
    }

    private static string Source() => string.Join("\n", SourceFiles().OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText));

    /// <summary>
    /// Every error id the source can raise: the literal ids where errors are made (MessagingException, ErrorRecord,
    /// ErrorRecords.ForRun, the id of a provider's code table) and the composed ones: a provider's prefix (Bale,
    /// Zadarma, FlashCall, Feedbot) + a suffix ("CredentialsWereRejected"), a credential's ids ($"{prefix}{parameter}IsMissing"
    /// for each RequireSecret call), and the transport's RequestTimedOut/ConnectionFailed (+MayHaveTakenEffect).
    /// </summary>
    internal static HashSet<string> SourceErrorIds()
    {
        var source = Source();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var literal = new[]
        {
            @"MessagingException\(\s*[\w.""]+\s*,\s*(?:Errors\.)?ErrorKind\.\w+\s*,\s*""(?<id>\w+)""",
            @"ForRun\(\s*""(?<id>\w+)""",
            @"new ErrorRecord\(\s*\w+\s*,\s*""(?<id>\w+)""",
            @"RefuseUnusableSecret\(\s*\w+\s*,\s*[\w!]+\s*,\s*""(?<id>\w+)""",
            @"BindingNotes\.Add\(\s*\w+\s*,\s*""(?<id>\w+)""",
            @"\bRefuse\(\s*""(?<id>\w+)""",
            @"const string ErrorId = ""(?<id>\w+)""",
            @"\bid = ""(?<id>\w+)""",
            @"\(ErrorKind\.\w+,\s*""(?<id>\w+)""",
        };
        foreach (var pattern in literal)
            foreach (Match m in Regex.Matches(source, pattern)) ids.Add(m.Groups["id"].Value);

        foreach (var suffix in ComposedSuffixes())
            foreach (var prefix in ProviderPrefixes()) ids.Add(prefix + suffix);

        // RunSettings.RequireSecret: $"{prefix}{parameter}IsMissing" and ...IsInvalid, for each call.
        var secretSuffixes = Regex.Matches(source, @"\$""\{prefix\}\{parameter\}(?<suffix>\w+)""").Select(m => m.Groups["suffix"].Value).ToList();
        Assert.NotEmpty(secretSuffixes);
        var calls = Regex.Matches(source, @"RequireSecret\(this,\s*\w+,\s*""(?<parameter>\w+)"",\s*[\w.]+,\s*(?<client>\w+)\.ProviderName(?:,\s*(?<prefixed>\w+)\.ErrorIdPrefix)?\)");
        Assert.NotEmpty(calls);
        foreach (Match call in calls)
        {
            var client = CoreType(call.Groups["client"].Value);
            var prefix = (string)client.GetField(call.Groups["prefixed"].Success ? "ErrorIdPrefix" : "ProviderName")!.GetRawConstantValue()!;
            foreach (var suffix in secretSuffixes) ids.Add(prefix + call.Groups["parameter"].Value + suffix);
        }

        // HttpTransport.NoAnswer: (timedOut ? "RequestTimedOut" : "ConnectionFailed") + (uncertain ? "MayHaveTakenEffect" : "").
        var noAnswer = Regex.Matches(source, @"\(\w+ \? ""(?<a>\w+)"" : ""(?<b>\w+)""\) \+ \(\w+ \? ""(?<c>\w+)"" : """"\)");
        Assert.NotEmpty(noAnswer);
        foreach (Match m in noAnswer)
            foreach (var first in new[] { m.Groups["a"].Value, m.Groups["b"].Value })
            {
                ids.Add(first);
                ids.Add(first + m.Groups["c"].Value);
            }
        return ids;
    }

    /// <summary>The suffixes every provider's prefix takes: provider + "ServerError", request.ErrorIdPrefix + "AnswerWasARedirect"...</summary>
    internal static HashSet<string> ComposedSuffixes()
    {
        var suffixes = Regex.Matches(Source(), @"(?:\bprovider|\bprefix|\.ErrorIdPrefix|\(errorIdPrefix \?\? provider\))\s*\+\s*""(?<suffix>\w+)""")
            .Select(m => m.Groups["suffix"].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("CredentialsWereRejected", suffixes);
        Assert.Contains("AnswerWasARedirect", suffixes);
        return suffixes;
    }

    /// <summary>How each provider's ids begin: its client's ErrorIdPrefix, else its ProviderName.</summary>
    private static IEnumerable<string> ProviderPrefixes()
    {
        var prefixes = typeof(MessagingTools.Core.Errors.MessagingException).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Client", StringComparison.Ordinal) && t.GetField("ProviderName") is { IsLiteral: true })
            .Select(t => (string)(t.GetField("ErrorIdPrefix") ?? t.GetField("ProviderName"))!.GetRawConstantValue()!)
            .OrderBy(p => p, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "Bale", "Feedbot", "FlashCall", "Zadarma" }, prefixes);
        return prefixes;
    }

    private static Type CoreType(string name) =>
        typeof(MessagingTools.Core.Errors.MessagingException).Assembly.GetTypes().Single(t => t.Name == name);

    /// <summary>
    /// The ids the ERROR IDS section lists: each entry (a line of four spaces and an id, then two spaces and its
    /// meaning, or nothing when the meaning starts on the next line), and the names of its "Concretely:" paragraph.
    /// </summary>
    internal static IEnumerable<string> ListedErrorIds(string section)
    {
        foreach (Match m in Regex.Matches(section, @"^    (?<id>(?:<Provider>)?[A-Z][A-Za-z]+)(?: {2,}|$)", RegexOptions.Multiline))
            yield return m.Groups["id"].Value;
        var concretely = Regex.Match(section, @"Concretely:(?<list>[^.]+)\.");
        Assert.True(concretely.Success, "the ERROR IDS section has no 'Concretely:' list");
        foreach (Match m in Regex.Matches(concretely.Groups["list"].Value, @"\b[A-Z][A-Za-z]+\b")) yield return m.Value;
    }
}
