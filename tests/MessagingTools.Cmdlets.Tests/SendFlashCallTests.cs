using System.Management.Automation;
using System.Reflection;
using System.Security;
using MessagingTools.Commands.FlashCall;
using MessagingTools.Core.Providers.FlashCall;
using MessagingTools.Internal;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Send-FlashCall: its contract by reflection, and runs in the real PowerShell engine against the sandbox.</summary>
public sealed class SendFlashCallTests : IClassFixture<PowerShellHost>
{
    private readonly PowerShellHost _ps;
    private SandboxServer Sandbox => _ps.Sandbox;

    public SendFlashCallTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private static ParameterAttribute Param(string name) =>
        typeof(SendFlashCallCommand).GetProperty(name)!.GetCustomAttributes<ParameterAttribute>().Single();

    private static string[] Aliases(string name) =>
        typeof(SendFlashCallCommand).GetProperty(name)!.GetCustomAttribute<AliasAttribute>()?.AliasNames.ToArray() ?? Array.Empty<string>();

    [Fact]
    public void IsSendFlashCallWithShouldProcessAndItsResultType()
    {
        var cmdlet = typeof(SendFlashCallCommand).GetCustomAttribute<CmdletAttribute>()!;
        Assert.Equal("Send", cmdlet.VerbName);
        Assert.Equal("FlashCall", cmdlet.NounName);
        Assert.True(cmdlet.SupportsShouldProcess);
        Assert.Equal(ConfirmImpact.Medium, cmdlet.ConfirmImpact);
        var output = typeof(SendFlashCallCommand).GetCustomAttribute<OutputTypeAttribute>()!;
        Assert.Equal(typeof(FlashCallResult), output.Type.Single().Type);
    }

    [Fact]
    public void DestinationBindsFromThePipelineAndTheUsualColumns()
    {
        var p = Param(nameof(SendFlashCallCommand.Destination));
        Assert.True(p.Mandatory);
        Assert.True(p.ValueFromPipeline);
        Assert.True(p.ValueFromPipelineByPropertyName);
        Assert.Equal(0, p.Position);
        foreach (var alias in new[] { "Phone", "PhoneNumber", "Mobile", "Number", "To" })
            Assert.Contains(alias, Aliases(nameof(SendFlashCallCommand.Destination)));
    }

    [Fact]
    public void TokenIsASecureStringThatTakesPlainTextAndNeverComesFromARow()
    {
        var token = typeof(SendFlashCallCommand).GetProperty(nameof(SendFlashCallCommand.Token))!;
        Assert.Equal(typeof(SecureString), token.PropertyType);
        Assert.NotNull(token.GetCustomAttribute<SecureStringTransformationAttribute>());
        Assert.False(Param(nameof(SendFlashCallCommand.Token)).ValueFromPipelineByPropertyName);
        Assert.False(Param(nameof(SendFlashCallCommand.Token)).Mandatory); // the environment variable is the runbook default
        Assert.Equal(typeof(Uri), typeof(SendFlashCallCommand).GetProperty(nameof(SendFlashCallCommand.Endpoint))!.PropertyType);
    }

    [Fact]
    public void RowsAreCalledInOrderAndABadRowGetsItsOwnError()
    {
        var run = _ps.Run("""
            @(
              [pscustomobject]@{ Mobile = '+98 912 345 6789' },
              [pscustomobject]@{ Mobile = '12345' },
              [pscustomobject]@{ Mobile = '۰۹۳۵۱۲۳۴۵۶۷' }
            ) | Send-FlashCall -Token $FlashCallToken -Endpoint $SandboxFlashCall
            """);
        Assert.Null(run.Terminating);
        Assert.Equal(2, run.Output.Count);
        var calls = Sandbox.FlashCall.Calls.Snapshot();
        Assert.Equal(new[] { "09123456789", "09351234567" }, calls.Select(c => c.Destination).OrderBy(d => d));
        var first = (FlashCallResult)run.Output[0].BaseObject;
        var second = (FlashCallResult)run.Output[1].BaseObject;
        Assert.Equal("09123456789", first.Destination);
        Assert.Equal("09351234567", second.Destination);
        Assert.Equal(calls.Single(c => c.Destination == first.Destination).Code, first.Code);
        Assert.Equal(FlashCallSandbox.SuccessMessage, first.Message);
        var error = Assert.Single(run.Errors);
        Assert.Equal("PhoneNumberIsNotAnIranianMobileNumber,MessagingTools.Commands.FlashCall.SendFlashCallCommand", error.FullyQualifiedErrorId);
        Assert.StartsWith("Row 2, Destination:", error.ErrorDetails!.Message);
        Assert.Equal("12345", ((PSObject)error.TargetObject).Properties["Mobile"].Value);
    }

    [Fact]
    public void APlainStringCanBePipedAndTheTokenCanComeFromTheEnvironment()
    {
        var run = _ps.Run("""
            $env:MESSAGINGTOOLS_FLASHCALL_TOKEN = $FlashCallToken
            $env:MESSAGINGTOOLS_FLASHCALL_ENDPOINT = $SandboxFlashCall
            try { '0912-345-6789' | Send-FlashCall }
            finally { $env:MESSAGINGTOOLS_FLASHCALL_TOKEN = $null; $env:MESSAGINGTOOLS_FLASHCALL_ENDPOINT = $null }
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal("09123456789", ((FlashCallResult)Assert.Single(run.Output).BaseObject).Destination);
    }

    [Fact]
    public void WithoutATokenTheCallStopsWithOneClearError()
    {
        var run = _ps.Run("$env:MESSAGINGTOOLS_FLASHCALL_TOKEN = $null; Send-FlashCall -Destination 09123456789 -Endpoint $SandboxFlashCall; 'after'");
        // A terminating error of the command: the script goes on with its next statement, the command wrote nothing.
        var error = Assert.Single(run.Errors);
        Assert.Equal("FlashCallTokenIsMissing,MessagingTools.Commands.FlashCall.SendFlashCallCommand", error.FullyQualifiedErrorId);
        Assert.Contains("MESSAGINGTOOLS_FLASHCALL_TOKEN", error.Exception.Message);
        Assert.Equal("after", Assert.Single(run.Output).BaseObject);
        Assert.Equal(0, Sandbox.FlashCall.Requests);
    }

    [Fact]
    public void WhatIfRingsNoPhoneAndShowsNoToken()
    {
        var run = _ps.Run("Send-FlashCall 09123456789 -Token $FlashCallToken -Endpoint $SandboxFlashCall -WhatIf");
        Assert.Empty(run.Output);
        Assert.Equal(0, Sandbox.FlashCall.Requests);
        Assert.Contains(run.HostText, l => l.Contains("What if: Performing the operation \"Place a flash call (the phone rings once)\" on target \"09123456789\"."));
        Assert.DoesNotContain(FlashCallSandbox.DefaultToken, run.AllText());
    }

    [Fact]
    public void TheTokenNeverAppearsInVerboseDebugOrErrors()
    {
        var run = _ps.Run("""
            Send-FlashCall 09123456789 -Token $FlashCallToken -Endpoint $SandboxFlashCall -Verbose -Debug
            Send-FlashCall 09123456789 -Token 'wrong-secret-token-123' -Endpoint $SandboxFlashCall -Verbose -Debug
            """);
        Assert.Single(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains(run.Debug, d => d.Contains($"\"token\":\"{MessagingTools.Core.Security.Secret.Mask}\""));
        var text = run.AllText();
        Assert.DoesNotContain(FlashCallSandbox.DefaultToken, text);
        Assert.DoesNotContain("wrong-secret-token-123", text);
    }

    [Fact]
    public void ATimeoutAfterSendingIsNotRepeatedAndSaysThePhoneMayHaveBeenCalled()
    {
        Sandbox.Faults.Add(FaultKind.Hang, "/flashcall/", afterProcessing: true, delayMs: 10_000);
        var run = _ps.Run("Send-FlashCall 09123456789 -Token $FlashCallToken -Endpoint $SandboxFlashCall -TimeoutSec 1");
        var error = Assert.Single(run.Errors);
        Assert.True(error.CategoryInfo.Category == ErrorCategory.OperationTimeout, error.Exception.ToString());
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("may already have been called", error.ErrorDetails!.Message);
        Assert.Contains("before sending it again", error.ErrorDetails.RecommendedAction);
        Assert.Equal(1, Sandbox.FlashCall.Requests);
        Assert.Single(Sandbox.FlashCall.Calls.Snapshot());
    }
}
