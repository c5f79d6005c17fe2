using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Gets the price plan of the Zadarma account.</para>
    /// <para type="description">Reads /v1/tariff/: the plan, whether it is active, its cost and currency, the seconds of it used (all calls, to mobiles, to landlines), and the plan of the next period.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaTariff -Credential $cred</code>
    /// <para>Shows the account's price plan and how much of it is used.</para>
    /// </example>
    /// <example>
    /// <code>(Get-ZadarmaTariff -Credential $cred).UsedSeconds / 60</code>
    /// <para>The minutes of the plan used so far.</para>
    /// </example>
    /// <seealso cref="InvokeZadarmaRequestCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaTariff", HelpUri = OnlineHelp.Base + "Get-ZadarmaTariff.md")]
    [OutputType(typeof(ZadarmaTariff))]
    public sealed class GetZadarmaTariffCommand : ZadarmaAccountReadCmdlet<ZadarmaTariff>
    {
        protected override string Activity => "Reading the Zadarma price plan";

        protected override ZadarmaAccountRead Read => ZadarmaAccountRead.Tariff;

        protected override string Action => "Read the price plan";

        protected override Task<ZadarmaTariff> ReadAsync(CancellationToken cancellationToken) => Client.GetTariffAsync(cancellationToken);
    }
}
