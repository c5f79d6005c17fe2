using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using MessagingTools.Core.Errors;

namespace MessagingTools.Core.Journal
{
    /// <summary>
    /// The durable journal of a run, for resuming it exactly once: which rows are done (with their results), which
    /// failed, and which went out without an answer being recorded.
    /// <para><b>Format.</b> JSON lines, UTF-8 without BOM, each line one compact JSON object ending in \n:</para>
    /// <code>
    /// {"format":"MessagingTools.Journal","version":1,"record":"header","cmdlet":"Send-BaleMessage","provider":"Bale","createdAt":"2025-05-01T08:00:00.0000000Z"}
    /// {"record":"intent","key":"9f2c...-1","position":1,"attempt":1,"at":"...","requestId":"5b0e...","row":{"Phone":"09123456789","Text":"سلام"}}
    /// {"record":"outcome","key":"9f2c...-1","position":1,"attempt":1,"at":"...","state":"succeeded","row":{...},"result":{"RequestId":"5b0e...",...}}
    /// {"record":"outcome","key":"77aa...-1","position":2,"attempt":1,"at":"...","state":"failed","row":{...},"error":{"id":"BaleServerError","message":"...","mayHaveTakenEffect":false,"provider":"Bale","kind":"Remote","providerCode":"500"}}
    /// </code>
    /// <para><b>State.</b> Records are replayed in order; each key ends in the state of its last record: an intent
    /// leaves it <see cref="JournalState.Unknown"/>, a success <see cref="JournalState.Done"/>, a failure
    /// <see cref="JournalState.Failed"/>, or <see cref="JournalState.Unknown"/> when the failure may have taken effect.
    /// Keys come from <see cref="RowIdentity"/>.</para>
    /// <para><b>Durability.</b> Each Record method returns when its line is written and flushed to the disk
    /// (FileStream.Flush(true): fsync, FlushFileBuffers): the caller sends only after its intent is recorded, and
    /// writes an outcome to the pipeline only after it is recorded. Records made concurrently are written together
    /// and share one flush (group commit): the first caller writes the batch; those who come while it flushes are
    /// written in the next batch, so a flush serves every worker in flight rather than one.</para>
    /// <para><b>Exclusive.</b> The file is held with FileShare.None while the journal is open: a second run on it (in
    /// this or another process) fails with JournalIsInUse before anything is sent, and so does
    /// <see cref="Read"/>. On Windows that is the share mode; on Linux and macOS .NET takes an flock(LOCK_EX) for it,
    /// which every .NET process honours (not on a file system without locks, nor with
    /// DOTNET_SYSTEM_IO_DISABLEFILELOCKING set). The lock goes with the process: a killed run leaves no stale lock.</para>
    /// <para><b>Recovery.</b> A last line cut off by a crash is dropped (and cut from the file) with <see cref="Warning"/>;
    /// every complete record is kept. Any other unreadable line is JournalIsCorrupt, naming it; a file whose first line
    /// is not a journal's header is JournalIsNotAJournal and is left untouched.</para>
    /// </summary>
    internal sealed class RunJournal : IDisposable
    {
        private readonly FileStream _stream;
        private readonly JournalFormat.State _state;
        private readonly object _gate = new object();   // guards _queue, _flushing, _state, _failure, _disposed
        private readonly object _io = new object();     // held while a batch is written and flushed
        private List<Pending> _queue = new List<Pending>();
        private bool _flushing;
        private bool _disposed;
        private MessagingException? _failure;

        /// <summary>Tests: called with the batch's size before each batch is written (may block, or throw as a disk would).</summary>
        internal Action<int>? BeforeWrite;

        /// <summary>Tests: how many batches were written and flushed.</summary>
        internal int Batches;

        private RunJournal(string path, FileStream stream, JournalFormat.Loaded loaded, string cmdlet, string provider, DateTimeOffset createdAt)
        {
            Path = path;
            _stream = stream;
            _state = loaded.State;
            Cmdlet = cmdlet;
            Provider = provider;
            CreatedAt = createdAt;
            Warning = loaded.Warning;
        }

        /// <summary>The journal's full path.</summary>
        public string Path { get; }

        /// <summary>The cmdlet the journal is for, as its header says.</summary>
        public string Cmdlet { get; }

        public string? Provider { get; }
        public DateTimeOffset CreatedAt { get; }

        /// <summary>What recovery did on opening (a torn last line dropped), to be shown as a warning; null when nothing.</summary>
        public string? Warning { get; }

        /// <summary>
        /// Opens the journal at <paramref name="path"/> for a run of <paramref name="cmdlet"/>, creating it (and its
        /// header) when it does not exist or is empty. Throws a <see cref="MessagingException"/>: JournalIsInUse,
        /// JournalIsForAnotherCmdlet, JournalIsNotAJournal, JournalIsCorrupt, JournalVersionIsNotSupported,
        /// JournalCannotBeOpened; in every case before anything is sent and without changing the file.
        /// </summary>
        public static RunJournal Open(string path, string cmdlet, string provider)
        {
            if (string.IsNullOrEmpty(cmdlet)) throw new ArgumentException("The cmdlet is empty.", nameof(cmdlet));
            if (provider is null) throw new ArgumentNullException(nameof(provider));
            var full = FullPath(path);
            var stream = OpenFile(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            try
            {
                JournalFormat.Loaded loaded;
                try
                {
                    loaded = JournalFormat.Load(stream, full);
                }
                catch (IOException e)
                {
                    throw CannotBeOpened(full, e);
                }
                RefuseAnotherCmdlets(loaded, full, cmdlet);
                try
                {
                    DateTimeOffset createdAt;
                    if (!loaded.HasHeader)
                    {
                        // New, empty, or only a torn header: start it over.
                        createdAt = DateTimeOffset.UtcNow;
                        var header = JournalFormat.Header(cmdlet, provider, createdAt);
                        stream.SetLength(0);
                        stream.Position = 0;
                        stream.Write(header, 0, header.Length);
                        stream.Flush(true);
                    }
                    else
                    {
                        createdAt = loaded.CreatedAt;
                        if (stream.Length != loaded.ValidLength)
                        {
                            // Cut the torn line off, or the next record would be glued to it and corrupt a middle line.
                            stream.SetLength(loaded.ValidLength);
                            stream.Flush(true);
                        }
                        stream.Position = loaded.ValidLength;
                        if (loaded.LastLineUnterminated)
                        {
                            stream.WriteByte((byte)'\n');
                            stream.Flush(true);
                        }
                    }
                    return new RunJournal(full, stream, loaded, loaded.Cmdlet ?? cmdlet, loaded.Provider ?? provider, createdAt);
                }
                catch (IOException e)
                {
                    throw CannotBeWritten(full, e);
                }
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        private static void RefuseAnotherCmdlets(JournalFormat.Loaded loaded, string full, string cmdlet)
        {
            if (loaded.HasHeader && !string.Equals(loaded.Cmdlet, cmdlet, StringComparison.OrdinalIgnoreCase))
                throw new MessagingException(JournalFormat.ErrorProvider, ErrorKind.InvalidInput, "JournalIsForAnotherCmdlet",
                    $"The journal '{full}' is the journal of {loaded.Cmdlet}, not of {cmdlet}: each cmdlet keeps a journal of its own. " +
                    "Give this command another -Journal. Nothing was sent.");
        }

        /// <summary>
        /// What a run of <paramref name="cmdlet"/> would find in the journal, read without changing it or holding it (a dry
        /// run, -WhatIf): null where <see cref="Open"/> would start a new journal (no file, an empty one, a torn header), and
        /// the same errors as <see cref="Open"/> otherwise (another cmdlet's journal, not a journal, corrupt, in use).
        /// </summary>
        public static JournalContents? ReadFor(string path, string cmdlet)
        {
            var full = FullPath(path);
            if (!File.Exists(full)) return null;
            var loaded = Load(full);
            if (!loaded.HasHeader) return null;
            RefuseAnotherCmdlets(loaded, full, cmdlet);
            return new JournalContents(full, loaded);
        }

        private static JournalFormat.Loaded Load(string full)
        {
            using (var stream = OpenFile(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                try
                {
                    return JournalFormat.Load(stream, full);
                }
                catch (IOException e)
                {
                    throw CannotBeOpened(full, e);
                }
            }
        }

        /// <summary>
        /// Reads a journal that no run holds, without changing it (a torn last line is left out, with
        /// <see cref="JournalContents.Warning"/>). Throws JournalWasNotFound, JournalIsInUse (a run holds it: read it
        /// when the run ends), JournalIsNotAJournal, JournalIsCorrupt, JournalVersionIsNotSupported, JournalCannotBeOpened.
        /// </summary>
        public static JournalContents Read(string path)
        {
            var full = FullPath(path);
            if (!File.Exists(full))
                throw new MessagingException(JournalFormat.ErrorProvider, ErrorKind.NotFound, "JournalWasNotFound",
                    $"There is no journal '{full}'.");
            var loaded = Load(full);
            if (!loaded.HasHeader) throw JournalFormat.NotAJournal(full, 1);
            return new JournalContents(full, loaded);
        }

        /// <summary>The row's state as recorded (by earlier runs, or this one); null when the journal has no record of it.</summary>
        public JournalEntry? Lookup(string key)
        {
            if (key is null) throw new ArgumentNullException(nameof(key));
            lock (_gate) return _state.Lookup(key);
        }

        /// <summary>Every row of the journal, in the order each first appeared in it.</summary>
        public IReadOnlyList<JournalEntry> Entries()
        {
            lock (_gate) return _state.Entries();
        }

        /// <summary>
        /// Records that the row's request is about to go out (with <paramref name="requestId"/> for a provider that drops
        /// repeats by it). Completes when the line is on the disk; send only then. The entry comes back in state Unknown
        /// with its attempt number (1 on the first try, one more on each try after).
        /// </summary>
        public Task<JournalEntry> RecordIntentAsync(JournalRow row, string? requestId = null) =>
            Append(row, (state, at) => JournalFormat.Intent(row, state.NextAttempt(row.Key), requestId, at));

        /// <summary>
        /// Records the row's success, with its result serialised as JSON (any layout: it is stored compact). Completes
        /// when the line is on the disk; write the result to the pipeline only then.
        /// </summary>
        public Task<JournalEntry> RecordSucceededAsync(JournalRow row, string resultJson)
        {
            if (resultJson is null) throw new ArgumentNullException(nameof(resultJson));
            return Append(row, (state, at) => JournalFormat.Succeeded(row, state.OutcomeAttempt(row.Key), resultJson, at));
        }

        /// <summary>Records the row's failure. Completes when the line is on the disk; write the error only then.</summary>
        public Task<JournalEntry> RecordFailedAsync(JournalRow row, JournalError error)
        {
            if (error is null) throw new ArgumentNullException(nameof(error));
            return Append(row, (state, at) => JournalFormat.Failed(row, state.OutcomeAttempt(row.Key), error, at));
        }

        public JournalEntry RecordIntent(JournalRow row, string? requestId = null) => RecordIntentAsync(row, requestId).GetAwaiter().GetResult();
        public JournalEntry RecordSucceeded(JournalRow row, string resultJson) => RecordSucceededAsync(row, resultJson).GetAwaiter().GetResult();
        public JournalEntry RecordFailed(JournalRow row, JournalError error) => RecordFailedAsync(row, error).GetAwaiter().GetResult();

        private Task<JournalEntry> Append(JournalRow row, Func<JournalFormat.State, DateTimeOffset, byte[]> line)
        {
            if (row is null) throw new ArgumentNullException(nameof(row));
            var pending = new Pending();
            bool lead;
            lock (_gate)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(RunJournal));
                if (_failure != null) return Task.FromException<JournalEntry>(_failure);
                // The line is made under the lock so that its attempt number follows the records queued before it.
                // A bad result JSON throws here, to the caller, before anything is queued.
                pending.Bytes = line(_state, DateTimeOffset.UtcNow);
                _queue.Add(pending);
                lead = !_flushing;
                if (lead) _flushing = true;
            }
            if (lead)
            {
                // This caller writes the batch its line is in (and any line that joined it meanwhile); batches queued
                // while it flushed are left to a pool thread, so that this caller is not kept writing others' lines.
                WriteNextBatch();
                lock (_gate)
                {
                    if (_queue.Count == 0) _flushing = false;
                    else Task.Run(Drain);
                }
            }
            return pending.Completion.Task;
        }

        private void Drain()
        {
            while (true)
            {
                WriteNextBatch();
                lock (_gate)
                {
                    if (_queue.Count == 0)
                    {
                        _flushing = false;
                        return;
                    }
                }
            }
        }

        private void WriteNextBatch()
        {
            List<Pending> batch;
            lock (_gate)
            {
                batch = _queue;
                _queue = new List<Pending>();
            }
            if (batch.Count == 0) return;
            Exception? failure = null;
            lock (_io)
            {
                try
                {
                    if (_failure != null) throw _failure;
                    if (_disposed) throw new ObjectDisposedException(nameof(RunJournal));
                    BeforeWrite?.Invoke(batch.Count);
                    int length = 0;
                    foreach (var p in batch) length += p.Bytes.Length;
                    var buffer = new byte[length];
                    int at = 0;
                    foreach (var p in batch)
                    {
                        Buffer.BlockCopy(p.Bytes, 0, buffer, at, p.Bytes.Length);
                        at += p.Bytes.Length;
                    }
                    _stream.Write(buffer, 0, buffer.Length); // one write for the batch: a crash tears at most its last line
                    _stream.Flush(true);
                    Batches++;
                }
                catch (Exception e)
                {
                    failure = e;
                }
            }
            if (failure != null)
            {
                MessagingException error;
                lock (_gate)
                {
                    // After a failed write the file's end is unknown: nothing more may be recorded, hence nothing sent.
                    _failure ??= failure as MessagingException ?? CannotBeWritten(Path, failure);
                    error = _failure;
                }
                foreach (var p in batch) p.Completion.TrySetException(error);
                return;
            }
            var entries = new JournalEntry[batch.Count];
            try
            {
                lock (_gate)
                {
                    for (int i = 0; i < batch.Count; i++) entries[i] = _state.Apply(Reparse(batch[i].Bytes));
                }
            }
            catch (Exception e)
            {
                // A line written that cannot be read back: the journal can no longer say what it holds. Every waiter
                // learns it (none may hang), and nothing more is recorded, hence nothing more sent.
                MessagingException error;
                lock (_gate)
                {
                    _failure ??= e as MessagingException ?? CannotBeWritten(Path, e);
                    error = _failure;
                }
                foreach (var p in batch) p.Completion.TrySetException(error);
                return;
            }
            for (int i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(entries[i]);
        }

        /// <summary>The state is advanced from the line as written, so that it is exactly what a reopen would read.</summary>
        private JournalFormat.Record Reparse(byte[] line) => JournalFormat.ParseRecord(line, Path);

        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed) return;
                _disposed = true;
            }
            lock (_io) _stream.Dispose();
        }

        private sealed class Pending
        {
            public byte[] Bytes = Array.Empty<byte>();
            public readonly TaskCompletionSource<JournalEntry> Completion =
                new TaskCompletionSource<JournalEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // ----- opening and its errors -----

        private static string FullPath(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The journal path is empty.", nameof(path));
            try
            {
                return System.IO.Path.GetFullPath(path);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException || e is System.Security.SecurityException)
            {
                throw CannotBeOpened(path, e);
            }
        }

        private static FileStream OpenFile(string path, FileMode mode, FileAccess access, FileShare share)
        {
            try
            {
                return new FileStream(path, mode, access, share, 4096, FileOptions.None);
            }
            catch (IOException e) when (IsSharingViolation(e))
            {
                throw new MessagingException(JournalFormat.ErrorProvider, ErrorKind.InvalidInput, "JournalIsInUse",
                    $"The journal '{path}' is in use by another run (in this or another process): two runs on one journal " +
                    "could send a row twice. Wait for that run to end, or give this one another -Journal. Nothing was sent.",
                    innerException: e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is System.Security.SecurityException || e is NotSupportedException)
            {
                throw CannotBeOpened(path, e);
            }
        }

        /// <summary>
        /// Windows: ERROR_SHARING_VIOLATION (32) or ERROR_LOCK_VIOLATION (33). Unix: .NET's flock failed with
        /// EWOULDBLOCK, which it reports with the errno as HResult (EAGAIN: 11 on Linux, 35 on macOS).
        /// </summary>
        private static bool IsSharingViolation(IOException e)
        {
            if (e is FileNotFoundException || e is DirectoryNotFoundException || e is PathTooLongException) return false;
            int code = e.HResult;
            if ((code & 0xFFFF0000) == 0x80070000) code &= 0xFFFF;
            return Environment.OSVersion.Platform == PlatformID.Win32NT ? code == 32 || code == 33 : code == 11 || code == 35;
        }

        private static MessagingException CannotBeOpened(string path, Exception e) =>
            new MessagingException(JournalFormat.ErrorProvider, ErrorKind.InvalidInput, "JournalCannotBeOpened",
                $"The journal '{path}' cannot be opened: {e.Message} Nothing was sent.", innerException: e);

        private static MessagingException CannotBeWritten(string path, Exception e) =>
            new MessagingException(JournalFormat.ErrorProvider, ErrorKind.InvalidInput, "JournalCannotBeWritten",
                $"The journal '{path}' cannot be written: {e.Message} Rows are not sent without their journal: the run stops. " +
                "Every row recorded before this is safe; run the same command again when the disk is writable.", innerException: e);
    }

    /// <summary>A journal as <see cref="RunJournal.Read"/> gives it: its header and every row's state.</summary>
    public sealed class JournalContents
    {
        private readonly JournalFormat.State _state;

        /// <summary>A journal read with its header (<see cref="JournalFormat.Loaded.HasHeader"/>).</summary>
        internal JournalContents(string path, JournalFormat.Loaded loaded)
        {
            Path = path;
            Cmdlet = loaded.Cmdlet!;
            Provider = loaded.Provider;
            Version = loaded.Version;
            CreatedAt = loaded.CreatedAt;
            _state = loaded.State;
            var entries = loaded.State.Entries();
            Entries = entries;
            Warning = loaded.Warning;
            var counts = new Dictionary<JournalState, int> { [JournalState.Done] = 0, [JournalState.Failed] = 0, [JournalState.Unknown] = 0 };
            foreach (var entry in entries) counts[entry.State]++;
            Counts = counts;
        }

        public string Path { get; }
        public string Cmdlet { get; }
        public string? Provider { get; }
        public int Version { get; }
        public DateTimeOffset CreatedAt { get; }

        /// <summary>Every row, in the order each first appeared in the journal (its input order, near enough: see <see cref="JournalEntry.Position"/>).</summary>
        public IReadOnlyList<JournalEntry> Entries { get; }

        /// <summary>How many rows are in each state (every state present, 0 when none).</summary>
        public IReadOnlyDictionary<JournalState, int> Counts { get; }

        /// <summary>Rows done: sent, with their result recorded; a run on this journal does not send them again.</summary>
        public int Done => Counts[JournalState.Done];

        /// <summary>Rows whose last attempt failed in a way that cannot have taken effect; the next run tries them again.</summary>
        public int Failed => Counts[JournalState.Failed];

        /// <summary>Rows sent with no answer recorded: they may have been carried out (see <see cref="JournalState.Unknown"/>).</summary>
        public int Unknown => Counts[JournalState.Unknown];

        /// <summary>Every row the journal knows.</summary>
        public int Total => Entries.Count;

        /// <summary>A torn last line that was left out; null when none.</summary>
        public string? Warning { get; }

        /// <summary>The row's state as recorded; null when the journal has no record of it.</summary>
        public JournalEntry? Lookup(string key) => _state.Lookup(key);
    }
}
