using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>Get-ZadarmaPrice in the real PowerShell engine against the sandbox.</summary>
[Collection("Zadarma environment")] // tests that set process environment variables must not overlap
public sealed class GetZadarmaPriceTests : IClassFixture<PowerShellHost>
{
    private const string Connection = "-Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint";
    private readonly PowerShellHost _ps;

    public GetZadarmaPriceTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    private ZadarmaSandbox Zadarma => _ps.Sandbox.Zadarma;

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
}
