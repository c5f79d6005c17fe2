using System;
using System.Collections.Generic;
using System.Globalization;

namespace MessagingTools.Core.Providers.Zadarma
{
    // The answers of the rest of Zadarma's API (PROVIDERS.md 2a; the PHP SDK's lib/Response/*.php and the OpenAPI
    // description name the fields): tariff, SIP and extension status, direct numbers, the PBX's extensions, call
    // recording, number lookup, callback-widget statistics, and the answer of any method (Invoke-ZadarmaRequest).

    /// <summary>The account's price plan (<c>GET /v1/tariff/</c>: info.tariff_id, tariff_name, is_active, cost, currency, used_seconds...).</summary>
    public sealed class ZadarmaTariff
    {
        public ZadarmaTariff(string tariffId, string tariffName, bool isActive, decimal cost, string currency, long usedSeconds,
            long usedSecondsMobile, long usedSecondsFix, string? nextPeriodTariffId, string? nextPeriodTariffName)
        {
            TariffId = tariffId;
            TariffName = tariffName;
            IsActive = isActive;
            Cost = cost;
            Currency = currency;
            UsedSeconds = usedSeconds;
            UsedSecondsMobile = usedSecondsMobile;
            UsedSecondsFix = usedSecondsFix;
            NextPeriodTariffId = nextPeriodTariffId;
            NextPeriodTariffName = nextPeriodTariffName;
        }

        public string TariffId { get; }
        public string TariffName { get; }
        public bool IsActive { get; }
        public decimal Cost { get; }
        public string Currency { get; }

        /// <summary>Seconds of the plan used (all calls, then those to mobiles and to landlines).</summary>
        public long UsedSeconds { get; }
        public long UsedSecondsMobile { get; }
        public long UsedSecondsFix { get; }

        /// <summary>The plan of the next period (tariff_id_for_next_period, tariff_for_next_period).</summary>
        public string? NextPeriodTariffId { get; }
        public string? NextPeriodTariffName { get; }

        public override string ToString() => $"{TariffName} ({Cost.ToString(CultureInfo.InvariantCulture)} {Currency})";
    }

    /// <summary>Whether a SIP number is registered (<c>GET /v1/sip/&lt;sip&gt;/status/</c>: sip, is_online).</summary>
    public sealed class ZadarmaSipStatus : RowResult
    {
        public ZadarmaSipStatus(string sip, bool isOnline, DateTimeOffset checkedAt)
        {
            Sip = sip;
            IsOnline = isOnline;
            CheckedAt = checkedAt;
        }

        public string Sip { get; }
        public bool IsOnline { get; }
        public DateTimeOffset CheckedAt { get; }

        public override string ToString() => $"SIP {Sip}: {(IsOnline ? "online" : "offline")}";
    }

    /// <summary>
    /// One of the account's phone numbers (<c>GET /v1/direct_numbers/</c>: info[].number, status, country, description,
    /// number_name, sip, sip_name, start_date, stop_date, monthly_fee, currency, channels, minutes, autorenew, is_on_test, type).
    /// </summary>
    public sealed class ZadarmaDirectNumber
    {
        public ZadarmaDirectNumber(string number, string? status, string? country, string? description, string? numberName,
            string? sip, string? sipName, DateTimeOffset? startDate, DateTimeOffset? stopDate, decimal? monthlyFee, string? currency,
            int? channels, int? minutes, bool? autoRenew, bool? isOnTest, string? type)
        {
            Number = number;
            Status = status;
            Country = country;
            Description = description;
            NumberName = numberName;
            Sip = sip;
            SipName = sipName;
            StartDate = startDate;
            StopDate = stopDate;
            MonthlyFee = monthlyFee;
            Currency = currency;
            Channels = channels;
            Minutes = minutes;
            AutoRenew = autoRenew;
            IsOnTest = isOnTest;
            Type = type;
        }

        public string Number { get; }
        public string? Status { get; }
        public string? Country { get; }

        /// <summary>The city or kind of number.</summary>
        public string? Description { get; }

        /// <summary>The name the user gave the number.</summary>
        public string? NumberName { get; }

        /// <summary>The SIP number the number rings (and its name).</summary>
        public string? Sip { get; }
        public string? SipName { get; }

        /// <summary>When the number was bought, and the end of its paid period (the account's clock).</summary>
        public DateTimeOffset? StartDate { get; }
        public DateTimeOffset? StopDate { get; }
        public decimal? MonthlyFee { get; }
        public string? Currency { get; }
        public int? Channels { get; }

        /// <summary>Minutes of incoming calls this month (revenue numbers).</summary>
        public int? Minutes { get; }
        public bool? AutoRenew { get; }
        public bool? IsOnTest { get; }

        /// <summary>common, inum, rufree or revenue.</summary>
        public string? Type { get; }

        public override string ToString() => Number;
    }

    /// <summary>One extension of the account's PBX (<c>GET /v1/pbx/internal/</c>: pbx_id, numbers[]).</summary>
    public sealed class ZadarmaPbxExtension
    {
        public ZadarmaPbxExtension(string pbxId, string extension)
        {
            PbxId = pbxId;
            Extension = extension;
        }

        public string PbxId { get; }

        /// <summary>The extension number, e.g. 100.</summary>
        public string Extension { get; }

        public override string ToString() => Extension;
    }

    /// <summary>Whether a PBX extension is registered (<c>GET /v1/pbx/internal/&lt;extension&gt;/status/</c>: pbx_id, number, is_online).</summary>
    public sealed class ZadarmaPbxExtensionStatus : RowResult
    {
        public ZadarmaPbxExtensionStatus(string pbxId, string extension, bool isOnline, DateTimeOffset checkedAt)
        {
            PbxId = pbxId;
            Extension = extension;
            IsOnline = isOnline;
            CheckedAt = checkedAt;
        }

        public string PbxId { get; }
        public string Extension { get; }
        public bool IsOnline { get; }
        public DateTimeOffset CheckedAt { get; }

        public override string ToString() => $"Extension {Extension}: {(IsOnline ? "online" : "offline")}";
    }

    /// <summary>
    /// The call recording of an extension after a change (<c>PUT /v1/pbx/internal/recording/</c>; PHP SDK PbxRecording:
    /// internal_number, recording, email, speech_recognition).
    /// </summary>
    public sealed class ZadarmaPbxRecordingChange : RowResult
    {
        public ZadarmaPbxRecordingChange(string extension, string status, string? recording, string? email, string? speechRecognition, DateTimeOffset changedAt)
        {
            Extension = extension;
            Status = status;
            Recording = recording;
            Email = email;
            SpeechRecognition = speechRecognition;
            ChangedAt = changedAt;
        }

        public string Extension { get; }

        /// <summary>The change asked for: on, off, on_email, off_email, on_store or off_store.</summary>
        public string Status { get; }

        /// <summary>The recording state Zadarma reports after the change.</summary>
        public string? Recording { get; }
        public string? Email { get; }
        public string? SpeechRecognition { get; }
        public DateTimeOffset ChangedAt { get; }

        public override string ToString() => $"Extension {Extension}: recording {Recording ?? Status}";
    }

    /// <summary>
    /// What an HLR lookup found about one number (<c>POST /v1/info/number_lookup/</c>; PHP SDK NumberLookup: mcc, mnc,
    /// mccName, mncName, ported, roaming, errorDescription, status).
    /// </summary>
    public sealed class ZadarmaNumberInfo : RowResult
    {
        /// <summary>The <see cref="Status"/> of a number whose lookup Zadarma accepted without giving its result in the answer.</summary>
        public const string Submitted = "submitted";

        public ZadarmaNumberInfo(string number, string? mcc, string? mnc, string? country, string? network, bool? ported, bool? roaming,
            string? error, string? status, int batchSize, DateTimeOffset checkedAt)
        {
            Number = number;
            Mcc = mcc;
            Mnc = mnc;
            Country = country;
            Network = network;
            Ported = ported;
            Roaming = roaming;
            Error = error;
            Status = status;
            BatchSize = batchSize;
            CheckedAt = checkedAt;
        }

        /// <summary>The number looked up, as it was sent (digits).</summary>
        public string Number { get; }

        /// <summary>Mobile country and network codes, and their names (mccName, mncName).</summary>
        public string? Mcc { get; }
        public string? Mnc { get; }
        public string? Country { get; }
        public string? Network { get; }

        /// <summary>Whether the number was moved to another network, and whether it is roaming; null when not known.</summary>
        public bool? Ported { get; }
        public bool? Roaming { get; }

        /// <summary>The lookup's own error text (errorDescription), "No Error" when it found the number.</summary>
        public string? Error { get; }

        /// <summary>
        /// Zadarma's status of the lookup; <see cref="Submitted"/> when Zadarma accepted a lookup of several numbers and
        /// sends the results to the HLR notification address or e-mail of the account instead of the answer.
        /// </summary>
        public string? Status { get; }

        /// <summary>How many numbers went in the request that carried this one.</summary>
        public int BatchSize { get; }
        public DateTimeOffset CheckedAt { get; }

        public override string ToString() => $"{Number}: {Country ?? Status ?? ""} {Network ?? ""}".TrimEnd();
    }

    /// <summary>One event of a callback-widget session (stats[].actions[]: kind, date, url, referrer_url, rate, number, ...).</summary>
    public sealed class ZadarmaWidgetAction
    {
        public ZadarmaWidgetAction(string kind, DateTimeOffset? date, string? number, string? url, string? referrerUrl, int? rate,
            DateTimeOffset? requestedCallDate, bool? redialed)
        {
            Kind = kind;
            Date = date;
            Number = number;
            Url = url;
            ReferrerUrl = referrerUrl;
            Rate = rate;
            RequestedCallDate = requestedCallDate;
            Redialed = redialed;
        }

        /// <summary>come, show, call, call_request, rate, fail or close.</summary>
        public string Kind { get; }
        public DateTimeOffset? Date { get; }
        public string? Number { get; }
        public string? Url { get; }
        public string? ReferrerUrl { get; }
        public int? Rate { get; }
        public DateTimeOffset? RequestedCallDate { get; }
        public bool? Redialed { get; }

        public override string ToString() => Kind;
    }

    /// <summary>
    /// One visitor's session with a callback widget (<c>GET /v1/statistics/callback_widget/</c>: stats[].id, widget_id,
    /// sip, ip, actions[]).
    /// </summary>
    public sealed class ZadarmaWidgetSession : RowResult
    {
        public ZadarmaWidgetSession(string id, string? widgetId, string? sip, string? ipAddress, IReadOnlyList<ZadarmaWidgetAction> actions)
        {
            Id = id;
            WidgetId = widgetId;
            Sip = sip;
            IpAddress = ipAddress;
            Actions = actions ?? throw new ArgumentNullException(nameof(actions));
            foreach (var a in actions)
            {
                if (a.Date is DateTimeOffset d && (Start is null || d < Start)) Start = d;
                if (Number is null && !string.IsNullOrEmpty(a.Number)) Number = a.Number;
                if (a.Kind == "call" || a.Kind == "call_request") CallRequested = true;
            }
        }

        public string Id { get; }
        public string? WidgetId { get; }
        public string? Sip { get; }
        public string? IpAddress { get; }

        /// <summary>The first event's time.</summary>
        public DateTimeOffset? Start { get; }

        /// <summary>The number the visitor gave, if any.</summary>
        public string? Number { get; }

        /// <summary>Whether the visitor asked for a call (a call or call_request event).</summary>
        public bool CallRequested { get; }
        public IReadOnlyList<ZadarmaWidgetAction> Actions { get; }

        public override string ToString() => Id;
    }

    /// <summary>
    /// The answer of any Zadarma method (<see cref="ZadarmaClient.InvokeAsync"/>): its JSON text, which a caller reads
    /// with <see cref="ZadarmaJsonTree.Read"/>, the HTTP status, and the request it answers.
    /// </summary>
    public sealed class ZadarmaApiAnswer
    {
        public ZadarmaApiAnswer(string method, string path, int statusCode, string json, int attempts)
        {
            Method = method;
            Path = path;
            StatusCode = statusCode;
            Json = json;
            Attempts = attempts;
        }

        /// <summary>GET, POST, PUT or DELETE.</summary>
        public string Method { get; }
        public string Path { get; }
        public int StatusCode { get; }
        public string Json { get; }
        public int Attempts { get; }

        public override string ToString() => $"{Method} {Path}: HTTP {StatusCode}";
    }
}
