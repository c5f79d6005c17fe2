using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using MessagingTools.Docs;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// The module's MAML help (src/MessagingTools/en-US/MessagingTools.dll-Help.xml) is generated from the cmdlets'
/// attributes and XML documentation comments by tests/MessagingTools.Docs (MamlHelp), so it cannot drift from the
/// code: this test fails when the committed file differs from what the generator makes. Regenerate with
/// ./build.ps1 -Task Docs. The other tests here check what the generated help says.
/// </summary>
public class HelpTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;

    public HelpTests(PowerShellHost ps) => _ps = ps;

    private static readonly XNamespace Maml = MamlHelp.Maml;
    private static readonly XNamespace Command = MamlHelp.Command;
    private static readonly XNamespace Dev = MamlHelp.Dev;

    [Fact]
    public void TheCommittedHelpFileMatchesTheCode()
    {
        var file = DocsGenerator.Maml(BuildOutputTests.RepoRoot());
        Assert.True(file.Committed != null, $"No help file {file.RelativePath}: run {DocsGenerator.Command}");
        Assert.True(file.IsCurrent, $"The help file {file.RelativePath} is out of date: run {DocsGenerator.Command}");
    }

    [Fact]
    public void EveryCmdletAndEveryParameterIsDocumentedWithAnExample()
    {
        var docs = XmlDocs.Load();
        foreach (var type in CmdletModel.CmdletTypes())
        {
            var name = CmdletModel.CmdletName(type);
            Assert.False(string.IsNullOrWhiteSpace(docs.Para(type, "synopsis")), $"{name} has no synopsis");
            Assert.False(string.IsNullOrWhiteSpace(docs.Para(type, "description")), $"{name} has no description");
            Assert.True(docs.Examples(type).Any(), $"{name} has no example");
            foreach (var p in CmdletModel.Parameters(type))
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
        XDocument.Parse(MamlHelp.Generate()).Root!.Elements(Command + "command").Single(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == name);

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
        var docs = XmlDocs.Load();
        foreach (var type in CmdletModel.CmdletTypes())
        {
            var defaults = CmdletModel.CodeDefaults(type);
            foreach (var p in CmdletModel.Parameters(type).Where(p => defaults.ContainsKey(p.Name) && p.PropertyType != typeof(SwitchParameter)))
                Assert.DoesNotMatch(@"\bDefault\b", docs.Summary(p) ?? "");
        }
        // A stated default is shown as the default value too.
        Assert.Equal("$env:MESSAGINGTOOLS_BALE_API_KEY",
            HelpParameter(GeneratedCommand("Send-BaleMessage").Element(Command + "parameters")!, "ApiKey").Element(Dev + "defaultValue")!.Value);
    }

    [Fact]
    public void EveryShouldProcessCmdletDescribesWhatIfAndConfirmInItsSyntaxAndParameters()
    {
        foreach (var type in CmdletModel.CmdletTypes())
        {
            var name = CmdletModel.CmdletName(type);
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
        var docs = XmlDocs.Load();
        var links = CmdletModel.CmdletTypes().ToDictionary(CmdletModel.CmdletName, t => MamlHelp.RelatedLinks(t, docs).ToList());
        foreach (var (name, related) in links)
        {
            var type = CmdletModel.CmdletTypes().Single(t => CmdletModel.CmdletName(t) == name);
            var helpUri = type.GetCustomAttribute<CmdletAttribute>()!.HelpUri;
            Assert.Equal(MessagingTools.Internal.OnlineHelp.Base + name + ".md", helpUri);
            Assert.Equal(("Online Version:", helpUri), related[0]);
            Assert.Equal((MamlHelp.AboutTopic, ""), related[^1]);
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
        Assert.Contains($"up to {minutes:0} minutes", XmlDocs.Load().Para(typeof(MessagingTools.Commands.Bale.PublishBaleFileCommand), "description"));
    }
}
