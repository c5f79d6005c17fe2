using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Logging;
using MessagingTools.Core.Providers.Feedbot;
using MessagingTools.Core.Security;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Feedbot
{
    /// <summary>
    /// <para type="synopsis">Gets the state of FeedBot messages: Pending, Sent or Failed (with the reason).</para>
    /// <para type="description">Takes message ids, or the output of Send-FeedbotMessage through the pipeline. With -Wait
    /// it checks pending messages again, with growing pauses, until none is pending or -Timeout has passed; messages
    /// still pending then are output with the status Pending (and a warning counts them), so that
    /// <c>Where-Object Status -eq Pending</c> finds them and errors stay for what actually failed.</para>
    /// </summary>
    /// <example>
    /// <code>$queued = Send-FeedbotMessage -PhoneNumber 972586666644 -Message 'Hello' -Token $token
    /// Get-FeedbotStatus -Id $queued.Id -Token $token</code>
    /// <para>Gets the state of one message by the id FeedBot gave it: Pending, Sent, or Failed with the reason.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv queued.csv | Get-FeedbotStatus -Wait -Timeout '00:15:00' -PollInterval 5</code>
    /// <para>Reads the ids from the Id column and checks pending messages again (after 5 s, then 10 s, 20 s, 30 s...) until all are sent or failed, or fifteen minutes have passed.</para>
    /// </example>
    /// <example>
    /// <code>$sent | Get-FeedbotStatus -Wait | Group-Object Status</code>
    /// <para>Waits for the messages Send-FeedbotMessage returned and counts them by state.</para>
    /// </example>
    /// <seealso cref="SendFeedbotMessageCommand"/>
    [Cmdlet(VerbsCommon.Get, "FeedbotStatus", HelpUri = OnlineHelp.Base + "Get-FeedbotStatus.md")]
    [OutputType(typeof(FeedbotStatusResult))]
    public sealed class GetFeedbotStatusCommand : FeedbotCmdlet<FeedbotStatusQuery, FeedbotStatusResult>
    {
        /// <summary>Ids checked together (one wait loop); status reads are single requests either way.</summary>
        internal const int IdsPerBatch = 50;

        private FeedbotWaitOptions? _wait;

        /// <summary>FeedBot message ids. Send-FeedbotMessage output binds by its Id property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("MessageId", "Ids")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Check pending messages again until none is pending or -Timeout passes.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: how long to wait for the messages of each batch, as seconds or a TimeSpan.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>With -Wait: the first pause between checks, as seconds or a TimeSpan; it doubles up to 30 seconds.</summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>Another status address (a sandbox). Default: $env:MESSAGINGTOOLS_FEEDBOT_STATUS_ENDPOINT, else https://getmessagestatus-bmb77ejh3a-uc.a.run.app.</summary>
        [Parameter]
        public Uri? Endpoint { get; set; }

        protected override int ItemsPerBatch => IdsPerBatch;

        protected override string Activity => Wait ? "Waiting for FeedBot messages" : "Getting FeedBot message states";

        protected override string DoneWord => "checked";

        protected override void BeginRun()
        {
            if (Timeout < TimeSpan.Zero || PollInterval <= TimeSpan.Zero)
                ThrowTerminatingError(ErrorRecords.ForRun("FeedbotWaitSettingsAreInvalid", ErrorCategory.InvalidArgument,
                    "-Timeout must not be negative and -PollInterval must be positive."));
            base.BeginRun();
            var max = TimeSpan.FromSeconds(30);
            _wait = Wait
                ? new FeedbotWaitOptions { Timeout = Timeout, InitialInterval = PollInterval, MaxInterval = PollInterval > max ? PollInterval : max }
                : null;
        }

        protected override FeedbotClient CreateClient(Secret token, Uri endpoint, HttpTransport transport) =>
            new FeedbotClient(token, null, endpoint, transport, maxConcurrentStatusReads: ThrottleLimit);

        protected override Uri ResolveEndpoint() => RunSettings.Endpoint(this, Endpoint, StatusEndpointVariable, FeedbotClient.DefaultStatusEndpoint);

        protected override IReadOnlyList<Part> CreateItems()
        {
            // The phone number travels along when the ids come from Send-FeedbotMessage.
            var phone = (InputObject?.BaseObject as FeedbotMessageResult)?.Phone;
            var parts = new List<Part>(Id.Length);
            for (int i = 0; i < Id.Length; i++)
            {
                // Each id is its own outcome: a blank one is its error (naming its place), the others are still read.
                try
                {
                    parts.Add(Part.Of(FeedbotClient.Prepare(new FeedbotStatusQuery(Id[i]) { Phone = phone }, Id.Length == 1 ? null : $"at position {i + 1} of {Id.Length}")));
                }
                catch (MessagingException blank)
                {
                    parts.Add(Part.Failed(blank, Id[i]));
                }
            }
            return parts;
        }

        protected override (string Target, string Action) Describe(FeedbotStatusQuery item) => (item.Id, "Get FeedBot message status");

        protected override async Task<IReadOnlyList<Outcome<FeedbotStatusResult>>> RunAsync(IReadOnlyList<FeedbotStatusQuery> items, CancellationToken cancellationToken)
        {
            var result = await Client.WaitForStatusAsync(items, _wait, cancellationToken).ConfigureAwait(false);
            var pending = result.Count(o => o.Succeeded && o.Result!.Status == FeedbotMessageStatus.Pending);
            if (_wait != null && pending > 0)
                Log(LogLevel.Warning, $"{pending} of {items.Count} FeedBot message{(items.Count == 1 ? " was" : "s were")} still pending after " +
                    $"{_wait.Timeout}: they are output with the status Pending. Run Get-FeedbotStatus again later to follow them.");
            return result;
        }
    }
}
