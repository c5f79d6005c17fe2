using System.Management.Automation;
using System.Reflection;
using MessagingTools.Commands.Zadarma;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Invoke-ZadarmaCallback: its contract by reflection, and runs in the real PowerShell engine against the sandbox.</summary>
[Collection("Zadarma environment")] // tests that set process environment variables must not overlap
public sealed class InvokeZadarmaCallbackTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public InvokeZadarmaCallbackTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    private static void AssertNoSecret(PowerShellRun run)
    {
        Assert.DoesNotContain(ZadarmaSandbox.DefaultSecret, run.AllText());
    }

    private static ParameterAttribute Param(Type type, string name) =>
        type.GetProperty(name)!.GetCustomAttributes<ParameterAttribute>().Single();

    private static string[] Aliases(Type type, string name) =>
        type.GetProperty(name)!.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames).ToArray();

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
    public void CsvRowsPlaceCallbacksInOrderWithOneOutcomeEach()
    {
        var run = _ps.Run($$"""
            $rows = @(
              [pscustomobject]@{ Caller = '100'; Number = '+44 20 3769 1881' },
              [pscustomobject]@{ Source = '101'; Destination = '442037691882'; Predicted = 'yes' },
              [pscustomobject]@{ Extension = '100'; Phone = 'not a number' },
              [pscustomobject]@{ From = '100'; To = '442037691884'; Sip = '101'; Predicted = 'false' }
            )
            $rows | Invoke-ZadarmaCallback {{Connection}} -Verbose
            """);
        Assert.Null(run.Terminating);
        Assert.Equal(3, run.Output.Count);
        var results = run.Output.Select(o => (ZadarmaCallback)o.BaseObject).ToList();
        Assert.Equal(new[] { "442037691881", "442037691882", "442037691884" }, results.Select(r => r.To));
        Assert.Equal(new[] { false, true, false }, results.Select(r => r.Predicted));
        var error = Assert.Single(run.Errors);
        Assert.Contains("Row 3", error.ErrorDetails!.Message);
        Assert.Contains("To", error.ErrorDetails.Message);
        Assert.Equal("ZadarmaNumberIsInvalid,MessagingTools.Commands.Zadarma.InvokeZadarmaCallbackCommand", error.FullyQualifiedErrorId);
        var placed = Zadarma.Callbacks.Snapshot();
        Assert.Equal(3, placed.Count);
        Assert.Contains(placed, c => c.Sip == "101" && c.To == "442037691884");
        Assert.NotEmpty(run.Verbose);
        AssertNoSecret(run);
    }

    [Fact]
    public void APipedStringIsTheNumberToCall()
    {
        var run = _ps.Run($"'442037691881' | Invoke-ZadarmaCallback -From 100 {Connection}");
        Assert.Null(run.Terminating);
        Assert.Single(run.Output);
        Assert.Equal("442037691881", Assert.Single(Zadarma.Callbacks.Snapshot()).To);
    }

    // The -WhatIf of every Zadarma cmdlet that places a call, sends an SMS or changes a setting.
    [Fact]
    public void WhatIfPlacesNothingAndShowsNoSecret()
    {
        var run = _ps.Run($$"""
            [pscustomobject]@{ Caller = '100'; Number = '442037691881' } | Invoke-ZadarmaCallback {{Connection}} -WhatIf
            Send-ZadarmaSms -Number 79001234567 -Message 'hello' {{Connection}} -WhatIf
            Set-ZadarmaRedirection -Sip 100 -Status On {{Connection}} -WhatIf
            Set-ZadarmaCallerId -Sip 100 -Number 442037691899 {{Connection}} -WhatIf
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Output);
        Assert.Empty(Zadarma.Callbacks.Snapshot());
        Assert.Empty(Zadarma.Sms.Snapshot());
        Assert.False(Zadarma.Sips["100"].RedirectionOn);
        Assert.Equal(0, _ps.Sandbox.Requests.Count);
        var whatIf = run.HostText.Where(l => l.StartsWith("What if:")).ToList();
        Assert.Equal(4, whatIf.Count);
        Assert.Contains(whatIf, l => l.Contains("\"100 -> 442037691881\"") && l.Contains("Zadarma callback"));
        AssertNoSecret(run);
    }

    [Fact]
    public void ATimedOutCallbackIsNotRepeatedAndSaysSo()
    {
        _ps.Sandbox.Faults.Add(FaultKind.Hang, "/v1/request/callback/", count: 3, afterProcessing: true, delayMs: 10_000);
        var run = _ps.Run($"Invoke-ZadarmaCallback -From 100 -To 442037691881 -TimeoutSec 3 {Connection}");
        var error = Assert.Single(run.Errors);
        Assert.True(error.ErrorDetails != null, error.ToString() + " | " + error.Exception);
        Assert.Contains("the call may have been placed", error.ErrorDetails!.Message);
        Assert.Equal("OperationTimeout", error.CategoryInfo.Category.ToString());
        Assert.Single(Zadarma.Callbacks.Snapshot());
        Assert.Single(_ps.Sandbox.Requests.Snapshot(), r => r.Path.EndsWith("/v1/request/callback/"));
        AssertNoSecret(run);
    }
}
