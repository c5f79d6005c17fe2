using System.Management.Automation;
using System.Reflection;
using System.Security;
using MessagingTools.Commands.Bale;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Internal;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;
using static MessagingTools.Cmdlets.Tests.ContractTests;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Send-BaleMessage invoked by the real PowerShell engine against the sandbox.</summary>
public sealed class SendBaleMessageTests : IClassFixture<PowerShellHost>, IDisposable
{
    private const string Send = "Send-BaleMessage -BotId 123 -ApiKey $BaleKey -Endpoint $SandboxBale";
    private readonly PowerShellHost _ps;
    private SandboxServer Sandbox => _ps.Sandbox;

    public SendBaleMessageTests(PowerShellHost ps)
    {
        _ps = ps;
        Sandbox.Reset();
        Sandbox.Latency = TimeSpan.Zero;
    }

    public void Dispose() => Sandbox.Reset();

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

    [Theory]
    [InlineData("Phone", "Message")]
    [InlineData("PhoneNumber", "Text")]
    [InlineData("Mobile", "Body")]
    [InlineData("Number", "Message")]
    [InlineData("To", "Text")]
    public void CsvRowsBindByTheUsualColumnNames(string phoneColumn, string textColumn)
    {
        var run = _ps.Run($$"""
            @(
              [pscustomobject]@{ {{phoneColumn}} = '0912 345 6789'; {{textColumn}} = 'first' },
              [pscustomobject]@{ {{phoneColumn}} = '+98-912-345-6780'; {{textColumn}} = 'second' }
            ) | {{Send}}
            """);

        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(new[] { "989123456789", "989123456780" }, run.Output.Select(o => ((BaleMessageResult)o.BaseObject).PhoneNumber));
        Assert.Equal(new[] { "first", "second" }, Sandbox.Bale.Deliveries.Snapshot().Select(d => d.Text).Order()); // sent concurrently
    }

    [Fact]
    public void PlainStringsPipedAreRecipients()
    {
        var run = _ps.Run($"'09123456789', '۰۹۱۲۳۴۵۶۷۸۰' | {Send} -Text 'hi'");
        Assert.Empty(run.Errors);
        Assert.Equal(new[] { "989123456789", "989123456780" }, run.Output.Select(o => ((BaleMessageResult)o.BaseObject).PhoneNumber));
        Assert.Equal(2, Sandbox.Bale.Deliveries.Count);
    }

    [Fact]
    public void WhatIfSendsNothingAndSaysWhatItWouldDo()
    {
        var run = _ps.Run($$"""
            @(
              [pscustomobject]@{ Phone = '09123456789'; Message = 'hello' },
              [pscustomobject]@{ Phone = '09123456780'; Message = 'secret'; Secure = 'yes' }
            ) | {{Send}} -WhatIf
            """);

        Assert.Empty(run.Output);
        Assert.Empty(run.Errors);
        Assert.Equal(0, Sandbox.Requests.Count);
        Assert.Contains("What if: Performing the operation \"Send Bale message \"hello\" from bot 123\" on target \"989123456789\".", run.HostText);
        Assert.Contains("What if: Performing the operation \"Send Bale secure message from bot 123\" on target \"989123456780\".", run.HostText);
    }

    [Fact]
    public void OneBadRowAmongGoodOnesGetsOneErrorCarryingTheRowAndTheOthersAreSent()
    {
        var run = _ps.Run($$"""
            $rows = @(
              [pscustomobject]@{ Phone = '09123456781'; Message = 'one' },
              [pscustomobject]@{ Phone = '0912-345-67x9'; Message = 'two' },
              [pscustomobject]@{ Phone = '09123456783'; Message = 'three' }
            )
            $rows | {{Send}}
            """);

        Assert.Null(run.Terminating);
        Assert.Equal(2, run.Output.Count);
        var error = Assert.Single(run.Errors);
        Assert.Equal("PhoneNumberIsNotAnIranianMobileNumber,MessagingTools.Commands.Bale.SendBaleMessageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        var row = Assert.IsType<PSObject>(error.TargetObject);
        Assert.Equal("0912-345-67x9", row.Properties["Phone"].Value);
        Assert.StartsWith("Row 2, PhoneNumber: '0912-345-67x9' is not an Iranian mobile number.", error.ErrorDetails!.Message);
        Assert.Equal(new[] { "one", "three" }, Sandbox.Bale.Deliveries.Snapshot().Select(d => d.Text).Order()); // sent concurrently
    }

    [Fact]
    public void AnEmptyPhoneCellFailsThatRowOnly()
    {
        var run = _ps.Run($$"""
            @(
              [pscustomobject]@{ Phone = ''; Message = 'one' },
              [pscustomobject]@{ Phone = '09123456782'; Message = 'two' }
            ) | {{Send}}
            """);

        Assert.Null(run.Terminating);
        Assert.Single(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("RequiredValueIsEmpty,", error.FullyQualifiedErrorId);
        Assert.StartsWith("Row 1, PhoneNumber:", error.ErrorDetails!.Message);
        Assert.Equal("two", Assert.Single(Sandbox.Bale.Deliveries.Snapshot()).Text);
    }

    [Fact]
    public void OutputFollowsInputOrderWhenRequestsFinishOutOfOrder()
    {
        // The first row's request hangs (then gets a 504 and is retried) while the others finish.
        Sandbox.Faults.Add(new Fault { Kind = FaultKind.Hang, PathContains = "send_message", BodyContains = "\"m0\"", DelayMs = 700 });
        var run = _ps.Run($$"""
            $rows = 0..19 | ForEach-Object { [pscustomobject]@{ Phone = '091234567' + $_.ToString('00'); Message = "m$_" } }
            $rows | {{Send}} -ThrottleLimit 8
            """);

        Assert.Empty(run.Errors);
        var phones = run.Output.Select(o => ((BaleMessageResult)o.BaseObject).PhoneNumber).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "98912345670".Substring(0, 10) + i.ToString("00")), phones);
        var delivered = Sandbox.Bale.Deliveries.Snapshot().Select(d => d.Text).ToList();
        Assert.NotEqual("m0", delivered[0]); // the first row really finished later than others
        Assert.Equal(20, delivered.Distinct().Count());
    }

    public static TheoryData<string, bool> SecureSpellings => new()
    {
        { "true", true }, { "True", true }, { "TRUE", true }, { "yes", true }, { "1", true }, { "y", true },
        { "false", false }, { "no", false }, { "0", false }, { "", false },
    };

    [Theory]
    [MemberData(nameof(SecureSpellings))]
    public void SecureColumnFromCsvIsHonoured(string cell, bool secure)
    {
        var run = _ps.Run($"[pscustomobject]@{{ Phone = '09123456789'; Message = 'x'; Secure = '{cell}' }} | {Send}");
        Assert.Empty(run.Errors);
        Assert.Equal(secure, Assert.Single(Sandbox.Bale.Deliveries.Snapshot()).IsSecure);
    }

    [Fact]
    public void AnUnreadableSecureCellFailsItsRowWithTheValue()
    {
        var run = _ps.Run($$"""
            @(
              [pscustomobject]@{ Phone = '09123456789'; Message = 'x'; Secure = 'maybe' },
              [pscustomobject]@{ Phone = '09123456788'; Message = 'y'; Secure = 'no' }
            ) | {{Send}}
            """);
        var error = Assert.Single(run.Errors);
        Assert.Contains("'maybe' is not a yes/no value", error.ToString());
        Assert.Equal("y", Assert.Single(Sandbox.Bale.Deliveries.Snapshot()).Text);
    }

    [Theory]
    [InlineData(17, "BaleRecipientIsNotABaleUser", ErrorCategory.ObjectNotFound)]
    [InlineData(20, "BalePaymentIsRequired", ErrorCategory.QuotaExceeded)]
    [InlineData(21, "BaleContactLimitWasReached", ErrorCategory.QuotaExceeded)]
    [InlineData(8, "BalePhoneNumberIsInvalid", ErrorCategory.InvalidArgument)]
    [InlineData(4, "BaleInputWasInvalid", ErrorCategory.InvalidArgument)]
    public void SafirErrorCodesBecomeErrorsWithReadableIds(int code, string id, ErrorCategory category)
    {
        var run = _ps.Run($"[pscustomobject]@{{ Phone = '{BaleSandbox.ErrorPhonePrefix}{code:00}'; Message = 'x' }} | {Send}");
        var error = Assert.Single(run.Errors);
        Assert.Equal(id + ",MessagingTools.Commands.Bale.SendBaleMessageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.StartsWith("Row 1", error.ErrorDetails!.Message);
    }

    [Fact]
    public void FileIdAndCopyTextAndRequestIdBindFromColumns()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "x");
            var run = _ps.Run($$"""
                $file = Publish-BaleFile -LiteralPath '{{path}}' -ApiKey $BaleKey -Endpoint $SandboxBale
                [pscustomobject]@{ Phone = '09123456789'; Caption = 'c'; FileId = $file.FileId; CopyText = '1234'; RequestId = 'r-1' } | {{Send}}
                [pscustomobject]@{ Phone = '09123456789'; Caption = 'c'; FileId = $file.FileId; CopyText = '1234'; RequestId = 'r-1' } | {{Send}}
                """);
            Assert.Empty(run.Errors);
            var d = Assert.Single(Sandbox.Bale.Deliveries.Snapshot()); // the same RequestId twice is delivered once
            Assert.Equal(("c", "1234", "r-1"), (d.Text, d.CopyText, d.RequestId));
            Assert.Equal(Sandbox.Bale.Uploads.Snapshot().Single().FileId, d.FileId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("", 0, 0)]
    [InlineData("-Verbose", 3, 0)]
    [InlineData("-Debug", 0, 3)]
    [InlineData("-Verbose:$false -Debug:$false", 0, 0)]
    public void TheRequestLinesFollowTheCommonParameters(string parameters, int verbose, int debug)
    {
        // Issue 16: the lines of a stream nobody shows are no longer made (a request's masked headers and body cost more
        // than the rest of a row's bookkeeping), so the choice must be PowerShell's own, parameter first.
        var run = _ps.Run($$"""
            $VerbosePreference = 'SilentlyContinue'; $DebugPreference = 'SilentlyContinue'
            '09123456701', '09123456702', '09123456703' | {{Send}} -Text 'x' -ThrottleLimit 1 {{parameters}}
            """);
        Assert.Equal(3, run.Output.Count);
        Assert.Equal(verbose, run.Verbose.Count(v => v.Contains("send_message -> 200")));
        Assert.Equal(debug, run.Debug.Count(d => d.Contains("Response body:")));
    }

    [Fact]
    public void TheRequestLinesFollowThePreferenceVariablesAsTheCallerSetsThem()
    {
        // Set in the caller's scope, or by -Debug on a function that calls the cmdlet; -Verbose:$false still wins.
        var run = _ps.Run($$"""
            function Send-Three { [CmdletBinding()] param() '09123456701', '09123456702', '09123456703' | {{Send}} -Text 'x' -ThrottleLimit 1 }
            $VerbosePreference = 'Continue'
            Send-Three -Debug
            '09123456704' | {{Send}} -Text 'x' -Verbose:$false
            """);
        Assert.Equal(4, run.Output.Count);
        Assert.Equal(3, run.Verbose.Count(v => v.Contains("send_message -> 200")));
        Assert.Equal(3, run.Debug.Count(d => d.Contains("Response body:")));
    }

    [Fact]
    public void VerboseShowsEachRequestAndProgressAppearsOnLongRuns()
    {
        Sandbox.Latency = TimeSpan.FromMilliseconds(120);
        var run = _ps.Run($$"""
            0..19 | ForEach-Object { '091234567' + $_.ToString('00') } | {{Send}} -Text 'x' -ThrottleLimit 2 -Verbose
            """);
        Assert.Equal(20, run.Output.Count);
        Assert.Equal(20, run.Verbose.Count(v => v.Contains("send_message -> 200")));
        Assert.NotEmpty(run.Progress);
        Assert.Equal(ProgressRecordType.Completed, run.Progress.Last().RecordType);
        Assert.Contains(run.Progress, p => p.StatusDescription.Contains(" of 20 sent, "));
        Assert.All(run.Progress.Where(p => p.RecordType == ProgressRecordType.Processing), p =>
            Assert.Matches(@"^\d+( of 20)? sent, [0-2] in flight, \d+(\.\d)?/s$", p.StatusDescription));
    }

    [Fact]
    public void CtrlCStopsTheRunAndCancelsRequestsInFlight()
    {
        Sandbox.Faults.Add(FaultKind.Hang, "send_message", count: 100, delayMs: 20_000);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var run = _ps.Run($"0..9 | ForEach-Object {{ '091234567' + $_.ToString('00') }} | {Send} -Text 'x'", stopAfter: TimeSpan.FromMilliseconds(500));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");
        Assert.IsType<PipelineStoppedException>(run.Terminating);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void TheApiKeyNeverAppearsInAnyStream()
    {
        const string key = "sk-live-DO-NOT-LEAK-5f3a";
        Sandbox.Bale.ApiKey = key;
        try
        {
            Sandbox.Faults.Add(FaultKind.Status, "send_message", count: 1, status: 503);
            var run = _ps.Run($$"""
                $rows = @(
                  [pscustomobject]@{ Phone = '09123456789'; Message = 'ok' },
                  [pscustomobject]@{ Phone = 'bad'; Message = 'x' },
                  [pscustomobject]@{ Phone = '{{BaleSandbox.ErrorPhonePrefix}}17'; Message = 'x' }
                )
                $rows | Send-BaleMessage -BotId 123 -ApiKey '{{key}}' -Endpoint $SandboxBale -Verbose -Debug
                $rows | Send-BaleMessage -BotId 123 -ApiKey '{{key}}' -Endpoint $SandboxBale -WhatIf
                [pscustomobject]@{ Phone = '09123456789'; Message = 'ok' } | Send-BaleMessage -BotId 123 -ApiKey '{{key}}x' -Endpoint $SandboxBale -Verbose
                """);
            Assert.NotEmpty(run.Verbose);
            Assert.NotEmpty(run.Debug);
            Assert.Equal(4, run.Errors.Count); // bad phone (also under -WhatIf), not a Bale user, wrong key
            Assert.DoesNotContain(key, run.AllText());
        }
        finally
        {
            Sandbox.Bale.ApiKey = BaleSandbox.DefaultApiKey;
        }
    }
}
