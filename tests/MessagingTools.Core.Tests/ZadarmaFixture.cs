using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>One sandbox for a test class; each test resets it.</summary>
public sealed class ZadarmaFixture : IAsyncLifetime
{
    public SandboxServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await SandboxServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public ZadarmaClient Client(TransportOptions? options = null, TransportLog? log = null, string secret = ZadarmaSandbox.DefaultSecret) =>
        new(ZadarmaSandbox.DefaultKey, new Secret(secret), new Uri(Server.BaseUri, "zadarma/"),
            new HttpTransport(options: options ?? new TransportOptions { InitialBackoff = TimeSpan.FromMilliseconds(20) }, log: log));
}
