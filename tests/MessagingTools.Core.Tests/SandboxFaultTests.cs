using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>The sandbox's fault injector itself, where a benchmark or a test relies on its counting.</summary>
public sealed class SandboxFaultTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxServer _sandbox;

    public SandboxFaultTests(SandboxFixture fixture)
    {
        _sandbox = fixture.Server;
        _sandbox.Reset();
        _sandbox.Latency = TimeSpan.Zero;
    }

    public void Dispose() => _sandbox.Reset();

    [Fact]
    public async Task AFaultWithEveryHitsEveryNthMatchingRequestUntilItsCountIsUsedUp()
    {
        // No retries: each send is one request, so the request number is the message number.
        var client = new BaleClient(new Secret(BaleSandbox.DefaultApiKey), _sandbox.BaleEndpoint, new TestTransport(maxAttempts: 1).Transport);
        _sandbox.Faults.Add(FaultKind.Status, "send_message", count: 2, afterProcessing: true, every: 3);
        _sandbox.Faults.Add(FaultKind.Status, "upload_file", count: 100, every: 1); // other paths never advance it

        var failed = new List<int>();
        for (int n = 1; n <= 9; n++)
        {
            try { await client.SendMessageAsync(new BaleMessage(123, "0912" + n.ToString("D7")) { Text = "m" + n }); }
            catch (MessagingException) { failed.Add(n); }
        }

        Assert.Equal(new[] { 3, 6 }, failed);                // the 9th would be the third hit: Count is 2
        Assert.Equal(9, _sandbox.Bale.Deliveries.Count);     // AfterProcessing: delivered, then answered 500
    }

    [Fact]
    public async Task AFaultThatSkipsRepeatsHitsEveryNthNewRequestAndLetsItsRetryThrough()
    {
        // "A 500 after every 3rd delivery": the 3rd and 6th messages get a 500 once; their retries (same body, same
        // request_id) pass and are not counted, so the 6th message is the 6th delivery, not the 7th request.
        var transport = new TestTransport();
        var client = new BaleClient(new Secret(BaleSandbox.DefaultApiKey), _sandbox.BaleEndpoint, transport.Transport);
        _sandbox.Faults.Add(FaultKind.Status, "send_message", count: 100, afterProcessing: true, every: 3, skipRepeats: true);

        for (int n = 1; n <= 7; n++)
            await client.SendMessageAsync(new BaleMessage(123, "0912" + n.ToString("D7")) { Text = "m" + n });

        Assert.Equal(9, _sandbox.Bale.SendRequests);          // 7 messages, 2 of them retried once
        Assert.Equal(7, _sandbox.Bale.Deliveries.Count);
        Assert.Equal(2, transport.Lines.Count(l => l.Contains("retrying in", StringComparison.Ordinal)));
    }
}
