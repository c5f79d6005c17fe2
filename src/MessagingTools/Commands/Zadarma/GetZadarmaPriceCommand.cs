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
    /// <para type="synopsis">Gets the price of a call to each number under the account's price plan.</para>
    /// <para type="description">Reads /v1/info/price/ for every number given or piped (strings or rows).</para>
    /// </summary>
    /// <example>
    /// <code>'+44 20 3769 1880', '79001234567' | Get-ZadarmaPrice -Credential $cred</code>
    /// <para>Shows the price of a minute to each number.</para>
    /// </example>
    /// <seealso cref="InvokeZadarmaCallbackCommand"/>
    /// <seealso cref="GetZadarmaBalanceCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaPrice", HelpUri = OnlineHelp.Base + "Get-ZadarmaPrice.md")]
    [OutputType(typeof(ZadarmaPrice))]
    public sealed class GetZadarmaPriceCommand : ZadarmaPhoneCmdlet<ZadarmaPriceQuery, ZadarmaPrice>
    {
        /// <summary>The number to price, in international format.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Phone", "PhoneNumber", "To", "Destination", "Mobile")]
        [AllowEmptyString]
        public string Number { get; set; } = "";

        /// <summary>The CallerID the call would show (prices can depend on it).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Caller_Id", "From")]
        [AllowEmptyString]
        public string? CallerId { get; set; }

        protected override string Activity => "Reading Zadarma prices";

        // Checked now, so that a bad number is that row's error before any request.
        protected override ZadarmaPriceQuery CreateItem() => ZadarmaClient.Prepare(new ZadarmaPriceQuery(Number) { CallerId = CallerId, DefaultCountryCode = CountryCode });

        protected override (string Target, string Action) Describe(ZadarmaPriceQuery item) => (item.Number, "Read the call price");

        protected override Task<IReadOnlyList<Outcome<ZadarmaPrice>>> RunAsync(IReadOnlyList<ZadarmaPriceQuery> items, CancellationToken cancellationToken) =>
            One(Client.GetPriceAsync(items[0], cancellationToken));
    }
}
