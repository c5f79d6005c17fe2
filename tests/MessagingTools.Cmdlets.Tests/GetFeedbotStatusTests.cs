using System.Management.Automation;
using System.Reflection;
using MessagingTools.Commands.Feedbot;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Internal;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Get-FeedbotStatus: its contract by reflection, and runs in the real PowerShell engine against the sandbox.</summary>
public sealed class GetFeedbotStatusTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;
    private SandboxServer Sandbox => _ps.Sandbox;

    public GetFeedbotStatusTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private static ParameterAttribute Param(Type type, string name) => type.GetProperty(name)!.GetCustomAttributes<ParameterAttribute>().Single();

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

    // Issue 11, item 9: a parameter that names several things (-Path a, b; -Id x, y, z) gives each of them its own
    // outcome: one that is wrong is that one's error, naming the field (and, for an id, its position), and the others
    // are still carried out, in order. Seen in PowerShell 7.6.9: one missing path failed the whole call and nothing was
    // uploaded; one blank id failed every id.
    [Fact]
    public void ABlankIdAmongSeveralIsItsOwnErrorNamingIdAndItsPosition()
    {
        Sandbox.Feedbot.StatusDelay = TimeSpan.Zero;
        var send = _ps.Run("Send-FeedbotMessage 972586666641 'one' -Token $FeedbotToken -Endpoint $SandboxFeedbot; " +
                           "Send-FeedbotMessage 972586666642 'two' -Token $FeedbotToken -Endpoint $SandboxFeedbot");
        var ids = send.Output.Select(o => ((FeedbotMessageResult)o.BaseObject).Id).ToList();
        Assert.Equal(2, ids.Count);

        var run = _ps.Run($"Get-FeedbotStatus -Id '{ids[0]}', '  ', '{ids[1]}' -Token $FeedbotToken -Endpoint $SandboxFeedbotStatus");

        Assert.Null(run.Terminating);
        Assert.Equal(ids, run.Output.Select(o => ((FeedbotStatusResult)o.BaseObject).Id));
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("FeedbotMessageIdIsMissing,", error.FullyQualifiedErrorId);
        Assert.Equal("Id", ((MessagingException)error.Exception).Field);
        Assert.StartsWith("Id: ", error.ErrorDetails!.Message);
        Assert.Contains("position 2 of 3", error.ErrorDetails.Message);
    }
}
