using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using MessagingTools.Core.Providers.Zadarma;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// The account's zone of a statistics run (Get-ZadarmaStatistics, Get-ZadarmaPbxStatistics): -UtcOffset when given,
    /// else what /v1/info/timezone/ answers, read once per run. (The statistics cmdlets are reads without -WhatIf: their
    /// requests go out under $WhatIfPreference too, so the zone is read then as well.)
    /// </summary>
    internal sealed class ZadarmaAccountZone
    {
        private ZadarmaTimeZone? _zone;

        /// <summary>The zone of this run; reads it the first time (blocking the pipeline thread, cancelled by Ctrl+C).</summary>
        public ZadarmaTimeZone Get(PSCmdlet cmdlet, ZadarmaClient client, TimeSpan? utcOffset, CancellationToken cancellationToken)
        {
            if (_zone != null) return _zone;
            if (utcOffset is TimeSpan offset)
                _zone = ZadarmaTimeZone.Fixed(offset);
            else
            {
                // A read of the account, not a statistics request: it does not use up the 3 statistics requests a minute.
                var zone = client.GetTimeZoneAsync(cancellationToken).ConfigureAwait(false).GetAwaiter().GetResult();
                cmdlet.WriteVerbose($"The account's time zone, as Zadarma gives it: {zone.Name} (now UTC{Offset(zone.UtcOffset)})" +
                    (zone.ObservesDaylightSaving ? ", with daylight-saving time: each end of the period is read at its own offset." : "."));
                if (zone.OffsetOnly)
                    cmdlet.WriteWarning($"Zadarma names the account's time zone '{zone.Name}', which is not a zone this system knows or does not " +
                        $"match Zadarma's clock: the period is read at the offset of Zadarma's clock now, UTC{Offset(zone.UtcOffset)}, at both " +
                        "ends. If a daylight-saving change falls in the period, give -UtcOffset.");
                _zone = zone;
            }
            client.AccountTimeZone = _zone;
            return _zone;
        }

        /// <summary>The ShouldProcess target of a period: its two ends on the account's clock.</summary>
        public static string Describe(DateTimeOffset start, DateTimeOffset end) => $"{Text(start)} to {Text(end)}";

        private static string Text(DateTimeOffset t) =>
            t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " (UTC" + Offset(t.Offset) + ")";

        private static string Offset(TimeSpan offset) =>
            (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }
}
