using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Lists the phone numbers of the Zadarma account.</para>
    /// <para type="description">Reads /v1/direct_numbers/: each virtual number with its status, country and city, the SIP number it rings, its paid period, monthly fee and channels.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaDirectNumber -Credential $cred</code>
    /// <para>Lists the account's phone numbers.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaDirectNumber -Credential $cred | Where-Object StopDate -lt (Get-Date).AddDays(14) | Select-Object Number, StopDate, AutoRenew</code>
    /// <para>The numbers whose paid period ends within two weeks, and whether they renew themselves.</para>
    /// </example>
    /// <seealso cref="InvokeZadarmaRequestCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaDirectNumber", HelpUri = OnlineHelp.Base + "Get-ZadarmaDirectNumber.md")]
    [OutputType(typeof(ZadarmaDirectNumber))]
    public sealed class GetZadarmaDirectNumberCommand : ZadarmaAccountReadCmdlet<IReadOnlyList<ZadarmaDirectNumber>>
    {
        protected override string Activity => "Reading Zadarma phone numbers";

        protected override ZadarmaAccountRead Read => ZadarmaAccountRead.DirectNumbers;

        protected override string Action => "List the phone numbers";

        protected override Task<IReadOnlyList<ZadarmaDirectNumber>> ReadAsync(CancellationToken cancellationToken) => Client.GetDirectNumbersAsync(cancellationToken);
    }
}
