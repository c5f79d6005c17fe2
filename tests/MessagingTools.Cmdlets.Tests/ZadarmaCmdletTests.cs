using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>The Zadarma cmdlets run in the real PowerShell engine against the sandbox.</summary>
[Collection("Zadarma environment")] // tests that set process environment variables must not overlap
public sealed class ZadarmaCmdletTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public ZadarmaCmdletTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

    private static void AssertNoSecret(PowerShellRun run)
    {
        Assert.DoesNotContain(ZadarmaSandbox.DefaultSecret, run.AllText());
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
    public void CredentialsComeFromTheEnvironmentWhenNotGiven()
    {
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_KEY", ZadarmaSandbox.DefaultKey);
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_SECRET", ZadarmaSandbox.DefaultSecret);
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_ENDPOINT", _ps.Sandbox.ZadarmaEndpoint.ToString());
        try
        {
            var run = _ps.Run("Get-ZadarmaBalance");
            Assert.Null(run.Terminating);
            var balance = (ZadarmaBalance)Assert.Single(run.Output).BaseObject;
            Assert.Equal(25.47m, balance.Balance);
            Assert.Equal("USD", balance.Currency);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_KEY", null);
            Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_SECRET", null);
            Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_ENDPOINT", null);
        }
    }

    [Fact]
    public void ABlankSecretInTheEnvironmentCountsAsMissing()
    {
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_KEY", ZadarmaSandbox.DefaultKey);
        Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_SECRET", "   ");
        try
        {
            var run = _ps.Run("Get-ZadarmaBalance -Endpoint $ZadarmaEndpoint");
            var error = Assert.Single(run.Errors);
            Assert.StartsWith("ZadarmaSecretIsMissing", error.FullyQualifiedErrorId);
            Assert.Equal(0, _ps.Sandbox.Requests.Count);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_KEY", null);
            Environment.SetEnvironmentVariable("MESSAGINGTOOLS_ZADARMA_API_SECRET", null);
        }
    }

    [Fact]
    public void NoCredentialIsOneClearTerminatingError()
    {
        var run = _ps.Run("Get-ZadarmaBalance -Endpoint $ZadarmaEndpoint; 'after'");
        // A terminating error of a cmdlet stops that statement (the script goes on): exactly one error, no output of it.
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("ZadarmaCredentialIsMissing", error.FullyQualifiedErrorId);
        Assert.Contains("MESSAGINGTOOLS_ZADARMA_API_KEY", error.Exception.Message);
        Assert.Equal(new[] { "after" }, run.Output.Select(o => o.ToString()));
        Assert.Equal(0, _ps.Sandbox.Requests.Count);
    }

    [Fact]
    public void AWrongSecretIsAnAuthenticationErrorWithoutTheSecret()
    {
        var run = _ps.Run("Get-ZadarmaSip -Credential $bad -Endpoint $ZadarmaEndpoint",
            new Dictionary<string, object?> { ["bad"] = PowerShellHost.ZadarmaSandboxCredential("wrong-secret-123") });
        var error = Assert.Single(run.Errors);
        Assert.Equal("AuthenticationError", error.CategoryInfo.Category.ToString());
        Assert.DoesNotContain("wrong-secret-123", run.AllText());
    }

    [Fact]
    public void SipsPipeIntoRedirectionsAndSettingsChange()
    {
        var run = _ps.Run($$"""
            Get-ZadarmaSip {{Connection}} | Get-ZadarmaRedirection {{Connection}}
            Get-ZadarmaRedirection -Sip 100 {{Connection}} | Set-ZadarmaRedirection -Status On -Number '+7 900 111 22 33' {{Connection}}
            Get-ZadarmaSip {{Connection}} | Where-Object Id -eq '101' | Set-ZadarmaCallerId -Number 442037691899 {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        var redirections = run.Output.Select(o => o.BaseObject).OfType<ZadarmaRedirection>().ToList();
        Assert.Equal(new[] { "100", "101" }, redirections.Select(r => r.SipId));
        var change = run.Output.Select(o => o.BaseObject).OfType<ZadarmaRedirectionChange>().Single();
        Assert.Equal((true, "79001112233"), (change.Enabled, change.Destination));
        Assert.True(Zadarma.Sips["100"].RedirectionOn);
        Assert.Equal("79001112233", Zadarma.Sips["100"].RedirectionNumber);
        Assert.Equal("442037691899", run.Output.Select(o => o.BaseObject).OfType<ZadarmaCallerIdChange>().Single().NewCallerId);
        Assert.Equal("442037691899", Zadarma.Sips["101"].CallerId);
    }

    [Fact]
    public void PricesAndSmsFromRows()
    {
        var run = _ps.Run($$"""
            '+44 20 3769 1880', '79001234567' | Get-ZadarmaPrice {{Connection}}
            @(
              [pscustomobject]@{ Phone = '79001234567'; Text = 'Привет!' },
              [pscustomobject]@{ Phone = '79001234568'; Text = '' }
            ) | Send-ZadarmaSms {{Connection}}
            """);
        var prices = run.Output.Select(o => o.BaseObject).OfType<ZadarmaPrice>().ToList();
        Assert.Equal(new[] { 0.009m, 0.0234m }, prices.Select(p => p.PricePerMinute));
        var sms = run.Output.Select(o => o.BaseObject).OfType<ZadarmaSms>().Single();
        Assert.Equal(0.05m, sms.Cost);
        Assert.Equal("Привет!", Assert.Single(Zadarma.Sms.Snapshot()).Message);
        Assert.Single(run.Errors); // the empty text
    }

    [Fact]
    public void StatisticsReturnEveryCallOfThePeriod()
    {
        Zadarma.StatisticsRateLimit = 100;
        Zadarma.GenerateCalls(1500, new DateTime(2026, 10, 1), new DateTime(2026, 11, 15));
        var run = _ps.Run($$"""
            Get-ZadarmaStatistics -Start '2026-10-01' -End '2026-11-15 00:00:00' {{Connection}}
            Get-ZadarmaPbxStatistics -Start '2026-10-01' -End '2026-11-15' -Direction Incoming {{Connection}}
            """);
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(1500, run.Output.Count(o => o.BaseObject is ZadarmaCallRecord));
        Assert.Equal(500, run.Output.Count(o => o.BaseObject is ZadarmaPbxCallRecord));
        Assert.IsType<DateTimeOffset>(run.Output.Select(o => o.BaseObject).OfType<ZadarmaCallRecord>().First().CallStart);
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

    [Fact]
    public void AConcurrentRunSharesOneGateAndNeverMeetsA429()
    {
        Zadarma.RateLimit = 100;
        Zadarma.RateLimitWindow = TimeSpan.FromSeconds(2);
        var run = _ps.Run($"1..300 | ForEach-Object {{ '4420376918{{0:D2}}' -f ($_ % 100) }} | Get-ZadarmaPrice -ThrottleLimit 32 {Connection}");
        Assert.Null(run.Terminating);
        Assert.Empty(run.Errors);
        Assert.Equal(300, run.Output.Count);
        Assert.Equal(0, Zadarma.RateLimitedCount);
        Assert.Empty(run.Warnings); // a 429 waited out would have shown a warning
        // Input order kept although 32 requests ran at once.
        Assert.Equal(Enumerable.Range(1, 300).Select(i => "4420376918" + (i % 100).ToString("D2")),
            run.Output.Select(o => ((ZadarmaPrice)o.BaseObject).Number));
    }

    [Fact]
    public void VerboseAndDebugNeverShowTheSecret()
    {
        var run = _ps.Run($$"""
            $DebugPreference = 'Continue'
            Get-ZadarmaBalance {{Connection}} -Verbose -Debug
            Send-ZadarmaSms -Number 79001234567 -Message 'x' {{Connection}} -Verbose -Debug
            """);
        Assert.NotEmpty(run.Debug);
        Assert.Contains(run.Debug, d => d.Contains("Authorization: ********"));
        AssertNoSecret(run);
    }
}

[CollectionDefinition("Zadarma environment")]
public sealed class ZadarmaEnvironmentCollection { }
