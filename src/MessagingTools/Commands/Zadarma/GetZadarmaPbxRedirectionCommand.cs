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
    /// <para type="synopsis">Shows where a PBX extension forwards its calls.</para>
    /// <para type="description">Reads /v1/pbx/redirection/ for each extension (-Extension, or piped by its Extension,
    /// PbxNumber or pbx_number): whether forwarding is on, to a phone or to voicemail, the number or e-mail address, the
    /// condition (always or noanswer), voicemail's greeting and whether a forwarded call shows your CallerID. A read: retried
    /// after timeouts and 5xx.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaPbxRedirection -Extension 100 -Credential $cred</code>
    /// <para>Shows the forwarding of PBX extension 100.</para>
    /// </example>
    /// <example>
    /// <code>100, 101, 102 | Get-ZadarmaPbxRedirection -Credential $cred | Where-Object Enabled</code>
    /// <para>Lists the extensions that forward their calls.</para>
    /// </example>
    /// <seealso cref="SetZadarmaPbxRedirectionCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaPbxRedirection", HelpUri = OnlineHelp.Base + "Get-ZadarmaPbxRedirection.md")]
    [OutputType(typeof(ZadarmaPbxRedirection))]
    public sealed class GetZadarmaPbxRedirectionCommand : ZadarmaRowCmdlet<string, ZadarmaPbxRedirection>
    {
        /// <summary>The PBX extension, e.g. 100.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PbxNumber", "pbx_number")]
        [AllowEmptyString]
        public string Extension { get; set; } = "";

        protected override string Activity => "Reading Zadarma PBX forwarding";

        protected override string CreateItem() => ZadarmaClient.NormalizeNumber(Extension, "Extension");

        protected override (string Target, string Action) Describe(string item) => ("PBX extension " + item, "Read the call forwarding");

        protected override Task<IReadOnlyList<Outcome<ZadarmaPbxRedirection>>> RunAsync(IReadOnlyList<string> items, CancellationToken cancellationToken) =>
            One(Client.GetPbxRedirectionAsync(items[0], cancellationToken));
    }
}
