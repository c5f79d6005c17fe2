using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Forwards the calls of a PBX extension to a phone or to voicemail, or switches its forwarding off.</para>
    /// <para type="description">Posts /v1/pbx/redirection/ in one of three forms. -Number forwards to a phone (type=phone;
    /// -SetCallerId makes the forwarded call show your CallerID). -Email forwards to voicemail, whose messages go to that
    /// address (type=voicemail), with -Greeting None, Standard (the default) or Own; -GreetingFile, an mp3 or wav file under
    /// 5 MB, is uploaded with it (and makes the greeting Own). -Off switches forwarding off (status=off). -Condition NoAnswer
    /// forwards only the calls not answered; the default is Always. A greeting file that does not exist, is not .mp3 or
    /// .wav, or has 5 MB or more is refused before anything is sent, naming GreetingFile. Setting the same forwarding twice
    /// does no harm, so, as Set-ZadarmaCallerId and Set-ZadarmaRedirection, it is retried like a read after timeouts and
    /// 5xx (the file is read again for each attempt). Writes the forwarding as Zadarma reports it after the change.</para>
    /// </summary>
    /// <example>
    /// <code>Set-ZadarmaPbxRedirection -Extension 100 -Number '+44 20 3769 1881' -Condition NoAnswer -SetCallerId -Credential $cred</code>
    /// <para>Forwards the calls extension 100 does not answer to +44 20 3769 1881, showing your CallerID.</para>
    /// </example>
    /// <example>
    /// <code>Set-ZadarmaPbxRedirection -Extension 101 -Email office@example.com -GreetingFile ./greeting.mp3 -Credential $cred</code>
    /// <para>Sends every call of extension 101 to voicemail with your own greeting; the messages go to office@example.com.</para>
    /// </example>
    /// <example>
    /// <code>100, 101 | Set-ZadarmaPbxRedirection -Off -Credential $cred -WhatIf</code>
    /// <para>Shows which forwardings would be switched off, changing nothing.</para>
    /// </example>
    /// <seealso cref="GetZadarmaPbxRedirectionCommand"/>
    [Cmdlet(VerbsCommon.Set, "ZadarmaPbxRedirection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        DefaultParameterSetName = PhoneSet, HelpUri = OnlineHelp.Base + "Set-ZadarmaPbxRedirection.md")]
    [OutputType(typeof(ZadarmaPbxRedirection))]
    public sealed class SetZadarmaPbxRedirectionCommand : ZadarmaRowCmdlet<ZadarmaPbxRedirectionRequest, ZadarmaPbxRedirection>
    {
        private const string PhoneSet = "Phone";
        private const string VoicemailSet = "Voicemail";
        private const string OffSet = "Off";

        /// <summary>The PBX extension, e.g. 100.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PbxNumber", "pbx_number")]
        [AllowEmptyString]
        public string Extension { get; set; } = "";

        /// <summary>Forward to this phone number, in international format.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PhoneSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Phone")]
        [AllowEmptyString]
        public string Number { get; set; } = "";

        /// <summary>Make the forwarded call show your CallerID (set_caller_id on); without it, off.</summary>
        [Parameter(ParameterSetName = PhoneSet, ValueFromPipelineByPropertyName = true)]
        [FlexibleBooleanTransformation(nameof(SetCallerId))]
        public SwitchParameter SetCallerId { get; set; }

        /// <summary>Forward to voicemail; its messages go to this e-mail address.</summary>
        [Parameter(Mandatory = true, ParameterSetName = VoicemailSet, ValueFromPipelineByPropertyName = true)]
        [Alias("E-mail")]
        [AllowEmptyString]
        public string Email { get; set; } = "";

        /// <summary>Voicemail's greeting: None, Standard (Zadarma's; the default) or Own (-GreetingFile; the default when a file is given).</summary>
        [Parameter(ParameterSetName = VoicemailSet)]
        public ZadarmaVoicemailGreeting? Greeting { get; set; }

        /// <summary>Your own greeting: an mp3 or wav file under 5 MB, uploaded with the change.</summary>
        [Parameter(ParameterSetName = VoicemailSet)]
        public string? GreetingFile { get; set; }

        /// <summary>Always (the default) or NoAnswer: forward only the calls not answered.</summary>
        [Parameter(ParameterSetName = PhoneSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = VoicemailSet, ValueFromPipelineByPropertyName = true)]
        [OneOfTransformation(nameof(Condition), "Always", "NoAnswer")]
        [ArgumentCompleter(typeof(ConditionCompleter))]
        [AllowEmptyString]
        public string? Condition { get; set; }

        /// <summary>Switch the extension's forwarding off.</summary>
        [Parameter(Mandatory = true, ParameterSetName = OffSet)]
        public SwitchParameter Off { get; set; }

        protected override string Activity => "Changing Zadarma PBX forwarding";

        protected override string DoneWord => "changed";

        protected override ZadarmaPbxRedirectionRequest CreateItem()
        {
            var noAnswer = string.Equals(Condition, "NoAnswer", StringComparison.OrdinalIgnoreCase);
            switch (ParameterSetName)
            {
                case OffSet:
                    return ZadarmaClient.Prepare(new ZadarmaPbxRedirectionRequest(Extension, ZadarmaPbxRedirectionKind.Off));
                case VoicemailSet:
                    var file = string.IsNullOrWhiteSpace(GreetingFile) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(GreetingFile);
                    return ZadarmaClient.Prepare(new ZadarmaPbxRedirectionRequest(Extension, ZadarmaPbxRedirectionKind.Voicemail)
                    {
                        Destination = Email,
                        NoAnswerOnly = noAnswer,
                        Greeting = Greeting ?? (file != null ? ZadarmaVoicemailGreeting.Own : ZadarmaVoicemailGreeting.Standard),
                        GreetingFile = file,
                    });
                default:
                    return ZadarmaClient.Prepare(new ZadarmaPbxRedirectionRequest(Extension, ZadarmaPbxRedirectionKind.Phone)
                    {
                        Destination = Number,
                        NoAnswerOnly = noAnswer,
                        SetCallerId = SetCallerId.IsPresent,
                    });
            }
        }

        protected override (string Target, string Action) Describe(ZadarmaPbxRedirectionRequest item)
        {
            var when = item.NoAnswerOnly ? "the calls not answered" : "every call";
            switch (item.Kind)
            {
                case ZadarmaPbxRedirectionKind.Off:
                    return (item.ToString(), "Switch call forwarding off");
                case ZadarmaPbxRedirectionKind.Voicemail:
                    var greeting = item.GreetingFile != null ? "the greeting " + System.IO.Path.GetFileName(item.GreetingFile)
                        : item.Greeting == ZadarmaVoicemailGreeting.None ? "no greeting" : "the standard greeting";
                    return (item.ToString(), $"Forward {when} to voicemail for {item.Destination}, with {greeting}");
                default:
                    return (item.ToString(), $"Forward {when} to {item.Destination}" + (item.SetCallerId ? ", showing your CallerID" : ""));
            }
        }

        protected override Task<IReadOnlyList<Outcome<ZadarmaPbxRedirection>>> RunAsync(IReadOnlyList<ZadarmaPbxRedirectionRequest> items, CancellationToken cancellationToken) =>
            One(Client.SetPbxRedirectionAsync(items[0], cancellationToken));

        /// <summary>Completes Always and NoAnswer.</summary>
        public sealed class ConditionCompleter : FixedValuesCompleter
        {
            public ConditionCompleter() : base("Always", "NoAnswer") { }
        }
    }
}
