using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Json;
using MessagingTools.Core.Phones;
using MessagingTools.Core.Security;
using MessagingTools.Core.Text;

namespace MessagingTools.Core.Providers.Zadarma
{
    /// <summary>
    /// The Zadarma cloud PBX API v1: every method Zadarma's API article lists (docs/providers/zadarma.md, 'The methods'). Each request is signed as Zadarma checks it
    /// (<see cref="ZadarmaSigner"/>): the query is built once, signed, and sent as that exact text (GET query string or
    /// form body). HTTP verbs and parameter names come from the official PHP SDK (zadarma/user-api-v1,
    /// lib/Api.php: <c>request($method, $params, $requestType = 'get')</c>) and Zadarma's OpenAPI description
    /// (zadarma/openapi spec/v1/openapi.json); each method names its source.
    /// <para>
    /// Rate limits: every answer carries X-RateLimit-Limit/Remaining/Reset (docs/providers/zadarma.md, 'Rate limits'); the
    /// transport feeds them to <see cref="ProviderClient.Gate"/>, which is shared by all requests of this client so that a run pauses
    /// before the limit instead of running into 429. Statistics have their own, lower limit (3 a minute in Zadarma's
    /// public material), so statistics requests also pass <see cref="StatisticsGate"/>.
    /// </para>
    /// <para>Reads and settings (PUT of a value) are retried; a callback or an SMS is never repeated once it may have
    /// reached Zadarma.</para>
    /// </summary>
    public sealed class ZadarmaClient : ProviderClient
    {
        public const string ProviderName = "Zadarma";

        /// <summary>Zadarma's production address (PHP SDK Client::PROD_URL).</summary>
        public static readonly Uri DefaultEndpoint = new Uri("https://api.zadarma.com/");

        /// <summary>Zadarma documents at most one month a statistics request; longer periods are split in pieces of this length.</summary>
        public static readonly TimeSpan MaxStatisticsPeriod = TimeSpan.FromDays(30);

        /// <summary>The most digits a number may have (E.164), not counting a leading 00.</summary>
        public const int MaxNumberDigits = PhoneNumbers.MaxDigits;

        /// <summary>The largest <c>limit</c> the statistics methods accept (PHP SDK getStatistics: "maximum value is 1000").</summary>
        public const int MaxPageSize = 1000;

        internal const string CallUncertain = "the call may have been placed";
        internal const string SmsUncertain = "the SMS may have been sent";
        private const string DateFormat = "yyyy-MM-dd HH:mm:ss"; // "format - y-m-d H:i:s" (PHP SDK getStatistics)

        private readonly string _key;
        private readonly Secret _secret;
        private readonly Uri _endpoint;
        private int _pageSize = MaxPageSize;

        /// <param name="key">The user key (the first half of the Authorization header; not a secret on its own).</param>
        /// <param name="secret">The secret key that signs every request.</param>
        /// <param name="endpoint">Another address (a sandbox); default https://api.zadarma.com/.</param>
        /// <param name="transport">The HTTP path; default the shared transport.</param>
        /// <param name="gate">The rate-limit gate of the run; default a new one for this client.</param>
        /// <param name="statisticsGate">The gate of the statistics methods; default a new one for this client.</param>
        public ZadarmaClient(string key, Secret secret, Uri? endpoint = null, HttpTransport? transport = null,
            RateLimitGate? gate = null, RateLimitGate? statisticsGate = null)
            : base(ProviderName, secret, nameof(secret), transport, gate)
        {
            if (string.IsNullOrWhiteSpace(key)) throw new ArgumentException("The Zadarma user key is required.", nameof(key));
            if (key.IndexOf(':') >= 0 || key.Any(char.IsWhiteSpace))
                throw new ArgumentException("The Zadarma user key cannot contain ':' or spaces.", nameof(key));
            _key = key;
            _secret = secret;
            _endpoint = Endpoints.AsBase(endpoint ?? DefaultEndpoint);
            StatisticsGate = statisticsGate ?? new RateLimitGate();
        }

        public Uri Endpoint => _endpoint;

        /// <summary>Passed by statistics requests, after <see cref="ProviderClient.Gate"/>: the statistics methods have their own limit.</summary>
        public RateLimitGate StatisticsGate { get; }

        /// <summary>
        /// The account's time zone. Zadarma takes and gives statistics times as local "Y-m-d H:i:s" text of the account
        /// (its zone is what <c>/v1/info/timezone/</c> reports, <see cref="GetTimeZoneAsync"/>): each instant is written,
        /// and each text read, at the offset of its own moment. Default UTC.
        /// </summary>
        public ZadarmaTimeZone AccountTimeZone
        {
            get => _zone;
            set => _zone = value ?? throw new ArgumentNullException(nameof(value));
        }

        private ZadarmaTimeZone _zone = ZadarmaTimeZone.Fixed(TimeSpan.Zero);

        /// <summary>
        /// The account's zone as one fixed UTC offset: setting it sets <see cref="AccountTimeZone"/> to that offset;
        /// reading it gives the zone's offset now.
        /// </summary>
        public TimeSpan AccountUtcOffset
        {
            get => _zone.Zone.GetUtcOffset(DateTimeOffset.UtcNow);
            set => _zone = ZadarmaTimeZone.Fixed(value);
        }

        /// <summary>Records asked for per statistics request (<c>limit</c>), 1 to 1000.</summary>
        public int StatisticsPageSize
        {
            get => _pageSize;
            set
            {
                if (value < 1 || value > MaxPageSize) throw new ArgumentOutOfRangeException(nameof(value), value, "1 to 1000.");
                _pageSize = value;
            }
        }

        /// <summary>GET /v1/info/balance/ (PHP SDK getBalance: request('info/balance')). Answer: balance, currency.</summary>
        public async Task<ZadarmaBalance> GetBalanceAsync(CancellationToken cancellationToken = default)
        {
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/info/balance/", "balance", NoParameters, Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var root = answer.Document.RootElement;
                return new ZadarmaBalance(Money(root, "balance", answer), Required(root, "currency", answer), DateTimeOffset.Now);
            }
        }

        /// <summary>
        /// GET /v1/info/timezone/ (PHP SDK getTimezone; OpenAPI /v1/info/timezone: unixtime, datetime, timezone such as
        /// "UTC+3"). The zone as <see cref="ZadarmaTimeZone.FromAnswer"/> reads it; it does not change
        /// <see cref="AccountTimeZone"/>.
        /// </summary>
        public async Task<ZadarmaTimeZone> GetTimeZoneAsync(CancellationToken cancellationToken = default)
        {
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/info/timezone/", "timezone", NoParameters, Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var root = answer.Document.RootElement;
                long? unix = long.TryParse(root.GetString("unixtime"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var u) ? u : (long?)null;
                return ZadarmaTimeZone.FromAnswer(root.GetString("timezone"), unix, root.GetString("datetime")) ?? throw Malformed(answer, "timezone");
            }
        }

        /// <summary>
        /// GET /v1/info/price/ with <c>number</c> and optional <c>caller_id</c> (PHP SDK getPrice; OpenAPI
        /// /v1/info/price/). Answer: info.prefix, info.description, info.price, info.currency.
        /// </summary>
        public async Task<ZadarmaPrice> GetPriceAsync(ZadarmaPriceQuery query, CancellationToken cancellationToken = default)
        {
            var prepared = Prepare(query);
            var (to, from) = (prepared.Number, prepared.CallerId);
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/info/price/", "price",
                Parameters(("number", to), ("caller_id", from)), Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var info = Object(answer.Document.RootElement, "info", answer);
                return new ZadarmaPrice(to, from, info.GetString("prefix") ?? "", info.GetString("description") ?? "",
                    Money(info, "price", answer), Required(info, "currency", answer));
            }
        }

        /// <summary>Checks a price query before anything is sent; throws invalid-input errors naming the field (Number, CallerId).</summary>
        public static ZadarmaPriceQuery Prepare(ZadarmaPriceQuery query)
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            return new ZadarmaPriceQuery(NormalizeNumber(query.Number, "Number")) { CallerId = OptionalNumber(query.CallerId, "CallerId") };
        }

        /// <summary>
        /// GET /v1/request/callback/ with <c>from</c>, <c>to</c>, optional <c>sip</c> and <c>predicted</c> (docs/providers/zadarma.md,
        /// 'The callback'; PHP SDK requestCallback uses the default verb GET). Answer: status, from, to, time.
        /// Never repeated once it may have reached Zadarma: a timeout ends as an error that says the call may have been placed.
        /// </summary>
        public async Task<ZadarmaCallback> RequestCallbackAsync(ZadarmaCallbackRequest call, CancellationToken cancellationToken = default)
        {
            var prepared = Prepare(call);
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/request/callback/", "callback",
                Parameters(("from", prepared.From), ("to", prepared.To), ("sip", prepared.Sip), ("predicted", prepared.Predicted ? "predicted" : null)),
                Gate, cancellationToken, idempotent: false, uncertain: CallUncertain).ConfigureAwait(false);
            using (answer.Document)
            {
                var root = answer.Document.RootElement;
                var time = long.TryParse(root.GetString("time"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix)
                    ? _zone.ToAccount(DateTimeOffset.FromUnixTimeSeconds(unix))
                    : DateTimeOffset.Now;
                return new ZadarmaCallback(root.GetString("from") ?? prepared.From, root.GetString("to") ?? prepared.To,
                    prepared.Sip, prepared.Predicted, time, answer.Response.Attempts);
            }
        }

        /// <summary>Checks a callback before anything is sent; throws invalid-input errors naming the field.</summary>
        public static ZadarmaCallbackRequest Prepare(ZadarmaCallbackRequest call)
        {
            if (call is null) throw new ArgumentNullException(nameof(call));
            return new ZadarmaCallbackRequest(CallbackFrom("From", call.From), NormalizeNumber(call.To, "To"))
            {
                Sip = OptionalNumber(call.Sip, "Sip"),
                Predicted = call.Predicted,
            };
        }

        /// <summary>GET /v1/sip/ (PHP SDK getSip). Answer: sips[] of id, display_name, lines.</summary>
        public async Task<IReadOnlyList<ZadarmaSip>> GetSipsAsync(CancellationToken cancellationToken = default)
        {
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/sip/", "sip", NoParameters, Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var list = new List<ZadarmaSip>();
                foreach (var sip in Array(answer.Document.RootElement, "sips", answer))
                    list.Add(new ZadarmaSip(sip.GetString("id") ?? "", sip.GetString("display_name") ?? "", Int(sip, "lines")));
                return list;
            }
        }

        /// <summary>
        /// PUT /v1/sip/callerid/ with <c>id</c> (the SIP) and <c>number</c> (PHP SDK setSipCallerId, verb 'put').
        /// Answer: sip, new_caller_id. Setting a value twice does no harm, so it is retried like a read.
        /// </summary>
        public async Task<ZadarmaCallerIdChange> SetCallerIdAsync(ZadarmaCallerIdRequest change, CancellationToken cancellationToken = default)
        {
            var prepared = Prepare(change);
            var (id, callerId) = (prepared.Sip, prepared.Number);
            var answer = await SendRequestAsync(HttpMethod.Put, "/v1/sip/callerid/", "sip/callerid",
                Parameters(("id", id), ("number", callerId)), Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var root = answer.Document.RootElement;
                return new ZadarmaCallerIdChange(root.GetString("sip") ?? id, root.GetString("new_caller_id") ?? callerId, DateTimeOffset.Now);
            }
        }

        /// <summary>Checks a CallerID change before anything is sent; throws invalid-input errors naming the field (Sip, Number).</summary>
        public static ZadarmaCallerIdRequest Prepare(ZadarmaCallerIdRequest change)
        {
            if (change is null) throw new ArgumentNullException(nameof(change));
            return new ZadarmaCallerIdRequest(NormalizeNumber(change.Sip, "Sip"), NormalizeNumber(change.Number, "Number"));
        }

        /// <summary>
        /// GET /v1/sip/redirection/ with optional <c>id</c> (PHP SDK getSipRedirection). Answer: info[] of sip_id,
        /// status, condition, destination, destination_value.
        /// </summary>
        public async Task<IReadOnlyList<ZadarmaRedirection>> GetRedirectionsAsync(ZadarmaRedirectionQuery? query = null, CancellationToken cancellationToken = default)
        {
            var id = Prepare(query ?? new ZadarmaRedirectionQuery()).Sip;
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/sip/redirection/", "sip/redirection", Parameters(("id", id)), Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var list = new List<ZadarmaRedirection>();
                foreach (var r in Array(answer.Document.RootElement, "info", answer))
                    list.Add(new ZadarmaRedirection(r.GetString("sip_id") ?? "", string.Equals(r.GetString("status"), "on", StringComparison.OrdinalIgnoreCase),
                        r.GetString("condition"), r.GetString("destination"), r.GetString("destination_value")));
                return list;
            }
        }

        /// <summary>Checks a forwarding read before anything is sent: a blank SIP number means all of them.</summary>
        public static ZadarmaRedirectionQuery Prepare(ZadarmaRedirectionQuery query)
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            return new ZadarmaRedirectionQuery { Sip = OptionalNumber(query.Sip, "Sip") };
        }

        /// <summary>
        /// PUT /v1/sip/redirection/: first, with a <see cref="ZadarmaRedirectionRequest.Number"/>, <c>id</c>,
        /// <c>type</c>=phone and <c>number</c> (PHP SDK setSipRedirectionNumber; answer: sip, destination); then, with
        /// <see cref="ZadarmaRedirectionRequest.Enabled"/>, <c>id</c> and <c>status</c> on|off (PHP SDK
        /// setSipRedirectionStatus; answer: sip, current_status). Setting a value twice does no harm, so each is retried like a read.
        /// </summary>
        public async Task<ZadarmaRedirectionChange> SetRedirectionAsync(ZadarmaRedirectionRequest change, CancellationToken cancellationToken = default)
        {
            var prepared = Prepare(change);
            var id = prepared.Sip;
            string? destination = null;
            bool? enabled = null;
            if (prepared.Number is string target)
            {
                var answer = await SendRequestAsync(HttpMethod.Put, "/v1/sip/redirection/", "sip/redirection",
                    Parameters(("id", id), ("type", "phone"), ("number", target)), Gate, cancellationToken).ConfigureAwait(false);
                using (answer.Document) destination = answer.Document.RootElement.GetString("destination") ?? target;
            }
            if (prepared.Enabled is bool on)
            {
                var answer = await SendRequestAsync(HttpMethod.Put, "/v1/sip/redirection/", "sip/redirection",
                    Parameters(("id", id), ("status", on ? "on" : "off")), Gate, cancellationToken).ConfigureAwait(false);
                using (answer.Document)
                {
                    var status = answer.Document.RootElement.GetString("current_status");
                    enabled = status is null ? on : string.Equals(status, "on", StringComparison.OrdinalIgnoreCase);
                }
            }
            return new ZadarmaRedirectionChange(id, enabled, destination, DateTimeOffset.Now);
        }

        /// <summary>
        /// Checks a forwarding change before anything is sent: the SIP number and target as Zadarma takes them, and at
        /// least one thing to change. Throws invalid-input errors naming the field (Sip, Number, Status).
        /// </summary>
        public static ZadarmaRedirectionRequest Prepare(ZadarmaRedirectionRequest change)
        {
            if (change is null) throw new ArgumentNullException(nameof(change));
            var sip = NormalizeNumber(change.Sip, "Sip");
            var number = OptionalNumber(change.Number, "Number");
            if (change.Enabled is null && number is null)
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaRedirectionChangeIsEmpty",
                    "Nothing to change: give -Status On|Off, -Number, or both.") { Field = "Status" };
            return new ZadarmaRedirectionRequest(sip) { Enabled = change.Enabled, Number = number };
        }

        /// <summary>
        /// POST /v1/sms/send/ with <c>number</c>, <c>message</c> and optional <c>caller_id</c> (PHP SDK sendSms, verb
        /// 'post'). Answer: messages, cost, currency. Never repeated once it may have reached Zadarma.
        /// </summary>
        public async Task<ZadarmaSms> SendSmsAsync(ZadarmaSmsRequest sms, CancellationToken cancellationToken = default)
        {
            var prepared = Prepare(sms);
            var (to, message, from) = (prepared.Number, prepared.Message, prepared.CallerId);
            var answer = await SendRequestAsync(HttpMethod.Post, "/v1/sms/send/", "sms/send",
                Parameters(("number", to), ("message", message), ("caller_id", from)), Gate, cancellationToken,
                idempotent: false, uncertain: SmsUncertain).ConfigureAwait(false);
            using (answer.Document)
            {
                var root = answer.Document.RootElement;
                // OpenAPI /v1/sms/send: a success may list denied_numbers[] (number, message), "numbers to which the SMS
                // could not be delivered": the one number of this request denied is its error, not a result.
                foreach (var denied in Array(root, "denied_numbers", answer, optional: true))
                {
                    var number = denied.GetString("number");
                    if (number != null && number.Length > 0 && SameNumber(number, to))
                    {
                        var reason = denied.GetString("message");
                        throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaSmsWasDenied",
                            $"Zadarma sms/send: Zadarma did not send the SMS to {to}" + (string.IsNullOrEmpty(reason) ? "." : $": {reason}"),
                            providerMessage: reason, httpStatus: answer.Response.StatusCode) { Field = "Number" };
                    }
                }
                return new ZadarmaSms(to, message, from, Int(root, "messages"), Money(root, "cost", answer),
                    root.GetString("currency") ?? "", DateTimeOffset.Now);
            }
        }

        private static bool SameNumber(string answered, string sent)
        {
            var digits = new string(answered.Where(c => c >= '0' && c <= '9').ToArray());
            return digits == sent || digits.TrimStart('0') == sent.TrimStart('0');
        }

        /// <summary>
        /// Checks an SMS before anything is sent: the number and caller id as Zadarma takes them (digits), and a text
        /// that is not empty and is valid Unicode (<see cref="UnicodeText"/>). Throws invalid-input errors naming the field (Number, Message, CallerId).
        /// </summary>
        public static ZadarmaSmsRequest Prepare(ZadarmaSmsRequest sms)
        {
            if (sms is null) throw new ArgumentNullException(nameof(sms));
            var to = NormalizeNumber(sms.Number, "Number");
            if (string.IsNullOrEmpty(sms.Message))
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaSmsTextIsEmpty", "The SMS has no text.") { Field = "Message" };
            UnicodeText.RequireWellFormed(sms.Message, ProviderName, "Message"); // the form encoder cannot write a lone surrogate
            return new ZadarmaSmsRequest(to, sms.Message) { CallerId = OptionalNumber(sms.CallerId, "CallerId") };
        }

        /// <summary>
        /// GET /v1/statistics/ with <c>start</c>, <c>end</c>, optional <c>sip</c> and <c>type</c>, <c>skip</c>, <c>limit</c>
        /// (PHP SDK getStatistics). Returns every call of the period: a period over a month is asked in pieces of
        /// <see cref="MaxStatisticsPeriod"/> (Zadarma silently cuts longer ones to 30 days), and each piece page by page
        /// (skip += limit) until a page comes back short.
        /// </summary>
        public async Task<IReadOnlyList<ZadarmaCallRecord>> GetStatisticsAsync(ZadarmaStatisticsQuery query, CancellationToken cancellationToken = default)
        {
            var prepared = Prepare(query);
            var list = new List<ZadarmaCallRecord>();
            await PageAsync(prepared.Start, prepared.End, "statistics", "/v1/statistics/",
                (s, e) => Parameters(("start", s), ("end", e), ("sip", prepared.Sip), ("type", prepared.Type)),
                (r, answer) => list.Add(new ZadarmaCallRecord(r.GetString("id") ?? "", r.GetString("sip"), Time(r, "callstart", answer),
                    r.GetString("description"), r.GetString("disposition"), Int(r, "billseconds"), Money(r, "cost", answer),
                    Money(r, "billcost", answer), r.GetString("currency") ?? "", r.GetString("from"), r.GetString("to"))),
                cancellationToken).ConfigureAwait(false);
            return list;
        }

        /// <summary>
        /// GET /v1/statistics/ with <c>start</c>, <c>end</c>, <c>cost_only</c>=1 and optional <c>sip</c> and <c>type</c>
        /// (PHP SDK getStatistics, $costOnly "display only the amount of funds spent during a specific period"; OpenAPI
        /// /v1/statistics: with cost_only, stats[] holds cost, currency, seconds). A period over a month is asked in pieces
        /// of <see cref="MaxStatisticsPeriod"/> and the pieces' figures are added up: one summary per currency.
        /// </summary>
        public async Task<IReadOnlyList<ZadarmaCostSummary>> GetStatisticsCostAsync(ZadarmaStatisticsQuery query, CancellationToken cancellationToken = default)
        {
            var prepared = Prepare(query);
            // Per currency, in the order Zadarma first names them.
            var totals = new List<(string Currency, decimal Cost, long Seconds)>();
            await PageAsync(prepared.Start, prepared.End, "statistics", "/v1/statistics/",
                // PHP's http_build_query writes true as 1; the OpenAPI description calls the field a boolean.
                (s, e) => Parameters(("start", s), ("end", e), ("sip", prepared.Sip), ("cost_only", "1"), ("type", prepared.Type)),
                (r, answer) =>
                {
                    var currency = Required(r, "currency", answer);
                    var cost = Money(r, "cost", answer);
                    var seconds = long.TryParse(r.GetString("seconds"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sec) ? sec : 0;
                    var i = totals.FindIndex(t => t.Currency == currency);
                    if (i < 0) totals.Add((currency, cost, seconds));
                    else totals[i] = (currency, totals[i].Cost + cost, totals[i].Seconds + seconds);
                },
                cancellationToken, paged: false).ConfigureAwait(false);
            var start = _zone.ToAccount(Truncate(prepared.Start));
            var end = _zone.ToAccount(Truncate(prepared.End));
            return totals.Select(t => new ZadarmaCostSummary(start, end, prepared.Sip, prepared.Type, t.Cost, t.Currency, t.Seconds)).ToList();
        }

        /// <summary>Checks a statistics query before anything is sent: the SIP number as Zadarma takes it (Field Sip); blanks mean none.</summary>
        public static ZadarmaStatisticsQuery Prepare(ZadarmaStatisticsQuery query)
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            return new ZadarmaStatisticsQuery(query.Start, query.End)
            {
                Sip = OptionalNumber(query.Sip, "Sip"),
                Type = string.IsNullOrWhiteSpace(query.Type) ? null : query.Type,
            };
        }

        /// <summary>
        /// GET /v1/statistics/pbx/ with <c>start</c>, <c>end</c>, <c>version</c>=2, optional <c>call_type</c> in|out,
        /// <c>skip</c>, <c>limit</c> (PHP SDK getPbxStatistics). Every call of the period, paged like
        /// <see cref="GetStatisticsAsync"/>.
        /// </summary>
        public async Task<IReadOnlyList<ZadarmaPbxCallRecord>> GetPbxStatisticsAsync(ZadarmaPbxStatisticsQuery query, CancellationToken cancellationToken = default)
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            var direction = query.Direction;
            var callType = direction == ZadarmaCallDirection.Incoming ? "in" : direction == ZadarmaCallDirection.Outgoing ? "out" : null;
            var list = new List<ZadarmaPbxCallRecord>();
            await PageAsync(query.Start, query.End, "statistics/pbx", "/v1/statistics/pbx/",
                (s, e) => Parameters(("start", s), ("end", e), ("version", "2"), ("call_type", callType)),
                (r, answer) => list.Add(new ZadarmaPbxCallRecord(r.GetString("call_id"), r.GetString("sip"), Time(r, "callstart", answer),
                    r.GetString("clid"), r.GetString("destination"), r.GetString("disposition"), Int(r, "seconds"),
                    string.Equals(r.GetString("is_recorded"), "true", StringComparison.OrdinalIgnoreCase) || r.GetString("is_recorded") == "1",
                    r.GetString("pbx_call_id"))),
                cancellationToken).ConfigureAwait(false);
            return list;
        }

        private async Task PageAsync(DateTimeOffset start, DateTimeOffset end, string operation, string method,
            Func<string, string, List<KeyValuePair<string, string?>>> parameters, Action<JsonElement, Answer> add,
            CancellationToken cancellationToken, bool paged = true)
        {
            // Whole seconds: that is the resolution of Zadarma's "Y-m-d H:i:s".
            var from = Truncate(start);
            var to = Truncate(end);
            ZadarmaStatisticsPeriod.RequireOrdered(from, to);
            var zone = _zone;
            var pieceStart = from;
            DateTime? lastLocalEnd = null;
            while (true)
            {
                var pieceEnd = pieceStart + MaxStatisticsPeriod - TimeSpan.FromSeconds(1);
                if (pieceEnd > to) pieceEnd = to;
                // Each end as the account's clock shows it at that moment: across a daylight-saving change the two ends
                // of a period have two offsets. Where the clock goes back, a piece's local start could fall at or before
                // the previous piece's local end, and the repeated hour would be read twice: it starts after it instead.
                var localStart = zone.ToAccount(pieceStart).DateTime;
                var localEnd = zone.ToAccount(pieceEnd).DateTime;
                if (lastLocalEnd is DateTime last && localStart <= last) localStart = last.AddSeconds(1);
                lastLocalEnd = localEnd > (lastLocalEnd ?? DateTime.MinValue) ? localEnd : lastLocalEnd;
                if (localStart <= localEnd)
                {
                    var s = localStart.ToString(DateFormat, CultureInfo.InvariantCulture);
                    var e = localEnd.ToString(DateFormat, CultureInfo.InvariantCulture);
                    for (int skip = 0; ; skip += _pageSize)
                    {
                        var p = parameters(s, e);
                        if (paged)
                        {
                            p.Add(new KeyValuePair<string, string?>("skip", skip.ToString(CultureInfo.InvariantCulture)));
                            p.Add(new KeyValuePair<string, string?>("limit", _pageSize.ToString(CultureInfo.InvariantCulture)));
                        }
                        // Statistics count against the account's overall limit and their own lower one.
                        try
                        {
                            await Gate.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (RateLimitWaitTooLongException ex)
                        {
                            throw ex.ToError(ProviderName, operation); // as the transport reports it for its own gate
                        }
                        Answer answer;
                        try
                        {
                            answer = await SendRequestAsync(HttpMethod.Get, method, operation, p, StatisticsGate, cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            // The transport reports this answer to StatisticsGate only: take the request off the overall
                            // gate's requests in flight (its figure is the statistics one, so it is not passed on).
                            Gate.Observe(null, null, null);
                        }
                        int count = 0;
                        using (answer.Document)
                        {
                            foreach (var r in Array(answer.Document.RootElement, "stats", answer, optional: true))
                            {
                                add(r, answer);
                                count++;
                            }
                        }
                        if (!paged || count < _pageSize) break;
                    }
                }
                if (pieceEnd >= to) break;
                pieceStart = pieceEnd + TimeSpan.FromSeconds(1);
            }
        }

        private static DateTimeOffset Truncate(DateTimeOffset t) => new DateTimeOffset(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);

        // ----- the one request path -----

        private static readonly List<KeyValuePair<string, string?>> NoParameters = new List<KeyValuePair<string, string?>>();

        private static List<KeyValuePair<string, string?>> Parameters(params (string Name, string? Value)[] items) =>
            items.Where(i => i.Value != null).Select(i => new KeyValuePair<string, string?>(i.Name, i.Value)).ToList();

        private sealed class Answer
        {
            public Answer(JsonDocument document, TransportResponse response, string operation)
            {
                Document = document;
                Response = response;
                Operation = operation;
            }

            public JsonDocument Document { get; }
            public TransportResponse Response { get; }
            public string Operation { get; }
        }

        /// <summary>Signs and sends one request; returns the parsed answer of a success, throws for every error.</summary>
        private async Task<Answer> SendRequestAsync(HttpMethod verb, string method, string operation, List<KeyValuePair<string, string?>> parameters,
            RateLimitGate gate, CancellationToken cancellationToken, bool idempotent = true, string? uncertain = null)
        {
            // Built once: this text is signed and this text is sent.
            var query = ZadarmaSigner.BuildQuery(parameters);
            var authorization = new Secret(ZadarmaSigner.Authorization(_key, method, query, _secret));
            var isGet = verb == HttpMethod.Get;
            var relative = method.TrimStart('/') + (isGet && query.Length > 0 ? "?" + query : "");
            var request = new TransportRequest(ProviderName, operation, verb, ExactUri.Create(_endpoint.AbsoluteUri + relative))
            {
                Idempotent = idempotent,
                Gate = gate,
                UncertainOutcome = uncertain ?? "the request may have been carried out",
                LoggableBody = isGet ? null : query,
            };
            if (!isGet)
            {
                var body = Encoding.ASCII.GetBytes(query); // form encoding leaves only ASCII
                request.Content = () =>
                {
                    var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
                    return content;
                };
            }
            request.SecretHeaders["Authorization"] = authorization;
            request.Secrets.Add(_secret);

            var response = await Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var doc = JsonText.TryParse(response.Body);
            JsonElement root;
            try
            {
                root = RequireObject(response, doc, operation, uncertain);
            }
            catch (MessagingException)
            {
                doc?.Dispose();
                throw;
            }
            var status = root.GetString("status");
            var message = root.GetString("message");
            if (!string.Equals(status, "success", StringComparison.OrdinalIgnoreCase))
            {
                doc!.Dispose();
                // docs/providers/zadarma.md, 'Answers: status and message': "Ответ состоит из обязательного ключа «status» (success или error) ... «message» с описанием ошибки".
                throw Redacted(new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaReturnedAnError",
                    $"Zadarma {operation}: Zadarma answered {(status ?? "without a status")}" + (string.IsNullOrEmpty(message) ? "." : $": {message}"),
                    providerCode: status, providerMessage: message, httpStatus: response.StatusCode));
            }
            return new Answer(doc!, response, operation);
        }

        // ----- reading answers -----

        private static MessagingException Malformed(Answer answer, string what) =>
            new MessagingException(ProviderName, ErrorKind.Remote, "ZadarmaAnswerWasMalformed",
                $"Zadarma {answer.Operation}: the answer (HTTP {answer.Response.StatusCode}) has no readable {what}.", httpStatus: answer.Response.StatusCode);

        private static string Required(JsonElement e, string name, Answer answer) =>
            e.GetString(name) is string s && s.Length > 0 ? s : throw Malformed(answer, name);

        private static decimal Money(JsonElement e, string name, Answer answer)
        {
            // Parsed from the number's own text (GetString gives the raw JSON text of a number), never through double.
            var text = e.GetString(name);
            if (text is null) throw Malformed(answer, name);
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Malformed(answer, name);
        }

        private static int Int(JsonElement e, string name) =>
            int.TryParse(e.GetString(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

        private DateTimeOffset Time(JsonElement e, string name, Answer answer)
        {
            var text = e.GetString(name);
            // The account's clock, at the offset the zone has at that time.
            if (text != null && DateTime.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                return _zone.FromAccount(local);
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
                return _zone.ToAccount(DateTimeOffset.FromUnixTimeSeconds(unix));
            throw Malformed(answer, name);
        }

        private static JsonElement Object(JsonElement e, string name, Answer answer) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : throw Malformed(answer, name);

        private static IEnumerable<JsonElement> Array(JsonElement e, string name, Answer answer, bool optional = false)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
                return optional ? Enumerable.Empty<JsonElement>() : throw Malformed(answer, name);
            if (v.ValueKind != JsonValueKind.Array) throw Malformed(answer, name);
            return v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object);
        }

        // ----- input -----

        /// <summary>A phone number, SIP number or extension as Zadarma wants it: <see cref="PhoneNumbers.ToZadarma"/>.</summary>
        public static string NormalizeNumber(string? value, string field) => PhoneNumbers.ToZadarma(value, field, ProviderName);

        /// <summary>An optional number: null when blank, else as <see cref="NormalizeNumber"/> makes it.</summary>
        private static string? OptionalNumber(string? value, string field) => string.IsNullOrWhiteSpace(value) ? null : NormalizeNumber(value, field);

        /// <summary>
        /// The callback's <c>from</c>: a phone, SIP or extension (digits, cleaned like <see cref="NormalizeNumber"/>), or a
        /// PBX scenario such as <c>0-1</c> (PHP SDK requestCallback passes from unfiltered: "the PBX scenario").
        /// </summary>
        private static string CallbackFrom(string field, string? value)
        {
            var text = PhoneNumbers.ToAsciiDigits((value ?? "").Trim());
            if (text.Length > 0 && System.Text.RegularExpressions.Regex.IsMatch(text, @"^[0-9]+-[0-9]+$")) return text;
            return NormalizeNumber(value, field);
        }
    }
}
