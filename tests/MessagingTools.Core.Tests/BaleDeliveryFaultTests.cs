using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Core.Security;
using MessagingTools.Sandbox;
using MessagingTools.Sandbox.Providers;

namespace MessagingTools.Core.Tests;

/// <summary>
/// Bale sends whose every attempt failed after Safir may have delivered (issue 11, item 2), and a refused key
/// (item 7): the error says the message may have been delivered and carries its request_id, so that sending it again
/// with that id delivers it at most once.
/// </summary>
public sealed class BaleDeliveryFaultTests : IClassFixture<SandboxFixture>, IDisposable
{
    private const long Bot = 123456789;
    private readonly SandboxServer _sandbox;

    public BaleDeliveryFaultTests(SandboxFixture fixture)
    {
        _sandbox = fixture.Server;
        _sandbox.Reset();
        _sandbox.Latency = TimeSpan.Zero;
    }

    public void Dispose() => _sandbox.Reset();

    private BaleClient Client(TestTransport? transport = null, string key = BaleSandbox.DefaultApiKey) =>
        new(new Secret(key), _sandbox.BaleEndpoint, (transport ?? new TestTransport(timeout: TimeSpan.FromMilliseconds(500))).Transport);

    [Theory]
    [InlineData(FaultKind.Status, "BaleServerError")]
    [InlineData(FaultKind.MalformedJson, "BaleAnswerWasMalformed")]
    [InlineData(FaultKind.Drop, "ConnectionFailedMayHaveTakenEffect")]
    [InlineData(FaultKind.Hang, "RequestTimedOutMayHaveTakenEffect")]
    public async Task AMessageWhoseEveryAttemptFailedAfterDeliverySaysItMayHaveBeenDeliveredAndCarriesItsRequestId(FaultKind kind, string errorId)
    {
        _sandbox.Faults.Add(kind, "send_message", count: 100, afterProcessing: true, status: 500, delayMs: 3_000);
        var message = new BaleMessage(Bot, "09123456789") { Text = "once" };

        // Only the hanging answer must outlast an attempt: the others get a timeout no loaded machine reaches (with 500 ms
        // for all, a 500 answered late under load ended RequestTimedOut now and then).
        var transport = new TestTransport(timeout: kind == FaultKind.Hang ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(20));
        var ex = await Assert.ThrowsAsync<MessagingException>(() => Client(transport).SendMessageAsync(message));

        var delivery = Assert.Single(_sandbox.Bale.Deliveries.Snapshot());
        Assert.Equal(errorId, ex.ErrorId);
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Equal(delivery.RequestId, ex.RequestId);
        Assert.Contains(delivery.RequestId, ex.Message);
        Assert.Contains("may have been delivered", ex.Message);

        // The retry recipe: the same message again with the error's request id is not delivered twice.
        _sandbox.Faults.Clear();
        var again = await Client().SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "once", RequestId = ex.RequestId });
        Assert.Equal(delivery.RequestId, again.RequestId);
        Assert.Single(_sandbox.Bale.Deliveries.Snapshot());
    }

    [Fact]
    public async Task ARefusalThatCannotHaveBeenDeliveredStillCarriesTheRequestIdButIsNotUncertain()
    {
        _sandbox.Bale.NotBaleUsers["989121111111"] = true;

        var ex = await Assert.ThrowsAsync<MessagingException>(() =>
            Client().SendMessageAsync(new BaleMessage(Bot, "09121111111") { Text = "x", RequestId = "my-id-1" }));

        Assert.Equal("BaleRecipientIsNotABaleUser", ex.ErrorId);
        Assert.False(ex.MayHaveTakenEffect);
        Assert.Equal("my-id-1", ex.RequestId);
    }

    [Fact]
    public async Task A401WithErrorDataIsARefusedKeyNotInvalidInput()
    {
        // As Safir answered an emulator's wrong key: 401 with error_data (code 4, invalid input).
        _sandbox.Faults.Add(new Fault
        {
            Kind = FaultKind.Status, PathContains = "send_message", Status = 401, Count = 1,
            Body = "{\"request_id\":\"r1\",\"error_data\":[{\"code\":4,\"description\":\"api-access-key is not valid\"}]}",
        });
        var ex = await Assert.ThrowsAsync<MessagingException>(() =>
            Client(key: "wrong-key").SendMessageAsync(new BaleMessage(Bot, "09123456789") { Text = "x" }));

        Assert.Equal("BaleCredentialsWereRejected", ex.ErrorId);
        Assert.Equal(ErrorKind.Authentication, ex.Kind);
    }
}

public sealed class BaleErrorTextTests
{
    private static MessagingException Error(int code, string? description) =>
        BaleClient.ToException(System.Text.Json.JsonDocument.Parse(
            System.Text.Json.JsonSerializer.Serialize(new { code, description, phone_number = "989123456789" })).RootElement, "989123456789", 200);

    [Theory]
    [InlineData(17, "NotBaleUser")]
    [InlineData(20, "PaymentRequired")]
    [InlineData(21, "MaximumContactLimitReached")]
    public void TheCodeIsNamedOnceEvenWhenSafirsDescriptionIsJustItsName(int code, string name)
    {
        var message = Error(code, name).Message;
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(message, name));
        Assert.Contains($"code {code}", message);
    }

    [Theory]
    [InlineData(17, "Send-ZadarmaSms")]
    [InlineData(20, "Top up")]
    [InlineData(21, "-BotId")]
    public void ARefusalSaysWhatCanBeDone(int code, string advice)
    {
        Assert.Contains(advice, Error(code, "whatever Safir says").Message);
    }

    [Fact]
    public void ADescriptionThatSaysMoreIsKept()
    {
        var message = Error(17, "user is not a bale user").Message;
        Assert.Contains("user is not a bale user", message);
    }
}
