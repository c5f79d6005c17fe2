using System;
using System.Globalization;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Providers.Zadarma
{
    /// <summary>
    /// The period of a statistics read (Get-ZadarmaStatistics, Get-ZadarmaPbxStatistics) from the dates a user gives:
    /// times without a zone are read in the account's zone, a date alone as -End means the whole of that day, and the
    /// defaults are the first day of this month until now. A date that cannot be placed in time names -Start or -End; a
    /// period longer than <see cref="MaxMonthsWithoutForce"/> months is refused unless forced, because it is read in
    /// 30-day pieces at Zadarma's few statistics requests a minute (-Start 1990-01-01 alone is 450 requests, 150 minutes).
    /// </summary>
    public static class ZadarmaStatisticsPeriod
    {
        /// <summary>The longest period read without being forced: 12 months (through the whole of the same date a year later).</summary>
        public const int MaxMonthsWithoutForce = 12;

        /// <summary>Zadarma's limit for the statistics methods in its public material: 3 requests a minute.</summary>
        public const int StatisticsRequestsPerMinute = 3;

        private const string Format = "yyyy-MM-dd HH:mm:ss";

        /// <summary>Refuses a period that ends before it starts (Field End); the one check of it, for cmdlets and the client.</summary>
        public static void RequireOrdered(DateTimeOffset from, DateTimeOffset to)
        {
            if (to < from)
                throw new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaPeriodEndsBeforeItStarts",
                    $"The period ends ({to:yyyy-MM-dd HH:mm:ss}) before it starts ({from:yyyy-MM-dd HH:mm:ss}): -End is before -Start.") { Field = "End" };
        }

        /// <summary>Works out the period; throws invalid-input errors naming Start or End.</summary>
        /// <param name="start">-Start, or null for the first day of this month in the account's zone.</param>
        /// <param name="end">-End (a date alone means the end of that day), or null for now.</param>
        /// <param name="accountOffset">The UTC offset of the account's zone.</param>
        /// <param name="force">Read a period of any length.</param>
        /// <param name="now">The present moment (for tests); default the clock.</param>
        public static ZadarmaStatisticsQuery Resolve(DateTime? start, DateTime? end, TimeSpan accountOffset, bool force = false, DateTimeOffset? now = null) =>
            Resolve(start, end, ZadarmaTimeZone.Fixed(accountOffset), force, now);

        /// <summary>
        /// Works out the period in the account's zone: a time without a zone is read at the offset the zone has at that
        /// time, so the start and the end of a period that crosses a daylight-saving change each get their own offset.
        /// Throws invalid-input errors naming Start or End.
        /// </summary>
        /// <param name="start">-Start, or null for the first day of this month in the account's zone.</param>
        /// <param name="end">-End (a date alone means the end of that day), or null for now.</param>
        /// <param name="accountZone">The account's zone (<see cref="ZadarmaClient.GetTimeZoneAsync"/>, or a fixed offset).</param>
        /// <param name="force">Read a period of any length.</param>
        /// <param name="now">The present moment (for tests); default the clock.</param>
        public static ZadarmaStatisticsQuery Resolve(DateTime? start, DateTime? end, ZadarmaTimeZone accountZone, bool force = false, DateTimeOffset? now = null)
        {
            if (accountZone is null) throw new ArgumentNullException(nameof(accountZone));
            var nowInAccount = accountZone.ToAccount(now ?? DateTimeOffset.UtcNow);
            var from = start is DateTime s ? ToInstant(s, accountZone, "Start")
                : accountZone.FromAccount(new DateTime(nowInAccount.Year, nowInAccount.Month, 1, 0, 0, 0, DateTimeKind.Unspecified));
            var to = end is DateTime e ? ToInstant(EndOfDayWhenDateAlone(e), accountZone, "End") : nowInAccount;
            RequireOrdered(from, to);
            if (!force && IsLongerThanAllowed(from, to))
            {
                var requests = RequestsAtLeast(from, to);
                var minutes = (requests + StatisticsRequestsPerMinute - 1) / StatisticsRequestsPerMinute;
                var days = (to - from).TotalDays;
                // The parameter the user gave: -Start when given (or both), else -End.
                var field = start != null || end is null ? "Start" : "End";
                throw new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaPeriodIsTooLong",
                    $"The period from -Start {Text(from)} to -End {Text(to)}{(end is null ? " (now)" : "")} is " +
                    $"{days.ToString("N0", CultureInfo.InvariantCulture)} days long: reading it takes at least " +
                    $"{requests.ToString("N0", CultureInfo.InvariantCulture)} statistics requests (one per {ZadarmaClient.MaxStatisticsPeriod.TotalDays:0} days, " +
                    $"more when a piece holds over {ZadarmaClient.MaxPageSize:N0} calls), about {minutes.ToString("N0", CultureInfo.InvariantCulture)} minutes " +
                    $"at Zadarma's limit of {StatisticsRequestsPerMinute} statistics requests a minute. Ask for at most {MaxMonthsWithoutForce} months " +
                    "at a time, or add -Force to read the whole period. Nothing was sent.")
                { Field = field };
            }
            return new ZadarmaStatisticsQuery(from, to);
        }

        /// <summary>
        /// The fewest statistics requests a period takes: one per piece of <see cref="ZadarmaClient.MaxStatisticsPeriod"/>
        /// (both ends included, to the second), more when a piece has more calls than one page holds.
        /// </summary>
        public static int RequestsAtLeast(DateTimeOffset start, DateTimeOffset end)
        {
            if (end < start) return 0;
            var span = (end - start).Ticks + TimeSpan.TicksPerSecond;
            var piece = ZadarmaClient.MaxStatisticsPeriod.Ticks;
            return (int)Math.Min(int.MaxValue, (span + piece - 1) / piece);
        }

        private static bool IsLongerThanAllowed(DateTimeOffset from, DateTimeOffset to)
        {
            // Allowed: up to the end of the same date MaxMonthsWithoutForce months later (-Start 2025-11-01 -End 2026-11-01
            // reads through 2026-11-01 23:59:59; (Get-Date).AddYears(-1) with no -End passes though a moment goes by).
            if (DateTimeOffset.MaxValue - from < TimeSpan.FromDays(31 * (MaxMonthsWithoutForce + 1))) return false;
            return to >= from.AddMonths(MaxMonthsWithoutForce).AddDays(1);
        }

        /// <summary>A date alone ("-End 2026-11-15") means that whole day, as people read "from 1 October to 15 November".</summary>
        private static DateTime EndOfDayWhenDateAlone(DateTime end)
        {
            if (end.TimeOfDay != TimeSpan.Zero) return end;
            var last = DateTime.MaxValue - end < TimeSpan.FromDays(1)
                ? new DateTime(DateTime.MaxValue.Ticks - DateTime.MaxValue.Ticks % TimeSpan.TicksPerSecond, end.Kind)
                : end.AddDays(1).AddSeconds(-1);
            return last;
        }

        /// <summary>An unspecified time (typed or from CSV) is read in the account's zone; UTC and local times keep their meaning.</summary>
        private static DateTimeOffset ToInstant(DateTime value, ZadarmaTimeZone accountZone, string field)
        {
            try
            {
                return value.Kind switch
                {
                    DateTimeKind.Utc => new DateTimeOffset(value, TimeSpan.Zero),
                    DateTimeKind.Local => new DateTimeOffset(value),
                    _ => accountZone.FromAccount(value),
                };
            }
            catch (ArgumentOutOfRangeException)
            {
                var offset = accountZone.Zone.BaseUtcOffset;
                var zone = value.Kind == DateTimeKind.Unspecified
                    ? $" in the account's zone ({(accountZone.ObservesDaylightSaving ? accountZone.Name : "UTC" + Offset(offset))})" : "";
                throw new MessagingException(ZadarmaClient.ProviderName, ErrorKind.InvalidInput, "ZadarmaDateIsOutOfRange",
                    $"-{field} {value.ToString(Format, CultureInfo.InvariantCulture)}{zone} is outside the times that can be represented " +
                    "(years 0001 to 9999 in UTC): give a date of the account's call history. Nothing was sent.")
                { Field = field };
            }
        }

        private static string Text(DateTimeOffset t) => t.ToString(Format, CultureInfo.InvariantCulture);

        private static string Offset(TimeSpan offset) =>
            (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }
}
