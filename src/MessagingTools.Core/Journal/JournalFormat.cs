using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Text;

namespace MessagingTools.Core.Journal
{
    /// <summary>
    /// The journal's file format: JSON lines, UTF-8 without BOM, one compact JSON object per line ending in \n. The first
    /// line is the header; every other line an intent or an outcome of one row (see <see cref="RunJournal"/> for examples).
    /// Reading it back: <see cref="Load"/> replays the records into each key's last state.
    /// </summary>
    internal static class JournalFormat
    {
        public const string Magic = "MessagingTools.Journal";
        public const int Version = 1;
        public const string ErrorProvider = "MessagingTools";

        /// <summary>How a header line begins, byte for byte: a torn first line is recognised by being a prefix of it.</summary>
        private static readonly byte[] HeaderStart = Encoding.UTF8.GetBytes("{\"format\":\"" + Magic + "\"");

        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            // Persian, Hebrew and Russian columns stay readable in the file; it is no HTML page.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Indented = false,
        };

        // ----- writing -----

        public static byte[] Header(string cmdlet, string provider, DateTimeOffset createdAt) => Line(w =>
        {
            w.WriteString("format", Magic);
            w.WriteNumber("version", Version);
            w.WriteString("record", "header");
            w.WriteString("cmdlet", Safe(cmdlet));
            w.WriteString("provider", Safe(provider));
            w.WriteString("createdAt", Time(createdAt));
        });

        public static byte[] Intent(JournalRow row, int attempt, string? requestId, DateTimeOffset at) => Line(w =>
        {
            Common(w, "intent", row, attempt, at);
            if (requestId != null) w.WriteString("requestId", Safe(requestId));
            Columns(w, row);
        });

        public static byte[] Succeeded(JournalRow row, int attempt, string resultJson, DateTimeOffset at)
        {
            JsonDocument result;
            try
            {
                result = JsonDocument.Parse(resultJson);
            }
            catch (JsonException e)
            {
                throw new ArgumentException("The result is not JSON: " + e.Message, nameof(resultJson), e);
            }
            using (result)
            {
                return Line(w =>
                {
                    Common(w, "outcome", row, attempt, at);
                    w.WriteString("state", "succeeded");
                    Columns(w, row);
                    w.WritePropertyName("result");
                    result.RootElement.WriteTo(w); // compact, on one line, whatever the caller's layout
                });
            }
        }

        public static byte[] Failed(JournalRow row, int attempt, JournalError error, DateTimeOffset at) => Line(w =>
        {
            Common(w, "outcome", row, attempt, at);
            w.WriteString("state", "failed");
            Columns(w, row);
            w.WriteStartObject("error");
            w.WriteString("id", Safe(error.ErrorId));
            w.WriteString("message", Safe(error.Message));
            w.WriteBoolean("mayHaveTakenEffect", error.MayHaveTakenEffect);
            if (error.Provider != null) w.WriteString("provider", Safe(error.Provider));
            if (error.Kind != null) w.WriteString("kind", Safe(error.Kind));
            if (error.ProviderCode != null) w.WriteString("providerCode", Safe(error.ProviderCode));
            if (error.RequestId != null) w.WriteString("requestId", Safe(error.RequestId));
            w.WriteEndObject();
        });

        private static void Common(Utf8JsonWriter w, string record, JournalRow row, int attempt, DateTimeOffset at)
        {
            w.WriteString("record", record);
            w.WriteString("key", Safe(row.Key));
            w.WriteNumber("position", row.Position);
            w.WriteNumber("attempt", attempt);
            w.WriteString("at", Time(at));
        }

        private static void Columns(Utf8JsonWriter w, JournalRow row)
        {
            w.WriteStartObject("row");
            foreach (var column in row.Columns)
            {
                w.WritePropertyName(Safe(column.Key ?? ""));
                if (column.Value is null) w.WriteNullValue();
                else w.WriteStringValue(Safe(column.Value));
            }
            w.WriteEndObject();
        }

        private static byte[] Line(Action<Utf8JsonWriter> body)
        {
            using (var buffer = new MemoryStream())
            {
                using (var w = new Utf8JsonWriter(buffer, WriterOptions))
                {
                    w.WriteStartObject();
                    body(w);
                    w.WriteEndObject();
                }
                buffer.WriteByte((byte)'\n');
                return buffer.ToArray();
            }
        }

        /// <summary>
        /// A lone surrogate cannot be written as UTF-8 (the JSON writer throws): a row whose text holds one is refused
        /// before sending, and its failure must still be recorded, so the journal keeps U+FFFD in its place.
        /// </summary>
        private static string Safe(string text)
        {
            if (UnicodeText.IndexOfLoneSurrogate(text) < 0) return text;
            var chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) { i++; continue; }
                if (char.IsSurrogate(chars[i])) chars[i] = '\uFFFD';
            }
            return new string(chars);
        }

        private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

        // ----- reading -----

        /// <summary>What a journal file holds, read to its last complete record.</summary>
        public sealed class Loaded
        {
            public string? Cmdlet;
            public string? Provider;
            public int Version;
            public DateTimeOffset CreatedAt;
            public bool HasHeader;

            /// <summary>The byte length of the file up to the end of its last complete record (where to append).</summary>
            public long ValidLength;

            /// <summary>The last record is complete but its \n was not written: write one before appending.</summary>
            public bool LastLineUnterminated;

            /// <summary>A torn last line was found (and is to be dropped): what to tell the user.</summary>
            public string? Warning;

            public readonly State State = new State();
        }

        /// <summary>Each key's state, replayed record by record, in the order keys first appeared.</summary>
        public sealed class State
        {
            private readonly Dictionary<string, Builder> _byKey = new Dictionary<string, Builder>(StringComparer.Ordinal);
            private readonly List<Builder> _order = new List<Builder>();

            public int Count => _order.Count;

            public JournalEntry? Lookup(string key) => _byKey.TryGetValue(key, out var b) ? b.ToEntry() : null;

            public int NextAttempt(string key) => _byKey.TryGetValue(key, out var b) ? b.Attempt + 1 : 1;

            /// <summary>The attempt an outcome belongs to: that of a pending intent, else a new one.</summary>
            public int OutcomeAttempt(string key) =>
                _byKey.TryGetValue(key, out var b) ? (b.State == JournalState.Unknown && b.Error is null ? b.Attempt : b.Attempt + 1) : 1;

            public List<JournalEntry> Entries()
            {
                var list = new List<JournalEntry>(_order.Count);
                foreach (var b in _order) list.Add(b.ToEntry());
                return list;
            }

            public JournalEntry Apply(Record r)
            {
                if (!_byKey.TryGetValue(r.Key, out var b))
                {
                    b = new Builder(r.Key, r.At);
                    _byKey.Add(r.Key, b);
                    _order.Add(b);
                }
                b.Position = r.Position;
                b.Columns = r.Columns;
                b.LastAt = r.At;
                b.Attempt = r.Attempt;
                if (r.Kind == RecordKind.Intent)
                {
                    b.State = JournalState.Unknown;
                    b.RequestId = r.RequestId;
                    b.ResultJson = null;
                    b.Error = null;
                }
                else if (r.Error is null)
                {
                    b.State = JournalState.Done;
                    b.ResultJson = r.ResultJson;
                    b.Error = null;
                }
                else
                {
                    // A failure after which the request may have been carried out is as unknown as a crash.
                    b.State = r.Error.MayHaveTakenEffect ? JournalState.Unknown : JournalState.Failed;
                    b.ResultJson = null;
                    b.Error = r.Error;
                    if (r.Error.RequestId != null) b.RequestId = r.Error.RequestId;
                }
                return b.ToEntry();
            }

            private sealed class Builder
            {
                public Builder(string key, DateTimeOffset at)
                {
                    Key = key;
                    FirstAt = at;
                    LastAt = at;
                }

                public readonly string Key;
                public JournalState State;
                public long Position;
                public IReadOnlyList<KeyValuePair<string, string?>> Columns = Array.Empty<KeyValuePair<string, string?>>();
                public int Attempt;
                public string? RequestId;
                public string? ResultJson;
                public JournalError? Error;
                public readonly DateTimeOffset FirstAt;
                public DateTimeOffset LastAt;

                public JournalEntry ToEntry() => new JournalEntry(Key, State, Position, Columns, Attempt, RequestId, ResultJson, Error, FirstAt, LastAt);
            }
        }

        public enum RecordKind { Intent, Outcome }

        /// <summary>One intent or outcome line, parsed.</summary>
        public sealed class Record
        {
            public RecordKind Kind;
            public string Key = "";
            public long Position;
            public int Attempt;
            public DateTimeOffset At;
            public string? RequestId;
            public string? ResultJson;
            public JournalError? Error;
            public IReadOnlyList<KeyValuePair<string, string?>> Columns = Array.Empty<KeyValuePair<string, string?>>();
        }

        /// <summary>
        /// Reads a journal from the start of <paramref name="stream"/>: the header, then every record into
        /// <see cref="Loaded.State"/>. A torn last line (a crash in the middle of writing it) is dropped with a warning;
        /// any other line that cannot be read is an error naming it (<c>JournalIsCorrupt</c>); a first line that is not
        /// a journal's header is <c>JournalIsNotAJournal</c>. Nothing is written.
        /// </summary>
        public static Loaded Load(Stream stream, string path)
        {
            var loaded = new Loaded();
            var line = new MemoryStream();
            var chunk = new byte[64 * 1024];
            long offset = 0;        // bytes read so far
            int lineNumber = 0;
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                int from = 0;
                for (int i = 0; i < read; i++)
                {
                    if (chunk[i] != (byte)'\n') continue;
                    line.Write(chunk, from, i - from);
                    lineNumber++;
                    ReadLine(loaded, line.ToArray(), lineNumber, path);
                    line.SetLength(0);
                    from = i + 1;
                    loaded.ValidLength = offset + i + 1;
                }
                line.Write(chunk, from, read - from);
                offset += read;
            }
            if (line.Length > 0)
            {
                // The tail after the last \n: a last record whose \n was not written yet, or a line torn by a crash.
                lineNumber++;
                var tail = line.ToArray();
                if (TryReadTail(loaded, tail, lineNumber, path))
                {
                    loaded.ValidLength = offset;
                    loaded.LastLineUnterminated = true;
                }
                else
                {
                    loaded.Warning = string.Format(CultureInfo.InvariantCulture,
                        "The journal '{0}' ends in a line cut off in the middle (line {1}, {2} bytes), as a crash while writing it leaves one; " +
                        "that line was dropped and every complete record before it kept. The row it was about is treated as its earlier records say.",
                        path, lineNumber, tail.Length);
                }
            }
            return loaded;
        }

        private static void ReadLine(Loaded loaded, byte[] bytes, int lineNumber, string path)
        {
            int start = lineNumber == 1 && bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0; // a BOM an editor added
            int end = bytes.Length;
            if (end > start && bytes[end - 1] == (byte)'\r') end--; // an editor's \r\n
            if (IsBlank(bytes, start, end)) return;
            JsonDocument doc;
            try
            {
                var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, end - start);
                doc = JsonDocument.Parse(text);
            }
            catch (Exception e) when (e is JsonException || e is DecoderFallbackException)
            {
                if (!loaded.HasHeader) throw NotAJournal(path, lineNumber);
                throw Corrupt(path, lineNumber, "it is not JSON (" + e.Message + ")");
            }
            using (doc)
            {
                var root = doc.RootElement;
                if (!loaded.HasHeader)
                {
                    ReadHeader(loaded, root, path, lineNumber);
                    return;
                }
                loaded.State.Apply(ReadRecord(root, path, lineNumber));
            }
        }

        /// <summary>Reads an unterminated last line; false when it is torn (cannot be read as a whole record).</summary>
        private static bool TryReadTail(Loaded loaded, byte[] tail, int lineNumber, string path)
        {
            if (!loaded.HasHeader && !StartsLikeAHeader(tail) && !IsNulOrBlank(tail))
            {
                // Not a journal at all (a CSV without a final newline, say): refuse it, never cut it.
                throw NotAJournal(path, lineNumber);
            }
            try
            {
                ReadLine(loaded, tail, lineNumber, path);
                return loaded.HasHeader; // a complete header or record
            }
            catch (MessagingException e) when (e.ErrorId == "JournalIsCorrupt" || e.ErrorId == "JournalIsNotAJournal")
            {
                return false;
            }
        }

        /// <summary>True when <paramref name="tail"/> is the beginning of a header line, or a header line (however far it got).</summary>
        private static bool StartsLikeAHeader(byte[] tail)
        {
            int start = tail.Length >= 3 && tail[0] == 0xEF && tail[1] == 0xBB && tail[2] == 0xBF ? 3 : 0;
            int n = Math.Min(tail.Length - start, HeaderStart.Length);
            for (int i = 0; i < n; i++)
                if (tail[start + i] != HeaderStart[i]) return false;
            return true;
        }

        private static bool IsBlank(byte[] bytes, int start, int end)
        {
            for (int i = start; i < end; i++)
                if (bytes[i] != (byte)' ' && bytes[i] != (byte)'\t' && bytes[i] != (byte)'\r') return false;
            return true;
        }

        /// <summary>A power loss can leave the end of a file as zeros; that is a torn tail too.</summary>
        private static bool IsNulOrBlank(byte[] bytes)
        {
            foreach (var b in bytes)
                if (b != 0 && b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r') return false;
            return true;
        }

        private static void ReadHeader(Loaded loaded, JsonElement root, string path, int lineNumber)
        {
            if (root.ValueKind != JsonValueKind.Object || root.GetString("format") != Magic || root.GetString("record") != "header")
                throw NotAJournal(path, lineNumber);
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v))
                throw Corrupt(path, lineNumber, "its header has no version");
            if (v > Version)
                throw new MessagingException(ErrorProvider, ErrorKind.InvalidInput, "JournalVersionIsNotSupported",
                    $"The journal '{path}' was written in format version {v.ToString(CultureInfo.InvariantCulture)}, and this version of " +
                    $"MessagingTools reads version {Version.ToString(CultureInfo.InvariantCulture)}: update MessagingTools, or use another journal. Nothing was sent.");
            loaded.Version = v;
            loaded.Cmdlet = root.GetString("cmdlet");
            loaded.Provider = root.GetString("provider");
            if (string.IsNullOrEmpty(loaded.Cmdlet)) throw Corrupt(path, lineNumber, "its header names no cmdlet");
            loaded.CreatedAt = ReadTime(root, "createdAt", path, lineNumber);
            loaded.HasHeader = true;
        }

        private static Record ReadRecord(JsonElement root, string path, int lineNumber)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Corrupt(path, lineNumber, "it is not a JSON object");
            var record = new Record();
            var kind = root.GetString("record");
            if (kind == "intent") record.Kind = RecordKind.Intent;
            else if (kind == "outcome") record.Kind = RecordKind.Outcome;
            else if (kind == "header") throw Corrupt(path, lineNumber, "it is a second header (two journals joined into one file?)");
            else throw Corrupt(path, lineNumber, kind is null ? "it has no record kind" : $"its record kind '{kind}' is unknown");
            var key = root.GetString("key");
            if (string.IsNullOrEmpty(key)) throw Corrupt(path, lineNumber, "it has no key");
            record.Key = key!;
            record.At = ReadTime(root, "at", path, lineNumber);
            if (root.TryGetProperty("position", out var position) && position.ValueKind == JsonValueKind.Number && position.TryGetInt64(out var p)) record.Position = p;
            if (!root.TryGetProperty("attempt", out var attempt) || attempt.ValueKind != JsonValueKind.Number || !attempt.TryGetInt32(out record.Attempt))
                throw Corrupt(path, lineNumber, "it has no attempt number");
            if (!root.TryGetProperty("row", out var row) || row.ValueKind != JsonValueKind.Object)
                throw Corrupt(path, lineNumber, "it has no row");
            var columns = new List<KeyValuePair<string, string?>>();
            foreach (var column in row.EnumerateObject())
            {
                string? value = column.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => column.Value.GetString(),
                    _ => throw Corrupt(path, lineNumber, $"its row's column '{column.Name}' is not text"),
                };
                columns.Add(new KeyValuePair<string, string?>(column.Name, value));
            }
            record.Columns = columns;
            if (record.Kind == RecordKind.Intent)
            {
                record.RequestId = root.GetString("requestId");
                return record;
            }
            var state = root.GetString("state");
            if (state == "succeeded")
            {
                if (!root.TryGetProperty("result", out var result)) throw Corrupt(path, lineNumber, "its success has no result");
                record.ResultJson = result.GetRawText();
            }
            else if (state == "failed")
            {
                if (!root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
                    throw Corrupt(path, lineNumber, "its failure has no error");
                var id = error.GetString("id");
                var message = error.GetString("message");
                if (string.IsNullOrEmpty(id) || message is null) throw Corrupt(path, lineNumber, "its error has no id or message");
                bool mayHave = error.TryGetProperty("mayHaveTakenEffect", out var m) && m.ValueKind == JsonValueKind.True;
                record.Error = new JournalError(id!, message, mayHave, error.GetString("provider"), error.GetString("kind"),
                    error.GetString("providerCode"), error.GetString("requestId"));
            }
            else throw Corrupt(path, lineNumber, state is null ? "its outcome has no state" : $"its outcome state '{state}' is unknown");
            return record;
        }

        /// <summary>Parses one intent or outcome line as written (with its \n).</summary>
        public static Record ParseRecord(byte[] line, string path)
        {
            int length = line.Length > 0 && line[line.Length - 1] == (byte)'\n' ? line.Length - 1 : line.Length;
            using (var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(line, 0, length)))
                return ReadRecord(doc.RootElement, path, 0);
        }

        private static DateTimeOffset ReadTime(JsonElement root, string name, string path, int lineNumber)
        {
            var text = root.GetString(name);
            if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                throw Corrupt(path, lineNumber, $"its '{name}' is not a time");
            return at;
        }

        private static string? GetString(this JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        // ----- errors -----

        public static MessagingException Corrupt(string path, int lineNumber, string why) =>
            new MessagingException(ErrorProvider, ErrorKind.InvalidInput, "JournalIsCorrupt",
                $"Line {lineNumber.ToString(CultureInfo.InvariantCulture)} of the journal '{path}' cannot be read: {why}. " +
                "A journal is only ever appended to, so this line was changed by something else. Repair or remove that line " +
                "(every line is one JSON record), or start a new journal; nothing was sent.");

        public static MessagingException NotAJournal(string path, int lineNumber) =>
            new MessagingException(ErrorProvider, ErrorKind.InvalidInput, "JournalIsNotAJournal",
                $"'{path}' is not a MessagingTools journal: its line {lineNumber.ToString(CultureInfo.InvariantCulture)} is not a journal's header. " +
                "It was left as it is; give -Journal a new file or one a previous run wrote. Nothing was sent.");
    }
}
