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
    /// (with its own default in its help), resolves it in its ResolveEndpoint and makes the client at it in its
    /// CreateClient (see <see cref="ProviderCmdlet{TItem, TResult, TClient}"/>).
    /// </summary>
    public abstract class FeedbotCmdlet<TItem, TResult> : PipelineRowCmdlet<TItem, TResult, FeedbotClient>
    {
        protected override string RateLimitName => "FeedBot's rate limit";

        internal const string TokenVariable = "MESSAGINGTOOLS_FEEDBOT_TOKEN";
        internal const string SendEndpointVariable = "MESSAGINGTOOLS_FEEDBOT_ENDPOINT";
        internal const string StatusEndpointVariable = "MESSAGINGTOOLS_FEEDBOT_STATUS_ENDPOINT";

        /// <summary>The FeedBot token (header auth), as a SecureString, a string, or a PSCredential whose password is the key (Get-AutomationPSCredential, Get-Secret). Default: $env:MESSAGINGTOOLS_FEEDBOT_TOKEN.</summary>
        [Parameter]
        [Alias("ApiKey", "Auth")]
        [SecureStringTransformation]
        public SecureString? Token { get; set; }

        protected override Secret ResolveSecret() =>
            RunSettings.RequireSecret(this, Token, "Token", TokenVariable, FeedbotClient.ProviderName, FeedbotClient.ErrorIdPrefix);
    }
}
