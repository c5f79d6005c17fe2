using System.Management.Automation;
using System.Reflection;
using MessagingTools.Commands.Zadarma;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>The Zadarma cmdlets' contract, read by reflection: names, ShouldProcess, outputs, parameters and aliases.</summary>
public sealed class ZadarmaContractTests
{
    public static IEnumerable<object[]> Cmdlets() => new[]
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
    };

    private static ParameterAttribute Param(Type type, string name) =>
        type.GetProperty(name)!.GetCustomAttributes<ParameterAttribute>().Single();

    private static string[] Aliases(Type type, string name) =>
        type.GetProperty(name)!.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames).ToArray();

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void NameShouldProcessAndOutputType(Type type, string verb, string noun, bool changesSomething, Type output)
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
    [MemberData(nameof(Cmdlets))]
    public void CredentialIsAPSCredentialAndEndpointAUri(Type type, string verb, string noun, bool changesSomething, Type output)
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
    [MemberData(nameof(Cmdlets))]
    public void EveryCmdletIsExportedByTheManifest(Type type, string verb, string noun, bool changesSomething, Type output)
    {
        _ = (type, changesSomething, output);
        var manifest = File.ReadAllText(PowerShellHost.ModuleManifest);
        Assert.Contains($"'{verb}-{noun}'", manifest);
        Assert.Contains("'MessagingTools.Zadarma.Format.ps1xml'", manifest);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "MessagingTools.Zadarma.Format.ps1xml")));
    }

    [Fact]
    public void CallbackBindsFromAndToFromTheUsualCsvColumns()
    {
        var t = typeof(InvokeZadarmaCallbackCommand);
        var from = Param(t, "From");
        Assert.True(from.Mandatory);
        Assert.True(from.ValueFromPipelineByPropertyName);
        Assert.Equal(0, from.Position);
        foreach (var alias in new[] { "Caller", "Source", "Extension" }) Assert.Contains(alias, Aliases(t, "From"));

        var to = Param(t, "To");
        Assert.True(to.Mandatory);
        Assert.True(to.ValueFromPipelineByPropertyName);
        Assert.True(to.ValueFromPipeline); // '442037691881' | Invoke-ZadarmaCallback -From 100
        foreach (var alias in new[] { "Number", "Phone", "PhoneNumber", "Destination", "Callee" }) Assert.Contains(alias, Aliases(t, "To"));

        Assert.True(Param(t, "Sip").ValueFromPipelineByPropertyName);
        var predicted = t.GetProperty("Predicted")!;
        Assert.Equal(typeof(SwitchParameter), predicted.PropertyType);
        Assert.True(Param(t, "Predicted").ValueFromPipelineByPropertyName);
        // A CSV 'true' would be dropped silently without it (POWERSHELL-FACTS 1).
        Assert.NotNull(predicted.GetCustomAttribute<FlexibleBooleanTransformationAttribute>());
        Assert.True(Param(t, "InputObject").ValueFromPipeline);
    }

    [Fact]
    public void NoAliasClashesWithAParameterName()
    {
        foreach (var row in Cmdlets())
        {
            var type = (Type)row[0];
            var names = type.GetProperties().Where(p => p.GetCustomAttributes<ParameterAttribute>().Any()).Select(p => p.Name).ToList();
            var aliases = names.SelectMany(n => Aliases(type, n)).ToList();
            Assert.Empty(aliases.Intersect(names, StringComparer.OrdinalIgnoreCase));
            Assert.Equal(aliases.Count, aliases.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
    }

    [Fact]
    public void SmsAndSettingsBindFromRows()
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
    public void StatisticsTakeDatesAndADirection()
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
    public void SmsTakesSeveralNumbers()
    {
        Assert.Equal(typeof(string[]), typeof(SendZadarmaSmsCommand).GetProperty("Number")!.PropertyType);
        Assert.True(Param(typeof(SendZadarmaSmsCommand), "Number").ValueFromPipelineByPropertyName);
    }
}
