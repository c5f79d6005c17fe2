using System;
using System.Collections.Generic;

namespace MessagingTools.Core.Providers.Zadarma
{
    // What the cmdlets of the rest of Zadarma's API ask of ZadarmaClient (PROVIDERS.md 2a), checked by ZadarmaClient.Prepare.

    /// <summary>The HTTP verbs Zadarma's API takes (PHP SDK Client::call: get, post, put, delete).</summary>
    public enum ZadarmaHttpMethod
    {
        Get,
        Post,
        Put,
        Delete,
    }

    /// <summary>
    /// A request to any Zadarma method (<see cref="ZadarmaClient.InvokeAsync"/>): the path with its version, the verb and
    /// the parameters, whose values may be text, numbers, true/false, lists and maps (written as PHP's http_build_query
    /// writes them: <see cref="ZadarmaPhpQuery"/>).
    /// </summary>
    public sealed class ZadarmaApiRequest
    {
        public ZadarmaApiRequest(string path, ZadarmaHttpMethod method = ZadarmaHttpMethod.Get, IReadOnlyList<KeyValuePair<string, object?>>? parameters = null)
        {
            Path = path;
            Method = method;
            Parameters = parameters ?? Array.Empty<KeyValuePair<string, object?>>();
        }

        /// <summary>The method's path with the version, e.g. <c>/v1/info/balance/</c>.</summary>
        public string Path { get; }
        public ZadarmaHttpMethod Method { get; }
        public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; }

        /// <summary>The query as it is signed and sent, set by <see cref="ZadarmaClient.Prepare(ZadarmaApiRequest)"/>.</summary>
        public string? Query { get; init; }

        public override string ToString() => $"{Method.ToString().ToUpperInvariant()} {Path}";
    }

    /// <summary>A change of an extension's call recording (<c>PUT /v1/pbx/internal/recording/</c>).</summary>
    public sealed class ZadarmaPbxRecordingRequest
    {
        /// <summary>The values Zadarma takes for <c>status</c> (PHP SDK setPbxRecording).</summary>
        public static readonly IReadOnlyList<string> Statuses = new[] { "on", "off", "on_email", "off_email", "on_store", "off_store" };

        public ZadarmaPbxRecordingRequest(string extension, string status)
        {
            Extension = extension;
            Status = status;
        }

        /// <summary>The PBX extension, e.g. 100.</summary>
        public string Extension { get; }

        /// <summary>on, off, on_email, off_email, on_store or off_store.</summary>
        public string Status { get; }

        /// <summary>The address recordings go to (with on_email).</summary>
        public string? Email { get; init; }

        public override string ToString() => $"Extension {Extension}: recording {Status}";
    }

    /// <summary>The sessions of the callback widgets in a period (<c>GET /v1/statistics/callback_widget/</c>).</summary>
    public sealed class ZadarmaWidgetStatisticsQuery
    {
        public ZadarmaWidgetStatisticsQuery(DateTimeOffset start, DateTimeOffset end)
        {
            Start = start;
            End = end;
        }

        public DateTimeOffset Start { get; }
        public DateTimeOffset End { get; }

        /// <summary>One widget; all of them when null.</summary>
        public string? WidgetId { get; init; }
    }
}
