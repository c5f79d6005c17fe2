using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Gets the balance of the Zadarma account.</para>
    /// <para type="description">Reads /v1/info/balance/: the balance as a decimal and its currency.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaBalance -Credential (Get-Credential)</code>
    /// <para>Shows the account balance and its currency.</para>
    /// </example>
    /// <example>
    /// <code>$env:MESSAGINGTOOLS_ZADARMA_API_KEY = $key; $env:MESSAGINGTOOLS_ZADARMA_API_SECRET = $secret; (Get-ZadarmaBalance).Balance</code>
    /// <para>Reads the credential from the environment, as a runbook would, and returns the balance as a decimal.</para>
    /// </example>
    /// <seealso cref="GetZadarmaPriceCommand"/>
    /// <seealso cref="SendZadarmaSmsCommand"/>
    /// <seealso cref="InvokeZadarmaCallbackCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaBalance", HelpUri = OnlineHelp.Base + "Get-ZadarmaBalance.md")]
    [OutputType(typeof(ZadarmaBalance))]
    public sealed class GetZadarmaBalanceCommand : ZadarmaAccountReadCmdlet<ZadarmaBalance>
    {
        protected override string Activity => "Reading the Zadarma balance";

        protected override ZadarmaAccountRead Read => ZadarmaAccountRead.Balance;

        protected override string Action => "Read the balance";

        protected override Task<ZadarmaBalance> ReadAsync(CancellationToken cancellationToken) => Client.GetBalanceAsync(cancellationToken);
    }
}
