using System.Management.Automation;
using MessagingTools.Commands.Zadarma;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Get-ZadarmaPbxRedirection and Set-ZadarmaPbxRedirection in the hosted engine against the sandbox, and their parameter sets.</summary>
[Collection("Zadarma environment")]
public sealed class SetZadarmaPbxRedirectionTests : IClassFixture<PowerShellHost>, IDisposable
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;
    private readonly string _greeting = Path.Combine(Path.GetTempPath(), $"greeting-{Guid.NewGuid():N}.mp3");

    public SetZadarmaPbxRedirectionTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
        File.WriteAllBytes(_greeting, new byte[4096]);
    }

    public void Dispose() => File.Delete(_greeting);

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    [Fact]
    public void ThreeParameterSetsOneForEachForm()
    {
        var sets = typeof(SetZadarmaPbxRedirectionCommand).GetProperties()
            .SelectMany(p => p.GetCustomAttributes(typeof(ParameterAttribute), false).Cast<ParameterAttribute>().Select(a => (p.Name, a)))
            .Where(x => x.a.Mandatory && x.a.ParameterSetName != ParameterAttribute.AllParameterSets)
            .ToDictionary(x => x.a.ParameterSetName, x => x.Name);
        Assert.Equal(new Dictionary<string, string> { ["Phone"] = "Number", ["Voicemail"] = "Email", ["Off"] = "Off" }, sets);
    }

    [Fact]
    public void ExtensionsAreReadAndForwardedToAPhoneToVoicemailAndOff()
    {
        var run = _ps.Run($$"""
            100, 101 | Get-ZadarmaPbxRedirection {{Connection}}
            Set-ZadarmaPbxRedirection -Extension 100 -Number '+44 20 3769 1881' -Condition NoAnswer -SetCallerId {{Connection}}
            Set-ZadarmaPbxRedirection 100 -Email office@example.com -GreetingFile $Greeting {{Connection}}
            Get-ZadarmaPbxRedirection 101 {{Connection}} | Set-ZadarmaPbxRedirection -Off {{Connection}}
            """, new Dictionary<string, object?> { ["Greeting"] = _greeting });
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e));
        var r = run.Output.Select(o => o.BaseObject).OfType<ZadarmaPbxRedirection>().ToList();
        Assert.Equal(new[] { "100", "101", "100", "100", "101" }, r.Select(x => x.Extension));
        Assert.Equal((false, true), (r[0].Enabled, r[1].Enabled));
        Assert.Equal(("phone", "442037691881", "noanswer", (bool?)true), (r[2].Type, r[2].Destination, r[2].Condition, r[2].SetCallerId));
        Assert.Equal(("voicemail", "office@example.com", "always", "own"), (r[3].Type, r[3].Destination, r[3].Condition, r[3].VoicemailGreeting));
        Assert.False(r[4].Enabled);
        Assert.Equal(4096, Assert.Single(Zadarma.Greetings.Snapshot()).Length);
        Assert.Equal("off", Zadarma.PbxRedirections["101"].Status);
    }

    [Fact]
    public void WhatIfSaysWhatWouldChangeAndABadGreetingIsTheRowsErrorNamingTheField()
    {
        var run = _ps.Run($$"""
            Set-ZadarmaPbxRedirection -Extension 100 -Number 442037691881 -WhatIf
            Set-ZadarmaPbxRedirection -Extension 100 -Email a@b.cd -GreetingFile ./no-such.wav {{Connection}}
            Set-ZadarmaPbxRedirection -Extension 100 -Email a@b.cd -Greeting Own {{Connection}}
            Set-ZadarmaPbxRedirection -Extension 100 -Email not-an-address {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.True(run.HostText.Any(l => l == "What if: Performing the operation \"Forward every call to 442037691881\" on target \"PBX extension 100\"."), string.Join("|", run.HostText) + string.Join("|", run.Errors));
        Assert.Contains(run.HostText, l => l == "What if: Performing the operation \"Forward every call to 442037691881\" on target \"PBX extension 100\".");
        Assert.Equal(new[] { "ZadarmaGreetingFileWasNotFound", "ZadarmaGreetingFileIsMissing", "ZadarmaEmailIsInvalid" },
            run.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Contains("GreetingFile", run.Errors[0].ToString());
        Assert.Empty(Zadarma.Verified.Snapshot());
    }

    [Fact]
    public void ForwardingShowsAsATableOf80Columns()
    {
        var run = _ps.Run($$"""Get-ZadarmaPbxRedirection 101 {{Connection}} | Out-Host""");
        Assert.Empty(run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e));
        var text = System.Text.RegularExpressions.Regex.Replace(string.Join("\n", run.HostText), "\u001b\\[[0-9;]*m", "");
        Assert.Matches(@"Extension\s+Enabled\s+Type\s+Condition\s+Destination\s+Greeting\s+CallerId", text);
        Assert.Matches(@"101\s+True\s+phone\s+noanswer\s+79001234567\s+True", text);
    }
}
