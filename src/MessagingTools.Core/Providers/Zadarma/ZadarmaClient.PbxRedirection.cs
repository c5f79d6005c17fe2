using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Json;

namespace MessagingTools.Core.Providers.Zadarma
{
    // The forwarding of a PBX extension: GET /v1/pbx/redirection/ (PHP SDK getPbxRedirection) and POST (PHP SDK
    // setPbxRedirectionOff, setPbxPhoneRedirection, setPbxVoicemailRedirection).
    public sealed partial class ZadarmaClient
    {
        /// <summary>The largest greeting file Zadarma takes: under 5 MB (PHP SDK setPbxVoicemailRedirection: "mp3 format or wav below 5 MB").</summary>
        public const long MaxGreetingFileBytes = 5L * 1024 * 1024;

        private static readonly Regex s_email = new Regex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant);

        /// <summary>
        /// GET /v1/pbx/redirection/ with <c>pbx_number</c>. Answer: current_status, pbx_id, pbx_name, type, destination,
        /// condition, voicemail_greeting, set_caller_id. A read: retried.
        /// </summary>
        public async Task<ZadarmaPbxRedirection> GetPbxRedirectionAsync(string extension, CancellationToken cancellationToken = default)
        {
            var number = NormalizeNumber(extension, "Extension");
            var answer = await SendRequestAsync(HttpMethod.Get, "/v1/pbx/redirection/", "pbx/redirection",
                Parameters(("pbx_number", number)), Gate, cancellationToken).ConfigureAwait(false);
            using (answer.Document) return ReadPbxRedirection(answer, number);
        }

        private static ZadarmaPbxRedirection ReadPbxRedirection(Answer answer, string extension)
        {
            var root = answer.Document.RootElement;
            var status = root.GetString("current_status");
            var callerId = root.GetString("set_caller_id");
            return new ZadarmaPbxRedirection(extension, string.Equals(status, "on", StringComparison.OrdinalIgnoreCase),
                root.GetString("pbx_id"), root.GetString("pbx_name"), Empty(root.GetString("type")), Empty(root.GetString("destination")),
                Empty(root.GetString("condition")), Empty(root.GetString("voicemail_greeting")),
                string.IsNullOrEmpty(callerId) ? (bool?)null : string.Equals(callerId, "on", StringComparison.OrdinalIgnoreCase),
                DateTimeOffset.Now);
        }

        private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        /// <summary>
        /// Checks a PBX forwarding change before anything is sent: the extension (Field Extension); for a phone the
        /// number (Field Destination); for voicemail the e-mail address (Field Email) and, with its own greeting, the file:
        /// it exists, is .mp3 or .wav, and is under 5 MB (Field GreetingFile).
        /// </summary>
        public static ZadarmaPbxRedirectionRequest Prepare(ZadarmaPbxRedirectionRequest change)
        {
            if (change is null) throw new ArgumentNullException(nameof(change));
            var extension = NormalizeNumber(change.Extension, "Extension");
            switch (change.Kind)
            {
                case ZadarmaPbxRedirectionKind.Off:
                    return new ZadarmaPbxRedirectionRequest(extension, change.Kind);
                case ZadarmaPbxRedirectionKind.Phone:
                    return new ZadarmaPbxRedirectionRequest(extension, change.Kind)
                    {
                        Destination = NormalizeNumber(change.Destination, "Destination"),
                        NoAnswerOnly = change.NoAnswerOnly,
                        SetCallerId = change.SetCallerId,
                    };
                case ZadarmaPbxRedirectionKind.Voicemail:
                    var email = (change.Destination ?? "").Trim();
                    if (!s_email.IsMatch(email))
                        throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaEmailIsInvalid",
                            email.Length == 0 ? "Voicemail forwarding needs the e-mail address the messages go to (-Email)."
                                : $"'{email}' is not an e-mail address.") { Field = "Email" };
                    string? file = null;
                    if (change.Greeting == ZadarmaVoicemailGreeting.Own) file = CheckGreetingFile(change.GreetingFile);
                    else if (!string.IsNullOrWhiteSpace(change.GreetingFile))
                        throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaGreetingFileIsNotUsed",
                            $"A greeting file is sent only with -Greeting Own, not {change.Greeting}.") { Field = "GreetingFile" };
                    return new ZadarmaPbxRedirectionRequest(extension, change.Kind)
                    {
                        Destination = email,
                        NoAnswerOnly = change.NoAnswerOnly,
                        Greeting = change.Greeting,
                        GreetingFile = file,
                    };
                default:
                    throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "Not a forwarding kind.");
            }
        }

        private static string CheckGreetingFile(string? path)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaGreetingFileIsMissing",
                    "-Greeting Own needs the greeting itself: give -GreetingFile, an mp3 or wav file under 5 MB.") { Field = "GreetingFile" };
            var full = Path.GetFullPath(path);
            var info = new FileInfo(full);
            if (!info.Exists)
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaGreetingFileWasNotFound",
                    $"The greeting file '{full}' does not exist.") { Field = "GreetingFile" };
            var ext = info.Extension.ToLowerInvariant();
            if (ext != ".mp3" && ext != ".wav")
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaGreetingFileTypeIsNotAllowed",
                    $"The greeting file '{info.Name}' is not an mp3 or wav file; Zadarma takes only those.") { Field = "GreetingFile" };
            if (info.Length >= MaxGreetingFileBytes)
                throw new MessagingException(ProviderName, ErrorKind.InvalidInput, "ZadarmaGreetingFileIsTooLarge",
                    $"The greeting file '{info.Name}' has {info.Length} bytes; Zadarma takes files under 5 MB ({MaxGreetingFileBytes} bytes).") { Field = "GreetingFile" };
            return full;
        }

        /// <summary>The <c>voicemail_greeting</c> value of a greeting (Zadarma spells the standard one "standart").</summary>
        public static string ApiValue(ZadarmaVoicemailGreeting greeting) => greeting switch
        {
            ZadarmaVoicemailGreeting.None => "no",
            ZadarmaVoicemailGreeting.Standard => "standart",
            ZadarmaVoicemailGreeting.Own => "own",
            _ => throw new ArgumentOutOfRangeException(nameof(greeting), greeting, "Not a greeting."),
        };

        /// <summary>
        /// POST /v1/pbx/redirection/: off (<c>pbx_number</c>, <c>status=off</c>); to a phone (<c>type=phone</c>,
        /// <c>condition</c> always|noanswer, <c>destination</c>, <c>set_caller_id</c> on|off); to voicemail
        /// (<c>type=voicemail</c>, <c>condition</c>, <c>destination</c> the e-mail, <c>voicemail_greeting</c> no|standart|own
        /// and with own <c>greeting_file</c>). With a file the request is a multipart form whose signature covers the
        /// other fields only, as the PHP SDK signs it (Client::_getAuthHeader drops the CURLFile). Answer: as the GET.
        /// Setting the same forwarding twice does no harm, so, as the module's other settings (Set-ZadarmaCallerId,
        /// Set-ZadarmaRedirection), it is retried like a read, the file read again for each attempt.
        /// </summary>
        public async Task<ZadarmaPbxRedirection> SetPbxRedirectionAsync(ZadarmaPbxRedirectionRequest change, CancellationToken cancellationToken = default)
        {
            var prepared = Prepare(change);
            var condition = prepared.NoAnswerOnly ? "noanswer" : "always";
            List<KeyValuePair<string, string?>> parameters = prepared.Kind switch
            {
                ZadarmaPbxRedirectionKind.Off => Parameters(("pbx_number", prepared.Extension), ("status", "off")),
                ZadarmaPbxRedirectionKind.Phone => Parameters(("pbx_number", prepared.Extension), ("type", "phone"), ("condition", condition),
                    ("destination", prepared.Destination), ("set_caller_id", prepared.SetCallerId ? "on" : "off")),
                _ => Parameters(("pbx_number", prepared.Extension), ("type", "voicemail"), ("condition", condition),
                    ("destination", prepared.Destination), ("voicemail_greeting", ApiValue(prepared.Greeting))),
            };
            Func<HttpContent>? multipart = null;
            if (prepared.GreetingFile is string file)
            {
                var fields = parameters;
                multipart = () => GreetingForm(fields, file);
            }
            var answer = await SendRequestAsync(HttpMethod.Post, "/v1/pbx/redirection/", "pbx/redirection", parameters, Gate, cancellationToken,
                content: multipart).ConfigureAwait(false);
            using (answer.Document) return ReadPbxRedirection(answer, prepared.Extension);
        }

        /// <summary>The multipart form of a change with a greeting file: each parameter a field, then the file, read from disk for this attempt.</summary>
        private static HttpContent GreetingForm(List<KeyValuePair<string, string?>> fields, string file)
        {
            var form = new MultipartFormDataContent("----MessagingTools" + Guid.NewGuid().ToString("N"));
            foreach (var field in fields)
            {
                // As curl writes a field: no Content-Type of its own.
                var part = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(field.Value ?? ""));
                part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(field.Key) };
                form.Add(part);
            }
            var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
            var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue(Path.GetExtension(file).Equals(".wav", StringComparison.OrdinalIgnoreCase) ? "audio/wav" : "audio/mpeg");
            content.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
            {
                Name = Quoted("greeting_file"),
                FileName = Quoted(Path.GetFileName(file).Replace("\"", "_")),
            };
            form.Add(content);
            return form;
        }

        private static string Quoted(string text) => "\"" + text + "\"";
    }
}
