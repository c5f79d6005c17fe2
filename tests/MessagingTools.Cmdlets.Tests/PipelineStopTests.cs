using System.Management.Automation;
using System.Reflection;
using MessagingTools.Sandbox;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// When the pipeline ends early (-ErrorAction Stop, Select-Object -First), requests not yet sent must not go out:
/// a flash call that nobody sees the outcome of would ring a phone for nothing.
/// </summary>
public sealed class PipelineStopTests : IClassFixture<PowerShellHost>, IDisposable
{
    private const string TenRows = "$rows = 1..10 | ForEach-Object { [pscustomobject]@{ Phone = ('0912345{0:0000}' -f $_) } }";
    private readonly PowerShellHost _ps;

    public PipelineStopTests(PowerShellHost ps)
    {
        _ps = ps;
        _ps.Sandbox.Reset();
    }

    public void Dispose()
    {
        _ps.Sandbox.Reset();
        _ps.Sandbox.Latency = TimeSpan.Zero;
    }

    [Fact]
    public void ErrorActionStopEndsTheRunWithoutFurtherCalls()
    {
        _ps.Sandbox.Faults.Add(FaultKind.Status, "/flashcall/", count: 1, status: 402);
        var run = _ps.Run(TenRows + "\n$rows | Send-FlashCall -Token $FlashCallToken -Endpoint $SandboxFlashCall -ThrottleLimit 1 -ErrorAction Stop");
        Assert.NotNull(run.Terminating);
        Thread.Sleep(1500);
        Assert.True(_ps.Sandbox.FlashCall.Requests <= 2, $"{_ps.Sandbox.FlashCall.Requests} flash-call requests went out after the run stopped");
    }

    [Fact]
    public void ADownstreamStopEndsTheRunWithoutFurtherCalls()
    {
        _ps.Sandbox.Latency = TimeSpan.FromMilliseconds(300);
        var run = _ps.Run(TenRows + "\nImport-Module '" + typeof(SelectFirstCommand).Assembly.Location +
                          "'\n$rows | Send-FlashCall -Token $FlashCallToken -Endpoint $SandboxFlashCall -ThrottleLimit 1 | Select-First");
        Assert.Single(run.Output);
        Thread.Sleep(1500);
        Assert.True(_ps.Sandbox.FlashCall.Requests <= 2, $"{_ps.Sandbox.FlashCall.Requests} flash-call requests went out after Select-First stopped the run");
    }
}

/// <summary>Select-Object -First 1 (not in the hosted engine): passes one object on, then stops the commands upstream.</summary>
[Cmdlet("Select", "First")]
public sealed class SelectFirstCommand : PSCmdlet
{
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        WriteObject(InputObject);
        var stop = typeof(PSCmdlet).Assembly.GetType("System.Management.Automation.StopUpstreamCommandsException", throwOnError: true)!;
        throw (Exception)Activator.CreateInstance(stop, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance, null, new object[] { this }, null)!;
    }
}
