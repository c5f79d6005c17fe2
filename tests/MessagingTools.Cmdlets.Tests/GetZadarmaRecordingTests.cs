using System.Management.Automation;
using MessagingTools.Commands.Zadarma;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Get-ZadarmaRecording: its contract by reflection, and runs in the hosted engine against the sandbox.</summary>
[Collection("Zadarma environment")]
public sealed class GetZadarmaRecordingTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public GetZadarmaRecordingTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    private static ParameterAttribute Param(string name) =>
        typeof(GetZadarmaRecordingCommand).GetProperty(name)!.GetCustomAttributes(typeof(ParameterAttribute), false).Cast<ParameterAttribute>().Single();

    private static string[] Aliases(string name) =>
        typeof(GetZadarmaRecordingCommand).GetProperty(name)!.GetCustomAttributes(typeof(AliasAttribute), false).Cast<AliasAttribute>().SelectMany(a => a.AliasNames).ToArray();

    [Fact]
    public void IdsBindFromCallEventsAndStatisticsRowsByName()
    {
        Assert.True(Param("RecordingId").ValueFromPipelineByPropertyName);
        Assert.Contains("call_id_with_rec", Aliases("RecordingId"));
        Assert.Contains("CallIdWithRec", Aliases("RecordingId"));
        Assert.True(Param("PbxCallId").ValueFromPipelineByPropertyName);
        Assert.Contains("pbx_call_id", Aliases("PbxCallId"));
        Assert.True(Param("IsRecorded").DontShow);
        Assert.Equal(typeof(TimeSpan?), typeof(GetZadarmaRecordingCommand).GetProperty("Lifetime")!.PropertyType);
    }

    [Fact]
    public void PbxStatisticsRowsPipeInAndTheCallsNotRecordedAreSkippedWithAVerboseLine()
    {
        Zadarma.GenerateCalls(40, new DateTime(2026, 11, 1), new DateTime(2026, 11, 1, 23, 0, 0));
        var run = _ps.Run($$"""
            $rows = Get-ZadarmaPbxStatistics -Start 2026-11-01 -End 2026-11-02 -UtcOffset 0 {{Connection}}
            $rows | Get-ZadarmaRecording -Lifetime 600 -Verbose {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e));
        var links = run.Output.Select(o => o.BaseObject).OfType<ZadarmaRecordingLink>().ToList();
        var recorded = Zadarma.Calls.Where(c => c.Seconds > 60).ToList();
        Assert.NotEmpty(recorded);
        Assert.Equal(recorded.Select(c => "in_" + c.Id), links.Select(l => l.PbxCallId));
        Assert.Equal(recorded.Select(ZadarmaSandbox.RecordingIdOf), links.Select(l => l.RecordingId));
        Assert.All(links, l => Assert.InRange(l.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(590), DateTimeOffset.UtcNow.AddSeconds(610)));
        Assert.Equal(40 - recorded.Count, run.Verbose.Count(v => v.Contains("was not recorded; skipped")));
        // One request a recorded row, none for the others.
        Assert.Equal(recorded.Count, Zadarma.Verified.Snapshot().Count(v => v.Method == "/v1/pbx/record/request/"));
    }

    [Fact]
    public void ACallEventPipesInByItsRecordingIdAndACsvRowByZadarmasNames()
    {
        var run = _ps.Run($$"""
            [pscustomobject]@{ Event = 'NOTIFY_RECORD'; RecordingId = '1700000000.42'; PbxCallId = 'in_42' } | Get-ZadarmaRecording {{Connection}}
            [pscustomobject]@{ call_id_with_rec = '1700000000.43'; pbx_call_id = 'in_43'; is_recorded = '1' } | Get-ZadarmaRecording {{Connection}}
            [pscustomobject]@{ call_id_with_rec = ''; pbx_call_id = 'in_44'; is_recorded = '0' } | Get-ZadarmaRecording {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e));
        var links = run.Output.Select(o => o.BaseObject).OfType<ZadarmaRecordingLink>().ToList();
        Assert.Equal(new[] { "1700000000.42", "1700000000.43" }, links.Select(l => l.RecordingId));
        Assert.Equal(new[] { "in_42", "in_43" }, links.Select(l => l.PbxCallId));
        Assert.Equal(new[] { "call_id=1700000000.42", "call_id=1700000000.43" },
            Zadarma.Verified.Snapshot().Where(v => v.Method == "/v1/pbx/record/request/").Select(v => v.SignedQuery));
    }

    [Fact]
    public void ABadLifetimeAndAMissingIdAreRowErrorsNamingTheField()
    {
        var run = _ps.Run($$"""
            Get-ZadarmaRecording -RecordingId '1700000000.1' -Lifetime 60 {{Connection}}
            Get-ZadarmaRecording -RecordingId '1700000000.1' -Lifetime ([timespan]::FromDays(61)) {{Connection}}
            [pscustomobject]@{ RecordingId = ''; PbxCallId = '' } | Get-ZadarmaRecording {{Connection}}
            Get-ZadarmaRecording -RecordingId nope {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.Equal(4, run.Errors.Count);
        Assert.StartsWith("ZadarmaLinkLifetimeIsOutOfRange,", run.Errors[0].FullyQualifiedErrorId);
        Assert.Contains("Lifetime", run.Errors[0].ToString());
        Assert.StartsWith("ZadarmaLinkLifetimeIsOutOfRange,", run.Errors[1].FullyQualifiedErrorId);
        Assert.StartsWith("ZadarmaRecordingIdIsMissing,", run.Errors[2].FullyQualifiedErrorId);
        Assert.Contains("Row 1", run.Errors[2].ToString());
        Assert.StartsWith("ZadarmaRejectedTheRequest,", run.Errors[3].FullyQualifiedErrorId);
        Assert.Contains("Record not found", run.Errors[3].ToString());
        Assert.Single(Zadarma.Verified.Snapshot()); // only the last asked Zadarma
    }

    // An unquoted id such as 1458832388.1585217 is a double to PowerShell, which keeps 15 digits (1458832388.15852):
    // asked for, it would fetch no recording or another one. It is refused, naming the field; a whole number is taken.
    [Fact]
    public void ARecordingIdTypedAsADecimalNumberIsRefusedBeforeItLosesDigits()
    {
        var run = _ps.Run($$"""Get-ZadarmaRecording -RecordingId 1458832388.1585217 {{Connection}}""");
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("ZadarmaRecordingIdIsANumber,", error.FullyQualifiedErrorId);
        Assert.Contains("RecordingId", error.ToString());
        Assert.Contains("quote it", error.ToString());
        Assert.Empty(Zadarma.Verified.Snapshot());
        var whole = _ps.Run($$"""Get-ZadarmaRecording -RecordingId 1700 {{Connection}}""");
        Assert.Null(whole.Terminating);
        Assert.Equal("call_id=1700", Zadarma.Verified.Snapshot().Single().SignedQuery);
    }

    [Fact]
    public void LinksShowAsATableOf80Columns()
    {
        var run = _ps.Run($$"""Get-ZadarmaRecording -RecordingId '1700000000.5' {{Connection}} | Out-Host""");
        Assert.Empty(run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e));
        var text = System.Text.RegularExpressions.Regex.Replace(string.Join("\n", run.HostText), "\u001b\\[[0-9;]*m", "");
        Assert.Matches(@"RecordingId\s+ExpiresAt\s+Url", text);
        Assert.Matches(@"1700000000\.5\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+http://", text);
    }
}
