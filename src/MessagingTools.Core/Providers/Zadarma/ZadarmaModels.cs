using System;

namespace MessagingTools.Core.Providers.Zadarma
{
    // Field names follow the answers described by Zadarma's public API description (zadarma/openapi spec/v1) and the
    // response classes of the official PHP SDK (zadarma/user-api-v1 lib/Response/*.php). Money is decimal with its
    // currency; times are DateTimeOffset.

    /// <summary>The account balance (<c>GET /v1/info/balance/</c>: balance, currency).</summary>
    public sealed class ZadarmaBalance
    {
        public ZadarmaBalance(decimal balance, string currency, DateTimeOffset retrievedAt)
        {
            Balance = balance;
            Currency = currency;
            RetrievedAt = retrievedAt;
        }

        public decimal Balance { get; }
        public string Currency { get; }
        public DateTimeOffset RetrievedAt { get; }

        public override string ToString() => $"{Balance.ToString(System.Globalization.CultureInfo.InvariantCulture)} {Currency}";
    }

    /// <summary>The price of a call (<c>GET /v1/info/price/</c>: info.prefix, description, price, currency).</summary>
    public sealed class ZadarmaPrice : RowResult
    {
        public ZadarmaPrice(string number, string? callerId, string prefix, string description, decimal pricePerMinute, string currency)
        {
            Number = number;
            CallerId = callerId;
            Prefix = prefix;
            Description = description;
            PricePerMinute = pricePerMinute;
            Currency = currency;
        }

        public string Number { get; }
        public string? CallerId { get; }
        public string Prefix { get; }
        public string Description { get; }

        /// <summary>The price of one minute in <see cref="Currency"/>.</summary>
        public decimal PricePerMinute { get; }
        public string Currency { get; }

        public override string ToString() => $"{Number}: {PricePerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)} {Currency}/min";
    }

    /// <summary>A callback Zadarma accepted (<c>GET /v1/request/callback/</c>: status, from, to, time).</summary>
    public sealed class ZadarmaCallback : RowResult
    {
        public ZadarmaCallback(string from, string to, string? sip, bool predicted, DateTimeOffset requestedAt, int attempts)
        {
            From = from;
            To = to;
            Sip = sip;
            Predicted = predicted;
            RequestedAt = requestedAt;
            Attempts = attempts;
        }

        /// <summary>The number, SIP or extension called first (the "from" of the request).</summary>
        public string From { get; }

        /// <summary>The number or SIP called second and connected.</summary>
        public string To { get; }

        /// <summary>The recipient (To: the number called once From answers), under the name every result of the module gives it: <c>Select-Object Recipient</c> and Export-Csv work across providers.</summary>
        public string? Recipient => To;
        public string? Sip { get; }
        public bool Predicted { get; }

        /// <summary>Zadarma's <c>time</c> of the request (unix time), as a DateTimeOffset.</summary>
        public DateTimeOffset RequestedAt { get; }
        public int Attempts { get; }

        public override string ToString() => $"Callback {From} -> {To}";
    }

    /// <summary>One SIP number of the account (<c>GET /v1/sip/</c>: sips[].id, display_name, lines).</summary>
    public sealed class ZadarmaSip
    {
        public ZadarmaSip(string id, string displayName, int lines)
        {
            Id = id;
            DisplayName = displayName;
            Lines = lines;
        }

        public string Id { get; }
        public string DisplayName { get; }
        public int Lines { get; }

        public override string ToString() => Id;
    }

    /// <summary>A CallerID change (<c>PUT /v1/sip/callerid/</c>: sip, new_caller_id).</summary>
    public sealed class ZadarmaCallerIdChange : RowResult
    {
        public ZadarmaCallerIdChange(string sip, string newCallerId, DateTimeOffset changedAt)
        {
            Sip = sip;
            NewCallerId = newCallerId;
            ChangedAt = changedAt;
        }

        public string Sip { get; }
        public string NewCallerId { get; }
        public DateTimeOffset ChangedAt { get; }

        public override string ToString() => $"{Sip}: CallerID {NewCallerId}";
    }

    /// <summary>
    /// The forwarding of one SIP number (<c>GET /v1/sip/redirection/</c>: info[].sip_id, status, condition,
    /// destination, destination_value).
    /// </summary>
    public sealed class ZadarmaRedirection : RowResult
    {
        public ZadarmaRedirection(string sipId, bool enabled, string? condition, string? destination, string? destinationValue)
        {
            SipId = sipId;
            Enabled = enabled;
            Condition = condition;
            Destination = destination;
            DestinationValue = destinationValue;
        }

        public string SipId { get; }

        /// <summary>True when Zadarma reports status "on".</summary>
        public bool Enabled { get; }

        /// <summary>always, or noanswer (forward only when not answered).</summary>
        public string? Condition { get; }

        /// <summary>Where calls go: phone, pbx, voicemail...</summary>
        public string? Destination { get; }

        /// <summary>The number (or address) calls are forwarded to.</summary>
        public string? DestinationValue { get; }

        public override string ToString() => $"{SipId}: {(Enabled ? "on" : "off")} -> {DestinationValue}";
    }

    /// <summary>
    /// A forwarding change (<c>PUT /v1/sip/redirection/</c>): switched on/off (answer: sip, current_status) or given a
    /// new phone number (answer: sip, destination).
    /// </summary>
    public sealed class ZadarmaRedirectionChange : RowResult
    {
        public ZadarmaRedirectionChange(string sip, bool? enabled, string? destination, DateTimeOffset changedAt)
        {
            Sip = sip;
            Enabled = enabled;
            Destination = destination;
            ChangedAt = changedAt;
        }

        public string Sip { get; }

        /// <summary>The status after the change, when the status was changed.</summary>
        public bool? Enabled { get; }

        /// <summary>The new forwarding number, when it was changed.</summary>
        public string? Destination { get; }
        public DateTimeOffset ChangedAt { get; }

        public override string ToString() => Sip + (Enabled is bool e ? (e ? " forwarding on" : " forwarding off") : "") + (Destination is null ? "" : " -> " + Destination);
    }

    /// <summary>An SMS Zadarma accepted (<c>POST /v1/sms/send/</c>: messages, cost, currency).</summary>
    public sealed class ZadarmaSms : RowResult
    {
        public ZadarmaSms(string number, string message, string? callerId, int parts, decimal cost, string currency, DateTimeOffset sentAt)
        {
            Number = number;
            Message = message;
            CallerId = callerId;
            Parts = parts;
            Cost = cost;
            Currency = currency;
            SentAt = sentAt;
        }

        public string Number { get; }

        /// <summary>The recipient (Number), under the name every result of the module gives it: <c>Select-Object Recipient</c> and Export-Csv work across providers.</summary>
        public string? Recipient => Number;
        public string Message { get; }
        public string? CallerId { get; }

        /// <summary>How many SMS the text was split into (Zadarma's <c>messages</c>).</summary>
        public int Parts { get; }
        public decimal Cost { get; }
        public string Currency { get; }
        public DateTimeOffset SentAt { get; }

        public override string ToString() => $"SMS to {Number} ({Parts} part{(Parts == 1 ? "" : "s")})";
    }

    /// <summary>
    /// What a read of the overall statistics gives (<c>GET /v1/statistics/</c>): the calls (<see cref="ZadarmaCallRecord"/>),
    /// or with <c>cost_only</c> what they cost (<see cref="ZadarmaCostSummary"/>). An interface, not a base class, so that
    /// the objects' PowerShell type names, and the views chosen by them, stay those of the two classes.
    /// </summary>
    public interface IZadarmaStatisticsResult
    {
    }

    /// <summary>
    /// One call of the overall statistics (<c>GET /v1/statistics/</c>: stats[].id, sip, callstart, description,
    /// disposition, billseconds, cost, billcost, currency, from, to).
    /// </summary>
    public sealed class ZadarmaCallRecord : RowResult, IZadarmaStatisticsResult
    {
        public ZadarmaCallRecord(string id, string? sip, DateTimeOffset callStart, string? description, string? disposition,
            int billSeconds, decimal costPerMinute, decimal billCost, string currency, string? from, string? to)
        {
            Id = id;
            Sip = sip;
            CallStart = callStart;
            Description = description;
            Disposition = disposition;
            BillSeconds = billSeconds;
            CostPerMinute = costPerMinute;
            BillCost = billCost;
            Currency = currency;
            From = from;
            To = to;
        }

        public string Id { get; }
        public string? Sip { get; }
        public DateTimeOffset CallStart { get; }
        public string? Description { get; }

        /// <summary>answered, busy, cancel, no answer, failed, no money...</summary>
        public string? Disposition { get; }
        public int BillSeconds { get; }

        /// <summary>Zadarma's <c>cost</c>: the price of a minute to this destination.</summary>
        public decimal CostPerMinute { get; }

        /// <summary>Zadarma's <c>billcost</c>: what the call cost.</summary>
        public decimal BillCost { get; }
        public string Currency { get; }
        public string? From { get; }
        public string? To { get; }

        public override string ToString() => $"{CallStart:yyyy-MM-dd HH:mm:ss} {From} -> {To} {Disposition}";
    }

    /// <summary>
    /// What the calls of a period cost (<c>GET /v1/statistics/</c> with <c>cost_only</c>: stats[].cost, currency, seconds),
    /// added up over the 30-day pieces the period is read in: one per currency.
    /// </summary>
    public sealed class ZadarmaCostSummary : RowResult, IZadarmaStatisticsResult
    {
        public ZadarmaCostSummary(DateTimeOffset start, DateTimeOffset end, string? sip, string? type, decimal cost, string currency, long seconds)
        {
            Start = start;
            End = end;
            Sip = sip;
            Type = type;
            Cost = cost;
            Currency = currency;
            Seconds = seconds;
        }

        /// <summary>The start of the period, in the account's zone.</summary>
        public DateTimeOffset Start { get; }

        /// <summary>The end of the period (included), in the account's zone.</summary>
        public DateTimeOffset End { get; }

        /// <summary>The SIP number asked for; null for all of them.</summary>
        public string? Sip { get; }

        /// <summary>Zadarma's <c>type</c> as sent; null for overall.</summary>
        public string? Type { get; }

        /// <summary>What the calls of the period cost, in <see cref="Currency"/>.</summary>
        public decimal Cost { get; }
        public string Currency { get; }

        /// <summary>The seconds of the period's calls.</summary>
        public long Seconds { get; }

        public override string ToString() => $"{Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)} {Currency}, {Seconds} s";
    }

    /// <summary>
    /// One call of the PBX statistics (<c>GET /v1/statistics/pbx/</c>, version 2: stats[].call_id, sip, callstart,
    /// clid, destination, disposition, seconds, is_recorded, pbx_call_id).
    /// </summary>
    public sealed class ZadarmaPbxCallRecord : RowResult
    {
        public ZadarmaPbxCallRecord(string? callId, string? sip, DateTimeOffset callStart, string? clid, string? destination,
            string? disposition, int seconds, bool isRecorded, string? pbxCallId)
        {
            CallId = callId;
            Sip = sip;
            CallStart = callStart;
            Clid = clid;
            Destination = destination;
            Disposition = disposition;
            Seconds = seconds;
            IsRecorded = isRecorded;
            PbxCallId = pbxCallId;
        }

        public string? CallId { get; }
        public string? Sip { get; }
        public DateTimeOffset CallStart { get; }

        /// <summary>The CallerID.</summary>
        public string? Clid { get; }
        public string? Destination { get; }
        public string? Disposition { get; }
        public int Seconds { get; }
        public bool IsRecorded { get; }
        public string? PbxCallId { get; }

        public override string ToString() => $"{CallStart:yyyy-MM-dd HH:mm:ss} {Clid} -> {Destination} {Disposition}";
    }
}
