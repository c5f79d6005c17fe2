using System;

namespace MessagingTools.Core.Providers.Zadarma
{
    // Call recordings (GET /v1/pbx/record/request/ and the files at its links) and the forwarding of a PBX extension
    // (GET/POST /v1/pbx/redirection/). Field names follow the PHP SDK (zadarma/user-api-v1 lib/Api.php getPbxRecord,
    // getPbxRedirection, setPbxRedirectionOff, setPbxPhoneRedirection, setPbxVoicemailRedirection; lib/Response/
    // PbxRecordRequest.php and PbxRedirection.php).

    /// <summary>Which recording links to ask for (<c>GET /v1/pbx/record/request/</c>).</summary>
    public sealed class ZadarmaRecordingQuery
    {
        /// <summary>The recording's id: Zadarma's <c>call_id</c> (<c>call_id_with_rec</c> of a call event); one link.</summary>
        public string? RecordingId { get; init; }

        /// <summary>The PBX call (<c>pbx_call_id</c>): every recording of it, one link each. Used when <see cref="RecordingId"/> is blank.</summary>
        public string? PbxCallId { get; init; }

        /// <summary>How long the links work (<c>lifetime</c>, 180 s to 60 days); null for Zadarma's default, 30 minutes.</summary>
        public TimeSpan? Lifetime { get; init; }

        public override string ToString() => !string.IsNullOrEmpty(RecordingId) ? "recording " + RecordingId : "PBX call " + PbxCallId;
    }

    /// <summary>
    /// One temporary download link of a call recording (<c>GET /v1/pbx/record/request/</c>: link or links[],
    /// lifetime_till). The link is not signed and needs no credential until it expires.
    /// </summary>
    public sealed class ZadarmaRecordingLink : RowResult
    {
        public ZadarmaRecordingLink(string? recordingId, string? pbxCallId, Uri url, DateTimeOffset expiresAt)
        {
            RecordingId = recordingId;
            PbxCallId = pbxCallId;
            Url = url ?? throw new ArgumentNullException(nameof(url));
            ExpiresAt = expiresAt;
        }

        /// <summary>
        /// The recording's id (<c>call_id</c>): as asked for, or for a link of a PBX call, the id in the file's name
        /// (Zadarma names the files <c>1-&lt;call_id&gt;-&lt;extension&gt;-&lt;date&gt;.mp3</c>); null when it has none.
        /// </summary>
        public string? RecordingId { get; }

        /// <summary>The PBX call the recording belongs to, when known.</summary>
        public string? PbxCallId { get; }

        /// <summary>Where the file can be downloaded until <see cref="ExpiresAt"/>.</summary>
        public Uri Url { get; }

        /// <summary>Zadarma's <c>lifetime_till</c>: the link stops working then.</summary>
        public DateTimeOffset ExpiresAt { get; }

        public override string ToString() => Url.AbsoluteUri;
    }

    /// <summary>
    /// A recording to download into a folder: at a link (<see cref="ZadarmaClient.SaveRecordingAsync"/>), or the
    /// recordings a query names, their links asked for first (<see cref="ZadarmaClient.SaveRecordingsAsync"/>).
    /// </summary>
    public sealed class ZadarmaRecordingDownload
    {
        public ZadarmaRecordingDownload(ZadarmaRecordingLink link, string folder)
        {
            Link = link ?? throw new ArgumentNullException(nameof(link));
            Folder = folder ?? throw new ArgumentNullException(nameof(folder));
        }

        public ZadarmaRecordingDownload(ZadarmaRecordingQuery query, string folder)
        {
            Query = query ?? throw new ArgumentNullException(nameof(query));
            Folder = folder ?? throw new ArgumentNullException(nameof(folder));
        }

        /// <summary>The link to download; null when <see cref="Query"/> names the recordings instead.</summary>
        public ZadarmaRecordingLink? Link { get; }

        /// <summary>The recordings whose links are asked for first; null when <see cref="Link"/> is given.</summary>
        public ZadarmaRecordingQuery? Query { get; }

        /// <summary>The folder the file goes to (an absolute path); created when missing.</summary>
        public string Folder { get; }

        /// <summary>Replace a file of the same name; without it such a file is an error and stays as it is.</summary>
        public bool Overwrite { get; init; }

        /// <summary>
        /// The link's position among the links of its PBX call (1-based), for a file name when the link names no
        /// recording id: &lt;PbxCallId&gt;-&lt;n&gt;.
        /// </summary>
        public int Position { get; init; } = 1;

        public override string ToString() => Link is null ? Query!.ToString() : Link.RecordingId ?? Link.PbxCallId ?? Link.Url.AbsoluteUri;
    }

    /// <summary>A recording saved to disk.</summary>
    public sealed class ZadarmaRecordingFile : RowResult
    {
        public ZadarmaRecordingFile(string? recordingId, string? pbxCallId, string path, long length, string? contentType, DateTimeOffset savedAt)
        {
            RecordingId = recordingId;
            PbxCallId = pbxCallId;
            Path = path;
            Length = length;
            ContentType = contentType;
            SavedAt = savedAt;
        }

        public string? RecordingId { get; }
        public string? PbxCallId { get; }

        /// <summary>The file's full path (Get-Item, Remove-Item and Copy-Item take it from the pipeline).</summary>
        public string Path { get; }

        /// <summary>Its size in bytes.</summary>
        public long Length { get; }

        /// <summary>The media type the server gave (audio/mpeg), when it gave one.</summary>
        public string? ContentType { get; }

        public DateTimeOffset SavedAt { get; }

        /// <summary>The file's name without the folder.</summary>
        public string Name => System.IO.Path.GetFileName(Path);

        public override string ToString() => Path;
    }

    /// <summary>Where a PBX extension forwards its calls (<c>type</c> of <c>/v1/pbx/redirection/</c>), or Off.</summary>
    public enum ZadarmaPbxRedirectionKind
    {
        /// <summary>No forwarding (<c>status=off</c>).</summary>
        Off,

        /// <summary>To a phone number (<c>type=phone</c>).</summary>
        Phone,

        /// <summary>To voicemail, sent to an e-mail address (<c>type=voicemail</c>).</summary>
        Voicemail,
    }

    /// <summary>The greeting of voicemail forwarding (<c>voicemail_greeting</c>: no, standart, own).</summary>
    public enum ZadarmaVoicemailGreeting
    {
        /// <summary><c>no</c>: no greeting.</summary>
        None,

        /// <summary><c>standart</c> (Zadarma's spelling): Zadarma's standard greeting.</summary>
        Standard,

        /// <summary><c>own</c>: a file of yours (mp3 or wav under 5 MB), uploaded with the change.</summary>
        Own,
    }

    /// <summary>
    /// The call forwarding of one PBX extension (<c>GET /v1/pbx/redirection/</c>: current_status, pbx_id, pbx_name, type,
    /// destination, condition, voicemail_greeting, set_caller_id).
    /// </summary>
    public sealed class ZadarmaPbxRedirection : RowResult
    {
        public ZadarmaPbxRedirection(string extension, bool enabled, string? pbxId, string? pbxName, string? type, string? destination,
            string? condition, string? voicemailGreeting, bool? setCallerId, DateTimeOffset retrievedAt)
        {
            Extension = extension;
            Enabled = enabled;
            PbxId = pbxId;
            PbxName = pbxName;
            Type = type;
            Destination = destination;
            Condition = condition;
            VoicemailGreeting = voicemailGreeting;
            SetCallerId = setCallerId;
            RetrievedAt = retrievedAt;
        }

        /// <summary>The PBX extension (<c>pbx_number</c> as asked).</summary>
        public string Extension { get; }

        /// <summary>True when Zadarma's <c>current_status</c> is on.</summary>
        public bool Enabled { get; }

        public string? PbxId { get; }
        public string? PbxName { get; }

        /// <summary>phone or voicemail.</summary>
        public string? Type { get; }

        /// <summary>The phone number, or the e-mail address of voicemail.</summary>
        public string? Destination { get; }

        /// <summary>always, or noanswer (only calls not answered).</summary>
        public string? Condition { get; }

        /// <summary>Voicemail's greeting as Zadarma names it: no, standart or own.</summary>
        public string? VoicemailGreeting { get; }

        /// <summary>Phone forwarding: whether the forwarded call shows your CallerID (<c>set_caller_id</c> on/off).</summary>
        public bool? SetCallerId { get; }

        public DateTimeOffset RetrievedAt { get; }

        public override string ToString() => Extension + ": " + (Enabled ? $"{Type} {Destination} ({Condition})" : "off");
    }

    /// <summary>
    /// A change of a PBX extension's forwarding (<c>POST /v1/pbx/redirection/</c>): off, to a phone, or to voicemail.
    /// </summary>
    public sealed class ZadarmaPbxRedirectionRequest
    {
        public ZadarmaPbxRedirectionRequest(string extension, ZadarmaPbxRedirectionKind kind)
        {
            Extension = extension;
            Kind = kind;
        }

        /// <summary>The PBX extension (<c>pbx_number</c>).</summary>
        public string Extension { get; }

        public ZadarmaPbxRedirectionKind Kind { get; }

        /// <summary>Phone: the number; voicemail: the e-mail address the messages go to.</summary>
        public string? Destination { get; init; }

        /// <summary>Forward only the calls not answered (<c>condition=noanswer</c>); else always.</summary>
        public bool NoAnswerOnly { get; init; }

        /// <summary>Phone: show your CallerID on the forwarded call (<c>set_caller_id=on</c>).</summary>
        public bool SetCallerId { get; init; }

        /// <summary>Voicemail: the greeting.</summary>
        public ZadarmaVoicemailGreeting Greeting { get; init; }

        /// <summary>Voicemail with <see cref="ZadarmaVoicemailGreeting.Own"/>: the mp3 or wav file (full path), under 5 MB.</summary>
        public string? GreetingFile { get; init; }

        public override string ToString() => "PBX extension " + Extension;
    }
}
