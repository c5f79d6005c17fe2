using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Json;

namespace MessagingTools.Core.Providers.Zadarma
{
    // The rest of Zadarma's API (PROVIDERS.md 2a; PHP SDK lib/Api.php, each method named below): tariff, SIP and
    // extension status, direct numbers, the PBX's extensions, call recording, number lookup, callback-widget statistics.
    public sealed partial class ZadarmaClient
    {
        internal const string LookupUncertain = "the lookup may have been carried out (and charged)";

        /// <summary>GET /v1/tariff/ (PHP SDK getTariff). Answer: info of tariff_id, tariff_name, is_active, cost, currency, used_seconds...</summary>
        public async Task<ZadarmaTariff> GetTariffAsync(CancellationToken cancellationToken = default)
        {
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/tariff/", "tariff", NoParameters, Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var info = Object(answer.Document.RootElement, "info", answer);
                return new ZadarmaTariff(Required(info, "tariff_id", answer), info.GetString("tariff_name") ?? "", Bool(info, "is_active") ?? false,
                    Money(info, "cost", answer), info.GetString("currency") ?? "", Long(info, "used_seconds"), Long(info, "used_seconds_mobile"),
                    Long(info, "used_seconds_fix"), info.GetString("tariff_id_for_next_period"), info.GetString("tariff_for_next_period"));
            }
        }

        /// <summary>GET /v1/sip/&lt;sip&gt;/status/ (PHP SDK getSipStatus). Answer: sip, is_online.</summary>
        public async Task<ZadarmaSipStatus> GetSipStatusAsync(string sip, CancellationToken cancellationToken = default)
        {
            var id = NormalizeNumber(sip, "Sip");
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/sip/" + id + "/status/", "sip/status", NoParameters, Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var root = answer.Document.RootElement;
                return new ZadarmaSipStatus(root.GetString("sip") ?? id, Bool(root, "is_online") ?? throw Malformed(answer, "is_online"), DateTimeOffset.Now);
            }
        }

        /// <summary>GET /v1/direct_numbers/ (PHP SDK getDirectNumbers). Answer: info[] of number, status, country, ...</summary>
        public async Task<IReadOnlyList<ZadarmaDirectNumber>> GetDirectNumbersAsync(CancellationToken cancellationToken = default)
        {
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/direct_numbers/", "direct_numbers", NoParameters, Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var list = new List<ZadarmaDirectNumber>();
                foreach (var n in Array(answer.Document.RootElement, "info", answer))
                    list.Add(new ZadarmaDirectNumber(Required(n, "number", answer), n.GetString("status"), n.GetString("country"), n.GetString("description"),
                        n.GetString("number_name"), n.GetString("sip"), n.GetString("sip_name"), OptionalTime(n, "start_date"), OptionalTime(n, "stop_date"),
                        OptionalMoney(n, "monthly_fee"), n.GetString("currency"), OptionalInt(n, "channels"), OptionalInt(n, "minutes"),
                        Bool(n, "autorenew"), Bool(n, "is_on_test"), n.GetString("type")));
                return list;
            }
        }

        /// <summary>GET /v1/pbx/internal/ (PHP SDK getPbxInternal). Answer: pbx_id, numbers[]: one object per extension.</summary>
        public async Task<IReadOnlyList<ZadarmaPbxExtension>> GetPbxExtensionsAsync(CancellationToken cancellationToken = default)
        {
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/pbx/internal/", "pbx/internal", NoParameters, Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var root = answer.Document.RootElement;
                var pbxId = root.GetString("pbx_id") ?? "";
                if (!root.TryGetProperty("numbers", out var numbers) || numbers.ValueKind != JsonValueKind.Array) throw Malformed(answer, "numbers");
                var list = new List<ZadarmaPbxExtension>();
                foreach (var n in numbers.EnumerateArray())
                {
                    var text = n.ValueKind == JsonValueKind.String ? n.GetString() : n.ValueKind == JsonValueKind.Number ? n.GetRawText() : null;
                    if (!string.IsNullOrEmpty(text)) list.Add(new ZadarmaPbxExtension(pbxId, text!));
                }
                return list;
            }
        }

        /// <summary>GET /v1/pbx/internal/&lt;extension&gt;/status/ (PHP SDK getPbxStatus). Answer: pbx_id, number, is_online.</summary>
        public async Task<ZadarmaPbxExtensionStatus> GetPbxExtensionStatusAsync(string extension, CancellationToken cancellationToken = default)
        {
            var number = NormalizeNumber(extension, "Extension");
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/pbx/internal/" + number + "/status/", "pbx/internal/status", NoParameters, Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var root = answer.Document.RootElement;
                return new ZadarmaPbxExtensionStatus(root.GetString("pbx_id") ?? "", root.GetString("number") ?? number,
                    Bool(root, "is_online") ?? throw Malformed(answer, "is_online"), DateTimeOffset.Now);
            }
        }

        /// <summary>Checks a recording change before anything is sent: the extension, a status Zadarma takes, an e-mail address that is one. Errors name the field (Extension, Status, Email).</summary>
        public static ZadarmaPbxRecordingRequest Prepare(ZadarmaPbxRecordingRequest change)
        {
            if (change is null) throw new ArgumentNullException(nameof(change));
            var extension = NormalizeNumber(change.Extension, "Extension");
            var status = (change.Status ?? "").Trim().ToLowerInvariant();
            if (!ZadarmaPbxRecordingRequest.Statuses.Contains(status))
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaRecordingStatusIsNotValid",
                    $"Status '{change.Status}' is not one Zadarma takes: {string.Join(", ", ZadarmaPbxRecordingRequest.Statuses)}.") { Field = "Status" };
            var email = string.IsNullOrWhiteSpace(change.Email) ? null : change.Email!.Trim();
            if (email != null && (email.IndexOf('@') <= 0 || email.IndexOf('@') == email.Length - 1 || email.Any(char.IsWhiteSpace)))
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaEmailIsNotValid",
                    $"Email '{change.Email}' is not an e-mail address.") { Field = "Email" };
            return new ZadarmaPbxRecordingRequest(extension, status) { Email = email };
        }

        /// <summary>
        /// PUT /v1/pbx/internal/recording/ with <c>id</c> (the extension), <c>status</c> and optional <c>email</c> (PHP SDK
        /// setPbxRecording). Answer: internal_number, recording, email, speech_recognition. Setting a value twice does no
        /// harm, so it is retried like a read.
        /// </summary>
        public async Task<ZadarmaPbxRecordingChange> SetPbxRecordingAsync(ZadarmaPbxRecordingRequest change, CancellationToken cancellationToken = default)
        {
            var prepared = Prepare(change);
            var answer = await SendRequestAsync(HttpMethod.Put, "/v1/pbx/internal/recording/", "pbx/internal/recording",
                Parameters(("id", prepared.Extension), ("status", prepared.Status), ("email", prepared.Email)), Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document)
            {
                var root = answer.Document.RootElement;
                return new ZadarmaPbxRecordingChange(root.GetString("internal_number") ?? prepared.Extension, prepared.Status,
                    root.GetString("recording"), root.GetString("email") ?? prepared.Email, root.GetString("speech_recognition"), DateTimeOffset.Now);
            }
        }

        /// <summary>
        /// POST /v1/info/number_lookup/ with every number in one request (PHP SDK numberLookup: <c>numbers</c> as one
        /// number; numberLookupMultiple: <c>numbers</c> as a list, written <c>numbers[0]=...</c>). One outcome per number,
        /// in order: its result, or its error (a number that is not one fails alone, before anything is sent). Zadarma
        /// answers one number with <c>info</c> (mcc, mnc, mccName, mncName, ported, roaming, errorDescription); an answer
        /// that lists several (info[] or result[], matched by their <c>number</c>) gives each its own; an answer to several
        /// numbers that holds only <c>status</c> (Zadarma sends such results to the account's HLR address or e-mail) gives
        /// each the status <see cref="ZadarmaNumberInfo.Submitted"/>. A lookup may be charged: it is never repeated once it
        /// may have reached Zadarma.
        /// </summary>
        public async Task<IReadOnlyList<Outcome<ZadarmaNumberInfo>>> LookupNumbersAsync(IReadOnlyList<string> numbers, CancellationToken cancellationToken = default)
        {
            if (numbers is null) throw new ArgumentNullException(nameof(numbers));
            var outcomes = new Outcome<ZadarmaNumberInfo>[numbers.Count];
            var sent = new List<(int Index, string Number)>();
            for (int i = 0; i < numbers.Count; i++)
            {
                try { sent.Add((i, NormalizeNumber(numbers[i], "Number"))); }
                catch (MessagingException ex) { outcomes[i] = Outcome<ZadarmaNumberInfo>.Failure(ex); }
            }
            if (sent.Count == 0) return outcomes;
            var query = sent.Count == 1
                ? ZadarmaPhpQuery.Build(new[] { new KeyValuePair<string, object?>("numbers", sent[0].Number) })
                : ZadarmaPhpQuery.Build(new[] { new KeyValuePair<string, object?>("numbers", sent.Select(s => s.Number).ToArray()) });
            try
            {
                var answer = await SendQueryAsync(HttpMethod.Post, "/v1/info/number_lookup/", "info/number_lookup", query, Gate, cancellationToken,
                    idempotent: false, uncertain: LookupUncertain).ConfigureAwait(false);
                using (answer.Document)
                {
                    var results = LookupResults(answer, sent.Select(s => s.Number).ToList());
                    for (int k = 0; k < sent.Count; k++) outcomes[sent[k].Index] = results[k];
                }
            }
            catch (MessagingException ex)
            {
                foreach (var s in sent) outcomes[s.Index] = Outcome<ZadarmaNumberInfo>.Failure(ex);
            }
            return outcomes;
        }

        private static IReadOnlyList<Outcome<ZadarmaNumberInfo>> LookupResults(Answer answer, IReadOnlyList<string> numbers)
        {
            var root = answer.Document.RootElement;
            var now = DateTimeOffset.Now;
            var count = numbers.Count;
            ZadarmaNumberInfo Info(string number, JsonElement e) => new ZadarmaNumberInfo(number, e.GetString("mcc"), e.GetString("mnc"),
                e.GetString("mccName"), e.GetString("mncName"), Bool(e, "ported"), Bool(e, "roaming"), e.GetString("errorDescription") ?? e.GetString("error"),
                e.GetString("status") ?? "success", count, now);

            // The entries of the answer: info or result, one object or a list of them (or a map by number).
            var entries = new List<JsonElement>();
            foreach (var name in new[] { "info", "result" })
            {
                if (!root.TryGetProperty(name, out var v)) continue;
                if (v.ValueKind == JsonValueKind.Array) entries.AddRange(v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object));
                else if (v.ValueKind == JsonValueKind.Object)
                {
                    var values = v.EnumerateObject().ToList();
                    if (values.Count > 0 && values.All(p => p.Value.ValueKind == JsonValueKind.Object && p.Name.All(char.IsDigit)))
                        foreach (var p in values) entries.Add(p.Value); // a map by number: each entry names its number below
                    else entries.Add(v);
                }
                break;
            }
            var byNumber = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var e in entries)
                if (e.GetString("number") is string n && Digits(n) is string d && d.Length > 0 && !byNumber.ContainsKey(d)) byNumber[d] = e;
            if (root.TryGetProperty("info", out var map) && map.ValueKind == JsonValueKind.Object)
                foreach (var p in map.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.Object && p.Name.All(char.IsDigit) && !byNumber.ContainsKey(p.Name)) byNumber[p.Name] = p.Value;

            var outcomes = new List<Outcome<ZadarmaNumberInfo>>(count);
            for (int i = 0; i < count; i++)
            {
                var number = numbers[i];
                if (byNumber.TryGetValue(number, out var own)) outcomes.Add(Outcome<ZadarmaNumberInfo>.Success(Info(number, own)));
                else if (count == 1 && entries.Count == 1) outcomes.Add(Outcome<ZadarmaNumberInfo>.Success(Info(number, entries[0])));
                else if (entries.Count == count && byNumber.Count == 0) outcomes.Add(Outcome<ZadarmaNumberInfo>.Success(Info(number, entries[i]))); // in order, as sent
                else if (entries.Count == 0 && count > 1)
                    outcomes.Add(Outcome<ZadarmaNumberInfo>.Success(new ZadarmaNumberInfo(number, null, null, null, null, null, null, null, ZadarmaNumberInfo.Submitted, count, now)));
                else
                    outcomes.Add(Outcome<ZadarmaNumberInfo>.Failure(new MessagingException(ProviderName, ErrorKind.Remote, "ZadarmaAnswerHasNoResultForTheNumber",
                        $"Zadarma info/number_lookup: the answer (HTTP {answer.Response.StatusCode}) has no result for {number}; the lookup may have been carried out (and charged).",
                        httpStatus: answer.Response.StatusCode, mayHaveTakenEffect: true) { Field = "Number" }));
            }
            return outcomes;
        }

        /// <summary>
        /// GET /v1/statistics/callback_widget/ with <c>start</c>, <c>end</c> and optional <c>widget_id</c> (PHP SDK
        /// getCallbackWidgetStatistics). A statistics method: it passes <see cref="StatisticsGate"/>, and a period over a
        /// month is asked in pieces of <see cref="MaxStatisticsPeriod"/>. Answer: stats[] of id, widget_id, sip, ip, actions[].
        /// </summary>
        public async Task<IReadOnlyList<ZadarmaWidgetSession>> GetWidgetStatisticsAsync(ZadarmaWidgetStatisticsQuery query, CancellationToken cancellationToken = default)
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            var widget = string.IsNullOrWhiteSpace(query.WidgetId) ? null : query.WidgetId!.Trim();
            var list = new List<ZadarmaWidgetSession>();
            await PageAsync(query.Start, query.End, "statistics/callback_widget", "/v1/statistics/callback_widget/",
                (s, e) => Parameters(("start", s), ("end", e), ("widget_id", widget)),
                (r, answer) =>
                {
                    var actions = new List<ZadarmaWidgetAction>();
                    if (r.TryGetProperty("actions", out var a) && a.ValueKind == JsonValueKind.Array)
                        foreach (var x in a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object))
                            actions.Add(new ZadarmaWidgetAction(x.GetString("kind") ?? "", OptionalTime(x, "date"), x.GetString("number"), x.GetString("url"),
                                x.GetString("referrer_url"), OptionalInt(x, "rate"), OptionalTime(x, "request_call_date"),
                                x.GetString("redial") is string redial ? redial == "y" : (bool?)null));
                    list.Add(new ZadarmaWidgetSession(r.GetString("id") ?? "", r.GetString("widget_id"), r.GetString("sip"), r.GetString("ip"), actions));
                },
                cancellationToken, paged: false).ConfigureAwait(false);
            return list;
        }

        // ----- readers of these answers -----

        /// <summary>true/false as JSON, "true"/"false", "1"/"0", "y"/"n", "on"/"off"; null when absent or anything else.</summary>
        private static bool? Bool(JsonElement e, string name)
        {
            switch (e.GetString(name)?.Trim().ToLowerInvariant())
            {
                case "true": case "1": case "y": case "yes": case "on": return true;
                case "false": case "0": case "n": case "no": case "off": return false;
                default: return null;
            }
        }

        private static long Long(JsonElement e, string name) =>
            long.TryParse(e.GetString(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

        private static int? OptionalInt(JsonElement e, string name) =>
            int.TryParse(e.GetString(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (int?)null;

        private static decimal? OptionalMoney(JsonElement e, string name) =>
            decimal.TryParse(e.GetString(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (decimal?)null;

        /// <summary>A time of the account's clock ("Y-m-d H:i:s" or "Y-m-d"); null when absent or unreadable.</summary>
        private DateTimeOffset? OptionalTime(JsonElement e, string name)
        {
            var text = e.GetString(name);
            if (text != null && DateTime.TryParseExact(text, new[] { DateFormat, "yyyy-MM-dd" }, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                return _zone.FromAccount(local);
            return null;
        }

        private static string? Digits(string text) => new string(text.Where(c => c >= '0' && c <= '9').ToArray());
    }
}
