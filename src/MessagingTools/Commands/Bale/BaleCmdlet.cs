using System;
using System.Management.Automation;
using System.Security;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Core.Security;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Bale
{
    /// <summary>What every Bale cmdlet takes: the Safir key and endpoint, with their environment-variable defaults.</summary>
    public abstract class BaleCmdlet<TItem, TResult> : PipelineRowCmdlet<TItem, TResult, BaleClient>, IJournaledCmdlet
    {
        protected override string RateLimitName => "Safir's rate limit";

        internal const string ApiKeyVariable = "MESSAGINGTOOLS_BALE_API_KEY";
        internal const string BotIdVariable = "MESSAGINGTOOLS_BALE_BOT_ID";
        internal const string EndpointVariable = "MESSAGINGTOOLS_BALE_ENDPOINT";

        /// <summary>The Safir api-access-key, as a SecureString, a string, or a PSCredential whose password is the key (Get-AutomationPSCredential, Get-Secret). Default: $env:MESSAGINGTOOLS_BALE_API_KEY.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString? ApiKey { get; set; }

        /// <summary>Another Safir address (a sandbox). Default: $env:MESSAGINGTOOLS_BALE_ENDPOINT, else https://safir.bale.ai/api/v3/.</summary>
        [Parameter]
        public Uri? Endpoint { get; set; }

        /// <inheritdoc cref="IJournaledCmdlet.Journal"/>
        [Parameter]
        public string? Journal { get; set; }

        /// <inheritdoc cref="IJournaledCmdlet.ResendUnknown"/>
        [Parameter]
        public SwitchParameter ResendUnknown { get; set; }

        /// <inheritdoc cref="IJournaledCmdlet.Partition"/>
        [Parameter]
        public string? Partition { get; set; }

        protected override Secret ResolveSecret() => RunSettings.RequireSecret(this, ApiKey, "ApiKey", ApiKeyVariable, BaleClient.ProviderName);

        protected override Uri ResolveEndpoint() => RunSettings.Endpoint(this, Endpoint, EndpointVariable, BaleClient.DefaultEndpoint);

        protected override BaleClient CreateClient(Secret apiKey, Uri endpoint, HttpTransport transport) => new BaleClient(apiKey, endpoint, transport);
    }
}
