using System.Management.Automation;
using MessagingTools.Commands.Zadarma;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Save-ZadarmaRecording: its contract by reflection, and runs in the hosted engine against the sandbox.</summary>
[Collection("Zadarma environment")]
public sealed class SaveZadarmaRecordingTests : IClassFixture<PowerShellHost>, IDisposable
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zadarma-save-" + Guid.NewGuid().ToString("N"));

    public SaveZadarmaRecordingTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    private PowerShellRun Run(string script) => _ps.Run(script, new Dictionary<string, object?> { ["Folder"] = _folder });

    [Fact]
    public void TheContractTakesLinksIdsAndAFolder()
    {
        var type = typeof(SaveZadarmaRecordingCommand);
        Assert.Equal(typeof(Uri), type.GetProperty("Url")!.PropertyType);
        var path = type.GetProperty("Path")!;
        Assert.Contains("Destination", path.GetCustomAttributes(typeof(AliasAttribute), false).Cast<AliasAttribute>().SelectMany(a => a.AliasNames));
        // The folder is never taken from a piped object (a ZadarmaPbxCallRecord has a Destination: the number called).
        Assert.False(path.GetCustomAttributes(typeof(ParameterAttribute), false).Cast<ParameterAttribute>().Single().ValueFromPipelineByPropertyName);
        Assert.Equal(typeof(SwitchParameter), type.GetProperty("Force")!.PropertyType);
    }

    [Fact]
    public void LinksPipeInAndEachFileIsSavedUnderItsIdIntoAFolderMadeForIt()
    {
        Zadarma.AddRecording(new ZadarmaSandboxRecording("1700000000.1", "in_1", 2000));
        Zadarma.AddRecording(new ZadarmaSandboxRecording("1700000000.2", "in_1", 3000));
        var run = Run($$"""
            Get-ZadarmaRecording -PbxCallId in_1 {{Connection}} | Save-ZadarmaRecording -Path "$Folder/new" {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e));
        var files = run.Output.Select(o => o.BaseObject).OfType<ZadarmaRecordingFile>().ToList();
        Assert.Equal(new[] { "1700000000.1.mp3", "1700000000.2.mp3" }, files.Select(f => f.Name));
        Assert.Equal(new long[] { 2000, 3000 }, files.Select(f => new FileInfo(f.Path).Length));
        Assert.Equal(new[] { "1700000000.1.mp3", "1700000000.2.mp3" }, Directory.GetFiles(Path.Combine(_folder, "new")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void IdsAndCallEventsAskForTheirLinksFirstAndAnExistingFileIsTheErrorOfItsRowOnly()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "1700000000.8.mp3"), "mine");
        var run = Run($$"""
            @(
              [pscustomobject]@{ Event = 'NOTIFY_RECORD'; RecordingId = '1700000000.7'; PbxCallId = 'in_7' },
              [pscustomobject]@{ Event = 'NOTIFY_RECORD'; RecordingId = '1700000000.8'; PbxCallId = 'in_8' },
              [pscustomobject]@{ Event = 'NOTIFY_END'; RecordingId = ''; PbxCallId = 'in_9'; IsRecorded = $false },
              [pscustomobject]@{ Event = 'NOTIFY_RECORD'; RecordingId = '1700000000.10'; PbxCallId = 'in_10' }
            ) | Save-ZadarmaRecording $Folder -ErrorVariable failed {{Connection}}
            """);
        Assert.Null(run.Terminating);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("ZadarmaRecordingFileExists,", error.FullyQualifiedErrorId);
        Assert.Contains("Row 2", error.ToString());
        Assert.Contains(Path.Combine(_folder, "1700000000.8.mp3"), error.ToString());
        Assert.Equal("1700000000.8", ((PSObject)error.TargetObject).Properties["RecordingId"].Value);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(_folder, "1700000000.8.mp3")));
        var files = run.Output.Select(o => o.BaseObject).OfType<ZadarmaRecordingFile>().ToList();
        Assert.Equal(new[] { "1700000000.7", "1700000000.10" }, files.Select(f => f.RecordingId));
        Assert.All(files, f => Assert.Equal(ZadarmaSandbox.DefaultRecordingSize, new FileInfo(f.Path).Length));
        Assert.DoesNotContain(Directory.GetFiles(_folder), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public void ForceReplacesAndWhatIfWritesNothingAndAsksForNothing()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "1700000000.3.mp3");
        File.WriteAllText(path, "mine");
        var run = Run($$"""
            Save-ZadarmaRecording -RecordingId '1700000000.3' -Path $Folder -WhatIf
            [pscustomobject]@{ PbxCallId = 'in_3' } | Save-ZadarmaRecording -Path $Folder -WhatIf
            Save-ZadarmaRecording -RecordingId '1700000000.3' -Path $Folder -Force {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e));
        Assert.Contains(run.HostText, l => l.Contains("What if:") && l.Contains("Save the recordings of recording 1700000000.3"));
        Assert.Contains(run.HostText, l => l.Contains("What if:") && l.Contains("PBX call in_3"));
        Assert.Equal(ZadarmaSandbox.DefaultRecordingSize, new FileInfo(path).Length);
        Assert.Single(Zadarma.Verified.Snapshot()); // -WhatIf asked for no link
    }

    [Fact]
    public void ALargeDownloadShowsTheBytesInItsProgress()
    {
        // 8 MB in 128 pieces of 64 KB, 20 ms apart: about 2.6 s, past the progress delay (1 s), with the bytes growing.
        Zadarma.AddRecording(new ZadarmaSandboxRecording("1700000000.9", null, 8L * 1024 * 1024) { ChunkDelay = TimeSpan.FromMilliseconds(20) });
        var run = Run($$"""Save-ZadarmaRecording -RecordingId '1700000000.9' -Path $Folder -TimeoutSec 60 {{Connection}}""");
        Assert.Empty(run.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e));
        Assert.Equal(8L * 1024 * 1024, new FileInfo(Path.Combine(_folder, "1700000000.9.mp3")).Length);
        var shown = run.Progress.Where(p => p.Activity == "Saving Zadarma recordings" && p.RecordType != ProgressRecordType.Completed).ToList();
        Assert.NotEmpty(shown);
        Assert.All(shown, p => Assert.Matches(@"^0 (of 1 )?saved, 1 in flight, [0-9.]+/s; [0-9]+\.[0-9] MB downloaded$", p.StatusDescription));
        Assert.Contains(shown, p => !p.StatusDescription.EndsWith("; 0.0 MB downloaded", StringComparison.Ordinal)); // the bytes grow as they come
    }
}
