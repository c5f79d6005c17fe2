using System.Collections.Generic;
using System;
using System.Management.Automation;
using System.Security;
using MessagingTools.Core.Providers.Bale;
using MessagingTools.Core.Journal;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Bale
{
    /// <summary>What every Bale cmdlet takes: the Safir key and endpoint, with their environment-variable defaults.</summary>
    public abstract class BaleCmdlet<TItem, TResult> : PipelineRowCmdlet<TItem, TResult>, IJournaledCmdlet
    {
        internal const string ApiKeyVariable = "MESSAGINGTOOLS_BALE_API_KEY";
        internal const string BotIdVariable = "MESSAGINGTOOLS_BALE_BOT_ID";
        internal const string EndpointVariable = "MESSAGINGTOOLS_BALE_ENDPOINT";

        /// <summary>The Safir api-access-key, as a SecureString or a string. Default: $env:MESSAGINGTOOLS_BALE_API_KEY.</summary>
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

        /// <summary>The client of this run, made in BeginProcessing.</summary>
        protected BaleClient Client { get; private set; } = null!;

        protected override void BeginRun()
        {
            var key = RunSettings.RequireSecret(this, ApiKey, "ApiKey", ApiKeyVariable, BaleClient.ProviderName);
            var endpoint = RunSettings.Endpoint(this, Endpoint, EndpointVariable, BaleClient.DefaultEndpoint);
            Client = new BaleClient(key, endpoint, Transport);
        }
    }
}
