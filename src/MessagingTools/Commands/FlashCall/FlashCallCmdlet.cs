using System;
using System.Management.Automation;
using System.Security;
using MessagingTools.Core.Http;
using MessagingTools.Core.Providers.FlashCall;
using MessagingTools.Core.Security;
using MessagingTools.Internal;

namespace MessagingTools.Commands.FlashCall
{
    /// <summary>What every flash-call cmdlet takes: the service's token and address, with their environment-variable defaults.</summary>
    public abstract class FlashCallCmdlet<TItem, TResult> : PipelineRowCmdlet<TItem, TResult, FlashCallClient>, IJournaledCmdlet
    {
        protected override string RateLimitName => "the flash-call service's rate limit";

        internal const string TokenVariable = "MESSAGINGTOOLS_FLASHCALL_TOKEN";
        internal const string EndpointVariable = "MESSAGINGTOOLS_FLASHCALL_ENDPOINT";

        /// <summary>The service's access key, as a SecureString, a string, or a PSCredential whose password is the key (Get-AutomationPSCredential, Get-Secret). Default: $env:MESSAGINGTOOLS_FLASHCALL_TOKEN.</summary>
        [Parameter]
        [Alias("ApiKey", "Key")]
        [SecureStringTransformation]
        public SecureString? Token { get; set; }

        /// <summary>Another address of the call method (a sandbox). Default: $env:MESSAGINGTOOLS_FLASHCALL_ENDPOINT, else https://flash-call2.liara.run/services/call/call/.</summary>
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

        protected override Secret ResolveSecret() => RunSettings.RequireSecret(this, Token, "Token", TokenVariable, FlashCallClient.ProviderName);

        protected override Uri ResolveEndpoint() => RunSettings.Endpoint(this, Endpoint, EndpointVariable, FlashCallClient.DefaultEndpoint);

        protected override FlashCallClient CreateClient(Secret token, Uri endpoint, HttpTransport transport) => new FlashCallClient(token, endpoint, transport);
    }
}
