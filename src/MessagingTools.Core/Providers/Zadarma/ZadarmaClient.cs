using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Json;
using MessagingTools.Core.Phones;
using MessagingTools.Core.Security;

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
    /// <para>One class in four files: the methods (here), the one request path and statistics paging
    /// (ZadarmaClient.RequestPath.cs), the readers of answers (ZadarmaClient.Answers.cs) and the input rules, each
    /// request's <c>Prepare</c> (ZadarmaClient.Rules.cs). Incoming calls are the other direction: Calls/.</para>
    /// </summary>
    public sealed partial class ZadarmaClient : ProviderClient
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

        private readonly string _key; // the one credential ProviderClient does not keep: not a secret on its own
        private int _pageSize = MaxPageSize;

        /// <param name="key">The user key (the first half of the Authorization header; not a secret on its own).</param>
        /// <param name="secret">The secret key that signs every request.</param>
        /// <param name="endpoint">Another address (a sandbox); default https://api.zadarma.com/.</param>
        /// <param name="transport">The HTTP path; default the shared transport.</param>
        /// <param name="gate">The rate-limit gate of the run; default a new one for this client.</param>
        /// <param name="statisticsGate">The gate of the statistics methods; default a new one for this client.</param>
        public ZadarmaClient(string key, Secret secret, Uri? endpoint = null, HttpTransport? transport = null,
            RateLimitGate? gate = null, RateLimitGate? statisticsGate = null)
            : base(ProviderName, secret, nameof(secret), Endpoints.AsBase(endpoint ?? DefaultEndpoint), transport, gate)
        {
            if (string.IsNullOrWhiteSpace(key)) throw new ArgumentException("The Zadarma user key is required.", nameof(key));
            if (key.IndexOf(':') >= 0 || key.Any(char.IsWhiteSpace))
                throw new ArgumentException("The Zadarma user key cannot contain ':' or spaces.", nameof(key));
            _key = key;
            StatisticsGate = statisticsGate ?? new RateLimitGate();
        }

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
    }
}
