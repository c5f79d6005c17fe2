using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Providers.Zadarma;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// <para type="synopsis">Gets the time zone of the Zadarma account, in which Zadarma writes and reads statistics times.</para>
    /// <para type="description">Reads /v1/info/timezone/: the zone as Zadarma names it (such as UTC+3), its offset now, whether
    /// it has daylight-saving time, and Zadarma's clock. OffsetOnly is true when the name is no zone this system knows or does
    /// not match Zadarma's clock: then only the offset of now is known. Get-ZadarmaStatistics and Get-ZadarmaPbxStatistics
    /// read the zone the same way when -UtcOffset is not given.</para>
    /// </summary>
    /// <example>
    /// <code>Get-ZadarmaTimeZone -Credential $cred</code>
    /// <para>Shows the account's time zone, its offset now and Zadarma's clock.</para>
    /// </example>
    /// <example>
    /// <code>Get-ZadarmaStatistics -Start '2026-10-01' -End '2026-10-31' -UtcOffset (Get-ZadarmaTimeZone -Credential $cred).UtcOffset -Credential $cred</code>
    /// <para>Reads October's calls at the offset the account has now, the same at both ends (what -UtcOffset does); without -UtcOffset each end would get its own date's offset.</para>
    /// </example>
    /// <seealso cref="GetZadarmaStatisticsCommand"/>
    /// <seealso cref="GetZadarmaPbxStatisticsCommand"/>
    [Cmdlet(VerbsCommon.Get, "ZadarmaTimeZone", HelpUri = OnlineHelp.Base + "Get-ZadarmaTimeZone.md")]
    [OutputType(typeof(ZadarmaTimeZone))]
    public sealed class GetZadarmaTimeZoneCommand : ZadarmaAccountReadCmdlet<ZadarmaTimeZone>
    {
        protected override string Activity => "Reading the Zadarma time zone";

        protected override ZadarmaAccountRead Read => ZadarmaAccountRead.TimeZone;

        protected override string Action => "Read the time zone";

        protected override Task<ZadarmaTimeZone> ReadAsync(CancellationToken cancellationToken) => Client.GetTimeZoneAsync(cancellationToken);
    }
}
