using System;
using System.Management.Automation;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma.Calls;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Makes the body that answers a Zadarma call notification with a route or IVR steps.</para>
    /// <para type="description">For a web host you already run (see ConvertFrom-ZadarmaNotification): the JSON
    /// {"redirect": ..., "caller_name": ...} that sends the call to a redirect scenario or an extension (-Redirect), rejects
    /// it with a busy signal (-Blacklist) and names the caller (-CallerName); a plain number is written as a JSON number.
    /// The answer to NOTIFY_START or NOTIFY_IVR can also script the call (docs/zadarma.md, "IVR answers"): play a file
    /// (-IvrPlay), say digits, a number or a popular number (-IvrSayDigits, -IvrSayNumber, -IvrSayPopular) in a -Language
    /// (ru, ua, en, es, pl, fr, de), wait for the caller's digits (-WaitDtmf @{ Timeout; Attempts; MaxDigits; Name; Default }),
    /// redirect with -ReturnTimeout and -RewriteForwardNumber, or -Hangup. A bad value is refused (ZadarmaRouteIsInvalid)
    /// with the member named.
    /// With none of them it is an empty string: answer it (status 200) and Zadarma routes the call as the PBX is set up.
    /// -Route takes what a Receive-ZadarmaCall -Route scriptblock may return (text, a hashtable, an object with Redirect
    /// and CallerName properties, a ZadarmaRoute), also from the pipeline.</para>
    /// </summary>
    /// <example>
    /// <code>ConvertTo-ZadarmaRouteAnswer -Redirect 100 -CallerName 'Anna (VIP)'</code>
    /// <para>Gives {"redirect":100,"caller_name":"Anna (VIP)"}: the call goes to extension 100 and shows the name.</para>
    /// </example>
    /// <example>
    /// <code>@{ Redirect = 'blacklist' }, 'sales-queue', $null | ConvertTo-ZadarmaRouteAnswer</code>
    /// <para>Gives {"redirect":"blacklist"}, {"redirect":"sales-queue"} and an empty string (default routing).</para>
    /// </example>
    /// <example>
    /// <code>ConvertTo-ZadarmaRouteAnswer -IvrPlay 3 -WaitDtmf @{ Timeout = 5; Attempts = 2; MaxDigits = 1; Name = 'menu'; Default = 1 }</code>
    /// <para>Gives {"ivr_play":3,"wait_dtmf":{"timeout":5,"attempts":2,"maxdigits":1,"name":"menu","default":1}}: plays the
    /// PBX's sound file 3 and waits for one digit; Zadarma then posts a NOTIFY_IVR whose DtmfName is menu.</para>
    /// </example>
    /// <example>
    /// <code>@{ IvrSayDigits = '1234'; Language = 'en' }, @{ Redirect = 100; ReturnTimeout = 20; RewriteForwardNumber = '+442037691881' } | ConvertTo-ZadarmaRouteAnswer</code>
    /// <para>Gives {"ivr_saydigits":"1234","language":"en"} and {"redirect":100,"return_timeout":20,"rewrite_forward_number":"+442037691881"}.</para>
    /// </example>
    /// <seealso cref="ConvertFromZadarmaNotificationCommand"/>
    /// <seealso cref="ReceiveZadarmaCallCommand"/>
    [Cmdlet(VerbsData.ConvertTo, "ZadarmaRouteAnswer", DefaultParameterSetName = PartsSet, HelpUri = OnlineHelp.Base + "ConvertTo-ZadarmaRouteAnswer.md")]
    [OutputType(typeof(string))]
    public sealed class ConvertToZadarmaRouteAnswerCommand : PSCmdlet
    {
        private const string PartsSet = "Parts";
        private const string RouteSet = "Route";

        /// <summary>A redirect scenario's id or an extension of the PBX (or 'blacklist').</summary>
        [Parameter(Position = 0, ParameterSetName = PartsSet)]
        [Alias("Target")]
        public string? Redirect { get; set; }

        /// <summary>The name to show for the caller.</summary>
        [Parameter(ParameterSetName = PartsSet)]
        [Alias("Name")]
        public string? CallerName { get; set; }

        /// <summary>Reject the call with a busy signal (redirect 'blacklist').</summary>
        [Parameter(ParameterSetName = PartsSet)]
        public SwitchParameter Blacklist { get; set; }

        /// <summary>Play a sound file of the PBX first (ivr_play: the file's id).</summary>
        [Parameter(ParameterSetName = PartsSet)]
        [Alias("ivr_play")]
        public string? IvrPlay { get; set; }

        /// <summary>Say these digits one by one (ivr_saydigits), in -Language.</summary>
        [Parameter(ParameterSetName = PartsSet)]
        [Alias("ivr_saydigits")]
        public string? IvrSayDigits { get; set; }

        /// <summary>Say this number as a number (ivr_saynumber), in -Language.</summary>
        [Parameter(ParameterSetName = PartsSet)]
        [Alias("ivr_saynumber")]
        public string? IvrSayNumber { get; set; }

        /// <summary>Say this number as a "popular" number (ivr_saypopular), in -Language.</summary>
        [Parameter(ParameterSetName = PartsSet)]
        [Alias("ivr_saypopular")]
        public string? IvrSayPopular { get; set; }

        /// <summary>The language of what is said: ru, ua, en, es, pl, fr or de.</summary>
        [Parameter(ParameterSetName = PartsSet)]
        [ArgumentCompleter(typeof(ZadarmaNameCompleter))]
        public string? Language { get; set; }

        /// <summary>
        /// Wait for the caller's digits (wait_dtmf): a hashtable of Timeout (s), Attempts, MaxDigits, Name and Default, any of
        /// them; the NOTIFY_IVR that follows carries the digits under Name.
        /// </summary>
        [Parameter(ParameterSetName = PartsSet)]
        [Alias("wait_dtmf")]
        public object? WaitDtmf { get; set; }

        /// <summary>Seconds the redirect rings before the call comes back (return_timeout); needs -Redirect.</summary>
        [Parameter(ParameterSetName = PartsSet)]
        [Alias("return_timeout")]
        public int? ReturnTimeout { get; set; }

        /// <summary>Forward the redirect to this number instead (rewrite_forward_number: digits, an optional leading +, at least 5); needs -Redirect.</summary>
        [Parameter(ParameterSetName = PartsSet)]
        [Alias("rewrite_forward_number")]
        public string? RewriteForwardNumber { get; set; }

        /// <summary>Hang up the call (hangup: 1).</summary>
        [Parameter(ParameterSetName = PartsSet)]
        public SwitchParameter Hangup { get; set; }

        /// <summary>A route as a Receive-ZadarmaCall -Route scriptblock returns it: nothing, text, a hashtable with Redirect and CallerName, such an object, or a ZadarmaRoute.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RouteSet)]
        [AllowNull]
        [AllowEmptyString]
        public object? Route { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                ZadarmaRoute? route;
                if (ParameterSetName == RouteSet) route = ZadarmaRouteConversion.From(Route);
                else
                {
                    if (Blacklist && !string.IsNullOrWhiteSpace(Redirect) && !ZadarmaRoute.MeansBlacklist(Redirect))
                        throw ZadarmaRouteConversion.RouteIsNotARoute(
                            $"-Blacklist rejects the call, -Redirect '{Redirect}' sends it on: give one of them.", "Redirect");
                    route = ZadarmaRouteConversion.Make(new System.Collections.Generic.Dictionary<string, object?>
                    {
                        ["Redirect"] = Blacklist ? ZadarmaRoute.BlacklistTarget : Redirect,
                        ["CallerName"] = CallerName,
                        ["IvrPlay"] = IvrPlay,
                        ["IvrSayDigits"] = IvrSayDigits,
                        ["IvrSayNumber"] = IvrSayNumber,
                        ["IvrSayPopular"] = IvrSayPopular,
                        ["Language"] = Language,
                        ["WaitDtmf"] = WaitDtmf,
                        ["ReturnTimeout"] = ReturnTimeout,
                        ["RewriteForwardNumber"] = RewriteForwardNumber,
                        ["Hangup"] = Hangup.IsPresent,
                    });
                }
                WriteObject(ZadarmaNotifications.Answer(route));
            }
            catch (MessagingException ex)
            {
                WriteError(ErrorRecords.For(ex, ParameterSetName == RouteSet ? Route : Redirect, null));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                // A property getter of the input threw (GetValueException): that input's error, the next one is read.
                var error = ZadarmaRouteConversion.RouteIsNotARoute($"The route cannot be read: reading it failed: {ex.Message}", "Route", ex);
                WriteError(ErrorRecords.For(error, ParameterSetName == RouteSet ? Route : Redirect, null));
            }
        }
    }
}
