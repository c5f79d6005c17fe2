using System.Collections.Generic;
using System;
using System.Management.Automation;
using System.Security;
using MessagingTools.Core.Providers.FlashCall;
using MessagingTools.Core.Journal;
using MessagingTools.Internal;

namespace MessagingTools.Commands.FlashCall
{
    /// <summary>What every flash-call cmdlet takes: the service's token and address, with their environment-variable defaults.</summary>
    public abstract class FlashCallCmdlet<TItem, TResult> : PipelineRowCmdlet<TItem, TResult>, IJournaledCmdlet
    {
        internal const string TokenVariable = "MESSAGINGTOOLS_FLASHCALL_TOKEN";
        internal const string EndpointVariable = "MESSAGINGTOOLS_FLASHCALL_ENDPOINT";

        /// <summary>The service's access key, as a SecureString or a string. Default: $env:MESSAGINGTOOLS_FLASHCALL_TOKEN.</summary>
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

        /// <summary>The client of this run, made in BeginProcessing.</summary>
        protected FlashCallClient Client { get; private set; } = null!;

        protected override void BeginRun()
        {
            var token = RunSettings.RequireSecret(this, Token, "Token", TokenVariable, FlashCallClient.ProviderName);
            var endpoint = RunSettings.Endpoint(this, Endpoint, EndpointVariable, FlashCallClient.DefaultEndpoint);
            Client = new FlashCallClient(token, endpoint, Transport);
        }
    }
}
