using System.Management.Automation;
using System.Reflection;
using MessagingTools.Commands.Feedbot;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Internal;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Send-FeedbotMessage: its contract by reflection, and runs in the real PowerShell engine against the sandbox.</summary>
public sealed class SendFeedbotMessageTests : IClassFixture<PowerShellHost>
{
    private const string Common = "-Token $FeedbotToken -Endpoint $SandboxFeedbot";
    private readonly PowerShellHost _ps;
    private SandboxServer Sandbox => _ps.Sandbox;

    public SendFeedbotMessageTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

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
}
