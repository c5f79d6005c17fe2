using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma.Calls;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Receives Zadarma's call notifications and events on a local address, routes each call, and writes it out.</para>
    /// <para type="description">Serves -Prefix (or every address on -Port) until Ctrl+C, -Count calls or -Timeout: answers
    /// Zadarma's address check (GET ?zd_echo=X), reads each notification (caller_id, called_did, call_start or callstart,
    /// and any other field) and writes it as a ZadarmaCall with the route it was given (Route, Answer and RouteErrorId note
    /// properties), so that <c>| Export-Csv calls.csv</c> logs the calls. With -Credential (or the environment variables)
    /// each notification's Signature is checked (the Signature property says what it showed); -RequireSignature refuses
    /// unsigned and forged ones with 403. The -Route scriptblock runs on this thread for each call and chooses its route
    /// in time (-RouteTimeoutSec), or the call gets Zadarma's default routing and an error is written. Bad requests
    /// (wrong method 405, too large 413, not a notification 400, refused 403) are answered and written as errors; the
    /// listener keeps serving. Zadarma must reach the address: see about_MessagingTools and docs/providers/zadarma.md.
    /// The PBX's call events (NOTIFY_START, NOTIFY_INTERNAL, NOTIFY_ANSWER, NOTIFY_END, NOTIFY_OUT_START, NOTIFY_OUT_END,
    /// NOTIFY_RECORD, NOTIFY_IVR) come the same way, each checked against the text that event signs, and are written as
    /// ZadarmaCall objects whose Event names the event, with its fields typed (PbxCallId, Extension, Destination, Duration
    /// in seconds, Disposition, StatusCode, IsRecorded, RecordingId, DtmfName, DtmfDigits); an event the module does not
    /// know is written with its fields. -Event writes only the events named. -Route runs only where the answer can steer
    /// the call (the notification without an event, NOTIFY_START, NOTIFY_IVR), and may answer with IVR steps (play, say,
    /// wait for digits, hang up: see ConvertTo-ZadarmaRouteAnswer); the other events are answered with an empty 200.</para>
    /// </summary>
    /// <example>
    /// <code>Receive-ZadarmaCall -Port 8080 -Count 3 -Timeout 60 -Route { if ($_.CallerId -like '+7926*') { '100' } }</code>
    /// <para>Serves http://+:8080/ until three calls came (or a minute passed); calls from numbers that begin with +7926
    /// go to extension 100, the others where the PBX sends them. (On Windows, every address needs an administrator or
    /// netsh http add urlacl; http://localhost:8080/ does not.)</para>
    /// </example>
    /// <example>
    /// <code>$vip = @{ '+79261000000' = @{ Redirect = 'blacklist' }; '+79261000001' = @{ Redirect = 100; CallerName = 'Anna (VIP)' } }
    /// Receive-ZadarmaCall -Prefix http://127.0.0.1:8080/zadarma/ -Credential $cred -RequireSignature -Count 3 -Timeout 60 -Route { $vip[$_.CallerId] } |
    ///     Export-Csv calls.csv -NoTypeInformation</code>
    /// <para>Accepts only notifications signed with the account's secret (others get 403 and an error), rejects one caller,
    /// names another and sends that call to extension 100, and logs every call with its route to calls.csv.</para>
    /// </example>
    /// <example>
    /// <code>Receive-ZadarmaCall -Port 8080 -Event NOTIFY_END, NOTIFY_OUT_END -Timeout 60 |
    ///     Select-Object CallStart, Event, CallerId, Destination, Extension, Duration, Disposition, IsRecorded, RecordingId |
    ///     Export-Csv call-log.csv -NoTypeInformation</code>
    /// <para>Logs every call that ended in the next minute, incoming and outgoing, with its duration (seconds) and whether
    /// it was recorded; the other events are answered and left out.</para>
    /// </example>
    /// <example>
    /// <code>Receive-ZadarmaCall -Port 8080 -Count 3 -Timeout 60 -Route {
    ///     if ($_.Event -eq 'NOTIFY_IVR') { if ($_.DtmfDigits -eq '1') { '100' } else { '200' } }
    ///     else { @{ IvrPlay = 3; WaitDtmf = @{ Timeout = 5; MaxDigits = 1; Name = 'menu' } } }
    /// }</code>
    /// <para>A voice menu: each call that comes in hears the PBX's sound file 3 and may press a digit; the NOTIFY_IVR with
    /// the digit sends the call to extension 100 (digit 1) or 200.</para>
    /// </example>
    /// <seealso cref="ConvertFromZadarmaNotificationCommand"/>
    /// <seealso cref="ConvertToZadarmaRouteAnswerCommand"/>
    [Cmdlet(VerbsCommunications.Receive, "ZadarmaCall", DefaultParameterSetName = PrefixSet, HelpUri = OnlineHelp.Base + "Receive-ZadarmaCall.md")]
    [OutputType(typeof(ZadarmaCall))]
    public sealed class ReceiveZadarmaCallCommand : PSCmdlet, IDisposable
    {
        private const string PrefixSet = "Prefix";
        private const string PortSet = "Port";

        /// <summary>How long the pipeline thread waits for an event before looking again (Ctrl+C is seen at once either way).</summary>
        private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(200);

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>
        /// The addresses to serve, as HttpListener prefixes: http://+:8080/zadarma/ (every address), http://localhost:8080/,
        /// http://127.0.0.1:8080/. Give Zadarma the public address that leads here.
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PrefixSet)]
        [ValidateNotNullOrEmpty]
        public string[] Prefix { get; set; } = Array.Empty<string>();

        /// <summary>Serve every address on this port (the prefix http://+:PORT/).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PortSet)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        /// <summary>
        /// The Zadarma API key as the user name and the secret key as the password: the secret checks each notification's
        /// Signature. Default: $env:MESSAGINGTOOLS_ZADARMA_API_KEY and $env:MESSAGINGTOOLS_ZADARMA_API_SECRET; with
        /// neither, signatures are not checked (Signature NotChecked).
        /// </summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Refuse (403, and an error) notifications that are unsigned or whose Signature the secret does not give. Needs the secret.</summary>
        [Parameter]
        public SwitchParameter RequireSignature { get; set; }

        /// <summary>
        /// Answer only requests from these addresses or networks (185.45.152.42, 185.45.152.0/24); the others get 403 and an
        /// error. The address is the TCP peer's: behind a proxy, the proxy's.
        /// </summary>
        [Parameter]
        [Alias("AllowedAddresses")]
        [ValidateNotNullOrEmpty]
        public string[]? AllowedAddress { get; set; }

        /// <summary>
        /// Chooses each call's route; the call is $_ (and $args[0]). Return nothing for Zadarma's default routing, a scenario
        /// id or extension ('100'), 'blacklist' (busy signal), @{ Redirect = ...; CallerName = ... } (either may be left out),
        /// an object with Redirect and CallerName properties, or a ZadarmaRoute. One that throws or returns something else
        /// gives default routing and an error.
        /// </summary>
        [Parameter]
        public ScriptBlock? Route { get; set; }

        /// <summary>
        /// How long -Route may take for one call, in seconds; after that the call gets default routing and an error (and
        /// what the route chose late is reported too). Zadarma does not say how long it waits: keep routes quick.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 60)]
        public int RouteTimeoutSec { get; set; } = 3;

        /// <summary>
        /// Write only the notifications of these call events (Zadarma's names: NOTIFY_START, NOTIFY_INTERNAL, NOTIFY_ANSWER,
        /// NOTIFY_END, NOTIFY_OUT_START, NOTIFY_OUT_END, NOTIFY_RECORD, NOTIFY_IVR, or another name Zadarma posts); the others
        /// are still checked and answered (200, empty), but not routed, written or counted. The incoming-call notification
        /// without an event matches none. Default: every notification.
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ZadarmaNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Event { get; set; }

        /// <summary>Stop after this many calls were answered (refused requests do not count); 0 for no limit.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>
        /// Stop after this long, as seconds or a TimeSpan ('01:00:00'); none by default (Ctrl+C or -Count). The whole run,
        /// like Get-FeedbotStatus -Timeout; -TimeoutSec of the other cmdlets is one request's.
        /// </summary>
        [Parameter]
        [SecondsOrTimeSpanTransformation]
        public TimeSpan? Timeout { get; set; }

        /// <summary>Refuse (413) request bodies longer than this many bytes; a notification has a few hundred.</summary>
        [Parameter]
        [ValidateRange(256, 16 * 1024 * 1024)]
        public int MaxBodyBytes { get; set; } = ZadarmaNotifications.DefaultMaxBodyBytes;

        /// <summary>The UTC offset of the account's time zone, to read the calls' start times (Zadarma writes local time). Default: 00:00.</summary>
        [Parameter]
        public TimeSpan UtcOffset { get; set; }

        protected override void EndProcessing()
        {
            DebugSwitch.Settle(this); // -Debug shows the debug lines and asks nothing
            var options = Options();
            ZadarmaCallListener listener;
            try
            {
                listener = Route is null ? new ZadarmaCallListener(options, null) : ZadarmaCallListener.RoutingThroughEvents(options);
            }
            catch (MessagingException ex)
            {
                ThrowTerminatingError(ErrorRecords.For(ex, ex.Field == "AllowedAddresses" ? (object?)AllowedAddress : null, null));
                return;
            }
            using (listener)
            {
                try
                {
                    listener.Start();
                }
                catch (MessagingException ex)
                {
                    ThrowTerminatingError(ErrorRecords.For(ex, string.Join(", ", options.Prefixes), null));
                }
                WriteVerbose($"Listening on {string.Join(", ", listener.Prefixes)}" +
                    (Count > 0 ? $" for {Count.ToString(CultureInfo.InvariantCulture)} call(s)" : "") +
                    (Timeout is TimeSpan t ? $" for at most {t}" : "") +
                    (options.Secret is null ? "; signatures are not checked." : RequireSignature ? "; only signed notifications are accepted." : "; signatures are checked."));
                var run = listener.RunAsync(_stopping.Token);
                try
                {
                    while (!listener.Events.IsCompleted)
                    {
                        ZadarmaListenerEvent? next;
                        try
                        {
                            if (!listener.Events.TryTake(out next, s_poll, _stopping.Token)) continue;
                        }
                        catch (OperationCanceledException)
                        {
                            throw new PipelineStoppedException();
                        }
                        Handle(next!);
                    }
                    // The events complete when the run ends, also when it failed: then its exception is the error.
                    ZadarmaListenerStopReason reason;
                    try
                    {
                        reason = run.GetAwaiter().GetResult();
                    }
                    catch (Exception ex) when (!(ex is PipelineStoppedException))
                    {
                        ThrowTerminatingError(ErrorRecords.For(ZadarmaCallListener.ListenerFailed(
                            $"The listener failed: {ex.GetType().Name}: {ex.Message}", ex), string.Join(", ", options.Prefixes), null));
                        return;
                    }
                    WriteVerbose($"Stopped ({reason}) after {listener.CallsAnswered.ToString(CultureInfo.InvariantCulture)} call(s).");
                }
                finally
                {
                    // Ctrl+C, or the pipeline stopped (Select-Object -First, -ErrorAction Stop): stop listening, answer the calls
                    // still waiting for a route with default routing, and let the listener close before this returns.
                    if (!run.IsCompleted)
                    {
                        _stopping.Cancel();
                        while (!listener.Events.IsCompleted)
                            if (listener.Events.TryTake(out var left, s_poll) && left is ZadarmaRouteRequest request) request.Answer(null);
                    }
                    try { run.GetAwaiter().GetResult(); } catch (Exception) { /* already stopping for another reason */ }
                }
            }
        }

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        private ZadarmaCallListenerOptions Options()
        {
            var options = new ZadarmaCallListenerOptions
            {
                Secret = ZadarmaCredentials.ResolveSignatureSecret(this, Credential, RequireSignature),
                RequireSignature = RequireSignature,
                MaxBodyBytes = MaxBodyBytes,
                RouteTimeout = TimeSpan.FromSeconds(RouteTimeoutSec),
                Count = Count,
                Timeout = Timeout,
                AccountUtcOffset = UtcOffset,
            };
            if (Timeout is TimeSpan timeout && timeout <= TimeSpan.Zero)
                ThrowTerminatingError(ErrorRecords.ForRun("ZadarmaListenerTimeoutIsInvalid", ErrorCategory.InvalidArgument,
                    $"-Timeout must be positive; got {timeout}. Leave it out to listen until Ctrl+C or -Count."));
            if (ParameterSetName == PortSet) options.Prefixes.Add("http://+:" + Port.ToString(CultureInfo.InvariantCulture) + "/");
            else foreach (var prefix in Prefix) options.Prefixes.Add(prefix.Trim());
            foreach (var address in AllowedAddress ?? Array.Empty<string>()) options.AllowedAddresses.Add(address);
            foreach (var name in Event ?? Array.Empty<string>())
                if (!string.IsNullOrWhiteSpace(name)) options.Events.Add(name.Trim());
            return options;
        }

        private void Handle(ZadarmaListenerEvent next)
        {
            switch (next)
            {
                case ZadarmaRouteRequest request:
                    Answer(request);
                    break;
                case ZadarmaCallReceived received:
                    var call = PSObject.AsPSObject(received.Call);
                    call.Properties.Add(new PSNoteProperty("Route", received.Route));
                    call.Properties.Add(new PSNoteProperty("Answer", received.Answer));
                    call.Properties.Add(new PSNoteProperty("RouteErrorId", received.RouteError?.ErrorId));
                    WriteObject(call);
                    if (received.RouteError != null) WriteError(ErrorRecords.For(received.RouteError, received.Call, null));
                    break;
                case ZadarmaRouteArrivedLate late:
                    WriteError(ErrorRecords.For(late.Error, late.Call, null));
                    break;
                case ZadarmaRequestRejected rejected:
                    WriteError(ErrorRecords.For(rejected.Error, (object?)rejected.Call ?? $"{rejected.Method} {rejected.Path} from {rejected.RemoteAddress ?? "?"}", null));
                    break;
                case ZadarmaEchoAnswered echo:
                    WriteVerbose(echo.ToString());
                    break;
                case ZadarmaEventSkipped skipped:
                    WriteVerbose(skipped.ToString());
                    break;
            }
        }

        /// <summary>Runs -Route for one call, here on the pipeline thread, and gives the listener its answer.</summary>
        private void Answer(ZadarmaRouteRequest request)
        {
            if (request.IsAbandoned)
            {
                // Its time ran out while earlier routes ran: the call was answered already; running the scriptblock now
                // would only put the calls behind it further back.
                request.Fail(new TimeoutException("its time ran out before its turn came, so -Route was not run for it"));
                return;
            }
            Collection<PSObject> output;
            try
            {
                output = Route!.InvokeWithContext(null, new List<PSVariable> { new PSVariable("_", request.Call) }, request.Call);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                request.Fail(ex is RuntimeException runtime && runtime.ErrorRecord?.Exception != null ? runtime.ErrorRecord.Exception : ex);
                return;
            }
            try
            {
                request.Answer(ZadarmaRouteConversion.FromOutput(output));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                // Not only MessagingException: a property getter of the result may throw (GetValueException); that is
                // this call's routing failing, not the listener's.
                request.Fail(ex);
            }
        }
    }
}
