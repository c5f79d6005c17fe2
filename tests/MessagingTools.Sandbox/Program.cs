using MessagingTools.Sandbox;

// Runs the sandbox on its own: dotnet run --project tests/MessagingTools.Sandbox -- --port 5080 [--latency-ms 50]
//   [--front-port 5081] [--manners Polite|CloseSilently|ErrorBeforeBody|Http10|SlowAccept] [--accept-delay-ms 200]
// --port is the polite address; the front door (--front-port, a free one by default) plays the manners.
var options = new SandboxOptions { Port = 5080 };
// --bale-max-upload-bytes N lowers the Bale upload limit (Pester tests refusals with small files).
long? baleMaxUploadBytes = null;
for (int i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--port": options.Port = int.Parse(args[++i]); break;
        case "--latency-ms": options.LatencyMs = int.Parse(args[++i]); break;
        case "--front-port": options.FrontPort = int.Parse(args[++i]); break;
        case "--manners": options.Manners = Enum.Parse<SandboxManners>(args[++i], ignoreCase: true); break;
        case "--accept-delay-ms": options.AcceptDelayMs = int.Parse(args[++i]); break;
        case "--bale-key": options.BaleApiKey = args[++i]; break;
        case "--bale-max-upload-bytes": baleMaxUploadBytes = long.Parse(args[++i]); break;
        case "--flashcall-token": options.FlashCallToken = args[++i]; break;
        case "--feedbot-token": options.FeedbotToken = args[++i]; break;
        case "--zadarma-key": options.ZadarmaKey = args[++i]; break;
        case "--zadarma-secret": options.ZadarmaSecret = args[++i]; break;
    }
}
await using var server = await SandboxServer.StartAsync(options);
if (baleMaxUploadBytes is long maxUpload) server.Bale.MaxUploadBytes = maxUpload;
Console.WriteLine($"MessagingTools sandbox listening on {server.BaseUri}");
Console.WriteLine($"  Front door (manners: {server.Manners}; POST /_sandbox/manners to change): {server.FrontBaseUri}");
Console.WriteLine($"  Bale endpoint: {server.BaleEndpoint} (api key '{options.BaleApiKey}')");
Console.WriteLine($"  Flash call endpoint: {server.FlashCallEndpoint} (token '{options.FlashCallToken}')");
Console.WriteLine($"  FeedBot endpoints: {server.FeedbotSendEndpoint} and {server.FeedbotStatusEndpoint} (token '{options.FeedbotToken}')");
Console.WriteLine($"  Zadarma endpoint: {server.ZadarmaEndpoint} (key '{options.ZadarmaKey}', secret from --zadarma-secret or the default)");
Console.WriteLine("Press Ctrl+C to stop, or POST /_sandbox/stop (Stop-TestSandbox -Port in tests/Sandbox.psm1).");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
// The web host's console lifetime cancels the default handling of SIGTERM (Stop-Process, kill), so ProcessExit
// never comes and the sandbox would keep running: stop on SIGTERM ourselves.
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => stop.TrySetResult());
// POST /_sandbox/stop (Stop-TestSandbox -Port) ends it too: a stop that does not depend on how it was started.
await Task.WhenAny(stop.Task, server.StopRequested);
