using System;

namespace MessagingTools.Core.Providers.Zadarma
{
    // What the Zadarma cmdlets ask of ZadarmaClient, one immutable value a request or read. Each is checked and
    // normalised by ZadarmaClient.Prepare (numbers as Zadarma takes them, digits only; errors name the field), which the
    // client's methods run again, so that a value built by hand is checked as well.

    /// <summary>A callback to request: Zadarma calls <see cref="From"/> first, then <see cref="To"/>, and connects them.</summary>
    public sealed class ZadarmaCallbackRequest
    {
        public ZadarmaCallbackRequest(string from, string to)
        {
            From = from;
            To = to;
        }

        /// <summary>Your phone, SIP number, PBX extension or PBX scenario (called first).</summary>
        public string From { get; }

        /// <summary>The phone or SIP number to call.</summary>
        public string To { get; }

        /// <summary>The SIP number whose CallerID the call shows.</summary>
        public string? Sip { get; init; }

        /// <summary>Predictive: Zadarma calls <see cref="To"/> first and connects From only when To answers.</summary>
        public bool Predicted { get; init; }

        /// <summary>The country code that replaces the leading 0 of a phone number written in local form (98 for Iran); null: such a number is refused.</summary>
        public string? DefaultCountryCode { get; init; }

        public override string ToString() => $"{From} -> {To}";
    }

    /// <summary>An SMS to send (<c>POST /v1/sms/send/</c>).</summary>
    public sealed class ZadarmaSmsRequest
    {
        public ZadarmaSmsRequest(string number, string message)
        {
            Number = number;
            Message = message;
        }

        /// <summary>The recipient, in international format.</summary>
        public string Number { get; }

        /// <summary>The text; Zadarma splits a long one into several SMS.</summary>
        public string Message { get; }

        /// <summary>The account's confirmed number to send from.</summary>
        public string? CallerId { get; init; }

        /// <summary>The country code that replaces the leading 0 of a phone number written in local form (98 for Iran); null: such a number is refused.</summary>
        public string? DefaultCountryCode { get; init; }

        public override string ToString() => $"SMS to {Number}";
    }

    /// <summary>A new CallerID for a SIP number (<c>PUT /v1/sip/callerid/</c>).</summary>
    public sealed class ZadarmaCallerIdRequest
    {
        public ZadarmaCallerIdRequest(string sip, string number)
        {
            Sip = sip;
            Number = number;
        }

        /// <summary>The SIP number to change.</summary>
        public string Sip { get; }

        /// <summary>The new CallerID, one of the account's purchased or confirmed numbers.</summary>
        public string Number { get; }

        /// <summary>The country code that replaces the leading 0 of a phone number written in local form (98 for Iran); null: such a number is refused.</summary>
        public string? DefaultCountryCode { get; init; }

        public override string ToString() => $"SIP {Sip}: CallerID {Number}";
    }

    /// <summary>
    /// A change of a SIP number's call forwarding (<c>PUT /v1/sip/redirection/</c>): a new target number, a new status,
    /// or both (the target is changed first).
    /// </summary>
    public sealed class ZadarmaRedirectionRequest
    {
        public ZadarmaRedirectionRequest(string sip)
        {
            Sip = sip;
        }

        public string Sip { get; }

        /// <summary>Switch forwarding on (true) or off (false); null leaves it.</summary>
        public bool? Enabled { get; init; }

        /// <summary>The phone number calls are forwarded to; null leaves it.</summary>
        public string? Number { get; init; }

        /// <summary>The country code that replaces the leading 0 of a phone number written in local form (98 for Iran); null: such a number is refused.</summary>
        public string? DefaultCountryCode { get; init; }

        public override string ToString() => $"SIP {Sip}";
    }

    /// <summary>The price of a call to a number (<c>GET /v1/info/price/</c>).</summary>
    public sealed class ZadarmaPriceQuery
    {
        public ZadarmaPriceQuery(string number)
        {
            Number = number;
        }

        /// <summary>The number to price, in international format.</summary>
        public string Number { get; }

        /// <summary>The CallerID the call would show (prices can depend on it).</summary>
        public string? CallerId { get; init; }

        /// <summary>The country code that replaces the leading 0 of a phone number written in local form (98 for Iran); null: such a number is refused.</summary>
        public string? DefaultCountryCode { get; init; }

        public override string ToString() => Number;
    }

    /// <summary>The call forwarding of one SIP number, or of all (<c>GET /v1/sip/redirection/</c>).</summary>
    public sealed class ZadarmaRedirectionQuery
    {
        /// <summary>One SIP number; null for all of them.</summary>
        public string? Sip { get; init; }

        public override string ToString() => Sip is null ? "every SIP number" : "SIP " + Sip;
    }

    /// <summary>Which calls of the overall statistics to return (<c>GET /v1/statistics/</c>).</summary>
    public sealed class ZadarmaStatisticsQuery
    {
        public ZadarmaStatisticsQuery(DateTimeOffset start, DateTimeOffset end)
        {
            Start = start;
            End = end;
        }

        public DateTimeOffset Start { get; }
        public DateTimeOffset End { get; }

        /// <summary>Only the calls of this SIP number.</summary>
        public string? Sip { get; init; }

        /// <summary>
        /// Zadarma's <c>type</c> as sent: null for overall (nothing is sent), or a value such as toll, toll-free or ru495
        /// (<see cref="ZadarmaStatisticsTypes.ApiValue"/> gives the value of each <see cref="ZadarmaStatisticsType"/>).
        /// </summary>
        public string? Type { get; init; }
    }

    /// <summary>
    /// Which calls the overall statistics count (<c>type</c> of <c>GET /v1/statistics/</c>). Zadarma's two sources name
    /// the values differently: the PHP SDK (getStatistics) "overall (is not specified in the request), toll and ru495",
    /// the OpenAPI description "overall" and "toll-free" (800 numbers); each is offered as written (docs/providers/zadarma.md,
    /// 'Statistics').
    /// </summary>
    public enum ZadarmaStatisticsType
    {
        /// <summary>Every call: no <c>type</c> is sent, which both sources call overall.</summary>
        Overall,

        /// <summary><c>type=toll</c> (PHP SDK).</summary>
        Toll,

        /// <summary><c>type=toll-free</c> (OpenAPI description: 800 toll-free numbers only).</summary>
        TollFree,

        /// <summary><c>type=ru495</c> (PHP SDK).</summary>
        Ru495,
    }

    /// <summary>The wire values of <see cref="ZadarmaStatisticsType"/>.</summary>
    public static class ZadarmaStatisticsTypes
    {
        /// <summary>The <c>type</c> sent for a statistics type: null for Overall (nothing sent).</summary>
        public static string? ApiValue(this ZadarmaStatisticsType type) => type switch
        {
            ZadarmaStatisticsType.Overall => null,
            ZadarmaStatisticsType.Toll => "toll",
            ZadarmaStatisticsType.TollFree => "toll-free",
            ZadarmaStatisticsType.Ru495 => "ru495",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a Zadarma statistics type."),
        };
    }

    /// <summary>Which calls of the PBX statistics to return (<c>GET /v1/statistics/pbx/</c>).</summary>
    public sealed class ZadarmaPbxStatisticsQuery
    {
        public ZadarmaPbxStatisticsQuery(DateTimeOffset start, DateTimeOffset end)
        {
            Start = start;
            End = end;
        }

        public DateTimeOffset Start { get; }
        public DateTimeOffset End { get; }

        /// <summary>All, incoming or outgoing calls (<c>call_type</c>).</summary>
        public ZadarmaCallDirection Direction { get; init; }
    }

    /// <summary>Incoming, outgoing or both, for the PBX statistics (<c>call_type</c> in / out).</summary>
    public enum ZadarmaCallDirection
    {
        All,
        Incoming,
        Outgoing,
    }

    /// <summary>A read of the account as a whole, which takes no input: what a one-shot read cmdlet queues as its one item.</summary>
    public enum ZadarmaAccountRead
    {
        /// <summary>The balance and its currency (<c>GET /v1/info/balance/</c>).</summary>
        Balance,

        /// <summary>The SIP numbers (<c>GET /v1/sip/</c>).</summary>
        SipNumbers,

        /// <summary>The account's time zone (<c>GET /v1/info/timezone/</c>).</summary>
        TimeZone,

        /// <summary>The price plan (<c>GET /v1/tariff/</c>).</summary>
        Tariff,

        /// <summary>The account's phone numbers (<c>GET /v1/direct_numbers/</c>).</summary>
        DirectNumbers,

        /// <summary>The PBX's extensions (<c>GET /v1/pbx/internal/</c>).</summary>
        PbxExtensions,
    }
}
