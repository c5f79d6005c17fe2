using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Security;
using static MessagingTools.Core.Tests.RawHttpServer;

namespace MessagingTools.Core.Tests;

/// <summary>
/// The transport under faults that only a bare socket produces (issue 11): nothing sent twice, nothing reported sent
/// that was not, no credential to another host, bounded answers.
/// </summary>
public sealed class TransportFaultTests
{
    private static TransportRequest Get(Uri baseUri, string path, bool idempotent) =>
        new("Test", path, HttpMethod.Get, new Uri(baseUri, path)) { Idempotent = idempotent, UncertainOutcome = "the call may have been placed" };

    [Fact]
    public async Task ARequestThatMustNotBeRepeatedIsSentOnceWhenTheKeptAliveConnectionDropsAfterTheServerActed()
    {
        // The server answers a read, keeping the connection alive; then reads the callback on that connection (or a
        // new one), acts on it and closes the socket without answering, and answers everything after that.
        var callbacks = 0;
        using var server = new RawHttpServer(r => r.Path.StartsWith("/callback") && Interlocked.Increment(ref callbacks) == 1 ? new Drop() : new Answer(200));
        var transport = new TestTransport().Transport;

        var read = await transport.SendAsync(Get(server.BaseUri, "balance", idempotent: true));
        Assert.Equal(200, read.StatusCode);
        var ex = await Assert.ThrowsAsync<MessagingException>(() => transport.SendAsync(Get(server.BaseUri, "callback", idempotent: false)));

        Assert.Equal(1, server.Requests.Count(r => r.Path.StartsWith("/callback")));
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Equal("ConnectionFailedMayHaveTakenEffect", ex.ErrorId);
        Assert.Contains("the call may have been placed", ex.Message);
    }

    [Fact]
    public async Task ARequestThatMustNotBeRepeatedIsSentOnceWhenItFollowsAnotherOnTheSameConnection()
    {
        // One after the other: a dropped second callback must not be re-sent by the handler.
        var callbacks = 0;
        using var server = new RawHttpServer(r => r.Path.StartsWith("/callback") && Interlocked.Increment(ref callbacks) == 2 ? new Drop() : new Answer(200));
        var transport = new TestTransport().Transport;

        await transport.SendAsync(Get(server.BaseUri, "callback/1", idempotent: false));
        var ex = await Assert.ThrowsAsync<MessagingException>(() => transport.SendAsync(Get(server.BaseUri, "callback/2", idempotent: false)));

        Assert.Equal(new[] { "/callback/1", "/callback/2" }, server.Requests.Select(r => r.Path).ToArray());
        Assert.True(ex.MayHaveTakenEffect);
    }

    [Fact]
    public async Task ARequestThatMayBeRepeatedStillReusesConnections()
    {
        using var server = new RawHttpServer(_ => new Answer(200));
        var transport = new TestTransport().Transport;

        for (var i = 0; i < 5; i++) await transport.SendAsync(Get(server.BaseUri, "balance", idempotent: true));

        Assert.Equal(5, server.Requests.Count);
        Assert.Equal(1, server.Connections);
    }
}
