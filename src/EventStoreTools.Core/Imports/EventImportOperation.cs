using System.Runtime.ExceptionServices;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Files;
using EventStoreTools.Core.Incremental;
using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Reporting;
using EventStoreTools.Core.Writes;

namespace EventStoreTools.Core.Imports;

/// <summary>
/// One import into one store, whatever its input and mode: events handed in one at a time (<see cref="Add"/>) or
/// read from a file or backup (<see cref="ImportInput"/>), filtered, then written in one transaction (create, append,
/// replace), in batches of commits (append), into reSolve's incremental import, or only counted (a dry run).
/// Nothing is written until the caller commits (<see cref="Commit"/>, <see cref="EndBatches"/>,
/// <see cref="CompleteIncremental"/>); disposed without that, it rolls back.
/// </summary>
public sealed class EventImportOperation : IDisposable
{
    private readonly IEventStore _store;
    private readonly ImportOptions _options;
    private readonly BackupSet? _backup;
    private readonly Func<NewFileAccess> _newStoreAccess;
    private readonly IOperationReport _report;
    private readonly CancellationToken _cancellation;

    private IEventImport? _import;
    private NdjsonEventReader? _input;
    private IIncrementalImportSession? _session;

    // Batched commits (CommitEvery, CommitInterval): the open batch, what earlier batches committed, and a timer
    // that commits a batch when input is sparse. The gate serializes the timer with the adds.
    private readonly object _batchGate = new();
    private long _committedCount;
    private long? _previousCount;
    private DateTime _batchStartedAt;
    private Timer? _commitTimer;
    private Exception? _timerFailure;

    private long _dryRunEventCount;
    private long _dryRunSecretCount;

    /// <param name="backup">The backup read (a folder, or a file with or without its manifest), checked before the commit; null for events handed in.</param>
    /// <param name="newStoreAccess">Who may read the store if the import creates it, asked when a transaction begins.</param>
    /// <param name="report">Told what is read; its progress counts the events added.</param>
    public EventImportOperation(IEventStore store, ImportOptions options, BackupSet? backup, Func<NewFileAccess> newStoreAccess, IOperationReport report, CancellationToken cancellation)
    {
        _store = store;
        _options = options;
        _backup = backup;
        _newStoreAccess = newStoreAccess;
        _report = report;
        _cancellation = cancellation;
    }

    /// <summary>Events added so far (or counted, in a dry run), not those the filter left out.</summary>
    public long AddedCount => _session?.EventCount ?? (_options.DryRun ? _dryRunEventCount : _committedCount + (_import?.EventCount ?? 0));

    /// <summary>Events read but left out by the filter.</summary>
    public long FilteredOutCount { get; private set; }

    /// <summary>Secrets restored (or counted, in a dry run).</summary>
    public long SecretCount => _options.DryRun ? _dryRunSecretCount : _import?.SecretCount ?? 0;

    /// <summary>The events the store held before the import (before the first batch, with batches).</summary>
    public long PreviousCount => _previousCount ?? _import?.ExistingEventCount ?? 0;

    /// <summary>
    /// Begins writing: the transaction of a one-transaction import, the timer of batched commits (each batch begins
    /// with its first event), or reSolve's incremental import (also in a dry run, which works its commit out and
    /// rolls it back). A plain dry run begins nothing.
    /// </summary>
    public void Begin()
    {
        if (_options.Incremental)
        {
            _session = _store.BeginIncrementalImport();
            return;
        }
        if (_options.DryRun) return;
        if (_options.Batched)
        {
            if (_options.CommitInterval > TimeSpan.Zero) _commitTimer = new Timer(_ => CommitWhenDue(), null, _options.CommitInterval, _options.CommitInterval);
            return;
        }
        _import = _store.BeginImport(_options.Mode, _newStoreAccess());
    }

    /// <summary>Opens the input file: the backup's events file, or the named file ("-" is standard input, as in gzip and tar).</summary>
    public void OpenInput(string inFile, System.Text.Encoding? encoding)
    {
        if (_input is not null) return;
        _input = _backup is not null ? _backup.OpenEvents(encoding) : NdjsonEventReader.Open(inFile, encoding);
    }

    /// <summary>Adds one event, unless the filter leaves it out.</summary>
    public void Add(ResolveEvent e)
    {
        if (_options.Filter is { } filter && !filter.Matches(e))
        {
            FilteredOutCount++;
            return;
        }
        if (_options.DryRun && _session is null)
        {
            // The checks the store would make on each event, so a dry run fails where the import would.
            EventValidation.RequireStorable(e);
            _dryRunEventCount++;
        }
        else if (_session is not null) _session.Add(e);
        else if (_options.Batched) AddBatched(e);
        else _import!.Add(e);
    }

    /// <summary>The events of the input file, then the backup's secrets, then the check against the manifest.</summary>
    public void ImportInput()
    {
        if (_input is not null) ImportFile(_input);
        if (!_options.Incremental) ImportSecrets();
        _backup?.Verify();
    }

    // A class, not a value tuple: ReadAhead over a reference type runs the core's precompiled (ReadyToRun) shared code,
    // where an instantiation over a value tuple has none and waits for the JIT on the first import of a fresh pwsh.
    private sealed record ReadLine(ResolveEvent Event, long LineNumber, long BytesRead);

    private void ImportFile(NdjsonEventReader reader)
    {
        var total = reader.Length ?? 0;
        // Parsed ahead on the other core; each event keeps the line and position it was read at.
        // A backup with a manifest is read whole, thread fields included, to hold its cursor against the manifest's.
        var lines = reader.ReadEvents(versionless: _options.Incremental && _backup?.Manifest is null).Select(e => new ReadLine(e, reader.LineNumber, reader.BytesRead));
        foreach (var (e, lineNumber, bytesRead) in lines.Ahead(line => line.Event, eventsStayInside: true, _cancellation))
        {
            _cancellation.ThrowIfCancellationRequested();
            _backup?.Tally(e, lineNumber);
            try
            {
                Add(e);
            }
            catch (EventStoreException ex)
            {
                throw new EventStoreException(ex.Kind, $"Line {lineNumber}: {ex.Message}", ex)
                {
                    Event = e,
                    LineNumber = lineNumber,
                    Line = e.ToString(),
                };
            }
            _report.Progress(AddedCount, bytesRead, total);
        }
        _backup?.EndEvents();
        _report.Tell(reader.IsJsonArray ? $"Read {Quantity.Of(reader.LineNumber, "element")} of a JSON array from the input file." : $"Read {Quantity.Of(reader.LineNumber, "line")} from the input file.");
    }

    /// <summary>
    /// Secrets with their idx, in the events' transaction. As in reSolve, a replace replaces the stored secrets
    /// only when the backup holds some: a backup made without secrets does not erase them.
    /// </summary>
    private void ImportSecrets()
    {
        if (_backup?.SecretsFile is null) return;
        var first = true;
        foreach (var secret in _backup.ReadSecrets())
        {
            _cancellation.ThrowIfCancellationRequested();
            if (_options.DryRun)
            {
                _dryRunSecretCount++;
                continue;
            }
            if (first && _options.Mode == ImportMode.Replace) _import!.DropSecrets();
            first = false;
            if (_options.Batched) AddBatchedSecret(secret);
            else _import!.AddSecret(secret);
        }
    }

    /// <summary>Whether committing would leave a replaced store empty: the input held no events.</summary>
    public bool WouldEmptyStore => _options.Mode == ImportMode.Replace && ReplaceDrop.WouldEmpty(_import!.ExistingEventCount, _import.EventCount);

    /// <summary>The events the store held when the one transaction began.</summary>
    public long ExistingEventCount => _import!.ExistingEventCount;

    /// <summary>Commits the one transaction.</summary>
    public void Commit()
    {
        _report.Phase($"Committing {Quantity.Of(_import!.EventCount, "event")}");
        _import.Commit();
    }

    /// <summary>With batched commits: commits the last batch (after a failure of the timer's commit is raised).</summary>
    public void EndBatches()
    {
        if (!_options.Batched) return;
        _commitTimer?.Dispose();
        lock (_batchGate)
        {
            RethrowTimerFailure();
            CommitBatch();
        }
    }

    /// <summary>Commits reSolve's incremental import, or (in a dry run) works out what its commit would do.</summary>
    public IncrementalImportSummary CompleteIncremental()
    {
        _report.Phase($"Committing {Quantity.Of(_session!.EventCount, "event")}");
        return _options.DryRun ? _session.Preview() with { WhatIf = true } : _session.Complete();
    }

    /// <summary>
    /// What a dry run found the import would do: create the store, append, replace, or refuse (the write guard refused,
    /// the store holds events and no mode says what becomes of them, or a replace would empty it without -Force).
    /// </summary>
    public ImportPreview Preview(StoreWriteClearance clearance)
    {
        long existing = 0;
        var exists = _store.Exists();
        if (exists)
        {
            using var source = _store.OpenSource();
            existing = source.CountEvents();
        }
        var mode = _options.Mode;
        var read = _dryRunEventCount;
        var emptiesStore = mode == ImportMode.Replace && ReplaceDrop.WouldEmpty(existing, read);
        var action = clearance.Refusal is not null || (emptiesStore && !_options.Force) ? ImportAction.Refused
            : !exists ? ImportAction.Created
            : mode == ImportMode.Replace ? ImportAction.Replaced
            : mode == ImportMode.Append || existing == 0 ? ImportAction.Appended
            : ImportAction.Refused;
        var events = Quantity.Of(read, "event");
        var stored = Quantity.Of(existing, "event");
        var what = clearance.Refusal is not null ? $"Write nothing{clearance.Note}; {events} {Quantity.Noun(read, "was", "were")} read" : action switch
        {
            ImportAction.Created => $"Create the store and write {events}",
            ImportAction.Replaced => $"Replace its {stored} with {events}",
            ImportAction.Appended => $"Append {events} to its {stored}",
            _ when emptiesStore => $"Replace its {stored} with 0 events (refused: the input holds no events; add -Force to empty the store)",
            _ => $"Refuse: it holds {stored} (use -Append or -Replace); {events} {Quantity.Noun(read, "was", "were")} read",
        };
        return new ImportPreview(action, what, existing);
    }

    /// <summary>What a replace of the store drops, for its confirmation (see <see cref="ReplaceDrop"/>).</summary>
    public static string DescribeDrop(IEventStore store, bool dropsSecrets)
    {
        EventStoreDescription? stored = null;
        try
        {
            using var source = store.OpenSource();
            stored = source.Describe();
        }
        catch (EventStoreException)
        {
            // Not readable as a store: the import itself reports why.
        }
        return stored is null ? "all events" : new ReplaceDrop(stored, DropsSecrets: dropsSecrets).Describe();
    }

    private void AddBatched(ResolveEvent e)
    {
        lock (_batchGate)
        {
            OpenBatch().Add(e);
            if ((_options.CommitEvery > 0 && _import!.EventCount >= _options.CommitEvery) || BatchIsDue) CommitBatch();
        }
    }

    /// <summary>The open batch, begun when the first event or secret after a commit comes (under the gate).</summary>
    private IEventImport OpenBatch()
    {
        RethrowTimerFailure();
        if (_import is null)
        {
            // Batches run as long as their input (a follow): a store frozen meanwhile stops the next, as at the start.
            if (!_options.Force) StoreWriteGuard.Check(_store, StoreWrite.Import, force: false).ThrowIfRefused();
            _import = _store.BeginImport(ImportMode.Append, _newStoreAccess());
            _previousCount ??= _import.ExistingEventCount;
            _batchStartedAt = DateTime.UtcNow;
        }
        return _import;
    }

    private void AddBatchedSecret(ResolveSecret secret)
    {
        lock (_batchGate)
        {
            OpenBatch().AddSecret(secret);
        }
    }

    private bool BatchIsDue => _options.CommitInterval > TimeSpan.Zero && DateTime.UtcNow - _batchStartedAt >= _options.CommitInterval;

    /// <summary>
    /// Commits the open batch, and opens the next only when an event comes: between batches no transaction (and,
    /// on SQLite, no write lock) is held, so reSolve's writers go on.
    /// </summary>
    private void CommitBatch()
    {
        if (_import is null) return;
        _import.Commit();
        _committedCount += _import.EventCount;
        _import.Dispose();
        _import = null;
    }

    /// <summary>The timer's commit for sparse input; a failure is raised on the caller's thread at the next event or the end.</summary>
    private void CommitWhenDue()
    {
        lock (_batchGate)
        {
            if (_timerFailure is not null || _import is null || !BatchIsDue) return;
            try
            {
                CommitBatch();
            }
            catch (Exception ex)
            {
                _timerFailure = ex;
            }
        }
    }

    private void RethrowTimerFailure()
    {
        if (_timerFailure is not null) ExceptionDispatchInfo.Throw(_timerFailure);
    }

    public void Dispose()
    {
        // Without a commit this rolls back: the store is left as it was (with batches, as after the last one).
        _commitTimer?.Dispose();
        lock (_batchGate)
        {
            _import?.Dispose();
            _import = null;
        }
        _input?.Dispose();
        _input = null;
        // The one-shot incremental import is one transaction: without Complete nothing of it is left, not even the open import.
        _session?.Dispose();
        _session = null;
    }
}
