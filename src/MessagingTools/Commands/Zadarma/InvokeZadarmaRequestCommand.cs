using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Sends a signed request to any method of Zadarma's API.
    /// For the methods that have no cmdlet, in the way of Invoke-MgGraphRequest: -Path names the
    /// method with its version (/v1/...), -Method the verb (Get by default), -Parameter its parameters as a hashtable, whose
    /// values may be text, numbers, $true/$false (sent as 1 and 0), dates (sent as yyyy-MM-dd HH:mm:ss), lists and hashtables
    /// (sent as PHP's http_build_query writes them: numbers[0]=...&amp;numbers[1]=...). The request is signed exactly as
    /// Zadarma's PHP checks it, the parameters in the query of a GET and in the form body of a POST, PUT or DELETE, as
    /// Zadarma's SDK sends them; it waits its turn under the rate limit (and, for a /v1/statistics path, the statistics limit).</para>
    /// <para type="description">A GET is a read and is retried after a network error, a 5xx or a 429 as reads are; any other
    /// verb may change the account or cost money, so it is never repeated once it may have reached Zadarma. Every request
    /// asks ShouldProcess: -WhatIf shows it, whatever its verb, without sending it, and -Confirm asks before it is sent. The answer comes back as an object (with -AsHashtable, as hashtables); an answer whose status
    /// is error, an HTTP error and a 429 are the module's errors (ZadarmaReturnedAnError, ...).</para>
    /// </summary>
    /// <example>
    /// <code>Invoke-ZadarmaRequest /v1/info/lists/currencies/ -Credential $cred</code>
    /// <para>Reads a method that has no cmdlet; the answer's fields are properties (status, currencies).</para>
    /// </example>
    /// <example>
    /// <code>Invoke-ZadarmaRequest /v1/request/checknumber/ -Parameter @{ caller_id = '442037691880'; to = '79001234567'; code = '4821'; lang = 'en' } -Credential $cred</code>
    /// <para>Places a verification call that says a code (a GET in Zadarma's API).</para>
    /// </example>
    /// <example>
    /// <code>Invoke-ZadarmaRequest /v1/info/number_lookup/ -Method Post -Parameter @{ numbers = @('79001234567', '442037691880') } -Credential $cred -WhatIf</code>
    /// <para>Shows the POST that would be sent, with a list parameter (numbers[0], numbers[1]), without sending it.</para>
    /// </example>
    /// <example>
    /// <code>(Invoke-ZadarmaRequest /v1/sip/ -AsHashtable -Credential $cred)['sips'] | ForEach-Object { $_['id'] }</code>
    /// <para>Reads the answer as hashtables.</para>
    /// </example>
    /// <seealso cref="GetZadarmaTariffCommand"/>
    /// <seealso cref="GetZadarmaSipStatusCommand"/>
    /// <seealso cref="GetZadarmaDirectNumberCommand"/>
    /// <seealso cref="GetZadarmaPbxExtensionCommand"/>
    /// <seealso cref="GetZadarmaPbxExtensionStatusCommand"/>
    /// <seealso cref="SetZadarmaPbxRecordingCommand"/>
    /// <seealso cref="GetZadarmaNumberInfoCommand"/>
    /// <seealso cref="GetZadarmaWidgetStatisticsCommand"/>
    [Cmdlet(VerbsLifecycle.Invoke, "ZadarmaRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = OnlineHelp.Base + "Invoke-ZadarmaRequest.md")]
    [OutputType(typeof(PSObject), typeof(Hashtable))]
    public sealed class InvokeZadarmaRequestCommand : ZadarmaCmdlet<ZadarmaApiRequest, object>
    {
        /// <summary>The method's path with its version, such as /v1/info/balance/ or /v1/sip/100/status/.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Uri")]
        [AllowEmptyString]
        public string Path { get; set; } = "";

        /// <summary>Get, Post, Put or Delete (the verb Zadarma's documentation gives the method).</summary>
        [Parameter(Position = 1)]
        public ZadarmaHttpMethod Method { get; set; } = ZadarmaHttpMethod.Get;

        /// <summary>The method's parameters, by their names in Zadarma's API (snake_case): @{ number = '79001234567' }.</summary>
        [Parameter(Position = 2)]
        [Alias("Parameters", "Body", "Query")]
        public IDictionary? Parameter { get; set; }

        /// <summary>Writes the answer as hashtables instead of objects.</summary>
        [Parameter]
        public SwitchParameter AsHashtable { get; set; }

        protected override string Activity => "Calling Zadarma's API";

        protected override ZadarmaApiRequest CreateItem()
        {
            var parameters = new List<KeyValuePair<string, object?>>();
            if (Parameter != null)
                foreach (DictionaryEntry e in Parameter)
                    parameters.Add(new KeyValuePair<string, object?>(Convert.ToString(Unwrap(e.Key), System.Globalization.CultureInfo.InvariantCulture) ?? "", Unwrap(e.Value)));
            return ZadarmaClient.Prepare(new ZadarmaApiRequest(Path, Method, parameters));
        }

        protected override (string Target, string Action) Describe(ZadarmaApiRequest item) =>
            (item.Path, $"Send a {item.Method.ToString().ToUpperInvariant()} request" + (item.Parameters.Count == 0 ? "" : " with " + string.Join(", ", item.Parameters.Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal))));

        protected override Task<IReadOnlyList<Outcome<object>>> RunAsync(IReadOnlyList<ZadarmaApiRequest> items, CancellationToken cancellationToken) =>
            One(InvokeAsync(items[0], AsHashtable.IsPresent, cancellationToken));

        private async Task<object> InvokeAsync(ZadarmaApiRequest request, bool asHashtable, CancellationToken cancellationToken)
        {
            var answer = await Client.InvokeAsync(request, cancellationToken).ConfigureAwait(false);
            return ZadarmaJsonTree.Read(answer.Json, asHashtable ? (Func<IReadOnlyList<KeyValuePair<string, object?>>, object>)ToHashtable : ToObject)!;
        }

        private static object ToHashtable(IReadOnlyList<KeyValuePair<string, object?>> properties)
        {
            var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var p in properties) table[p.Key] = p.Value;
            return table;
        }

        private static object ToObject(IReadOnlyList<KeyValuePair<string, object?>> properties)
        {
            var o = new PSObject();
            foreach (var p in properties)
            {
                // A repeated name (JSON allows it) keeps its last value, as ConvertFrom-Json does.
                if (o.Properties[p.Key] is PSPropertyInfo existing) existing.Value = p.Value;
                else o.Properties.Add(new PSNoteProperty(p.Key, p.Value));
            }
            return o;
        }

        /// <summary>A parameter value as Core takes it: PowerShell's wrappers removed, a [pscustomobject] read as a map of its properties.</summary>
        private static object? Unwrap(object? value)
        {
            if (value is PSObject pso)
            {
                if (pso.BaseObject is PSCustomObject)
                {
                    var map = new System.Collections.Specialized.OrderedDictionary();
                    foreach (var p in pso.Properties) map[p.Name] = Unwrap(p.Value);
                    return map;
                }
                value = pso.BaseObject;
            }
            switch (value)
            {
                case null: return null;
                case string _: return value;
                case IDictionary d:
                    var copy = new System.Collections.Specialized.OrderedDictionary();
                    foreach (DictionaryEntry e in d) copy[Unwrap(e.Key) ?? ""] = Unwrap(e.Value);
                    return copy;
                case IEnumerable items:
                    return items.Cast<object?>().Select(Unwrap).ToArray();
                case System.Security.SecureString _:
                    throw new ArgumentException("A SecureString cannot be a Zadarma parameter: give the text.");
                default: return value;
            }
        }
    }
}
