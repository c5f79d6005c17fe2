using System.Management.Automation;
using System.Reflection;
using System.Security;
using System.Xml.Linq;
using MessagingTools.Commands.Bale;
using MessagingTools.Commands.Feedbot;
using MessagingTools.Commands.Zadarma;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>The cmdlet contract, read by reflection from the attributes PowerShell binds by.</summary>
public class ContractTests
{
    internal static readonly Assembly Module = typeof(SendBaleMessageCommand).Assembly;

    internal static IEnumerable<Type> CmdletTypes() =>
        Module.GetTypes().Where(t => !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>() != null);

    internal static ParameterAttribute Param(Type cmdlet, string name, string? set = null) =>
        cmdlet.GetProperty(name)!.GetCustomAttributes<ParameterAttribute>().Single(p => set == null || p.ParameterSetName == set);

    internal static string[] Aliases(Type cmdlet, string name) =>
        cmdlet.GetProperty(name)!.GetCustomAttribute<AliasAttribute>()?.AliasNames.ToArray() ?? Array.Empty<string>();

    [Fact]
    public void EveryCmdletThatSendsCallsOrChangesSupportsShouldProcess()
    {
        var acting = new[] { "Send", "Invoke", "Set", "Publish", "New", "Remove" };
        var types = CmdletTypes().ToList();
        Assert.NotEmpty(types);
        foreach (var t in types)
        {
            var a = t.GetCustomAttribute<CmdletAttribute>()!;
            if (acting.Contains(a.VerbName)) Assert.True(a.SupportsShouldProcess, $"{a.VerbName}-{a.NounName}");
            Assert.NotEmpty(t.GetCustomAttributes<OutputTypeAttribute>());
            Assert.Contains(a.VerbName, typeof(VerbsCommon).GetFields().Concat(typeof(VerbsCommunications).GetFields())
                .Concat(typeof(VerbsData).GetFields()).Concat(typeof(VerbsLifecycle).GetFields()).Select(f => (string)f.GetValue(null)!));
        }
    }

    /// <summary>Whether a cmdlet sends requests through the async pipeline (the others only read or serve: Receive-, ConvertFrom-, ConvertTo-Zadarma...).</summary>
    internal static bool SendsRequests(Type cmdlet)
    {
        for (var t = cmdlet; t != null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(MessagingTools.Commands.AsyncPipelineCmdlet<,>)) return true;
        return false;
    }

    [Fact]
    public void EveryCmdletShareTheThrottleAndTimeoutParameters()
    {
        var requesting = CmdletTypes().Where(SendsRequests).ToList();
        Assert.True(requesting.Count >= 15);
        foreach (var t in requesting)
        {
            var range = t.GetProperty("ThrottleLimit")!.GetCustomAttribute<ValidateRangeAttribute>()!;
            Assert.Equal(1, Convert.ToInt32(range.MinRange));
            Assert.NotNull(t.GetProperty("TimeoutSec"));
        }
        // -TimeoutSec means one request's time limit: a cmdlet that sends no request must not give it another meaning.
        foreach (var t in CmdletTypes().Where(t => !SendsRequests(t)))
        {
            Assert.Null(t.GetProperty("TimeoutSec"));
            Assert.Null(t.GetProperty("ThrottleLimit"));
        }
    }

    /// <summary>
    /// -Journal and -ResendUnknown by one rule (issue 17): a cmdlet takes them exactly when it implements IJournaledCmdlet
    /// and gives a JournalPolicy; each is a plain named parameter in every set, and its help is the interface's text,
    /// written once (the cmdlet's doc comment is an inheritdoc of it).
    /// </summary>
    [Fact]
    public void JournalResendUnknownAndPartitionAreDeclaredByOneRule()
    {
        var docs = MessagingTools.Docs.XmlDocs.Load();
        var journaled = new List<string>();
        foreach (var t in CmdletTypes())
        {
            var name = MessagingTools.Docs.CmdletModel.CmdletName(t);
            var takesJournal = typeof(MessagingTools.Commands.IJournaledCmdlet).IsAssignableFrom(t);
            foreach (var parameter in new[] { "Journal", "ResendUnknown", "Partition" })
            {
                var p = t.GetProperty(parameter);
                if (!takesJournal || p is null)
                {
                    Assert.True(p?.GetCustomAttribute<ParameterAttribute>() is null, $"{name} takes -{parameter} but is no IJournaledCmdlet");
                    Assert.False(takesJournal, $"{name} is an IJournaledCmdlet without -{parameter}");
                    continue;
                }
                var attribute = Assert.Single(p.GetCustomAttributes<ParameterAttribute>());
                Assert.False(attribute.Mandatory || attribute.ValueFromPipeline || attribute.ValueFromPipelineByPropertyName || attribute.Position >= 0, $"{name} -{parameter}");
                Assert.Equal(ParameterAttribute.AllParameterSets, attribute.ParameterSetName);
                Assert.Null(p.GetCustomAttribute<AliasAttribute>());
                Assert.Equal(docs.Summary(typeof(MessagingTools.Commands.IJournaledCmdlet).GetProperty(parameter)!), docs.Summary(p));
            }
            if (!takesJournal) continue;
            journaled.Add(name);
            // The most derived declaration of JournalPolicy: an override, not the base's null.
            var policy = t;
            while (policy.GetProperty("JournalPolicy", BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly) is null) policy = policy.BaseType!;
            Assert.False(policy.IsGenericType && policy.GetGenericTypeDefinition() == typeof(MessagingTools.Commands.AsyncPipelineCmdlet<,>), $"{name} gives no JournalPolicy");
        }
        Assert.Equal(new[] { "Invoke-ZadarmaCallback", "Publish-BaleFile", "Send-BaleMessage", "Send-FeedbotMessage", "Send-FlashCall", "Send-ZadarmaSms" },
            journaled.OrderBy(n => n, StringComparer.Ordinal));
    }

    /// <summary>
    /// Issue 19, item 6: every sender's result carries its recipient as Recipient (Select-Object Recipient and Export-Csv
    /// across providers), and every sender takes several recipients on the command line, one outcome each.
    /// </summary>
    [Fact]
    public void EverySenderTakesSeveralRecipientsAndNamesThemRecipientInItsResults()
    {
        var senders = CmdletTypes().Where(t => typeof(MessagingTools.Commands.IJournaledCmdlet).IsAssignableFrom(t) && t.Name != "PublishBaleFileCommand").ToArray();
        Assert.Equal(5, senders.Length);
        foreach (var t in senders)
        {
            var output = Assert.Single(t.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type)).Type!;
            Assert.True(output.GetProperty("Recipient") is { } p && p.PropertyType == typeof(string), $"{t.Name}: {output.Name} has no Recipient");
            var recipient = t.GetProperties().Single(p => p.GetCustomAttributes<ParameterAttribute>().Any(a => a.Position == 0));
            if (t.Name == "InvokeZadarmaCallbackCommand") continue; // From and To: a call between two numbers
            // A string that takes several through a transformation: string[] with ValueFromPipeline cost 0.80x the rows a second.
            if (t.Name is "SendBaleMessageCommand" or "SendFlashCallCommand")
            {
                Assert.True(recipient.PropertyType == typeof(string) && recipient.GetCustomAttributes<ParameterAttribute>().All(a => a.ValueFromPipeline), t.Name);
                Assert.NotNull(recipient.GetCustomAttribute<MessagingTools.Internal.SeveralRecipientsTransformationAttribute>());
                continue;
            }
            Assert.True(recipient.PropertyType == typeof(string[]), $"{t.Name} -{recipient.Name} takes one recipient only");
        }
    }

    [Fact]
    public void EveryOutputTypeHasATableView()
    {
        var views = Directory.GetFiles(AppContext.BaseDirectory, "*.Format.ps1xml")
            .SelectMany(f => XDocument.Load(f).Descendants("View"))
            .Where(v => v.Element("TableControl") != null)
            .SelectMany(v => v.Descendants("TypeName").Select(n => n.Value.Trim()))
            .ToHashSet();
        foreach (var t in CmdletTypes())
            foreach (var output in t.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type))
                // rows in their own columns (Get-MessagingJournal -State); a body to send (ConvertTo-ZadarmaRouteAnswer); the answer of any method (Invoke-ZadarmaRequest, -AsHashtable)
                if (output.Type != typeof(PSObject) && output.Type != typeof(string) && output.Type != typeof(System.Collections.Hashtable))
                    Assert.Contains(output.Type!.FullName!, views);
    }

    [Fact]
    public void TheManifestExportsExactlyTheCmdletsTheAssemblyDefines()
    {
        var manifest = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "MessagingTools.psd1"));
        var block = System.Text.RegularExpressions.Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value;
        var exported = System.Text.RegularExpressions.Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).OrderBy(x => x);
        var defined = CmdletTypes().Select(t => t.GetCustomAttribute<CmdletAttribute>()!).Select(a => $"{a.VerbName}-{a.NounName}").OrderBy(x => x);
        Assert.Equal(defined, exported);
    }

    // ----- Zadarma: every cmdlet, read by reflection -----

    public static IEnumerable<object[]> ZadarmaCmdlets() => new[]
    {
        new object[] { typeof(InvokeZadarmaCallbackCommand), "Invoke", "ZadarmaCallback", true, typeof(ZadarmaCallback) },
        new object[] { typeof(GetZadarmaBalanceCommand), "Get", "ZadarmaBalance", false, typeof(ZadarmaBalance) },
        new object[] { typeof(GetZadarmaPriceCommand), "Get", "ZadarmaPrice", false, typeof(ZadarmaPrice) },
        new object[] { typeof(SendZadarmaSmsCommand), "Send", "ZadarmaSms", true, typeof(ZadarmaSms) },
        new object[] { typeof(GetZadarmaSipCommand), "Get", "ZadarmaSip", false, typeof(ZadarmaSip) },
        new object[] { typeof(SetZadarmaCallerIdCommand), "Set", "ZadarmaCallerId", true, typeof(ZadarmaCallerIdChange) },
        new object[] { typeof(GetZadarmaRedirectionCommand), "Get", "ZadarmaRedirection", false, typeof(ZadarmaRedirection) },
        new object[] { typeof(SetZadarmaRedirectionCommand), "Set", "ZadarmaRedirection", true, typeof(ZadarmaRedirectionChange) },
        new object[] { typeof(GetZadarmaStatisticsCommand), "Get", "ZadarmaStatistics", false, typeof(ZadarmaCallRecord) },
        new object[] { typeof(GetZadarmaPbxStatisticsCommand), "Get", "ZadarmaPbxStatistics", false, typeof(ZadarmaPbxCallRecord) },
        new object[] { typeof(GetZadarmaStatisticsCommand), "Get", "ZadarmaStatistics", false, typeof(ZadarmaCostSummary) },
        new object[] { typeof(GetZadarmaTimeZoneCommand), "Get", "ZadarmaTimeZone", false, typeof(ZadarmaTimeZone) },
        // The rest of the API (issue 18). A number lookup may be charged: it asks ShouldProcess as changes do.
        new object[] { typeof(InvokeZadarmaRequestCommand), "Invoke", "ZadarmaRequest", true, typeof(PSObject) },
        new object[] { typeof(InvokeZadarmaRequestCommand), "Invoke", "ZadarmaRequest", true, typeof(System.Collections.Hashtable) },
        new object[] { typeof(GetZadarmaTariffCommand), "Get", "ZadarmaTariff", false, typeof(ZadarmaTariff) },
        new object[] { typeof(GetZadarmaSipStatusCommand), "Get", "ZadarmaSipStatus", false, typeof(ZadarmaSipStatus) },
        new object[] { typeof(GetZadarmaDirectNumberCommand), "Get", "ZadarmaDirectNumber", false, typeof(ZadarmaDirectNumber) },
        new object[] { typeof(GetZadarmaPbxExtensionCommand), "Get", "ZadarmaPbxExtension", false, typeof(ZadarmaPbxExtension) },
        new object[] { typeof(GetZadarmaPbxExtensionStatusCommand), "Get", "ZadarmaPbxExtensionStatus", false, typeof(ZadarmaPbxExtensionStatus) },
        new object[] { typeof(SetZadarmaPbxRecordingCommand), "Set", "ZadarmaPbxRecording", true, typeof(ZadarmaPbxRecordingChange) },
        new object[] { typeof(GetZadarmaNumberInfoCommand), "Get", "ZadarmaNumberInfo", true, typeof(ZadarmaNumberInfo) },
        new object[] { typeof(GetZadarmaWidgetStatisticsCommand), "Get", "ZadarmaWidgetStatistics", false, typeof(ZadarmaWidgetSession) },
        new object[] { typeof(GetZadarmaRecordingCommand), "Get", "ZadarmaRecording", false, typeof(ZadarmaRecordingLink) },
        new object[] { typeof(SaveZadarmaRecordingCommand), "Save", "ZadarmaRecording", true, typeof(ZadarmaRecordingFile) },
        new object[] { typeof(GetZadarmaPbxRedirectionCommand), "Get", "ZadarmaPbxRedirection", false, typeof(ZadarmaPbxRedirection) },
        new object[] { typeof(SetZadarmaPbxRedirectionCommand), "Set", "ZadarmaPbxRedirection", true, typeof(ZadarmaPbxRedirection) },
    };

    [Theory]
    [MemberData(nameof(ZadarmaCmdlets))]
    public void EveryZadarmaCmdletHasItsNameShouldProcessAndOutputType(Type type, string verb, string noun, bool changesSomething, Type output)
    {
        var cmdlet = type.GetCustomAttribute<CmdletAttribute>()!;
        Assert.Equal(verb, cmdlet.VerbName);
        Assert.Equal(noun, cmdlet.NounName);
        // Everything that places a call, sends an SMS or changes settings supports -WhatIf/-Confirm; reads do not.
        Assert.Equal(changesSomething, cmdlet.SupportsShouldProcess);
        if (changesSomething) Assert.Equal(ConfirmImpact.Medium, cmdlet.ConfirmImpact);
        Assert.Contains(output, type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type).Select(t => t.Type));
    }

    [Theory]
    [MemberData(nameof(ZadarmaCmdlets))]
    public void EveryZadarmaCmdletsCredentialIsAPSCredentialAndEndpointAUri(Type type, string verb, string noun, bool changesSomething, Type output)
    {
        _ = (verb, noun, changesSomething, output);
        var credential = type.GetProperty("Credential")!;
        Assert.Equal(typeof(PSCredential), credential.PropertyType);
        Assert.False(Param(type, "Credential").Mandatory); // environment-variable default
        Assert.NotNull(credential.GetCustomAttribute<CredentialAttribute>());
        Assert.Equal(typeof(Uri), type.GetProperty("Endpoint")!.PropertyType);
        Assert.Null(type.GetProperty("ApiSecret"));
    }

    [Theory]
    [MemberData(nameof(ZadarmaCmdlets))]
    public void EveryZadarmaCmdletIsExportedByTheManifest(Type type, string verb, string noun, bool changesSomething, Type output)
    {
        _ = (type, changesSomething, output);
        var manifest = File.ReadAllText(PowerShellHost.ModuleManifest);
        Assert.Contains($"'{verb}-{noun}'", manifest);
        Assert.Contains("'MessagingTools.Zadarma.Format.ps1xml'", manifest);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "MessagingTools.Zadarma.Format.ps1xml")));
    }

    [Fact]
    public void NoZadarmaAliasClashesWithAParameterName()
    {
        foreach (var row in ZadarmaCmdlets())
        {
            var type = (Type)row[0];
            var names = type.GetProperties().Where(p => p.GetCustomAttributes<ParameterAttribute>().Any()).Select(p => p.Name).ToList();
            var aliases = names.SelectMany(n => Aliases(type, n)).ToList();
            Assert.Empty(aliases.Intersect(names, StringComparer.OrdinalIgnoreCase));
            Assert.Equal(aliases.Count, aliases.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
    }

    [Fact]
    public void ZadarmaSmsAndSettingsBindFromRows()
    {
        var sms = typeof(SendZadarmaSmsCommand);
        Assert.True(Param(sms, "Number").Mandatory);
        Assert.True(Param(sms, "Message").ValueFromPipelineByPropertyName);
        Assert.Contains("Phone", Aliases(sms, "Number"));
        Assert.Contains("Text", Aliases(sms, "Message"));

        foreach (var t in new[] { typeof(SetZadarmaCallerIdCommand), typeof(SetZadarmaRedirectionCommand), typeof(GetZadarmaRedirectionCommand) })
        {
            Assert.True(Param(t, "Sip").ValueFromPipelineByPropertyName);
            Assert.Contains("Id", Aliases(t, "Sip")); // Get-ZadarmaSip | Set-ZadarmaCallerId ...
        }
        Assert.Contains("SipId", Aliases(typeof(SetZadarmaRedirectionCommand), "Sip")); // Get-ZadarmaRedirection | Set-ZadarmaRedirection

        var price = typeof(GetZadarmaPriceCommand);
        Assert.True(Param(price, "Number").ValueFromPipeline);
    }

    [Fact]
    public void TheRestOfTheZadarmaApiBindsFromTheCmdletsThatListIt()
    {
        // Get-ZadarmaSip | Get-ZadarmaSipStatus (Id); Get-ZadarmaPbxExtension | Get-ZadarmaPbxExtensionStatus and Set-ZadarmaPbxRecording (Extension).
        Assert.True(Param(typeof(GetZadarmaSipStatusCommand), "Sip").ValueFromPipelineByPropertyName);
        Assert.Contains("Id", Aliases(typeof(GetZadarmaSipStatusCommand), "Sip"));
        Assert.NotNull(typeof(ZadarmaSip).GetProperty("Id"));
        foreach (var t in new[] { typeof(GetZadarmaPbxExtensionStatusCommand), typeof(SetZadarmaPbxRecordingCommand) })
        {
            Assert.True(Param(t, "Extension").ValueFromPipelineByPropertyName);
            Assert.NotNull(typeof(ZadarmaPbxExtension).GetProperty("Extension"));
            Assert.Contains("Internal", Aliases(t, "Extension"));
        }
        Assert.True(Param(typeof(SetZadarmaPbxRecordingCommand), "Status").ValueFromPipelineByPropertyName);
        // Number lookup: rows bind by their phone column, and many go in one request.
        var lookup = typeof(GetZadarmaNumberInfoCommand);
        Assert.True(Param(lookup, "Number").ValueFromPipelineByPropertyName);
        Assert.Contains("Phone", Aliases(lookup, "Number"));
        Assert.Equal(GetZadarmaNumberInfoCommand.DefaultBatchSize, new GetZadarmaNumberInfoCommand().BatchSize);
        // Invoke-ZadarmaRequest: the path first, then the verb, then the parameters, as Invoke-MgGraphRequest.
        var invoke = typeof(InvokeZadarmaRequestCommand);
        Assert.Equal(0, Param(invoke, "Path").Position);
        Assert.True(Param(invoke, "Path").Mandatory);
        Assert.Equal(typeof(ZadarmaHttpMethod), invoke.GetProperty("Method")!.PropertyType);
        Assert.Equal(typeof(System.Collections.IDictionary), invoke.GetProperty("Parameter")!.PropertyType);
        Assert.Equal(typeof(SwitchParameter), invoke.GetProperty("AsHashtable")!.PropertyType);
    }

    [Fact]
    public void ZadarmaStatisticsTakeDatesAndADirection()
    {
        Assert.Equal(typeof(DateTime?), typeof(GetZadarmaStatisticsCommand).GetProperty("Start")!.PropertyType);
        Assert.Equal(typeof(DateTime?), typeof(GetZadarmaPbxStatisticsCommand).GetProperty("End")!.PropertyType);
        Assert.Equal(typeof(ZadarmaCallDirection), typeof(GetZadarmaPbxStatisticsCommand).GetProperty("Direction")!.PropertyType);
        // Nullable: not given means "read the account's zone from Zadarma".
        Assert.Equal(typeof(TimeSpan?), typeof(GetZadarmaStatisticsCommand).GetProperty("UtcOffset")!.PropertyType);
        Assert.Equal(typeof(TimeSpan?), typeof(GetZadarmaPbxStatisticsCommand).GetProperty("UtcOffset")!.PropertyType);
        Assert.Equal(typeof(ZadarmaStatisticsType), typeof(GetZadarmaStatisticsCommand).GetProperty("Type")!.PropertyType);
        Assert.Equal(typeof(SwitchParameter), typeof(GetZadarmaStatisticsCommand).GetProperty("CostOnly")!.PropertyType);
    }

    [Fact]
    public void ZadarmaSmsTakesSeveralNumbers()
    {
        Assert.Equal(typeof(string[]), typeof(SendZadarmaSmsCommand).GetProperty("Number")!.PropertyType);
        Assert.True(Param(typeof(SendZadarmaSmsCommand), "Number").ValueFromPipelineByPropertyName);
    }

    // ----- FeedBot -----

    [Theory]
    [InlineData(typeof(SendFeedbotMessageCommand))]
    [InlineData(typeof(GetFeedbotStatusCommand))]
    public void EveryFeedbotCmdletsTokenIsASecureStringThatTakesPlainText(Type type)
    {
        var token = type.GetProperty("Token")!;
        Assert.Equal(typeof(SecureString), token.PropertyType);
        Assert.NotNull(token.GetCustomAttribute<SecureStringTransformationAttribute>());
        Assert.False(Param(type, "Token").ValueFromPipelineByPropertyName);
    }
}
