using System.Management.Automation;
using System.Reflection;
using System.Security;
using System.Xml.Linq;
using MessagingTools.Commands.Bale;
using MessagingTools.Core.Providers.Bale;
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
    public void SendBaleMessageBindsCsvRowsByTheUsualColumnNames()
    {
        var t = typeof(SendBaleMessageCommand);
        var cmdlet = t.GetCustomAttribute<CmdletAttribute>()!;
        Assert.Equal(("Send", "BaleMessage"), (cmdlet.VerbName, cmdlet.NounName));
        Assert.True(cmdlet.SupportsShouldProcess);
        Assert.Equal(ConfirmImpact.Medium, cmdlet.ConfirmImpact);
        Assert.Equal(typeof(BaleMessageResult), t.GetCustomAttribute<OutputTypeAttribute>()!.Type.Single().Type);

        var phone = Param(t, "PhoneNumber");
        Assert.True(phone.Mandatory);
        Assert.True(phone.ValueFromPipeline);           // '0912...' | Send-BaleMessage
        Assert.True(phone.ValueFromPipelineByPropertyName);
        Assert.Equal(0, phone.Position);
        Assert.Superset(new HashSet<string> { "Phone", "Mobile", "Number", "To", "Destination", "MobileNumber" }, Aliases(t, "PhoneNumber").ToHashSet());

        Assert.True(Param(t, "Text").ValueFromPipelineByPropertyName);
        Assert.Superset(new HashSet<string> { "Message", "Body", "Caption" }, Aliases(t, "Text").ToHashSet());
        foreach (var name in new[] { "FileId", "CopyText", "Secure", "RequestId", "BotId" })
            Assert.True(Param(t, name).ValueFromPipelineByPropertyName, name);
        Assert.Contains("IsSecure", Aliases(t, "Secure"));
        Assert.NotNull(t.GetProperty("Secure")!.GetCustomAttribute<FlexibleBooleanTransformationAttribute>());

        Assert.Equal(typeof(SecureString), t.GetProperty("ApiKey")!.PropertyType);
        Assert.NotNull(t.GetProperty("ApiKey")!.GetCustomAttribute<SecureStringTransformationAttribute>());
        Assert.False(Param(t, "ApiKey").ValueFromPipelineByPropertyName); // a key never comes from a CSV column
        Assert.Equal(typeof(Uri), t.GetProperty("Endpoint")!.PropertyType);

        var input = Param(t, "InputObject");
        Assert.True(input.ValueFromPipeline);
        Assert.True(input.DontShow);
    }

    [Fact]
    public void PublishBaleFileTakesPathsAndGetChildItemOutput()
    {
        var t = typeof(PublishBaleFileCommand);
        var cmdlet = t.GetCustomAttribute<CmdletAttribute>()!;
        Assert.Equal(("Publish", "BaleFile"), (cmdlet.VerbName, cmdlet.NounName));
        Assert.True(cmdlet.SupportsShouldProcess);
        Assert.Equal("Path", cmdlet.DefaultParameterSetName);
        Assert.Equal(typeof(BaleFile), t.GetCustomAttribute<OutputTypeAttribute>()!.Type.Single().Type);

        var path = Param(t, "Path");
        Assert.Equal("Path", path.ParameterSetName);
        Assert.True(path.Mandatory && path.ValueFromPipeline);
        var literal = Param(t, "LiteralPath");
        Assert.Equal("LiteralPath", literal.ParameterSetName);
        Assert.True(literal.Mandatory && literal.ValueFromPipelineByPropertyName);
        Assert.Superset(new HashSet<string> { "PSPath", "FullName" }, Aliases(t, "LiteralPath").ToHashSet());
    }

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
            Assert.NotNull(t.GetCustomAttribute<OutputTypeAttribute>());
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
                if (output.Type != typeof(string)) // ConvertTo-ZadarmaRouteAnswer: a body to send, shown as it is
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
}
