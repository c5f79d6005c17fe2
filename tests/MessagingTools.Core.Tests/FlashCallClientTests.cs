using System.Collections.Concurrent;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.FlashCall;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>One sandbox for the flash-call tests of this class.</summary>
public sealed class FlashCallSandboxFixture : IAsyncLifetime
{
    public SandboxServer Server { get; private set; } = null!;
    public async Task InitializeAsync() => Server = await SandboxServer.StartAsync();
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class FlashCallClientTests : IClassFixture<FlashCallSandboxFixture>
{
    private const string Token = FlashCallSandbox.DefaultToken;
    private readonly SandboxServer _sandbox;
    private readonly ConcurrentQueue<string> _log = new();

    public FlashCallClientTests(FlashCallSandboxFixture fixture)
    {
        _sandbox = fixture.Server;
        _sandbox.Reset();
        _sandbox.Latency = TimeSpan.Zero;
    }

    private FlashCallClient Client(string token = Token, double timeoutSeconds = 5) =>
        new(new Secret(token), _sandbox.FlashCallEndpoint,
            new HttpTransport(options: new TransportOptions { Timeout = TimeSpan.FromSeconds(timeoutSeconds), InitialBackoff = TimeSpan.FromMilliseconds(10) },
                log: (level, line) => _log.Enqueue($"{level}: {line}")));

    [Theory]
    [InlineData("09123456789")]
    [InlineData("+98 912 345 6789")]
    [InlineData("0098-912-345-6789")]
    [InlineData("989123456789")]
    [InlineData("9123456789")]
    [InlineData("۰۹۱۲۳۴۵۶۷۸۹")]
    [InlineData("٠٩١٢-٣٤٥-٦٧٨٩")]
    [InlineData(" 0912 - 345 - 6789 ")]
    public async Task DestinationIsSentInTheLocalForm(string destination)
    {
        var result = await Client().CallAsync(new FlashCallRequest(destination));

        var call = Assert.Single(_sandbox.FlashCall.Calls.Snapshot());
        Assert.Equal("09123456789", call.Destination);
        Assert.Equal("09123456789", result.Destination);
        Assert.Equal(call.Code, result.Code);
        Assert.Equal(call.HeadNumber, result.HeadNumber);
        Assert.Equal(call.TrackingCode, result.TrackingCode);
        Assert.Equal(FlashCallSandbox.SuccessMessage, result.Message);
        Assert.Equal(call.HeadNumber + call.Code, result.CallerNumber);
    }

    [Fact]
    public async Task CodeLengthAndHeadNumberComeFromTheAnswer()
    {
        _sandbox.FlashCall.CodeLength = 6;
        _sandbox.FlashCall.HeadNumber = "021";
        var result = await Client().CallAsync(new FlashCallRequest("09351234567"));
        Assert.Matches("^[0-9]{6}$", result.Code);
        Assert.Equal("021", result.HeadNumber);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("+1 212 555 0100")]
    [InlineData("0912345678x")]
    public async Task InvalidDestinationIsRefusedBeforeAnyRequest(string destination)
    {
        var ex = await Assert.ThrowsAsync<MessagingException>(() => Client().CallAsync(new FlashCallRequest(destination)));
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal("Destination", ex.Field);
        Assert.Contains("09123456789", ex.Message); // names the accepted forms
        Assert.Equal(0, _sandbox.FlashCall.Requests);
    }

    [Fact]
    public async Task WrongTokenIsAnAuthenticationErrorWithTheProvidersMessageAndNoToken()
    {
        const string wrong = "wrong-token-Ih.nMOjBa3Wy";
        var ex = await Assert.ThrowsAsync<MessagingException>(() => Client(wrong).CallAsync(new FlashCallRequest("09123456789")));
        Assert.Equal(ErrorKind.Authentication, ex.Kind);
        Assert.False(ex.MayHaveTakenEffect);
        Assert.Equal(FlashCallSandbox.InvalidTokenMessage, ex.ProviderMessage);
        Assert.DoesNotContain(wrong, ex.ToString());
        Assert.DoesNotContain(wrong, string.Join("\n", _log));
        Assert.Empty(_sandbox.FlashCall.Calls.Snapshot());
    }

    [Fact]
    public async Task AnAnswerWithoutCodeIsAFailureEvenWithStatus200()
    {
        _sandbox.FlashCall.InvalidTokenStatus = 200;
        var ex = await Assert.ThrowsAsync<MessagingException>(() => Client("another-wrong-token").CallAsync(new FlashCallRequest("09123456789")));
        Assert.Equal("FlashCallWasNotPlaced", ex.ErrorId);
        Assert.Equal(FlashCallSandbox.InvalidTokenMessage, ex.ProviderMessage);
        Assert.Equal(1, _sandbox.FlashCall.Requests);
    }

    [Fact]
    public async Task SuccessIsDecidedByTheCodeNotByTheMessageText()
    {
        _sandbox.FlashCall.SuccessText = "something else entirely";
        var result = await Client().CallAsync(new FlashCallRequest("09123456789"));
        Assert.Equal("something else entirely", result.Message);
        Assert.Equal(_sandbox.FlashCall.Calls.Snapshot().Single().Code, result.Code);
    }

    [Fact]
    public async Task TheBodyIsLoggedWithTheTokenMasked()
    {
        await Client().CallAsync(new FlashCallRequest("09123456789"));
        var log = string.Join("\n", _log);
        Assert.Contains("\"destination\":\"09123456789\"", log);
        Assert.Contains($"\"token\":\"{Secret.Mask}\"", log);
        Assert.DoesNotContain(Token, log);
        // The wire body did carry the real token.
        Assert.Contains(Token, _sandbox.Requests.Snapshot().Single().BodyText);
    }

    [Fact]
    public async Task ATimeoutAfterSendingIsNotRepeatedAndSaysThePhoneMayHaveBeenCalled()
    {
        _sandbox.Faults.Add(FaultKind.Hang, "/flashcall/", afterProcessing: true, delayMs: 5_000);
        var ex = await Assert.ThrowsAsync<MessagingException>(() => Client(timeoutSeconds: 0.5).CallAsync(new FlashCallRequest("09123456789")));
        Assert.Equal(ErrorKind.Timeout, ex.Kind);
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Contains("may already have been called", ex.Message);
        Assert.Equal(1, _sandbox.FlashCall.Requests);
        Assert.Single(_sandbox.FlashCall.Calls.Snapshot()); // the phone did ring
        Assert.DoesNotContain(Token, ex.ToString());
    }

    [Theory]
    [InlineData(FaultKind.Status)]
    [InlineData(FaultKind.Drop)]
    public async Task ServerErrorsAndDroppedConnectionsAreNotRepeated(FaultKind kind)
    {
        _sandbox.Faults.Add(kind, "/flashcall/", count: 5, afterProcessing: true);
        var ex = await Assert.ThrowsAsync<MessagingException>(() => Client().CallAsync(new FlashCallRequest("09123456789")));
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Contains("may already have been called", ex.Message);
        Assert.Equal(1, _sandbox.Requests.Count);
    }

    [Fact]
    public async Task AMalformedAnswerIsAnErrorThatMayHaveTakenEffect()
    {
        _sandbox.Faults.Add(FaultKind.MalformedJson, "/flashcall/");
        var ex = await Assert.ThrowsAsync<MessagingException>(() => Client().CallAsync(new FlashCallRequest("09123456789")));
        Assert.Equal("FlashCallAnswerWasMalformed", ex.ErrorId);
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Equal(1, _sandbox.Requests.Count);
    }

    [Fact]
    public async Task ARefusedConnectionIsReportedAsNotPlaced()
    {
        // Nothing listens on a port we just released: the request never left this machine.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = new FlashCallClient(new Secret(Token), new Uri($"http://127.0.0.1:{port}/services/call/call/"),
            new HttpTransport(options: new TransportOptions { Timeout = TimeSpan.FromSeconds(2), InitialBackoff = TimeSpan.FromMilliseconds(5), MaxAttempts = 2 }));
        var ex = await Assert.ThrowsAsync<MessagingException>(() => client.CallAsync(new FlashCallRequest("09123456789")));
        Assert.Equal(ErrorKind.Network, ex.Kind);
        Assert.False(ex.MayHaveTakenEffect);
    }
}
