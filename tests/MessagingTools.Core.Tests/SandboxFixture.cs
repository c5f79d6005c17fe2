using System.Collections.Concurrent;
using MessagingTools.Core.Http;
using MessagingTools.Sandbox;

namespace MessagingTools.Core.Tests;

/// <summary>One sandbox server per test class (xunit runs classes in parallel, so each gets its own).</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await SandboxServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>A transport with short timeouts and back-offs so fault tests run fast, and a log that records every line.</summary>
public sealed class TestTransport
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public HttpTransport Transport { get; }

    public TestTransport(TimeSpan? timeout = null, int maxAttempts = 4)
    {
        Transport = new HttpTransport(options: new TransportOptions
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
            MaxAttempts = maxAttempts,
            InitialBackoff = TimeSpan.FromMilliseconds(10),
            MaxBackoff = TimeSpan.FromMilliseconds(50),
            DefaultRateLimitWait = TimeSpan.FromMilliseconds(50),
            MaxRateLimitRetries = 3,
        }, log: (level, message) => Lines.Enqueue($"{level}: {message}"));
    }

    public string Log => string.Join("\n", Lines);
}
