using System.Management.Automation;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// The behaviours that tests/Send-BaleMessage.Tests.ps1 and tests/Publish-BaleFile.Tests.ps1 assert, checked here in
/// the hosted PowerShell 7.6 engine (which can run, unlike Pester on this machine). Import-Csv is not available in
/// the hosted engine, so rows are [pscustomobject]s of strings, as Import-Csv makes them; Get-ChildItem neither, so
/// files are FileInfo objects made in the script. Error ids, targets, "Row n" details, "What if:" text and the secrecy of the
/// API key are asserted exactly as the Pester files assert them.
/// </summary>
public sealed class PesterParityTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;

    public PesterParityTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
        _ps.Sandbox.Latency = TimeSpan.Zero;
    }

    private static string Prop(object? o, string name) => (o as PSObject ?? PSObject.AsPSObject(o!)).Properties[name]?.Value?.ToString() ?? "";

    [Fact]
    public void ABadRowGivesOneErrorCarryingThatRow()
    {
        var run = _ps.Run("""
            @(
              [pscustomobject]@{ Phone = '09123456789'; Message = 'row one' },
              [pscustomobject]@{ Phone = '+98 912 345 6780'; Message = 'row two' },
              [pscustomobject]@{ Phone = '12345'; Message = 'row three has a bad phone' },
              [pscustomobject]@{ Phone = '00989123456782'; Message = 'row four' },
              [pscustomobject]@{ Phone = '۰۹۱۲۳۴۵۶۷۸۳'; Message = 'row five' }
            ) | Send-BaleMessage -BotId 123 -ApiKey $BaleKey -Endpoint $SandboxBale
            """);
        Assert.Null(run.Terminating);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("PhoneNumberIsNotAnIranianMobileNumber,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("12345", Prop(error.TargetObject, "Phone"));
        Assert.Equal("row three has a bad phone", Prop(error.TargetObject, "Message"));
        Assert.StartsWith("Row 3, PhoneNumber: ", error.ErrorDetails!.Message);
        Assert.Equal(new[] { "row one", "row two", "row four", "row five" }, run.Output.Select(o => Prop(o, "Text")));
        Assert.Equal(new[] { "989123456789", "989123456780", "989123456782", "989123456783" }, run.Output.Select(o => Prop(o, "PhoneNumber")));
        Assert.Equal(4, _ps.Sandbox.Bale.Deliveries.Count);
    }

    [Fact]
    public void WhatIfPrintsOneLinePerRowAndSendsNothing()
    {
        var run = _ps.Run("""
            @(
              [pscustomobject]@{ Phone = '0912 345 6789'; Message = 'first row' },
              [pscustomobject]@{ Phone = '+98 912 345 6780'; Message = 'second row'; Secure = '' },
              [pscustomobject]@{ Phone = '09123456781'; Message = 'the text of a secure message'; Secure = 'yes' }
            ) | Send-BaleMessage -BotId 123 -ApiKey $BaleKey -Endpoint $SandboxBale -WhatIf
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Output);
        Assert.Empty(run.Errors);
        var whatIf = run.HostText.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, whatIf.Count);
        Assert.StartsWith("What if: Performing the operation \"Send Bale message \"first row\" from bot 123\" on target \"989123456789\"", whatIf[0]);
        Assert.StartsWith("What if: Performing the operation \"Send Bale message \"second row\" from bot 123\" on target \"989123456780\"", whatIf[1]);
        Assert.StartsWith("What if: Performing the operation \"Send Bale secure message from bot 123\" on target \"989123456781\"", whatIf[2]);
        Assert.DoesNotContain("the text of a secure message", run.AllText());
        Assert.DoesNotContain(PowerShellHost.BaleSandboxKey, run.AllText());
        Assert.Empty(_ps.Sandbox.Requests.Snapshot());
    }

    [Fact]
    public void OutputKeepsInputOrderWhileAnswersArriveOutOfOrder()
    {
        _ps.Sandbox.Latency = TimeSpan.FromMilliseconds(100);
        _ps.Sandbox.Faults.Add(MessagingTools.Sandbox.FaultKind.Hang, "send_message", afterProcessing: true, delayMs: 1500);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = _ps.Run("""
            1..24 | ForEach-Object { [pscustomobject]@{ Phone = ('0912{0:D7}' -f $_); Message = ('message {0:D2}' -f $_) } } |
              Send-BaleMessage -BotId 123 -ApiKey $BaleKey -Endpoint $SandboxBale -ThrottleLimit 8
            """);
        clock.Stop();
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(Enumerable.Range(1, 24).Select(i => $"message {i:D2}"), run.Output.Select(o => Prop(o, "Text")));
        Assert.Equal(24, _ps.Sandbox.Bale.Deliveries.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3.5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("17", "BaleRecipientIsNotABaleUser", ErrorCategory.ObjectNotFound)]
    [InlineData("20", "BalePaymentIsRequired", ErrorCategory.QuotaExceeded)]
    public void SafirErrorCodesBecomeErrorIds(string code, string errorId, ErrorCategory category)
    {
        var run = _ps.Run($$"""
            @(
              [pscustomobject]@{ Phone = '09123456789'; Message = 'this one is fine' },
              [pscustomobject]@{ Phone = '98 99999900 {{code}}'; Message = 'this one is refused' }
            ) | Send-BaleMessage -BotId 123 -ApiKey $BaleKey -Endpoint $SandboxBale
            """);
        Assert.Single(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal($"98 99999900 {code}", Prop(error.TargetObject, "Phone"));
        Assert.StartsWith("Row 2", error.ErrorDetails!.Message);
    }

    [Fact]
    public void SecureCellsBindAndABadOneFailsItsRowOnly()
    {
        var run = _ps.Run("""
            @(
              [pscustomobject]@{ Phone = '09120000001'; Message = 'one'; Secure = 'true' },
              [pscustomobject]@{ Phone = '09120000002'; Message = 'two'; Secure = 'yes' },
              [pscustomobject]@{ Phone = '09120000003'; Message = 'three'; Secure = '1' },
              [pscustomobject]@{ Phone = '09120000004'; Message = 'four'; Secure = 'false' },
              [pscustomobject]@{ Phone = '09120000007'; Message = 'seven'; Secure = '' },
              [pscustomobject]@{ Phone = '09120000008'; Message = 'eight'; Secure = 'TRUE' },
              [pscustomobject]@{ Phone = '09120000009'; Message = 'nine'; Secure = 'maybe' }
            ) | Send-BaleMessage -BotId 123 -ApiKey $BaleKey -Endpoint $SandboxBale
            """);
        Assert.Null(run.Terminating);
        Assert.Equal("True,True,True,False,False,True", string.Join(",", run.Output.Select(o => Prop(o, "IsSecure"))));
        var error = Assert.Single(run.Errors);
        Assert.Contains("'maybe' is not a yes/no value", error.ToString());
        Assert.Equal(6, _ps.Sandbox.Bale.Deliveries.Count);
        Assert.Equal(new[] { "989120000001", "989120000002", "989120000003", "989120000008" },
            _ps.Sandbox.Bale.Deliveries.Snapshot().Where(d => d.IsSecure).Select(d => d.PhoneNumber).OrderBy(p => p));
    }

    [Fact]
    public void TheApiKeyNeverShowsInAnyStream()
    {
        _ps.Sandbox.Faults.Add(MessagingTools.Sandbox.FaultKind.Status, "send_message", status: 503);
        var run = _ps.Run("""
            $DebugPreference = 'Continue'
            @(
              [pscustomobject]@{ Phone = '09123456789'; Message = 'a plain message'; Secure = 'no' },
              [pscustomobject]@{ Phone = '12345'; Message = 'a bad phone'; Secure = 'no' },
              [pscustomobject]@{ Phone = '98 99999900 17'; Message = 'not a Bale user'; Secure = 'no' },
              [pscustomobject]@{ Phone = '09123456780'; Message = 'a secure message'; Secure = 'yes' }
            ) | Send-BaleMessage -BotId 123 -ApiKey $BaleKey -Endpoint $SandboxBale -Verbose
            """);
        Assert.Equal(2, run.Output.Count);
        Assert.Equal(2, run.Errors.Count);
        Assert.NotEmpty(run.Verbose);
        Assert.NotEmpty(run.Debug);
        Assert.Contains("send_message", run.AllText());
        Assert.DoesNotContain(PowerShellHost.BaleSandboxKey, run.AllText());
    }

    [Fact]
    public void ARejectedApiKeyNeverShowsEither()
    {
        const string wrongKey = "pester-rejected-key-4417";
        var run = _ps.Run($$"""
            $DebugPreference = 'Continue'
            @([pscustomobject]@{ Phone = '09123456789'; Message = 'one' }, [pscustomobject]@{ Phone = '09123456780'; Message = 'two' }) |
              Send-BaleMessage -BotId 123 -ApiKey '{{wrongKey}}' -Endpoint $SandboxBale -Verbose
            """);
        Assert.Equal(2, run.Errors.Count);
        Assert.StartsWith("BaleCredentialsWereRejected,", run.Errors[0].FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, run.Errors[0].CategoryInfo.Category);
        Assert.DoesNotContain(wrongKey, run.AllText());
        Assert.Equal(0, _ps.Sandbox.Bale.Deliveries.Count);
    }

    [Fact]
    public void FilesPipeThroughPublishToSendAndOversizedOnesAreRefused()
    {
        var dir = Directory.CreateTempSubdirectory("mt-parity-").FullName;
        var limit = _ps.Sandbox.Bale.MaxUploadBytes;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.txt"), "the first file");
            File.WriteAllText(Path.Combine(dir, "b.txt"), "the second file, a little longer: سلام");
            File.WriteAllText(Path.Combine(dir, "skipped.log"), "not a .txt file");
            var run = _ps.Run("""
                @([System.IO.FileInfo]::new($A), [System.IO.FileInfo]::new($B)) |
                  Publish-BaleFile -ApiKey $BaleKey -Endpoint $SandboxBale |
                  Send-BaleMessage -PhoneNumber '0912 345 6789' -BotId 123 -ApiKey $BaleKey -Endpoint $SandboxBale
                """, new Dictionary<string, object?> { ["A"] = Path.Combine(dir, "a.txt"), ["B"] = Path.Combine(dir, "b.txt") });
            Assert.Null(run.Terminating);
            Assert.Empty(run.Errors);
            var uploads = _ps.Sandbox.Bale.Uploads.Snapshot();
            Assert.Equal(new[] { "a.txt", "b.txt" }, uploads.Select(u => u.FileName).OrderBy(n => n));
            Assert.Equal(new[] { uploads.Single(u => u.FileName == "a.txt").FileId, uploads.Single(u => u.FileName == "b.txt").FileId },
                run.Output.Select(o => Prop(o, "FileId")));
            Assert.All(run.Output, o => Assert.Equal("File", Prop(o, "Kind")));
            Assert.Equal(2, _ps.Sandbox.Bale.Deliveries.Count);

            // Over the sandbox's limit (lowered as the Pester file lowers it with --bale-max-upload-bytes).
            _ps.Sandbox.Reset();
            _ps.Sandbox.Bale.MaxUploadBytes = 1048576;
            var big = Path.Combine(dir, "big.bin");
            var bytes = new byte[1048576 + 512 * 1024];
            new Random(42).NextBytes(bytes);
            File.WriteAllBytes(big, bytes);
            var small = Path.Combine(dir, "small.txt");
            File.WriteAllText(small, "small enough");
            var refused = _ps.Run("Publish-BaleFile -LiteralPath $Big, $Small -ApiKey $BaleKey -Endpoint $SandboxBale",
                new Dictionary<string, object?> { ["Big"] = big, ["Small"] = small });
            var error = Assert.Single(refused.Errors);
            Assert.StartsWith("BaleInputWasInvalid,", error.FullyQualifiedErrorId);
            Assert.Contains("larger than 1048576 bytes", error.Exception.Message);
            Assert.Equal("small.txt", Prop(Assert.Single(refused.Output), "Name"));
            Assert.Equal("small.txt", Assert.Single(_ps.Sandbox.Bale.Uploads.Snapshot()).FileName);

            // Over Bale's 500 MB: refused before anything is sent.
            _ps.Sandbox.Reset();
            var huge = Path.Combine(dir, "huge.bin");
            using (var stream = File.Create(huge)) stream.SetLength(500L * 1024 * 1024 + 1);
            var tooLarge = _ps.Run("Publish-BaleFile -LiteralPath $Huge -ApiKey $BaleKey -Endpoint $SandboxBale",
                new Dictionary<string, object?> { ["Huge"] = huge });
            Assert.StartsWith("BaleFileIsTooLarge,", Assert.Single(tooLarge.Errors).FullyQualifiedErrorId);
            Assert.Contains("Nothing was sent", tooLarge.Errors[0].Exception.Message);
            Assert.Empty(_ps.Sandbox.Requests.Snapshot());
        }
        finally
        {
            _ps.Sandbox.Bale.MaxUploadBytes = limit;
            Directory.Delete(dir, recursive: true);
        }
    }
}
