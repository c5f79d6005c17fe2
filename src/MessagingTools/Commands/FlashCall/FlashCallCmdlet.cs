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
    public abstract class FlashCallCmdlet<TItem, TResult> : PipelineRowCmdlet<TItem, TResult>
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
        protected FlashCallClient Client { get; private set; } = null!;

        protected override void BeginRun()
        {
            var token = RunSettings.RequireSecret(this, Token, "Token", TokenVariable, FlashCallClient.ProviderName);
            var endpoint = RunSettings.Endpoint(this, Endpoint, EndpointVariable, FlashCallClient.DefaultEndpoint);
            Client = new FlashCallClient(token, endpoint, Transport);
        }
    }
}
