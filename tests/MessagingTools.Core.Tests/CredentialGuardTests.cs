using MessagingTools.Core;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Pipeline;

namespace MessagingTools.Core.Tests;

/// <summary>A refused key stops the run from sending more (issue 11, item 7).</summary>
public sealed class CredentialGuardTests
{
    private static MessagingException Refused() =>
        new("Bale", ErrorKind.Authentication, "BaleCredentialsWereRejected", "Bale send_message: the provider refused the credentials (HTTP 401).", httpStatus: 401);

    [Fact]
    public void OnceTheCredentialsAreRefusedNoMoreWorkIsSentAndEveryLaterItemEndsAsTheSameRefusal()
    {
        var calls = 0;
        var guard = new CredentialGuard();
        var worker = guard.Wrap<int, string>((items, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult<IReadOnlyList<Outcome<string>>>(items.Select(_ => Outcome<string>.Failure(Refused())).ToList());
        });
        using var queue = new OrderedWorkQueue<int, string>(worker, throttleLimit: 1, batchSize: 1, CancellationToken.None);

        for (var i = 0; i < 50; i++) queue.Add(i);
        queue.Flush();
        var outcomes = new List<Completion<int, string>>();
        while (queue.Pending > 0) outcomes.Add(queue.Take()!);

        Assert.Equal(1, calls);
        Assert.Equal(50, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal("BaleCredentialsWereRejected", ((MessagingException)o.Outcome.Error!).ErrorId));
        var later = (MessagingException)outcomes[1].Outcome.Error!;
        Assert.Equal(ErrorKind.Authentication, later.Kind);
        Assert.Contains("Not sent", later.Message);
        Assert.Contains("refused the credentials", later.Message);
        Assert.False(later.MayHaveTakenEffect);
    }

    [Fact]
    public void AReadOnThePipelineThreadIsNotMadeOnceTheCredentialsWereRefusedAndItsOwnRefusalStopsTheWork()
    {
        var reads = 0;
        var works = 0;
        var guard = new CredentialGuard();
        Assert.Equal(7, guard.Run(() => { reads++; return 7; }));
        var first = Assert.Throws<MessagingException>(() => guard.Run<int>(() => { reads++; throw Refused(); }));
        var second = Assert.Throws<MessagingException>(() => guard.Run(() => { reads++; return 8; }));
        var worker = guard.Wrap<int, string>((items, _) =>
        {
            works++;
            return Task.FromResult<IReadOnlyList<Outcome<string>>>(items.Select(i => Outcome<string>.Success("sent")).ToList());
        });
        var outcome = worker(new[] { 1 }, CancellationToken.None).GetAwaiter().GetResult()[0];

        Assert.Equal(2, reads);
        Assert.Equal(0, works);
        Assert.DoesNotContain("Not sent", first.Message);
        Assert.Equal("BaleCredentialsWereRejected", second.ErrorId);
        Assert.Contains("Not sent", second.Message);
        Assert.False(second.MayHaveTakenEffect);
        Assert.Contains("Not sent", outcome.Error!.Message);
    }

    [Fact]
    public void AWorkerThatThrowsTheRefusalStopsTheRunToo()
    {
        var calls = 0;
        var guard = new CredentialGuard();
        var worker = guard.Wrap<int, string>(async (items, _) =>
        {
            Interlocked.Increment(ref calls);
            await Task.Yield();
            throw Refused();
        });
        using var queue = new OrderedWorkQueue<int, string>(worker, throttleLimit: 1, batchSize: 1, CancellationToken.None);

        for (var i = 0; i < 20; i++) queue.Add(i);
        queue.Flush();
        var errors = new List<MessagingException>();
        while (queue.Pending > 0) errors.Add((MessagingException)queue.Take()!.Outcome.Error!);

        Assert.Equal(1, calls);
        Assert.Equal(20, errors.Count);
        Assert.All(errors, e => Assert.Equal("BaleCredentialsWereRejected", e.ErrorId));
        Assert.Contains("Not sent", errors[19].Message);
    }

    [Fact]
    public void OtherErrorsDoNotStopTheRun()
    {
        var calls = 0;
        var guard = new CredentialGuard();
        var worker = guard.Wrap<int, string>((items, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult<IReadOnlyList<Outcome<string>>>(items.Select(_ =>
                Outcome<string>.Failure(new MessagingException("Bale", ErrorKind.NotFound, "BaleRecipientIsNotABaleUser", "x"))).ToList());
        });
        using var queue = new OrderedWorkQueue<int, string>(worker, throttleLimit: 2, batchSize: 1, CancellationToken.None);

        for (var i = 0; i < 10; i++) queue.Add(i);
        queue.Flush();
        while (queue.Pending > 0) queue.Take();

        Assert.Equal(10, calls);
        Assert.Null(guard.Refusal);
    }
}
