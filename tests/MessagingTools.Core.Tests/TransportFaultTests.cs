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

    private static TransportRequest Send(Uri baseUri, int n) =>
        new("Test", "callback", HttpMethod.Post, new Uri(baseUri, "callback/" + n))
        {
            Idempotent = false,
            ActsOnTheServer = true,
            UncertainOutcome = "the call may have been placed",
            Content = () => new StringContent("{\"n\":" + n + "}"),
        };

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public async Task ARequestThatMustNotBeRepeatedGetsItsAnswerFromAServerThatClosesAfterEachAnswerWithoutSayingSo(int concurrency)
    {
        // Issue 16: such a server (HTTP/1.1 allows it; Python's http.server does it) answered 141 of 200 callbacks at
        // ThrottleLimit 8; every other row ended ConnectionFailedMayHaveTakenEffect though the server never received it:
        // the request said Connection: close, the handler put the connection back in its pool all the same, and the
        // next request written on it met the closed socket. Every 10th request is refused with a 429 to be retried.
        var seen = 0;
        using var server = new RawHttpServer(_ => Interlocked.Increment(ref seen) % 10 == 0
            ? new AnswerThenClose(429, "{}")
            : new AnswerThenClose(200, "{\"status\":\"success\"}"));
        var transport = new TestTransport().Transport;
        var next = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) <= 200)
            {
                try
                {
                    var answer = await transport.SendAsync(Send(server.BaseUri, n));
                    if (answer.StatusCode != 200) failures.Enqueue($"{n}: {answer.StatusCode}");
                }
                catch (MessagingException ex) { failures.Enqueue($"{n}: {ex.ErrorId}"); }
            }
        }));

        Assert.Empty(failures);
        var received = server.Requests.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(200, received.Count);
        // A request is received twice only when its first copy was refused with the 429.
        Assert.Equal(server.Requests.Count, 200 + server.Requests.Count / 10);
    }

    [Fact]
    public async Task ARequestThatMustNotBeRepeatedIsNeverWrittenOnAConnectionThatServedAnotherRequest()
    {
        // The property itself, against a polite server that keeps every connection open: whatever the server answers,
        // a request that must not be repeated goes on a connection of its own, and no other request follows it there.
        using var server = new RawHttpServer(_ => new Answer(200));
        var transport = new TestTransport().Transport;

        await transport.SendAsync(Get(server.BaseUri, "balance", idempotent: true));
        for (var i = 1; i <= 5; i++) await transport.SendAsync(Send(server.BaseUri, i));
        await Task.WhenAll(Enumerable.Range(6, 10).Select(i => transport.SendAsync(Send(server.BaseUri, i))));
        await transport.SendAsync(Get(server.BaseUri, "balance", idempotent: true));

        var byConnection = server.Requests.GroupBy(r => r.Connection).ToList();
        foreach (var connection in byConnection.Where(c => c.Any(r => r.Path.StartsWith("/callback"))))
            Assert.Single(connection);
        Assert.Equal(15, server.Requests.Count(r => r.Path.StartsWith("/callback")));
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

public sealed class TransportRedirectAndSizeTests
{
    private static TransportRequest Post(Uri uri, Secret key) =>
        new("Test", "send", HttpMethod.Post, uri)
        {
            Idempotent = true,
            Content = () => new StringContent("{\"token\":\"" + key.Reveal() + "\"}"),
            SecretHeaders = { ["api-access-key"] = key },
            Secrets = { key },
        };

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task ARedirectIsNotFollowedSoNoCredentialGoesToAnotherHostAndItIsAnErrorNamingTheLocation(int status)
    {
        using var elsewhere = new RawHttpServer(_ => new Answer(200, "{\"ok\":true}"));
        var location = new Uri(elsewhere.BaseUri, "login?next=send");
        using var server = new RawHttpServer(_ => new Answer(status, "", new Dictionary<string, string> { ["Location"] = location.ToString() }));
        var key = new Secret("key-that-stays-home-1234");

        var ex = await Assert.ThrowsAsync<MessagingException>(() => new TestTransport().Transport.SendAsync(Post(new Uri(server.BaseUri, "send"), key)));

        Assert.Empty(elsewhere.Requests);
        Assert.Single(server.Requests);
        Assert.Equal("TestAnswerWasARedirect", ex.ErrorId);
        Assert.Equal(ErrorKind.Remote, ex.Kind);
        Assert.Equal(status, ex.HttpStatus);
        Assert.False(ex.MayHaveTakenEffect);
        Assert.Contains(location.ToString(), ex.Message);
        Assert.Contains("-Endpoint", ex.Message);
    }

    [Fact]
    public async Task AnAnswerLargerThanTheBoundIsRefusedWithoutReadingItWhole()
    {
        using var server = new RawHttpServer(_ => new Huge(64L * 1024 * 1024));
        var transport = new HttpTransport(options: new TransportOptions { MaxAnswerBytes = 1024 * 1024, MaxAttempts = 1 });
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var ex = await Assert.ThrowsAsync<MessagingException>(() => transport.SendAsync(new TransportRequest("Test", "read", HttpMethod.Get, server.BaseUri) { Idempotent = true }));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal("TestAnswerWasTooLarge", ex.ErrorId);
        Assert.Contains("1 MB", ex.Message);
        Assert.True(allocated < 16L * 1024 * 1024, $"{allocated:N0} bytes allocated for a refused 64 MB answer");
    }

    [Fact]
    public async Task AnAnswerLargerThanTheBoundToARequestThatMustNotBeRepeatedSaysItMayHaveTakenEffect()
    {
        using var server = new RawHttpServer(_ => new Huge(4L * 1024 * 1024));
        var transport = new HttpTransport(options: new TransportOptions { MaxAnswerBytes = 1024 * 1024 });

        var ex = await Assert.ThrowsAsync<MessagingException>(() => transport.SendAsync(
            new TransportRequest("Test", "call", HttpMethod.Get, server.BaseUri) { Idempotent = false, UncertainOutcome = "the phone may already have been called" }));

        Assert.Single(server.Requests);
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Contains("the phone may already have been called", ex.Message);
    }

    [Fact]
    public void TheDefaultBoundIsFarAboveWhatProvidersAnswer()
    {
        Assert.Equal(16 * 1024 * 1024, new TransportOptions().MaxAnswerBytes);
    }
}

public sealed class BaleUploadWireTests
{
    [Fact]
    public async Task TheUploadNamesItsFieldAndFileQuotedAsCurlDoes()
    {
        using var server = new RawHttpServer(_ => new Answer(200, "{\"file_id\":\"f1\"}"));
        var path = Path.Combine(Path.GetTempPath(), $"report {Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "hello");
        try
        {
            var client = new MessagingTools.Core.Providers.Bale.BaleClient(new Secret("k"), new Uri(server.BaseUri, "bale/api/v3/"), new TestTransport().Transport);
            try { await client.UploadFileAsync(path); } catch (MessagingException) { } // only the request matters here

            var body = Assert.Single(server.Requests).Body;
            Assert.Contains($"Content-Disposition: form-data; name=\"file\"; filename=\"{Path.GetFileName(path)}\"", body);
        }
        finally { File.Delete(path); }
    }
}
