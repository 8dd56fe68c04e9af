using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Incremental;
using EventStoreTools.Core.Ndjson;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Import-EventStore: writes events from the pipeline or an NDJSON file into a store, keeping thread ids,
/// counters, versions and timestamps, all in one transaction. With -Incremental it is reSolve's
/// incrementalImport instead (begin, push everything, commit), also in one transaction.
/// </summary>
[Cmdlet(VerbsData.Import, "EventStore", DefaultParameterSetName = FromPipelineSet,
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(EventImportResult), typeof(IncrementalImportSummary))]
public sealed class ImportEventStoreCommand : EventStoreCmdlet
{
    private const string FromPipelineSet = "FromPipeline";
    private const string FromFileSet = "FromFile";
    private const string FromDirectorySet = "FromDirectory";

    private IEventStore? _store;
    private ImportMode _mode;
    private IEventImport? _import;
    private NdjsonEventReader? _inFile;
    private IIncrementalImportSession? _session;
    private ProgressReporter? _progress;
    private bool _skipped;

    // -WhatIf reads the whole input (and, with -Incremental, works the commit out in a transaction rolled back)
    // to say what an import would do; nothing is written.
    private bool _dryRun;
    private long _dryRunEventCount;
    private long _dryRunSecretCount;
    private long _existingEventCount;

    [Parameter(Position = 0)]
    [Alias("Store")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override string StorePath => Path;

    /// <summary>An event: one of ours, a PSCustomObject (ConvertFrom-Json, Import-Csv) or a hashtable.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = FromPipelineSet)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Read reSolve's NDJSON export format (keys in any order) from this file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FromFileSet)]
    [ValidateNotNullOrEmpty]
    public string InFile { get; set; } = "";

    /// <summary>Restore reSolve's backup layout from this folder: events.db and secrets.db (both NDJSON, both required).</summary>
    [Parameter(Mandatory = true, ParameterSetName = FromDirectorySet)]
    [ValidateNotNullOrEmpty]
    public string Directory { get; set; } = "";

    /// <summary>Add to the events the store already holds (reSolve's manual maintenance mode).</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>Drop the events the store holds and import the new ones, atomically (reSolve's auto mode).</summary>
    [Parameter]
    public SwitchParameter Replace { get; set; }

    /// <summary>With -Replace: do not ask for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// Import only what the store lacks (reSolve's incrementalImport): duplicates and events older than the
    /// newest stored one are skipped, new events get thread counters and versions after the stored ones.
    /// </summary>
    [Parameter(ParameterSetName = FromPipelineSet)]
    [Parameter(ParameterSetName = FromFileSet)]
    public SwitchParameter Incremental { get; set; }

    /// <summary>Import only events of these types; * and ? are wildcards (as Export-EventStore -EventType).</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? EventType { get; set; }

    /// <summary>Import only events of these aggregates; * and ? are wildcards.</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? AggregateId { get; set; }

    /// <summary>Import only events at or after this time (DateTime, date string or ms since epoch).</summary>
    [Parameter]
    [EventTime]
    public long Since { get; set; }

    /// <summary>Import only events at or before this time (DateTime, date string or ms since epoch).</summary>
    [Parameter]
    [EventTime]
    public long Until { get; set; }

    private EventFilter? _filter;
    private long _filteredOut;

    /// <summary>The partial-restore filter, or null when every event is imported.</summary>
    private EventFilter? BuildFilter()
    {
        var filter = SelectionFilter(EventType, AggregateId, Since, Until);
        return filter.IsEmpty ? null : filter;
    }

    protected override void BeginProcessing()
    {
        if (Append && Replace)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Use -Append or -Replace, not both."),
                ErrorIdPrefix + "ConflictingModes", ErrorCategory.InvalidArgument, null));
        }
        if (Incremental && (Append || Replace))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Incremental adds what the store lacks: use it without -Append or -Replace."),
                ErrorIdPrefix + "ConflictingModes", ErrorCategory.InvalidArgument, null));
        }
        if (ParameterSetName == FromDirectorySet) RequireBackupFiles();
        _filter = BuildFilter();
        _store = OpenStore();
        if (Incremental)
        {
            BeginIncremental();
            return;
        }
        _mode = Replace ? ImportMode.Replace : Append ? ImportMode.Append : ImportMode.FailIfNotEmpty;
        if (!ConfirmWrite() && !_dryRun)
        {
            _skipped = true;
            return;
        }
        _progress = new ProgressReporter(this, 1, $"Importing events into {_store.DisplayName}");
        OpenInFile();
        if (!_dryRun) Run(() => _import = _store.BeginImport(_mode), _store.DisplayName);
    }

    protected override void ProcessRecord()
    {
        if (_skipped || ParameterSetName != FromPipelineSet) return;
        if (InputObject is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentNullException(nameof(InputObject), "A null event cannot be imported."),
                ErrorIdPrefix + "NullEvent", ErrorCategory.InvalidData, null));
        }
        Run(() =>
        {
            AddEvent(EventInputConverter.Convert(InputObject!, versionless: Incremental));
            _progress!.Report(AddedCount);
        }, InputObject);
    }

    protected override void EndProcessing()
    {
        if (_skipped) return;
        if (Incremental)
        {
            EndIncremental();
            return;
        }
        if (_dryRun)
        {
            EndDryRun();
            return;
        }
        Run(() =>
        {
            if (ParameterSetName == FromFileSet) ImportFile(_inFile!);
            if (ParameterSetName == FromDirectorySet) ImportDirectory();
            Cancellation.ThrowIfCancellationRequested();
            _progress!.Phase($"Committing {_import!.EventCount:N0} events");
            _import.Commit();
        }, _store!.DisplayName);
        _progress!.Complete();
        WriteObject(new EventImportResult(_store.DisplayName, _mode.ToString(), _import!.EventCount, _import.ExistingEventCount, _progress.Elapsed)
        {
            ImportedSecretCount = _import.SecretCount,
            FilteredOutCount = _filteredOut,
        });
    }

    private void EndDryRun()
    {
        Run(() =>
        {
            if (ParameterSetName == FromFileSet) ImportFile(_inFile!);
            if (ParameterSetName == FromDirectorySet) ImportDirectory();
            if (_store!.Exists())
            {
                using var source = _store.OpenSource();
                _existingEventCount = source.CountEvents();
            }
        }, _store!.DisplayName);
        _progress!.Complete();
        var action = !_store.Exists() ? "Create"
            : _mode == ImportMode.Replace ? "Replace"
            : _mode == ImportMode.Append || _existingEventCount == 0 ? "Append"
            : "Refuse";
        var what = action switch
        {
            "Create" => $"Create the store and write {_dryRunEventCount} events",
            "Replace" => $"Replace its {_existingEventCount} events with {_dryRunEventCount} events",
            "Append" => $"Append {_dryRunEventCount} events to its {_existingEventCount} events",
            _ => $"Refuse: it holds {_existingEventCount} events (use -Append or -Replace); {_dryRunEventCount} events were read",
        };
        // Says the counts where -WhatIf speaks (the host), and outputs them for scripts.
        ShouldProcess(_store.DisplayName, what + (_filteredOut > 0 ? $" ({_filteredOut} left out by the filters)" : ""));
        WriteObject(new EventImportResult(_store.DisplayName, _mode.ToString(), _dryRunEventCount, _existingEventCount, _progress.Elapsed)
        {
            ImportedSecretCount = _dryRunSecretCount,
            FilteredOutCount = _filteredOut,
            WhatIf = true,
            TargetAction = action,
        });
    }

    /// <summary>ShouldProcess, noting when it said no because of -WhatIf: the dry run then goes on reading.</summary>
    private bool ShouldWrite(string target, string action)
    {
        if (ShouldProcess($"Performing the operation \"{action}\" on target \"{target}\".", $"{action} on target \"{target}\"?", "Confirm", out var reason))
            return true;
        _dryRun = reason == ShouldProcessReason.WhatIf;
        return false;
    }

    /// <summary>A file of the backup folder: plain (reSolve's) or compressed (.gz, .zst).</summary>
    private string BackupFile(string name) => BackupFolder.FindFile(ResolveFilePath(Directory), name) ?? System.IO.Path.Combine(ResolveFilePath(Directory), name);

    /// <summary>
    /// reSolve's importEventStore needs both files too; checking first leaves no new store behind. A folder with
    /// our manifest must match it (sizes and SHA-256) before anything is written: a truncated or edited backup is
    /// refused rather than half restored.
    /// </summary>
    private void RequireBackupFiles()
    {
        var directory = ResolveFilePath(Directory);
        foreach (var name in new[] { BackupFolder.EventsFileName, BackupFolder.SecretsFileName })
        {
            if (BackupFolder.FindFile(directory, name) is null)
            {
                var file = System.IO.Path.Combine(directory, name);
                ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"No such file or directory \"{file}\": a backup folder holds {BackupFolder.EventsFileName} and {BackupFolder.SecretsFileName}.", file),
                    ErrorIdPrefix + "BackupFileNotFound", ErrorCategory.ObjectNotFound, file));
            }
        }
        try
        {
            BackupManifest.Verify(directory, Cancellation);
        }
        catch (EventStoreException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIdPrefix + "BackupManifestMismatch", ErrorCategory.InvalidData, directory));
        }
    }

    /// <summary>
    /// Events, then secrets with their idx, in the one transaction. As in reSolve, -Replace replaces the
    /// stored secrets only when the backup holds some: a backup made without secrets does not erase them.
    /// </summary>
    private void ImportDirectory()
    {
        using (var events = NdjsonEventReader.Open(BackupFile(ExportEventStoreCommand.EventsFileName)))
            ImportFile(events);
        var first = true;
        foreach (var secret in NdjsonSecrets.Read(BackupFile(ExportEventStoreCommand.SecretsFileName)))
        {
            Cancellation.ThrowIfCancellationRequested();
            if (_dryRun)
            {
                _dryRunSecretCount++;
                continue;
            }
            if (first && _mode == ImportMode.Replace) _import!.DropSecrets();
            first = false;
            _import!.AddSecret(secret);
        }
    }

    private void ImportFile(NdjsonEventReader reader)
    {
        var total = reader.Length ?? 0;
        // Parsed ahead on the other core; each event keeps the line and position it was read at.
        var lines = reader.ReadEvents(versionless: Incremental).Select(e => (Event: e, reader.LineNumber, reader.BytesRead));
        foreach (var (e, lineNumber, bytesRead) in lines.Ahead(Cancellation))
        {
            Cancellation.ThrowIfCancellationRequested();
            try
            {
                AddEvent(e);
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
            _progress!.Report(AddedCount, bytesRead, total);
        }
    }

    /// <summary>A missing input fails before the store is written to or created.</summary>
    private void OpenInFile()
    {
        if (ParameterSetName != FromFileSet) return;
        // "-" is standard input, as in gzip and tar; resolved, it would name a file "-" in the current folder.
        var path = CompressedFile.IsStandardStream(InFile) ? InFile : ResolveFilePath(InFile);
        Run(() => _inFile = NdjsonEventReader.Open(path), InFile);
    }

    private void AddEvent(ResolveEvent e)
    {
        if (_filter is not null && !_filter.Matches(e))
        {
            _filteredOut++;
            return;
        }
        if (_dryRun && _session is null)
        {
            // The checks the store would make on each event, so a dry run fails where the import would.
            EventValidation.RequireStorable(e);
            _dryRunEventCount++;
        }
        else if (_session is not null) _session.Add(e);
        else _import!.Add(e);
    }

    private long AddedCount => _session?.EventCount ?? _import?.EventCount ?? _dryRunEventCount;

    private void BeginIncremental()
    {
        if (!ShouldWrite(_store!.DisplayName, "Import the events the store lacks (incremental import)") && !_dryRun)
        {
            _skipped = true;
            return;
        }
        _progress = new ProgressReporter(this, 1, $"Importing events incrementally into {_store.DisplayName}");
        OpenInFile();
        Run(() => _session = _store.BeginIncrementalImport(), _store.DisplayName);
    }

    private void EndIncremental()
    {
        Run(() =>
        {
            if (ParameterSetName == FromFileSet) ImportFile(_inFile!);
            Cancellation.ThrowIfCancellationRequested();
            _progress!.Phase($"Committing {_session!.EventCount:N0} events");
            var summary = _dryRun ? _session.Preview() with { WhatIf = true } : _session.Complete();
            _progress.Complete();
            IncrementalImportOutput.Write(this, summary with { Elapsed = _progress.Elapsed });
        }, _store!.DisplayName);
    }

    private bool ConfirmWrite()
    {
        var target = _store!.DisplayName;
        var exists = false;
        Run(() => exists = _store.Exists(), target);
        if (_mode != ImportMode.Replace || !exists)
            return ShouldWrite(target, exists ? "Import events" : "Create an event store and import events");
        if (!ShouldWrite(target, "Replace all events (drop and re-create the events table)")) return false;
        // -Replace deletes data: ask even at the default $ConfirmPreference, as ConfirmImpact High would.
        var confirmGiven = MyInvocation.BoundParameters.ContainsKey("Confirm");
        var preference = GetVariableValue("ConfirmPreference") is ConfirmImpact p ? p : ConfirmImpact.High;
        if (Force || confirmGiven || preference == ConfirmImpact.None) return true;
        return ShouldContinue($"Replace all events in '{target}' with the imported ones?", "Confirm -Replace");
    }

    protected override void Dispose(bool disposing)
    {
        // Without a commit this rolls back: the store is left as it was.
        _import?.Dispose();
        _import = null;
        _inFile?.Dispose();
        _inFile = null;
        // The one-shot incremental import is one transaction: without Complete nothing of it is left, not even the open import.
        _session?.Dispose();
        _session = null;
    }
}
