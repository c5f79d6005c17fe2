using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma.Calls;
using MessagingTools.Core.Security;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Reads a Zadarma call notification or call event that another web host received into a ZadarmaCall.</para>
    /// <para type="description">For a web host you already run (an Azure Functions HTTP trigger, Pode, ASP.NET): give the
    /// request's body (the form text, or the fields the host already decoded as a hashtable) and its headers; the result
    /// is the same ZadarmaCall that Receive-ZadarmaCall writes. With -Credential (or the environment variables) the
    /// Signature header is checked; with -RequireSignature an unsigned or forged notification is an error instead
    /// (ZadarmaNotificationIsUnsigned, ZadarmaNotificationSignatureIsForged), whose exception's HttpStatus (403) is the
    /// status to answer; a body that is not a notification is an error with HttpStatus 400. Answer the address check
    /// (zd_echo) yourself, and the call with ConvertTo-ZadarmaRouteAnswer. A call event (a post with an event field:
    /// NOTIFY_START ... NOTIFY_IVR) is checked against the text that event signs and read with its fields typed (Event,
    /// PbxCallId, Extension, Destination, Duration in seconds, Disposition, StatusCode, IsRecorded, RecordingId, DtmfName,
    /// DtmfDigits); only NOTIFY_START, NOTIFY_IVR and the notification without an event can be answered with a route.
    /// -Event writes only the events named.</para>
    /// </summary>
    /// <example>
    /// <code>$body = 'caller_id=%2B79261234567&amp;called_did=74951234567&amp;call_start=2026-11-30+09%3A00%3A00'
    /// ConvertFrom-ZadarmaNotification -Body $body -Headers @{ Signature = 'Zm9yZ2Vk' }</code>
    /// <para>Reads a notification without checking its signature (no secret given): Signature is NotChecked.</para>
    /// </example>
    /// <example>
    /// <code>$body = 'caller_id=%2B79261234567&amp;called_did=74951234567&amp;call_start=2026-11-30+09%3A00%3A00'
    /// $call = ConvertFrom-ZadarmaNotification -Body $body -Headers @{ signature = 'Zm9yZ2Vk' } -Credential $cred -RequireSignature -ErrorVariable refused -ErrorAction SilentlyContinue
    /// $refused[0].Exception.HttpStatus</code>
    /// <para>With the account's credential and -RequireSignature, a notification whose Signature the secret does not give
    /// is no call but an error (ZadarmaNotificationSignatureIsForged) whose exception's HttpStatus, 403, is the status to
    /// answer. docs/zadarma.md has a whole Azure Functions run.ps1 that does this with $Request.Body and $Request.Headers.</para>
    /// </example>
    /// <example>
    /// <code>$body = 'event=NOTIFY_END&amp;call_start=2026-12-06+10%3A00%3A01&amp;pbx_call_id=in_2b5f1c&amp;caller_id=%2B79261234567&amp;called_did=74951234567&amp;internal=100&amp;duration=125&amp;disposition=answered&amp;status_code=16&amp;is_recorded=1&amp;call_id_with_rec=1733479201.1234567'
    /// ConvertFrom-ZadarmaNotification -Body $body | Select-Object Event, CallerId, Extension, Duration, Disposition, IsRecorded, RecordingId</code>
    /// <para>Reads a NOTIFY_END: a call of 125 s answered by extension 100 and recorded; RecordingId (and PbxCallId) is what
    /// Get-ZadarmaRecording takes from the pipeline.</para>
    /// </example>
    /// <seealso cref="ReceiveZadarmaCallCommand"/>
    /// <seealso cref="ConvertToZadarmaRouteAnswerCommand"/>
    [Cmdlet(VerbsData.ConvertFrom, "ZadarmaNotification", HelpUri = OnlineHelp.Base + "ConvertFrom-ZadarmaNotification.md")]
    [OutputType(typeof(ZadarmaCall))]
    public sealed class ConvertFromZadarmaNotificationCommand : PSCmdlet
    {
        private Secret? _secret;

        /// <summary>
        /// The request's body: the form-encoded text (caller_id=...&amp;called_did=...&amp;call_start=...), its bytes, or its
        /// fields already decoded (a hashtable or any IDictionary, such as Pode's $WebEvent.Data).
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowEmptyString]
        public object? Body { get; set; }

        /// <summary>The request's headers (any IDictionary: $Request.Headers in Azure Functions); the Signature header is read from them, in any case.</summary>
        [Parameter(Position = 1)]
        public IDictionary? Headers { get; set; }

        /// <summary>The Signature header's value, when the host gives it apart from -Headers.</summary>
        [Parameter]
        public string? Signature { get; set; }

        /// <summary>
        /// The Zadarma API key as the user name and the secret key as the password: the secret checks the Signature.
        /// Default: $env:MESSAGINGTOOLS_ZADARMA_API_KEY and $env:MESSAGINGTOOLS_ZADARMA_API_SECRET; with neither, the
        /// signature is not checked.
        /// </summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Make an unsigned or forged notification an error (HttpStatus 403) instead of a call. Needs the secret.</summary>
        [Parameter]
        public SwitchParameter RequireSignature { get; set; }

        /// <summary>The address the request came from, kept on the call (RemoteAddress).</summary>
        [Parameter]
        public string? RemoteAddress { get; set; }

        /// <summary>The UTC offset of the account's time zone, to read the start time (Zadarma writes local time). Default: 00:00.</summary>
        [Parameter]
        public TimeSpan UtcOffset { get; set; }

        /// <summary>
        /// Write the notification only when it is one of these call events (Zadarma's names, such as NOTIFY_END; another
        /// name is allowed); another is read and checked (errors are still written) but not written. The notification
        /// without an event matches none.
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ZadarmaNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Event { get; set; }

        /// <summary>Refuse bodies longer than this many bytes (HttpStatus 413).</summary>
        [Parameter]
        [ValidateRange(256, 16 * 1024 * 1024)]
        public int MaxBodyBytes { get; set; } = ZadarmaNotifications.DefaultMaxBodyBytes;

        protected override void BeginProcessing()
        {
            _secret = ZadarmaCredentials.ResolveSignatureSecret(this, Credential, RequireSignature);
        }

        protected override void ProcessRecord()
        {
            try
            {
                var call = Read();
                var refusal = RequireSignature ? ZadarmaNotifications.SignatureRefusal(call) : null;
                if (refusal != null) throw refusal;
                if (Event != null && Event.Length > 0 && (call.Event is null || Array.IndexOf(Event, call.Event) < 0)) return;
                WriteObject(call);
            }
            catch (MessagingException ex)
            {
                WriteError(ErrorRecords.For(ex, Body, null));
            }
        }

        private ZadarmaCall Read()
        {
            // The Signature is read once, here, and handed to whichever reading the body's kind takes.
            var signature = Signature ?? ZadarmaNotifications.FindHeader(HeaderPairs(Headers), ZadarmaNotifications.SignatureHeader);
            var body = Body is PSObject p ? p.BaseObject : Body;
            if (body is IDictionary fields)
                return ZadarmaNotifications.FromFields(Fields(fields), signature, _secret, RemoteAddress, UtcOffset, null);
            var bytes = body switch
            {
                null => Array.Empty<byte>(), // no fields: refused as missing caller_id, as an empty body is
                string text => ZadarmaNotifications.BodyBytes(text, MaxBodyBytes),
                byte[] raw => raw,
                _ => throw ZadarmaNotifications.NotificationIsMalformed(
                    $"The notification cannot be read from a {body.GetType().Name}: give the request's body as text, as bytes, or as a hashtable of its fields.",
                    "Body"),
            };
            return ZadarmaNotifications.Parse(bytes, signature, _secret, RemoteAddress, UtcOffset, null, MaxBodyBytes);
        }

        private static IEnumerable<KeyValuePair<string, string?>> Fields(IDictionary fields, string prefix = "")
        {
            foreach (DictionaryEntry entry in fields)
            {
                var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                var name = prefix.Length == 0 ? key : prefix + "[" + key + "]";
                // A host that decodes PHP's array fields (wait_dtmf[name]=...) gives a nested dictionary: its names as posted.
                if ((entry.Value is PSObject p ? p.BaseObject : entry.Value) is IDictionary nested)
                {
                    foreach (var inner in Fields(nested, name)) yield return inner;
                    continue;
                }
                yield return new KeyValuePair<string, string?>(name, Value(entry.Value));
            }
        }

        /// <summary>A header's or field's text; of several values the last (as PHP keeps a repeated field).</summary>
        private static string? Value(object? value)
        {
            var inner = value is PSObject p ? p.BaseObject : value;
            if (inner is null || inner is string) return (string?)inner;
            if (inner is IEnumerable many)
            {
                string? last = null;
                foreach (var item in many) last = Value(item);
                return last;
            }
            return Convert.ToString(inner, CultureInfo.InvariantCulture);
        }

        private static IEnumerable<KeyValuePair<string, string?>>? HeaderPairs(IDictionary? headers)
        {
            if (headers is null) return null;
            var pairs = new List<KeyValuePair<string, string?>>();
            foreach (DictionaryEntry entry in headers)
                pairs.Add(new KeyValuePair<string, string?>(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "", Value(entry.Value)));
            return pairs;
        }
    }
}
