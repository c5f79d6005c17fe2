using System;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers;
using MessagingTools.Core.Security;

namespace MessagingTools.Commands
{
    /// <summary>
    /// A cmdlet that calls one provider: the one way each provider base (Bale, FlashCall, FeedBot, Zadarma) makes the
    /// client of its run. When the run begins the base resolves the credential (a dry run needs none: RunSettings.DryRunSecret),
    /// then the endpoint, and hands both to <see cref="CreateClient"/>; a cmdlet that overrides BeginRun calls this one first.
    /// </summary>
    public abstract class ProviderCmdlet<TItem, TResult, TClient> : AsyncPipelineCmdlet<TItem, TResult>
        where TClient : ProviderClient
    {
        /// <summary>The client of this run, made by <see cref="CreateClient"/> when the run begins.</summary>
        protected TClient Client { get; private set; } = null!;

        protected override void BeginRun()
        {
            var secret = ResolveSecret();
            Client = CreateClient(secret, ResolveEndpoint(), Transport);
            // The waits a rate limit imposes show in the run's progress and verbose lines (issue 19, item 4).
            Client.Gate.Waiting += wait => NoteWait(wait, RateLimitName);
        }

        /// <summary>What progress calls the provider's rate limit while the run waits for it ("Bale's rate limit").</summary>
        protected virtual string RateLimitName => "the provider's rate limit";

        /// <summary>The base's one resolution of the credential: its parameter, else its environment variable.</summary>
        protected abstract Secret ResolveSecret();

        /// <summary>The endpoint of the run: -Endpoint, else its environment variable, else the provider's address.</summary>
        protected abstract Uri ResolveEndpoint();

        /// <summary>The client of the run, from the resolved credential and endpoint.</summary>
        protected abstract TClient CreateClient(Secret secret, Uri endpoint, HttpTransport transport);
    }
}
