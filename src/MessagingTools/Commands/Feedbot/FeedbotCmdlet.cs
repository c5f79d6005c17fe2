using System.Management.Automation;
using System.Security;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Core.Security;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Feedbot
{
    /// <summary>
    /// What every FeedBot cmdlet takes: the token, with its environment-variable default, and the variables of the two
    /// addresses. FeedBot's send and status methods have an address each, so each cmdlet declares its own -Endpoint
    /// (with its own default in its help) and makes the client at it in <see cref="CreateClient"/>.
    /// </summary>
    public abstract class FeedbotCmdlet<TItem, TResult> : PipelineRowCmdlet<TItem, TResult>
    {
        internal const string TokenVariable = "MESSAGINGTOOLS_FEEDBOT_TOKEN";
        internal const string SendEndpointVariable = "MESSAGINGTOOLS_FEEDBOT_ENDPOINT";
        internal const string StatusEndpointVariable = "MESSAGINGTOOLS_FEEDBOT_STATUS_ENDPOINT";

        /// <summary>The FeedBot token (header auth), as a SecureString or a string. Default: $env:MESSAGINGTOOLS_FEEDBOT_TOKEN.</summary>
        [Parameter]
        [Alias("ApiKey", "Auth")]
        [SecureStringTransformation]
        public SecureString? Token { get; set; }

        /// <summary>The client of this run, made in BeginProcessing.</summary>
        protected FeedbotClient Client { get; private set; } = null!;

        protected override void BeginRun()
        {
            var token = RunSettings.RequireSecret(this, Token, "Token", TokenVariable, FeedbotClient.ProviderName, FeedbotClient.ErrorIdPrefix);
            Client = CreateClient(token);
        }

        /// <summary>The client of the run, at this cmdlet's address (its -Endpoint, else its variable, else FeedBot's).</summary>
        protected abstract FeedbotClient CreateClient(Secret token);
    }
}
