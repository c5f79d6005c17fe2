using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MessagingTools.Core;
using MessagingTools.Core.Errors;
using MessagingTools.Core.Http;
using MessagingTools.Core.Journal;
using MessagingTools.Core.Logging;
using MessagingTools.Core.Pipeline;
using MessagingTools.Internal;

namespace MessagingTools.Commands
{
    /// <summary>
    /// The base of every MessagingTools cmdlet. Each pipeline input becomes one work item that runs on the thread
    /// pool with at most <see cref="ThrottleLimit"/> requests in flight; everything PowerShell-facing (output,
    /// errors, verbose/debug/warning text, progress, ShouldProcess) happens here on the pipeline thread, and the
    /// outcomes come out in input order: exactly one result or one non-terminating error per input, with the
    /// input as the error's TargetObject. Ctrl+C cancels the requests in flight.
    /// <para>
    /// Words used here: an <em>input</em> is one pipeline object (a CSV row, an object from another cmdlet): see
    /// <see cref="Input"/>; its <em>row number</em> is its 1-based position, as errors and the Row column name it; an
    /// <em>item</em> is one work item (<typeparamref name="TItem"/>, one request's worth) that an input names; an input
    /// may name several. A run with -Journal asks its <see cref="RunJournalSession{TItem,TResult}"/> about every item.
    /// </para>
    /// </summary>
    public abstract partial class AsyncPipelineCmdlet<TItem, TResult> : PSCmdlet, IDisposable, IPipelineOutput<TItem, TResult>
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly PipelineLog _log = new PipelineLog();
        private readonly int _activityId = Interlocked.Increment(ref s_activityIds);
        private static int s_activityIds = 100;
        private PipelinePump<TItem, TResult>? _pump;
        private RowTemplates _templates = RowTemplates.None;
        private long _inputsBound;
        private RunJournalSession<TItem, TResult>? _journal;
        private RunPartition? _partition;
        private readonly RowBinding.ColumnShape _columnShape = new RowBinding.ColumnShape();
        private Func<TItem, IEnumerable<KeyValuePair<string, string?>>>? _partitionContent;
        private readonly CredentialGuard _credentials = new CredentialGuard();

        /// <summary>How many requests may be in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>How long one request attempt may take, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 30;

        /// <summary>
        /// Items handed to one <see cref="RunAsync"/> call: 1 for providers that take one item per request; a FeedBot
        /// send batch (one request for many messages); a group of status reads (one request each, run together).
        /// </summary>
        protected virtual int ItemsPerBatch => 1;

        /// <summary>The activity shown by Write-Progress, e.g. "Sending Bale messages".</summary>
        protected abstract string Activity { get; }

        /// <summary>What progress calls a finished input ("120 of 500 sent"): "done" unless a cmdlet says better.</summary>
        protected virtual string DoneWord => "done";

        /// <summary>
        /// Said after the progress of the inputs, when a cmdlet has more to say of its work in flight ("48.2 MB
        /// downloaded"); null for nothing. Read on the pipeline thread at each progress record.
        /// </summary>
        protected virtual string? ProgressDetail => null;

        /// <summary>Cancelled when the user presses Ctrl+C.</summary>
        protected CancellationToken StopToken => _stopping.Token;

        /// <summary>
        /// The pipeline input being processed (a row cmdlet's hidden InputObject parameter), or null when the cmdlet was
        /// called without one. PowerShell binds it first for every input, even one whose other parameters then fail to
        /// bind: so the inputs are counted here, where they arrive, and an input that never reaches ProcessRecord does not
        /// shift the row numbers of the inputs after it. Setting it also drops the binding notes of such an input.
        /// </summary>
        protected PSObject? Input
        {
            get => _input;
            set
            {
                _input = value;
                if (value is null) return; // PowerShell resets pipeline parameters to their defaults between inputs
                _inputsBound++;
                BindingNotes.Clear();
            }
        }

        private PSObject? _input;

        /// <summary>The row number of the input being processed (1-based, as errors name it), or null without one.</summary>
        protected long? RowNumber => _input is null ? (long?)null : _inputsBound;

        /// <summary>A transport for this run: the shared connection pool, this call's timeout, logs routed to this cmdlet.</summary>
        protected HttpTransport Transport { get; private set; } = HttpTransport.Shared;

        /// <summary>Checks the call as a whole (credentials, endpoint); throw a terminating error here.</summary>
        protected virtual void BeginRun() { }

        /// <summary>
        /// How this cmdlet's requests are journaled (what makes a request the same message; its idempotency key): a cmdlet
        /// that takes -Journal (see <see cref="IJournaledCmdlet"/>) gives one. Asked once, after <see cref="BeginRun"/>,
        /// when -Journal is given.
        /// </summary>
        protected virtual JournalPolicy<TItem>? JournalPolicy => null;

        /// <summary>One name and value of a request's content (for <see cref="JournalPolicy"/>).</summary>
        protected static KeyValuePair<string, string?> Pair(string name, string? value) => new KeyValuePair<string, string?>(name, value);

        /// <summary>
        /// Builds the work item for the current input from the bound parameters. Throw <see cref="MessagingException"/>
        /// (with its Field set) for invalid input: any exception thrown here becomes that input's error.
        /// A cmdlet overrides this, or <see cref="CreateItems"/> when an input may name several things; the default
        /// throws <see cref="InvalidOperationException"/>, since a cmdlet that overrides neither is a bug.
        /// </summary>
        protected virtual TItem CreateItem() =>
            throw new InvalidOperationException($"{GetType().Name} overrides neither CreateItem nor CreateItems.");

        /// <summary>
        /// The work items of the current input: one by default. An input that names several things (paths, a wildcard,
        /// ids) may return several; each gets its own ShouldProcess and outcome. One of them that cannot become a
        /// work item (a path that does not resolve, a blank id) is returned as <see cref="Part.Failed"/>: it is that
        /// thing's error, and the others still run. An exception thrown here fails the whole input.
        /// </summary>
        protected virtual IReadOnlyList<Part> CreateItems() => new[] { Part.Of(CreateItem()) };

        /// <summary>
        /// The work items of an input that names several recipients (<c>-Phone a, b</c>): one per recipient, in order, each
        /// with its own outcome. A recipient that cannot become a request (a bad number: a <see cref="MessagingException"/>
        /// whose Field is <paramref name="field"/>) is that recipient's error, and the others still go; anything else wrong
        /// (an empty text) is the input's, once.
        /// </summary>
        protected IReadOnlyList<Part> EachRecipient(IReadOnlyList<string> recipients, string field, Func<string, TItem> make)
        {
            if (recipients.Count == 1) return new[] { Part.Of(make(recipients[0])) };
            var parts = new List<Part>(recipients.Count);
            foreach (var recipient in recipients)
            {
                try
                {
                    parts.Add(Part.Of(make(recipient)));
                }
                catch (MessagingException ex) when (ex.Field == field)
                {
                    parts.Add(Part.Failed(ex, recipient));
                }
            }
            return parts;
        }

        /// <summary>
        /// A request an input needs before it becomes work, made on the pipeline thread (Save-ZadarmaRecording's links): once
        /// the provider refused the run's credentials (here or in the work), it is not made, and the input fails as the
        /// work after a refusal does.
        /// </summary>
        protected T WithCredentials<T>(Func<T> read) => _credentials.Run(read);

        /// <summary>The ShouldProcess target and action for an item (no secrets).</summary>
        protected abstract (string Target, string Action) Describe(TItem item);

        /// <summary>Does the work for a batch of items on the thread pool; one outcome per item, in order.</summary>
        protected abstract Task<IReadOnlyList<Outcome<TResult>>> RunAsync(IReadOnlyList<TItem> items, CancellationToken cancellationToken);

        /// <summary>The outcome of a cmdlet that does one item per request: the work's result (its exception is the item's error).</summary>
        protected static async Task<IReadOnlyList<Outcome<TResult>>> One(Task<TResult> work) =>
            new[] { Outcome<TResult>.Success(await work.ConfigureAwait(false)) };

        /// <summary>
        /// True when the user asked for one outcome object per input, its columns included (-IncludeInput of the row
        /// cmdlets); see <see cref="OutcomeObjects"/>.
        /// </summary>
        protected bool IncludeInputRequested { get; set; }

        /// <summary>
        /// True for a dry run (-WhatIf, or $WhatIfPreference): nothing will be sent, so the run needs no credentials; it
        /// still checks every input and shows what would be sent.
        /// </summary>
        protected bool IsDryRun => RunSettings.IsDryRun(this);

        /// <summary>Receives Core's log lines on worker threads; they are written on the pipeline thread.</summary>
        protected void Log(LogLevel level, string message)
        {
            if (IsLogged(level)) _log.Add(level, message);
        }

        /// <summary>
        /// Whether lines of this level are shown or kept by anyone (-Verbose, -Debug, the preference variables): the others
        /// are not made at all. Warnings always are. Settled once, at the start of the run.
        /// </summary>
        private bool IsLogged(LogLevel level) =>
            level == LogLevel.Warning || (level == LogLevel.Verbose ? _verboseShown : _debugShown);

        private bool _verboseShown, _debugShown;

        protected sealed override void BeginProcessing()
        {
            // -Debug shows the debug lines and asks nothing (DebugSwitch); where it cannot be made so, no line is written.
            var nothingAsks = DebugSwitch.Settle(this);
            _verboseShown = nothingAsks && RunSettings.StreamIsShown(this, "Verbose", "VerbosePreference");
            _debugShown = nothingAsks && RunSettings.StreamIsShown(this, "Debug", "DebugPreference");
            _askEveryItem = !nothingAsks || ShouldProcessCanMatter();
            var options = HttpTransport.Shared.Options.Clone();
            options.Timeout = TimeSpan.FromSeconds(TimeoutSec);
            Transport = HttpTransport.Shared.With(options, Log, IsLogged);
            // A bad value typed on the command line (not from an input) stops the call, as PowerShell would.
            var commandLine = BindingNotes.Take();
            if (commandLine.Count > 0) ThrowTerminatingError(ErrorRecords.For(commandLine[0], null, null)); // "Secure: 'maybe' is not..."
            // A text given on the command line is a template filled from each input; one that cannot be parsed stops the
            // call as a bad command-line value does, before anything is sent.
            try { _templates = RowTemplates.Parse(this); }
            catch (MessagingException ex) { ThrowTerminatingError(ErrorRecords.For(ex, null, null)); }
            _clock.Start();
            BeginRun();
            if (this is IJournaledCmdlet partitioned && partitioned.Partition != null)
            {
                try { _partition = RunPartition.Parse(partitioned.Partition); }
                catch (MessagingException ex) { ThrowTerminatingError(ErrorRecords.For(ex, partitioned.Partition, null)); }
                _partitionContent = (JournalPolicy ?? throw new InvalidOperationException($"{GetType().Name} takes -Partition but gives no JournalPolicy.")).Content;
                _tally.Partition = _partition!.ToString();
            }
            if (this is IJournaledCmdlet journaled && journaled.Journal != null)
            {
                _journal = RunJournalSession<TItem, TResult>.Open(this, journaled.Journal, JournalPolicy, journaled.ResendUnknown.IsPresent, IsDryRun);
                Outcomes.Journaled = true;
            }
            // Once the provider refuses the credentials, the items after it end as that refusal without a request. The
            // journal, if any, sees each request just before it goes out and its outcome before it is written.
            _pump = new PipelinePump<TItem, TResult>(_credentials.Wrap<TItem, TResult>(RunAsync), ThrottleLimit, ItemsPerBatch,
                this, _stopping.Token, _journal?.Observer, _log);
        }

        protected sealed override void ProcessRecord()
        {
            // First, before anything is written (a downstream cmdlet binds its inputs while this one writes).
            var notes = BindingNotes.Take();
            var pump = _pump!;
            var input = Input;
            var rowNumber = RowNumber;
            _tally.Inputs++;
            try
            {
                IReadOnlyList<Part> parts;
                IReadOnlyList<KeyValuePair<string, string?>>? journalColumns;
                try
                {
                    if (notes.Count > 0) throw notes[0];
                    if (input is PSObject columns && columns.BaseObject is PSCustomObject)
                    {
                        RowBinding.CheckColumns(GetType(), columns, _columnShape);
                        RowBinding.TakeColumnsBoundAsRowText(this, columns);
                    }
                    _templates.Fill(this, input); // the input's own text: a missing column is this input's error
                    RowBinding.RefuseEmptyRequiredValues(this);
                    parts = CreateItems();
                    // The input's own columns, as the journal records them: once for all the items the input names.
                    journalColumns = _journal?.ColumnsOf(input);
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException || ex is OperationCanceledException))
                {
                    // Whatever is wrong with this input (bad value, a path that does not resolve) fails this input only:
                    // under -Partition, in the one share its row number falls to.
                    if (!TakesRow(rowNumber)) return;
                    pump.AddCompleted(new ItemTag(input, rowNumber, null), Outcome<TResult>.Failure(ex));
                    return;
                }
                foreach (var part in parts)
                {
                    if (part.Error != null)
                    {
                        if (!TakesRow(rowNumber)) continue;
                        // One of several things the input names: its own error, in its place among the others.
                        pump.AddCompleted(new ItemTag(input, rowNumber, part.Target), Outcome<TResult>.Failure(part.Error));
                        continue;
                    }
                    var item = part.Item!;
                    if (_partition != null && !_partition.Takes(_partitionContent!(item)))
                    {
                        _tally.OtherShares++; // another worker's (-Partition)
                        continue;
                    }
                    JournalRow? journalRow = null;
                    if (_journal != null)
                    {
                        // The journal has its say first: a request it settles (an earlier run did it, or may have) is not
                        // sent, and its outcome takes its place.
                        var verdict = _journal.Decide(item, rowNumber, journalColumns);
                        if (verdict.Settled is Outcome<TResult> settled)
                        {
                            var target = verdict.Decided ? Describe(item).Target : part.Target;
                            pump.AddCompleted(new ItemTag(input, rowNumber, target) { FromJournal = verdict.FromJournal }, settled);
                            continue;
                        }
                        item = verdict.Item;
                        journalRow = verdict.JournalRow;
                    }
                    if (!_askEveryItem)
                    {
                        // Nothing ShouldProcess could do (see ShouldProcessCanMatter): the item goes, described only if
                        // an error or a stop needs its target.
                        pump.Add(item, new ItemTag(input, rowNumber, null) { JournalRow = journalRow, DescribeLater = true });
                        continue;
                    }
                    var (what, action) = Describe(item);
                    if (ShouldProcess(what, action)) pump.Add(item, new ItemTag(input, rowNumber, what) { JournalRow = journalRow });
                    else pump.Pump(block: false);
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (IsPipelineStop(ex))
            {
                ReportStop();
                throw;
            }
        }

        protected sealed override void EndProcessing()
        {
            try
            {
                _pump!.Complete();
                WriteSummary(null);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (IsPipelineStop(ex))
            {
                ReportStop();
                throw;
            }
            finally
            {
                CloseJournal();
            }
        }

        /// <summary>
        /// Whether ShouldProcess can do anything in this run, asked once: -WhatIf or $WhatIfPreference (it prints "What
        /// if:"), -Confirm, a $ConfirmPreference at or below the cmdlet's ConfirmImpact (it asks), or a shown verbose stream
        /// (it writes "Performing the operation..."). Otherwise it returns true and does nothing, and a run of 100,000 rows
        /// need not call it, nor make the target and action text it would print, 100,000 times (issue 16: per-row time).
        /// </summary>
        private bool ShouldProcessCanMatter()
        {
            var cmdlet = (CmdletAttribute?)Attribute.GetCustomAttribute(GetType(), typeof(CmdletAttribute));
            if (cmdlet is null || !cmdlet.SupportsShouldProcess) return false;
            if (IsDryRun || _verboseShown || MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
            // A value that is no ConfirmImpact PowerShell makes sense of in its own way: let it.
            if (!(RunSettings.ConfirmPreference(this) is ConfirmImpact preference)) return true;
            return preference != ConfirmImpact.None && cmdlet.ConfirmImpact >= preference;
        }

        private bool _askEveryItem = true;

        /// <summary>The target an item's ShouldProcess would have named: made when an error or a stop needs it.</summary>
        private string? DescriptionOf(ItemTag tag, TItem? item)
        {
            if (!tag.DescribeLater || item is null) return tag.Description;
            try { return Describe(item).Target; }
            catch (Exception ex) when (!(ex is OutOfMemoryException)) { return null; }
        }

        /// <summary>Under -Partition, whether a row that failed before it became a request is this worker's to report.</summary>
        private bool TakesRow(long? rowNumber)
        {
            if (_partition is null || _partition.TakesRow(rowNumber ?? 1)) return true;
            _tally.OtherShares++;
            return false;
        }

        /// <summary>Closes the run's journal, if any, once the requests in flight are recorded (see <see cref="RunJournalSession{TItem,TResult}.Close"/>).</summary>
        private void CloseJournal() => _journal?.Close(_pump, TimeSpan.FromSeconds(TimeoutSec + 5));

        /// <summary>
        /// Ctrl+C, or a pipeline stopped early (Select-Object -First, -ErrorAction Stop). Without a journal, the requests in
        /// flight are cancelled. With one, nothing new starts but the requests in flight run on to their answer (each
        /// within -TimeoutSec), so that their outcomes are recorded: a cancelled flash call or SMS may have been carried
        /// out all the same, and a journal that says "unknown" would keep the next run from sending it.
        /// </summary>
        protected sealed override void StopProcessing()
        {
            if (_journal?.LetsInFlightFinish == true) _pump?.Dispose();
            else _stopping.Cancel();
        }

        /// <summary>Writes one outcome: its result(s), or its error (and, with -IncludeInput, its outcome object).</summary>
        void IPipelineOutput<TItem, TResult>.Write(Completion<TItem, TResult> done)
        {
            var tag = (ItemTag)done.Tag!;
            _tally.Count(done.Outcome, tag.FromJournal);
            if (done.Outcome.Succeeded)
            {
                // A read that answers with a list (SIP numbers, calls) writes its items one by one.
                if (s_resultIsAList && done.Outcome.Result is System.Collections.IEnumerable list)
                    foreach (var item in list) WriteResult(item!, tag);
                else
                    WriteResult(done.Outcome.Result!, tag);
                return;
            }
            var error = done.Outcome.Error!;
            if (error is OperationCanceledException && _stopping.IsCancellationRequested) throw new PipelineStoppedException();
            if (IncludeInputRequested) WriteObject(Outcomes.Failure(tag.Input, tag.RowNumber, error));
            WriteError(ErrorRecords.For(error, ErrorTarget(done.Item, tag.Input, DescriptionOf(tag, done.Item), error), tag.RowNumber));
        }

        /// <summary>
        /// The TargetObject of an error: the input, or without one what <see cref="Describe"/> named. A cmdlet whose
        /// failed items are sent again by piping <c>$failed.TargetObject</c> back in may give one that makes that safe
        /// (Send-BaleMessage: the input with the RequestId that was used). <paramref name="item"/> is null (default) for an input
        /// that failed before it became a work item.
        /// </summary>
        protected virtual object? ErrorTarget(TItem? item, object? input, string? description, Exception error) => input ?? description;

        /// <summary>Writes one result: with its input's row number (the Row column), or as an outcome object with the input's columns.</summary>
        private void WriteResult(object result, ItemTag tag)
        {
            if (IncludeInputRequested)
            {
                WriteObject(Outcomes.Success(tag.Input, tag.RowNumber, result, tag.FromJournal));
                return;
            }
            // The module's results carry their row themselves (RowResult): a note property would cost PowerShell a table
            // entry per result. Any other result (Invoke-ZadarmaRequest's) gets the note.
            var numbered = result as RowResult;
            if (numbered != null) numbered.Row = tag.RowNumber;
            if ((tag.RowNumber is null || numbered != null) && _journal is null)
            {
                WriteObject(result);
                return;
            }
            var annotated = PSObject.AsPSObject(result);
            // Whether the result has these properties of its own is a question about its type, asked once per type: a
            // member look-up through PowerShell's adapters for every input was a good part of what an input cost.
            var own = s_ownColumns.GetOrAdd(result.GetType(), OwnColumns);
            if (tag.RowNumber is long rowNumber && !own.Row) annotated.Properties.Add(new PSNoteProperty("Row", rowNumber));
            // A journaled run says of every result whether an earlier run did it (and this one only read it back).
            if (_journal != null && !own.FromJournal) annotated.Properties.Add(new PSNoteProperty("FromJournal", tag.FromJournal));
            WriteObject(annotated);
        }

        private static readonly ConcurrentDictionary<Type, (bool Row, bool FromJournal)> s_ownColumns =
            new ConcurrentDictionary<Type, (bool Row, bool FromJournal)>();

        private static (bool Row, bool FromJournal) OwnColumns(Type type)
        {
            const System.Reflection.BindingFlags flags =
                System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase;
            return (type.GetProperty("Row", flags) != null, type.GetProperty("FromJournal", flags) != null);
        }

        private static readonly bool s_resultIsAList = ResultItemType() != typeof(TResult);
        private OutcomeObjects Outcomes => _outcomes ??= new OutcomeObjects(ResultItemType());
        private OutcomeObjects? _outcomes;

        /// <summary>The type of one written result: TResult, or its element type when an item gives a list.</summary>
        private static Type ResultItemType()
        {
            var type = typeof(TResult);
            var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
                ? type
                : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyList<>));
            return list?.GetGenericArguments()[0] ?? type;
        }

        void IPipelineOutput<TItem, TResult>.Log(LogLevel level, string message)
        {
            switch (level)
            {
                case LogLevel.Warning: WriteWarning(message); break;
                case LogLevel.Debug: WriteDebug(message); break;
                default: WriteVerbose(message); break;
            }
        }

        void IPipelineOutput<TItem, TResult>.Progress(PumpProgress progress)
        {
            if (progress.Completed)
            {
                WriteProgress(new ProgressRecord(_activityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
                return;
            }
            // The total is known once every input has arrived (EndProcessing); before that, what is done so far.
            var done = progress.TotalKnown ? $"{progress.Taken} of {progress.Added} {DoneWord}" : $"{progress.Taken} {DoneWord}";
            var detail = ProgressDetail;
            WriteProgress(new ProgressRecord(_activityId, Activity,
                string.Format(CultureInfo.InvariantCulture, "{0}, {1} in flight, {2:0.#}/s", done, progress.InFlight, progress.PerSecond)
                + (detail is null ? "" : "; " + detail) + WaitNote())
            {
                PercentComplete = progress.PercentComplete,
            });
        }

        public void Dispose()
        {
            // The queue first: once the pipeline has stopped (Select-Object -First, -ErrorAction Stop) nothing more
            // starts, and an item waiting out a back-off does not send again, before the token its requests use goes away.
            _pump?.Dispose();
            CloseJournal();
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>One thing an input names: a work item, or the error that keeps it from becoming one.</summary>
        protected sealed class Part
        {
            private Part(TItem? item, Exception? error, string? target)
            {
                Item = item;
                Error = error;
                Target = target;
            }

            public TItem? Item { get; }

            public Exception? Error { get; }

            /// <summary>The thing at fault as the user wrote it (a path, an id): the error's TargetObject when there is no pipeline input.</summary>
            public string? Target { get; }

            public static Part Of(TItem item) => new Part(item, null, null);

            public static Part Failed(Exception error, string? target) =>
                new Part(default, error ?? throw new ArgumentNullException(nameof(error)), target);
        }

        /// <summary>What the queue carries besides the item: the input it came from and its row number, for errors.</summary>
        private sealed class ItemTag : IJournaledTag
        {
            public ItemTag(object? input, long? rowNumber, string? description)
            {
                Input = input;
                RowNumber = rowNumber;
                Description = description;
            }

            public object? Input { get; }
            public long? RowNumber { get; }
            public string? Description { get; }

            /// <summary>The request's entry in the journal (a JournalRow: key, row number, columns); null when the run has none.</summary>
            public JournalRow? JournalRow { get; set; }

            /// <summary>The target was not made when the item went (no ShouldProcess): make it from the item when needed.</summary>
            public bool DescribeLater { get; set; }

            /// <summary>The outcome is an earlier run's, read back from the journal.</summary>
            public bool FromJournal { get; set; }
        }
    }
}
