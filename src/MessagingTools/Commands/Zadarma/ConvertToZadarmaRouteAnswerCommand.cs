using System;
using System.Management.Automation;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Providers.Zadarma.Calls;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Makes the body that answers a Zadarma incoming-call notification with a route.</para>
    /// <para type="description">For a web host you already run (see ConvertFrom-ZadarmaNotification): the JSON
    /// {"redirect": ..., "caller_name": ...} that sends the call to a redirect scenario or an extension (-Redirect), rejects
    /// it with a busy signal (-Blacklist) and names the caller (-CallerName); a plain number is written as a JSON number.
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
                    route = ZadarmaRouteConversion.Make(Blacklist ? ZadarmaRoute.BlacklistTarget : Redirect, CallerName);
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
