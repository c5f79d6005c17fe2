using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using System.Text;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// The repository's scripts (build.ps1, tests/*.ps1, tests/*.psm1) are checked with the PowerShell 7.6 parser for
/// what running them in PowerShell 7 does not show: syntax that Windows PowerShell 5.1 lacks (it cannot run here),
/// a BOM on files with non-ASCII text (5.1 reads BOM-less files as ANSI), and named parameters that exist on the
/// script functions and MessagingTools cmdlets they call (a wrong name fails only when that line runs). Pester
/// runs the scripts themselves.
/// </summary>
public sealed class ScriptSyntaxTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var path in ScriptPaths()) data.Add(Path.GetRelativePath(Root, path).Replace('\\', '/'));
        return data;
    }

    [Fact]
    public void TheScriptsAreFound()
    {
        var names = ScriptPaths().Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/')).ToList();
        Assert.Contains("build.ps1", names);
        Assert.Contains("tests/Sandbox.psm1", names);
        Assert.Contains("tests/Send-BaleMessage.Tests.ps1", names);
        Assert.Contains("tests/Publish-BaleFile.Tests.ps1", names);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ParsesWithoutErrors(string script)
    {
        Parser.ParseFile(Path.Combine(Root, script), out _, out var errors);
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{script}:{e.Extent.StartLineNumber}: {e.Message}")));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void UsesNoSyntaxThatWindowsPowerShell51Lacks(string script)
    {
        var ast = Parser.ParseFile(Path.Combine(Root, script), out var tokens, out _);
        var problems = new List<string>();
        // Operators added in PowerShell 7: &&, ||, ??, ??=, ?. and ?[ (the tokens exist only in the 7.x tokenizer).
        var seven = new[] { TokenKind.AndAnd, TokenKind.OrOr, TokenKind.QuestionQuestion, TokenKind.QuestionQuestionEquals, TokenKind.QuestionDot, TokenKind.QuestionLBracket };
        foreach (var token in tokens.Where(t => seven.Contains(t.Kind)))
            problems.Add($"line {token.Extent.StartLineNumber}: '{token.Text}' is PowerShell 7 only");
        foreach (var ternary in ast.FindAll(a => a is TernaryExpressionAst, true))
            problems.Add($"line {ternary.Extent.StartLineNumber}: the ternary operator is PowerShell 7 only");
        foreach (var pipeline in ast.FindAll(a => a is PipelineChainAst, true))
            problems.Add($"line {pipeline.Extent.StartLineNumber}: pipeline chains are PowerShell 7 only");
        foreach (CommandAst command in ast.FindAll(a => a is CommandAst, true))
        {
            var name = command.GetCommandName();
            if (string.Equals(name, "ForEach-Object", StringComparison.OrdinalIgnoreCase) || name == "%" || string.Equals(name, "foreach", StringComparison.OrdinalIgnoreCase))
                if (command.CommandElements.OfType<CommandParameterAst>().Any(p => "Parallel".StartsWith(p.ParameterName, StringComparison.OrdinalIgnoreCase) && p.ParameterName.Length >= 2)
                    && !InsideASkippablePesterBlock(command))
                    problems.Add($"line {command.Extent.StartLineNumber}: ForEach-Object -Parallel is PowerShell 7 only (allowed only inside an It, Context or Describe that has -Skip)");
            if (command.CommandElements.OfType<CommandParameterAst>().Any(p => string.Equals(p.ParameterName, "AsByteStream", StringComparison.OrdinalIgnoreCase)))
                problems.Add($"line {command.Extent.StartLineNumber}: -AsByteStream is PowerShell 6+ only");
        }
        Assert.True(problems.Count == 0, script + ":\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// A Pester test of a PowerShell 7 feature (ForEach-Object -Parallel) may use it when its block can be skipped,
    /// e.g. <c>It '...' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') { ... }</c>: Windows PowerShell 5.1 parses
    /// the parameter and fails only when it runs.
    /// </summary>
    private static bool InsideASkippablePesterBlock(Ast ast)
    {
        for (var parent = ast.Parent; parent != null; parent = parent.Parent)
            if (parent is CommandAst block && block.GetCommandName() is "It" or "Context" or "Describe"
                && block.CommandElements.OfType<CommandParameterAst>().Any(p => string.Equals(p.ParameterName, "Skip", StringComparison.OrdinalIgnoreCase)))
                return true;
        return false;
    }

    [Fact]
    public void AllowsForEachObjectParallelOnlyInsideASkippablePesterBlock()
    {
        var allowed = Parser.ParseInput("It 'runs in parallel' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') { 1..2 | ForEach-Object -Parallel { $_ } }", out _, out _);
        var refused = Parser.ParseInput("It 'runs in parallel' { 1..2 | ForEach-Object -Parallel { $_ } }", out _, out _);
        CommandAst Parallel(Ast root) => (CommandAst)root.Find(a => a is CommandAst c && c.GetCommandName() == "ForEach-Object", true)!;
        Assert.True(InsideASkippablePesterBlock(Parallel(allowed)));
        Assert.False(InsideASkippablePesterBlock(Parallel(refused)));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void HasAByteOrderMarkWhenItHoldsNonAsciiText(string script)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Root, script));
        var hasBom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        var nonAscii = bytes.Skip(hasBom ? 3 : 0).Any(b => b > 0x7F);
        Assert.False(nonAscii && !hasBom, $"{script} holds non-ASCII text without a UTF-8 BOM: Windows PowerShell 5.1 would read it as ANSI.");
    }

    [Fact]
    public void CallsUseParametersThatExist()
    {
        var asts = ScriptPaths().ToDictionary(p => p, p => Parser.ParseFile(p, out _, out _));

        // Every function defined in the scripts, with its parameters; advanced functions also take the common ones.
        // A call resolves to a function of its own file first, then to one of another file (tests/Sandbox.psm1).
        var functions = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        var byFile = new Dictionary<string, Dictionary<string, HashSet<string>>>();
        foreach (var (file, ast) in asts)
        {
            byFile[file] = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (FunctionDefinitionAst function in ast.FindAll(a => a is FunctionDefinitionAst, true))
            {
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var parameters = function.Body.ParamBlock?.Parameters ?? (IEnumerable<ParameterAst>?)function.Parameters ?? Array.Empty<ParameterAst>();
                foreach (var p in parameters)
                {
                    names.Add(p.Name.VariablePath.UserPath);
                    foreach (var alias in p.Attributes.OfType<AttributeAst>().Where(a => a.TypeName.Name is "Alias" or "System.Management.Automation.Alias"))
                        foreach (var arg in alias.PositionalArguments.OfType<StringConstantExpressionAst>()) names.Add(arg.Value);
                }
                var advanced = function.Body.ParamBlock?.Attributes.Any(a => a.TypeName.Name == "CmdletBinding") == true ||
                               parameters.Any(p => p.Attributes.OfType<AttributeAst>().Any(a => a.TypeName.Name == "Parameter"));
                if (advanced) foreach (var common in CommonParameters) names.Add(common);
                functions[function.Name] = names;
                byFile[file][function.Name] = names;
            }
        }

        // The module's cmdlets, from their [Parameter] and [Alias] attributes.
        foreach (var type in typeof(MessagingTools.Commands.Bale.SendBaleMessageCommand).Assembly.GetTypes())
        {
            var cmdlet = type.GetCustomAttribute<CmdletAttribute>();
            if (cmdlet is null) continue;
            var names = new HashSet<string>(CommonParameters, StringComparer.OrdinalIgnoreCase);
            if (cmdlet.SupportsShouldProcess) { names.Add("WhatIf"); names.Add("Confirm"); }
            foreach (var property in type.GetProperties())
            {
                if (!property.GetCustomAttributes<ParameterAttribute>().Any()) continue;
                names.Add(property.Name);
                foreach (var alias in property.GetCustomAttributes<AliasAttribute>()) foreach (var a in alias.AliasNames) names.Add(a);
            }
            functions[$"{cmdlet.VerbName}-{cmdlet.NounName}"] = names;
        }

        var problems = new List<string>();
        foreach (var (path, ast) in asts)
        {
            foreach (CommandAst command in ast.FindAll(a => a is CommandAst, true))
            {
                var name = command.GetCommandName();
                if (name is null) continue;
                if (!byFile[path].TryGetValue(name, out var known) && !functions.TryGetValue(name, out known)) continue;
                foreach (var parameter in command.CommandElements.OfType<CommandParameterAst>())
                {
                    // PowerShell takes any unambiguous prefix of a parameter name.
                    var matches = known.Where(k => k.StartsWith(parameter.ParameterName, StringComparison.OrdinalIgnoreCase)).ToList();
                    if (!known.Contains(parameter.ParameterName) && matches.Count != 1)
                        problems.Add($"{Path.GetRelativePath(Root, path)}:{parameter.Extent.StartLineNumber}: {name} has no parameter -{parameter.ParameterName}");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static readonly string[] CommonParameters =
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "ProgressAction",
    };

    private static IEnumerable<string> ScriptPaths()
    {
        var skip = new[] { "bin", "obj", "output", ".git", "TestResults" };
        return Directory.EnumerateFiles(Root, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase))
            .Where(p => !Path.GetRelativePath(Root, p).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => skip.Contains(part)))
            .OrderBy(p => p, StringComparer.Ordinal);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MessagingTools.sln"))) return dir.FullName;
        throw new InvalidOperationException("MessagingTools.sln was not found above " + AppContext.BaseDirectory);
    }
}
