using System;
using System.Globalization;
using System.Security;
using System.Text.RegularExpressions;

namespace MessagingTools.Core.Providers.Zadarma
{
    /// <summary>
    /// The account's time zone (<c>GET /v1/info/timezone/</c>: unixtime, datetime, timezone). Zadarma takes and gives
    /// statistics times as the account's local "Y-m-d H:i:s" text, so an instant is written, and a text read, at the
    /// offset of its own moment: a period that crosses a daylight-saving change has its two ends at two offsets.
    /// <para>
    /// What the answer allows (docs/providers/zadarma.md, 'The account's time zone'): Zadarma's OpenAPI description
    /// gives <c>timezone</c> as "UTC+0", "UTC+3": such a zone is a fixed offset, with no daylight-saving change to cross.
    /// A zone name (Europe/Berlin) is taken with its rules when this system knows it. Otherwise, or when the offset the
    /// name says is not the one Zadarma's clock shows now (<c>datetime</c> against <c>unixtime</c>), only the current
    /// offset is known: <see cref="OffsetOnly"/> is true and that offset is used for every moment.
    /// </para>
    /// </summary>
    public sealed class ZadarmaTimeZone
    {
        // "UTC+3", "UTC-03:30", "GMT+5", "+04:00", "UTC": the offset forms of Zadarma's answer.
        private static readonly Regex s_offset = new Regex(@"^\s*(?:(?:UTC|GMT)\s*)?(?:(?<sign>[+-])\s*(?<h>\d{1,2})(?::?(?<m>\d{2}))?)?\s*$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private const string DateFormat = "yyyy-MM-dd HH:mm:ss";

        public ZadarmaTimeZone(string name, TimeZoneInfo zone, DateTimeOffset currentTime, bool offsetOnly)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Zone = zone ?? throw new ArgumentNullException(nameof(zone));
            CurrentTime = currentTime;
            OffsetOnly = offsetOnly;
        }

        /// <summary>The zone as Zadarma names it ("UTC+3"), or as the caller gave it.</summary>
        public string Name { get; }

        /// <summary>The zone's offset at <see cref="CurrentTime"/>.</summary>
        public TimeSpan UtcOffset => Zone.GetUtcOffset(CurrentTime);

        /// <summary>True when the zone changes its offset during the year (a named zone with daylight-saving time).</summary>
        public bool ObservesDaylightSaving => Zone.SupportsDaylightSavingTime;

        /// <summary>
        /// True when only the offset of <see cref="CurrentTime"/> is known (the name is no zone this system knows, or does
        /// not match Zadarma's clock): that offset is then used for every moment, which is wrong by the daylight-saving
        /// difference for moments on the other side of a change.
        /// </summary>
        public bool OffsetOnly { get; }

        /// <summary>Zadarma's clock when it answered, in the zone (a fixed zone's offset when made by <see cref="Fixed"/>).</summary>
        public DateTimeOffset CurrentTime { get; }

        /// <summary>The zone with its rules (a custom zone of one offset when the zone is a fixed offset).</summary>
        public TimeZoneInfo Zone { get; }

        /// <summary>A zone of one fixed offset (what -UtcOffset gives).</summary>
        public static ZadarmaTimeZone Fixed(TimeSpan offset, DateTimeOffset? now = null) =>
            new ZadarmaTimeZone(OffsetName(offset), FixedZone(offset), (now ?? DateTimeOffset.UtcNow).ToOffset(offset), offsetOnly: false);

        /// <summary>An instant as the account's clock shows it, at the offset of that instant.</summary>
        public DateTimeOffset ToAccount(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

        /// <summary>
        /// A time of the account's clock (the text Zadarma writes, a time typed without a zone) as an instant, at the
        /// offset the zone has then. A time in the hour a change to summer time skips is read at the offset before it; a
        /// time in the hour a change back to standard time repeats, as its second (standard-time) occurrence.
        /// </summary>
        public DateTimeOffset FromAccount(DateTime local)
        {
            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            TimeSpan offset;
            if (Zone.IsInvalidTime(unspecified))
                offset = Zone.GetUtcOffset(unspecified.AddHours(-3)); // before the skipped hour
            else
                offset = Zone.GetUtcOffset(unspecified); // an ambiguous time gets the standard offset
            return new DateTimeOffset(unspecified, offset);
        }

        /// <summary>
        /// Reads Zadarma's answer: <paramref name="name"/> (<c>timezone</c>), <paramref name="unixTime"/> and
        /// <paramref name="localTime"/> (<c>unixtime</c>, <c>datetime</c>: the same moment, the latter as the account's clock).
        /// Returns null when none of them gives a zone.
        /// </summary>
        public static ZadarmaTimeZone? FromAnswer(string? name, long? unixTime, string? localTime)
        {
            var text = (name ?? "").Trim();
            var now = unixTime is long u ? DateTimeOffset.FromUnixTimeSeconds(u) : (DateTimeOffset?)null;
            TimeSpan? observed = null;
            if (now is DateTimeOffset instant && localTime != null &&
                DateTime.TryParseExact(localTime.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
            {
                // Rounded to the quarter hour: every offset in use is a multiple of 15 minutes, and the two fields may
                // straddle a second.
                var minutes = (clock - instant.UtcDateTime).TotalMinutes;
                observed = TimeSpan.FromMinutes(Math.Round(minutes / 15, MidpointRounding.AwayFromZero) * 15);
            }
            var at = now ?? DateTimeOffset.UtcNow;

            TimeZoneInfo? zone = null;
            if (text.Length > 0) zone = TryOffsetZone(text) ?? TryNamedZone(text);
            if (zone != null && (observed is null || zone.GetUtcOffset(at) == observed))
                return new ZadarmaTimeZone(text, zone, TimeZoneInfo.ConvertTime(at, zone), offsetOnly: false);
            if (observed is TimeSpan offset && Math.Abs(offset.TotalHours) <= 14)
                return new ZadarmaTimeZone(text.Length > 0 ? text : OffsetName(offset), FixedZone(offset), at.ToOffset(offset), offsetOnly: true);
            return null;
        }

        /// <summary>"UTC+03:00" for an offset.</summary>
        public static string OffsetName(TimeSpan offset) =>
            "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

        private static TimeZoneInfo? TryOffsetZone(string text)
        {
            var m = s_offset.Match(text);
            if (!m.Success) return null;
            if (!m.Groups["sign"].Success)
                return text.Trim().Length == 0 ? null : FixedZone(TimeSpan.Zero); // "UTC", "GMT"
            var hours = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
            var mins = m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
            if (hours > 14 || mins >= 60) return null;
            var offset = new TimeSpan(hours, mins, 0);
            return FixedZone(m.Groups["sign"].Value == "-" ? -offset : offset);
        }

        private static TimeZoneInfo? TryNamedZone(string text)
        {
            // IANA names on Linux and macOS, and on Windows with .NET 6 or later; Windows names on Windows.
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(text);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException || ex is InvalidTimeZoneException || ex is SecurityException || ex is ArgumentException)
            {
                return null;
            }
        }

        private static TimeZoneInfo FixedZone(TimeSpan offset)
        {
            var name = OffsetName(offset);
            return TimeZoneInfo.CreateCustomTimeZone(name, offset, name, name);
        }

        public override string ToString() => $"{Name} (UTC{(UtcOffset < TimeSpan.Zero ? "-" : "+")}{UtcOffset.Duration():hh\\:mm})";
    }
}
