using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MessagingTools.Sandbox;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>What one hosted PowerShell run produced.</summary>
public sealed record PowerShellRun(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> HostText,
    IReadOnlyList<ProgressRecord> Progress,
    Exception? Terminating)
{
    /// <summary>Every text the run showed or could show a user: output, errors, streams and the host.</summary>
    public string AllText() => string.Join("\n",
        Output.Select(o => o?.ToString() ?? "")
            .Concat(Output.SelectMany(o => o?.Properties.Select(p => $"{p.Name}={SafeValue(p)}") ?? Array.Empty<string>()))
            .Concat(Errors.SelectMany(e => new[] { e.ToString(), e.Exception?.ToString() ?? "", e.ErrorDetails?.Message ?? "", e.FullyQualifiedErrorId }))
            .Concat(Verbose).Concat(Debug).Concat(Warnings).Concat(HostText)
            .Append(Terminating?.ToString() ?? ""));

    private static string SafeValue(PSPropertyInfo p)
    {
        try { return p.Value?.ToString() ?? ""; } catch { return ""; }
    }
}

/// <summary>
/// The real PowerShell engine (System.Management.Automation 7.6), hosted in the test process, with the module
/// imported from its manifest in the test output folder and a Bale sandbox running on 127.0.0.1.
/// </summary>
public sealed class PowerShellHost : IAsyncLifetime
{
    public SandboxServer Sandbox { get; private set; } = null!;

    public static string ModuleManifest => Path.Combine(AppContext.BaseDirectory, "MessagingTools.psd1");

    public async Task InitializeAsync() => Sandbox = await SandboxServer.StartAsync();

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();

    /// <summary>Runs a script with the module imported; <paramref name="variables"/> become PowerShell variables.</summary>
    /// <param name="stopAfter">Presses Ctrl+C (PowerShell.Stop) after this long.</param>
    public PowerShellRun Run(string script, IDictionary<string, object?>? variables = null, TimeSpan? stopAfter = null)
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(new[] { ModuleManifest });
        iss.Variables.Add(new SessionStateVariableEntry("SandboxBale", Sandbox.BaleEndpoint.ToString(), "Bale sandbox endpoint"));
        iss.Variables.Add(new SessionStateVariableEntry("BaleKey", BaleSandboxKey, "Bale sandbox key"));
        iss.Variables.Add(new SessionStateVariableEntry("SandboxFlashCall", Sandbox.FlashCallEndpoint.ToString(), "Flash-call sandbox endpoint"));
        iss.Variables.Add(new SessionStateVariableEntry("FlashCallToken", MessagingTools.Sandbox.Providers.FlashCallSandbox.DefaultToken, "Flash-call sandbox token"));
        iss.Variables.Add(new SessionStateVariableEntry("SandboxFeedbot", Sandbox.FeedbotSendEndpoint.ToString(), "FeedBot sandbox send endpoint"));
        iss.Variables.Add(new SessionStateVariableEntry("SandboxFeedbotStatus", Sandbox.FeedbotStatusEndpoint.ToString(), "FeedBot sandbox status endpoint"));
        iss.Variables.Add(new SessionStateVariableEntry("FeedbotToken", MessagingTools.Sandbox.Providers.FeedbotSandbox.DefaultToken, "FeedBot sandbox token"));
        iss.Variables.Add(new SessionStateVariableEntry("ZadarmaEndpoint", Sandbox.ZadarmaEndpoint.ToString(), "Zadarma sandbox endpoint"));
        iss.Variables.Add(new SessionStateVariableEntry("ZadarmaCredential", ZadarmaSandboxCredential(), "Zadarma sandbox key and secret"));
        if (variables != null)
            foreach (var v in variables) iss.Variables.Add(new SessionStateVariableEntry(v.Key, v.Value, ""));
        var host = new RecordingHost();
        using var runspace = RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        Collection<PSObject> output = new();
        Exception? terminating = null;
        try
        {
            if (stopAfter is TimeSpan delay)
            {
                var pending = ps.BeginInvoke();
                if (!pending.AsyncWaitHandle.WaitOne(delay)) ps.Stop();
                output = new Collection<PSObject>(ps.EndInvoke(pending).ToList());
            }
            else
            {
                output = ps.Invoke();
            }
        }
        catch (RuntimeException ex)
        {
            terminating = ex;
        }
        return new PowerShellRun(output.ToList(), ps.Streams.Error.ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(), ps.Streams.Debug.Select(d => d.Message).ToList(),
            ps.Streams.Warning.Select(w => w.Message).ToList(), host.Lines.ToList(),
            ps.Streams.Progress.Concat(host.Progress).ToList(), terminating);
    }

    /// <summary>The Zadarma sandbox's key (user name) and secret (password).</summary>
    public static PSCredential ZadarmaSandboxCredential(string secret = MessagingTools.Sandbox.Providers.ZadarmaSandbox.DefaultSecret)
    {
        var secure = new System.Security.SecureString();
        foreach (var c in secret) secure.AppendChar(c);
        secure.MakeReadOnly();
        return new PSCredential(MessagingTools.Sandbox.Providers.ZadarmaSandbox.DefaultKey, secure);
    }

    public const string BaleSandboxKey = MessagingTools.Sandbox.Providers.BaleSandbox.DefaultApiKey;
}
