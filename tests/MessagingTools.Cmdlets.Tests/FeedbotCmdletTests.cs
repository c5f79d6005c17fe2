using System.Management.Automation;
using System.Reflection;
using System.Security;
using MessagingTools.Commands.Feedbot;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Internal;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>The Send-FeedbotMessage and Get-FeedbotStatus contracts, by reflection.</summary>
public sealed class FeedbotContractTests
{
    private static ParameterAttribute Param(Type type, string name) => type.GetProperty(name)!.GetCustomAttributes<ParameterAttribute>().Single();

    private static string[] Aliases(Type type, string name) =>
        type.GetProperty(name)!.GetCustomAttribute<AliasAttribute>()?.AliasNames.ToArray() ?? Array.Empty<string>();

    [Fact]
    public void SendFeedbotMessageIsAShouldProcessSendWithItsResultType()
    {
        var cmdlet = typeof(SendFeedbotMessageCommand).GetCustomAttribute<CmdletAttribute>()!;
        Assert.Equal(("Send", "FeedbotMessage"), (cmdlet.VerbName, cmdlet.NounName));
        Assert.True(cmdlet.SupportsShouldProcess);
        Assert.Equal(typeof(FeedbotMessageResult), typeof(SendFeedbotMessageCommand).GetCustomAttribute<OutputTypeAttribute>()!.Type.Single().Type);
    }

    [Theory]
    [InlineData(nameof(SendFeedbotMessageCommand.PhoneNumber), true, "Phone,Mobile,Number,To,WhatsApp")]
    [InlineData(nameof(SendFeedbotMessageCommand.Message), true, "Text,Body")]
    [InlineData(nameof(SendFeedbotMessageCommand.ImageUrl), false, "Image,ImagePath")]
    [InlineData(nameof(SendFeedbotMessageCommand.ExpiresAt), false, "Expiry,InvalidationTime")]
    [InlineData(nameof(SendFeedbotMessageCommand.DefaultCountryCode), false, "CountryCode")]
    public void SendFeedbotMessageBindsCsvColumns(string name, bool mandatory, string aliases)
    {
        var p = Param(typeof(SendFeedbotMessageCommand), name);
        Assert.Equal(mandatory, p.Mandatory);
        Assert.True(p.ValueFromPipelineByPropertyName);
        foreach (var alias in aliases.Split(',')) Assert.Contains(alias, Aliases(typeof(SendFeedbotMessageCommand), name));
    }

    [Fact]
    public void ExpiryIsADateTimeThatToleratesEmptyCells()
    {
        var expires = typeof(SendFeedbotMessageCommand).GetProperty(nameof(SendFeedbotMessageCommand.ExpiresAt))!;
        Assert.Equal(typeof(DateTime?), expires.PropertyType);
        Assert.NotNull(expires.GetCustomAttribute<OptionalDateTimeTransformationAttribute>());
    }

    [Fact]
    public void BatchSizeIsAValidatedParameterWithASensibleDefault()
    {
        var batch = typeof(SendFeedbotMessageCommand).GetProperty(nameof(SendFeedbotMessageCommand.BatchSize))!;
        Assert.NotNull(batch.GetCustomAttribute<ParameterAttribute>());
        var range = batch.GetCustomAttribute<ValidateRangeAttribute>()!;
        Assert.Equal(1, range.MinRange);
        Assert.Equal(FeedbotClient.MaxBatchSize, range.MaxRange);
        Assert.Equal(100, new SendFeedbotMessageCommand().BatchSize);
    }

    [Theory]
    [InlineData(typeof(SendFeedbotMessageCommand))]
    [InlineData(typeof(GetFeedbotStatusCommand))]
    public void TheTokenIsASecureStringThatTakesPlainText(Type type)
    {
        var token = type.GetProperty("Token")!;
        Assert.Equal(typeof(SecureString), token.PropertyType);
        Assert.NotNull(token.GetCustomAttribute<SecureStringTransformationAttribute>());
        Assert.False(Param(type, "Token").ValueFromPipelineByPropertyName);
    }

    [Fact]
    public void GetFeedbotStatusTakesIdsFromThePipelineAndWaitsWithATimeout()
    {
        var cmdlet = typeof(GetFeedbotStatusCommand).GetCustomAttribute<CmdletAttribute>()!;
        Assert.Equal(("Get", "FeedbotStatus"), (cmdlet.VerbName, cmdlet.NounName));
        Assert.False(cmdlet.SupportsShouldProcess); // a read
        Assert.Equal(typeof(FeedbotStatusResult), typeof(GetFeedbotStatusCommand).GetCustomAttribute<OutputTypeAttribute>()!.Type.Single().Type);
        var id = Param(typeof(GetFeedbotStatusCommand), nameof(GetFeedbotStatusCommand.Id));
        Assert.True(id.Mandatory && id.ValueFromPipeline && id.ValueFromPipelineByPropertyName);
        Assert.Equal(typeof(string[]), typeof(GetFeedbotStatusCommand).GetProperty("Id")!.PropertyType);
        Assert.Equal(typeof(SwitchParameter), typeof(GetFeedbotStatusCommand).GetProperty("Wait")!.PropertyType);
        foreach (var name in new[] { "Timeout", "PollInterval" })
        {
            var p = typeof(GetFeedbotStatusCommand).GetProperty(name)!;
            Assert.Equal(typeof(TimeSpan), p.PropertyType);
            Assert.NotNull(p.GetCustomAttribute<SecondsOrTimeSpanTransformationAttribute>());
        }
        // The Id of Send-FeedbotMessage output is what binds.
        Assert.NotNull(typeof(FeedbotMessageResult).GetProperty("Id"));
    }

    [Fact]
    public void StatusesAreAnEnumOfFailedPendingSent()
    {
        Assert.Equal(new[] { "Failed", "Pending", "Sent" }, Enum.GetNames(typeof(FeedbotMessageStatus)).OrderBy(n => n));
        Assert.Equal(-1, (int)FeedbotMessageStatus.Failed);
        Assert.Equal(0, (int)FeedbotMessageStatus.Pending);
        Assert.Equal(1, (int)FeedbotMessageStatus.Sent);
    }
}

/// <summary>Send-FeedbotMessage and Get-FeedbotStatus in the real PowerShell engine against the sandbox.</summary>
public sealed class FeedbotCmdletTests : IClassFixture<PowerShellHost>
{
    private const string Common = "-Token $FeedbotToken -Endpoint $SandboxFeedbot";
    private readonly PowerShellHost _ps;
    private SandboxServer Sandbox => _ps.Sandbox;

    public FeedbotCmdletTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    [Fact]
    public void RowsAreBatchedAndIdsMatchTheirRowsInOrder()
    {
        var run = _ps.Run($$"""
            $rows = 1..7 | ForEach-Object { [pscustomobject]@{ Phone = "+972 58-666-66$($_.ToString('00'))"; Message = "שלום $_" } }
            $rows | Send-FeedbotMessage {{Common}} -BatchSize 3
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(3, Sandbox.Feedbot.SendRequests); // 3 + 3 + 1
        var queued = Sandbox.Feedbot.Queued.Snapshot().ToDictionary(q => q.Id);
        Assert.Equal(7, run.Output.Count);
        for (int i = 0; i < 7; i++)
        {
            var r = (FeedbotMessageResult)run.Output[i].BaseObject;
            Assert.Equal($"9725866666{i + 1:00}", r.Phone);
            Assert.Equal($"שלום {i + 1}", r.Text);
            Assert.Equal(r.Phone, queued[r.Id].Phone);     // the id really belongs to this row
            Assert.Equal(r.Text, queued[r.Id].Message);
        }
    }

    [Fact]
    public void TheDefaultBatchIsAHundredRows()
    {
        var run = _ps.Run($$"""
            1..150 | ForEach-Object { [pscustomobject]@{ Phone = "97258{0:0000000}" -f $_; Message = "m$_" } } | Send-FeedbotMessage {{Common}}
            """);
        Assert.Empty(run.Errors);
        Assert.Equal(150, run.Output.Count);
        Assert.Equal(2, Sandbox.Feedbot.SendRequests);
    }

    [Fact]
    public void CsvColumnsBindIncludingExpiryImageAndLocalNumbers()
    {
        var run = _ps.Run($$"""
            @(
              [pscustomobject]@{ Mobile = '058-666-6644'; Text = 'with expiry'; Expiry = '2030-11-22 10:00'; Image = 'https://cdn.example.com/a.jpg'; CountryCode = '972' },
              [pscustomobject]@{ Mobile = '058-666-6645'; Text = 'no expiry'; Expiry = ''; Image = ''; CountryCode = '+972' },
              [pscustomobject]@{ Mobile = '0912 345 6789'; Text = 'iran'; Expiry = ''; Image = ''; CountryCode = '98' }
            ) | Send-FeedbotMessage {{Common}}
            """);
        Assert.Empty(run.Errors);
        var queued = Sandbox.Feedbot.Queued.Snapshot();
        Assert.Equal(new[] { "972586666644", "972586666645", "989123456789" }, queued.Select(q => q.Phone));
        var expected = new DateTimeOffset(new DateTime(2030, 11, 22, 10, 0, 0, DateTimeKind.Local)).ToUnixTimeMilliseconds();
        Assert.Equal(expected, queued[0].InvalidationTime);
        Assert.Equal("https://cdn.example.com/a.jpg", queued[0].ImagePath);
        Assert.Null(queued[1].InvalidationTime);
        Assert.Null(queued[1].ImagePath);
    }

    [Fact]
    public void BadRowsGetTheirOwnErrorsAndTheOthersAreStillSent()
    {
        var run = _ps.Run($$"""
            @(
              [pscustomobject]@{ Phone = '972586666641'; Message = 'ok 1' },
              [pscustomobject]@{ Phone = '058-666-6644'; Message = 'no country code' },
              [pscustomobject]@{ Phone = '972586666643'; Message = 'past'; Expiry = '2001-01-01 00:00' },
              [pscustomobject]@{ Phone = '972586666644'; Message = '' },
              [pscustomobject]@{ Phone = '972586666645'; Message = 'ok 2' }
            ) | Send-FeedbotMessage {{Common}}
            """);
        Assert.True(run.Errors.Count == 3, string.Join("\n", run.Errors.Select(e => e.FullyQualifiedErrorId + " | " + e.ErrorDetails?.Message + " | " + e)));
        Assert.Equal(2, run.Output.Count);
        Assert.Equal(2, Sandbox.Feedbot.Queued.Count);
        Assert.Equal(1, Sandbox.Feedbot.SendRequests);
        // An empty required cell is the module's own row error (PowerShell no longer fails the row's binding itself),
        // so every error has its row and they all come out in input order.
        var ours = run.Errors.ToList();
        Assert.StartsWith("Row 2, PhoneNumber:", ours[0].ErrorDetails!.Message);
        Assert.Contains("'058-666-6644'", ours[0].ErrorDetails!.Message);
        Assert.Equal("PhoneNumberIsNotInternational,MessagingTools.Commands.Feedbot.SendFeedbotMessageCommand", ours[0].FullyQualifiedErrorId);
        Assert.StartsWith("Row 3, ExpiresAt:", ours[1].ErrorDetails!.Message);
        Assert.StartsWith("Row 4, Message:", ours[2].ErrorDetails!.Message);
        Assert.Equal("RequiredValueIsEmpty,MessagingTools.Commands.Feedbot.SendFeedbotMessageCommand", ours[2].FullyQualifiedErrorId);
        Assert.Equal("972586666644", ((PSObject)ours[2].TargetObject).Properties["Phone"].Value);
        Assert.Equal("ok 2", ((FeedbotMessageResult)run.Output[1].BaseObject).Text);
    }

    [Fact]
    public void ARejectedBatchEndsAsOneErrorPerRow()
    {
        var run = _ps.Run("""
            1..5 | ForEach-Object { [pscustomobject]@{ Phone = "97258666664$_"; Message = "m$_" } } |
              Send-FeedbotMessage -Token 'not-a-valid-feedbot-token' -Endpoint $SandboxFeedbot -BatchSize 2 -Debug
            """);
        Assert.Empty(run.Output);
        Assert.Equal(5, run.Errors.Count);
        Assert.All(run.Errors, e => Assert.Equal("FeedbotUserIsNotAuthorized,MessagingTools.Commands.Feedbot.SendFeedbotMessageCommand", e.FullyQualifiedErrorId));
        Assert.Equal(new[] { "m1", "m2", "m3", "m4", "m5" }, run.Errors.Select(e => (string)((PSObject)e.TargetObject).Properties["Message"].Value));
        Assert.DoesNotContain("not-a-valid-feedbot-token", run.AllText());
        // Once FeedBot refused the token nothing more is sent: only batches already in flight went out.
        Assert.InRange(Sandbox.Feedbot.SendRequests, 1, 3);
    }

    [Fact]
    public void ATimeoutAfterSendingIsNotRepeatedAndEveryRowSaysItMayHaveBeenQueued()
    {
        Sandbox.Faults.Add(FaultKind.Hang, "/feedbot/addnewmessages", afterProcessing: true, delayMs: 10_000);
        var run = _ps.Run($$"""
            1..3 | ForEach-Object { [pscustomobject]@{ Phone = "97258666664$_"; Message = "m$_" } } | Send-FeedbotMessage {{Common}} -TimeoutSec 1
            """);
        Assert.Empty(run.Output);
        Assert.Equal(3, run.Errors.Count);
        Assert.All(run.Errors, e =>
        {
            Assert.Equal(ErrorCategory.OperationTimeout, e.CategoryInfo.Category);
            Assert.Contains("may already have been queued", e.ErrorDetails!.Message);
        });
        Assert.Equal(1, Sandbox.Feedbot.SendRequests);
        Assert.Equal(3, Sandbox.Feedbot.Queued.Count);
    }

    [Fact]
    public void WhatIfSendsNothing()
    {
        var run = _ps.Run($"Send-FeedbotMessage 972586666644 'hello there' {Common} -WhatIf");
        Assert.Empty(run.Output);
        Assert.Equal(0, Sandbox.Feedbot.SendRequests);
        Assert.Contains(run.HostText, l => l.Contains("What if: Performing the operation \"Queue FeedBot WhatsApp message \"hello there\"\" on target \"972586666644\"."));
        Assert.DoesNotContain(FeedbotSandbox.DefaultToken, run.AllText());
    }

    [Fact]
    public void SendThenWaitForStatusInOnePipeline()
    {
        Sandbox.Feedbot.StatusDelay = TimeSpan.FromMilliseconds(300);
        var run = _ps.Run("""
            $rows = @(
              [pscustomobject]@{ Phone = '972586666641'; Message = 'a' },
              [pscustomobject]@{ Phone = '972586666640'; Message = 'b (fails: ends in 0)' },
              [pscustomobject]@{ Phone = '972586666643'; Message = 'c' }
            )
            $rows | Send-FeedbotMessage -Token $FeedbotToken -Endpoint $SandboxFeedbot |
              Get-FeedbotStatus -Wait -PollInterval 0.05 -Timeout 20 -Token $FeedbotToken -Endpoint $SandboxFeedbotStatus
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        var statuses = run.Output.Select(o => (FeedbotStatusResult)o.BaseObject).ToList();
        Assert.Equal(new[] { "972586666641", "972586666640", "972586666643" }, statuses.Select(s => s.Phone));
        Assert.Equal(new[] { FeedbotMessageStatus.Sent, FeedbotMessageStatus.Failed, FeedbotMessageStatus.Sent }, statuses.Select(s => s.Status));
        Assert.Equal(FeedbotSandbox.NotOnWhatsApp, statuses[1].Reason);
        Assert.Equal(Sandbox.Feedbot.Queued.Snapshot().Select(q => q.Id), statuses.Select(s => s.Id));
        Assert.All(statuses, s => Assert.True(s.Checks > 1));
        Assert.Empty(run.Warnings);
    }

    [Fact]
    public void AfterTheTimeoutStillPendingMessagesAreOutputAsPendingWithAWarning()
    {
        Sandbox.Feedbot.StatusDelay = TimeSpan.FromMinutes(5);
        var run = _ps.Run("""
            $sent = 1..2 | ForEach-Object { [pscustomobject]@{ Phone = "97258666664$_"; Message = "m$_" } } |
              Send-FeedbotMessage -Token $FeedbotToken -Endpoint $SandboxFeedbot
            $sent | Get-FeedbotStatus -Wait -Timeout '00:00:00.4' -PollInterval 0.05 -Token $FeedbotToken -Endpoint $SandboxFeedbotStatus
            """);
        Assert.Empty(run.Errors);
        var statuses = run.Output.Select(o => o.BaseObject).OfType<FeedbotStatusResult>().ToList();
        Assert.Equal(2, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(FeedbotMessageStatus.Pending, s.Status));
        Assert.Contains(run.Warnings, w => w.Contains("2 of 2 FeedBot messages were still pending"));
    }

    [Fact]
    public void IdsCanBeGivenDirectlyAndUnknownIdsAreErrors()
    {
        Sandbox.Feedbot.StatusDelay = TimeSpan.Zero;
        var send = _ps.Run("Send-FeedbotMessage 972586666641 'x' -Token $FeedbotToken -Endpoint $SandboxFeedbot");
        var id = ((FeedbotMessageResult)Assert.Single(send.Output).BaseObject).Id;
        var run = _ps.Run($"""
            $env:MESSAGINGTOOLS_FEEDBOT_TOKEN = $FeedbotToken
            $env:MESSAGINGTOOLS_FEEDBOT_STATUS_ENDPOINT = $SandboxFeedbotStatus
            try {"{"} Get-FeedbotStatus -Id '{id}', 'no-such-id' {"}"}
            finally {"{"} $env:MESSAGINGTOOLS_FEEDBOT_TOKEN = $null; $env:MESSAGINGTOOLS_FEEDBOT_STATUS_ENDPOINT = $null {"}"}
            """);
        var status = (FeedbotStatusResult)Assert.Single(run.Output).BaseObject;
        Assert.Equal(FeedbotMessageStatus.Sent, status.Status);
        Assert.Equal(1, status.Checks);
        var error = Assert.Single(run.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public void PlainIdStringsBindFromThePipeline()
    {
        Sandbox.Feedbot.StatusDelay = TimeSpan.FromMinutes(1);
        var send = _ps.Run("Send-FeedbotMessage 972586666641 'x' -Token $FeedbotToken -Endpoint $SandboxFeedbot");
        var id = ((FeedbotMessageResult)Assert.Single(send.Output).BaseObject).Id;
        var run = _ps.Run($"'{id}' | Get-FeedbotStatus -Token $FeedbotToken -Endpoint $SandboxFeedbotStatus");
        Assert.Empty(run.Errors);
        var status = (FeedbotStatusResult)Assert.Single(run.Output).BaseObject;
        Assert.Equal(id, status.Id);
        Assert.Equal(FeedbotMessageStatus.Pending, status.Status);
        Assert.Null(status.Phone);
    }

    [Fact]
    public void ACsvRowWithAnIdColumnBindsToGetFeedbotStatus()
    {
        var run = _ps.Run("""
            $sent = [pscustomobject]@{ Phone = '972586666641'; Message = 'a' } | Send-FeedbotMessage -Token $FeedbotToken -Endpoint $SandboxFeedbot
            [pscustomobject]@{ Id = $sent.Id; Phone = $sent.Phone } | Get-FeedbotStatus -Token $FeedbotToken -Endpoint $SandboxFeedbotStatus
            """);
        Assert.Empty(run.Errors);
        Assert.Single(run.Output);
    }
}
