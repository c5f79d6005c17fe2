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
    public abstract class BaleCmdlet<TItem, TResult> : PipelineRowCmdlet<TItem, TResult>
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

        /// <summary>
        /// A journal file that makes the run resumable exactly once: run the same command again with the same -Journal after
        /// any failure or crash, and the rows it already did are not sent again (their recorded outcome comes out, with
        /// FromJournal True), failed rows are tried again, and rows sent without a recorded answer are handled as
        /// about_MessagingTools (JOURNALS) says. One journal per command; see Get-MessagingJournal.
        /// </summary>
        [Parameter]
        public string? Journal { get => JournalPath; set => JournalPath = value; }

        /// <summary>
        /// With -Journal: send again the rows an earlier run sent without recording an answer. They may already have been
        /// carried out: without this switch each ends as a JournalRowMayHaveBeenSent error.
        /// </summary>
        [Parameter]
        public SwitchParameter ResendUnknown { get => ResendUnknownRequested; set => ResendUnknownRequested = value.IsPresent; }

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
