using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Files;
using EventStoreTools.Core.Imports;
using EventStoreTools.Core.Incremental;
using EventStoreTools.Core.Parameters;
using EventStoreTools.Core.Reporting;
using EventStoreTools.Core.Writes;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Import-EventStore: writes events from the pipeline or an NDJSON file into a store, keeping thread ids,
/// counters, versions and timestamps, all in one transaction. With -Incremental it is reSolve's
/// incrementalImport instead (begin, push everything, commit), also in one transaction.
/// </summary>
[Cmdlet(VerbsData.Import, "EventStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(EventImportResult), typeof(IncrementalImportSummary))]
public sealed class ImportEventStoreCommand : EventSelectingCmdlet
{
    private IEventStore? _store;
    // A property, not a field: a field of a core value type would make loading this public type load the core,
    // which pwsh does before the module's resolver is in place (see ModuleInitializer).
    private ImportMode Mode => Replace ? ImportMode.Replace : Append ? ImportMode.Append : ImportMode.IntoEmptyStore;
    private EventImportOperation? _operation;
    /// <summary>The backup read (-Directory, or -InFile of a file): its manifest and what was read, checked before the commit.</summary>
    private BackupSet? _backup;
    private ProgressReporter? _progress;
    private IDisposable? _claim;
    private bool _skipped;
    private bool _storeExisted;
    private StoreWriteClearance? _clearance;

    // -WhatIf reads the whole input (and, with -Incremental, works the commit out in a transaction rolled back)
    // to say what an import would do; nothing is written.
    private bool _dryRun;

    /// <summary>The one store to write; a wildcard must match one file (or none: the name is then taken as it is).</summary>
    [Parameter(Position = 0)]
    [Alias("Store")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The one store to write, named exactly. Not taken from the pipeline: the pipeline carries events.</summary>
    [Parameter]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    // Every cmdlet's -ConnectionString, -Schema and -Credential (EventStoreCmdlet), but not taken from the pipeline by
    // property name, as -LiteralPath is not: the pipeline carries events, and the binder would look each one over
    // for the three properties.

    /// <inheritdoc cref="EventStoreCmdlet.ConnectionString"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public new string? ConnectionString { get => base.ConnectionString; set => base.ConnectionString = value; }

    /// <inheritdoc cref="EventStoreCmdlet.Schema"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public new string? Schema { get => base.Schema; set => base.Schema = value; }

    /// <inheritdoc cref="EventStoreCmdlet.Credential"/>
    [Parameter]
    [Credential]
    public new PSCredential? Credential { get => base.Credential; set => base.Credential = value; }

    protected override string[]? StorePaths => OnePath(LiteralPath) ?? OnePath(Path);

    protected override bool StorePathsAreLiteral => LiteralPath.Length > 0;

    /// <summary>Where the events come from: the pipeline, -InFile or -Directory.</summary>
    private ImportSource Source => ImportSources.Of(InFile, Directory);

    protected override IEnumerable<ParameterRule> ParameterRules =>
    [
        ParameterRule.OneOf("the events come from one place: the pipeline, -InFile or -Directory.", nameof(InputObject), nameof(InFile), nameof(Directory)),
        ParameterRule.Needs(nameof(Encoding), "it is the charset of the file read.", nameof(InFile)),
        ParameterRule.OneOf("each is a way to write into a store that holds events: -Append adds to them, -Replace drops them first, -Incremental adds only what the store lacks.", nameof(Append), nameof(Replace), nameof(Incremental)),
        ParameterRule.NotWith(nameof(Incremental), "a backup folder restores a whole store. To add what a store lacks, give the backup's events file with -InFile -Incremental.", nameof(Directory)),
        ParameterRule.Needs(nameof(CommitEvery), "batches of commits add to the store batch after batch.", nameof(Append)),
        ParameterRule.Needs(nameof(CommitInterval), "batches of commits add to the store batch after batch.", nameof(Append)),
        ParameterRule.NotWith(nameof(CommitEvery), "a backup folder is restored in one transaction, checked against its manifest.", nameof(Directory)),
        ParameterRule.NotWith(nameof(CommitInterval), "a backup folder is restored in one transaction, checked against its manifest.", nameof(Directory)),
    ];

    /// <summary>An event: one of ours, a PSCustomObject (ConvertFrom-Json, Import-Csv) or a hashtable.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Read reSolve's NDJSON export format (keys in any order) from this file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string InFile { get; set; } = "";

    /// <summary>The charset -InFile is written in (UTF-8 by default; a byte-order mark wins).</summary>
    [Parameter]
    [InputEncodingTransformation]
    [ArgumentCompleter(typeof(InputEncodingCompleter))]
    public System.Text.Encoding? Encoding { get; set; }

    /// <summary>Restore reSolve's backup layout from this folder: events.db and secrets.db (both NDJSON, both required).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Directory { get; set; } = "";

    /// <summary>Add to the events the store already holds (reSolve's manual maintenance mode).</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>Drop the events the store holds and import the new ones, atomically (reSolve's auto mode).</summary>
    [Parameter]
    public SwitchParameter Replace { get; set; }

    /// <summary>
    /// With -Replace: do not ask for confirmation, and discard an open incremental import. In every mode: write into
    /// a frozen store anyway, with a warning (it stays frozen).
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// Import only what the store lacks (reSolve's incrementalImport): duplicates and events older than the
    /// newest stored one are skipped, new events get thread counters and versions after the stored ones.
    /// </summary>
    [Parameter]
    public SwitchParameter Incremental { get; set; }

    /// <summary>With -Append: commit after every this many events, so an unbounded input holds no long transaction.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int CommitEvery { get; set; }

    /// <summary>With -Append: commit the events received so far once this long has passed since the batch began, also when no more arrive.</summary>
    [Parameter]
    public TimeSpan CommitInterval { get; set; }

    private ImportOptions? _options;

    /// <summary>The import as the parameters ask it (whether it is a dry run is known once ShouldProcess is asked).</summary>
    private ImportOptions BuildOptions()
    {
        var filter = SelectionFilter();
        return new ImportOptions
        {
            Mode = Mode,
            Incremental = Incremental,
            Filter = filter.IsEmpty ? null : filter,
            CommitEvery = CommitEvery,
            CommitInterval = CommitInterval,
            Force = Force,
        };
    }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        using var narration = Narrate();
        RefuseConflictingParameters();
        if (Source == ImportSource.Pipeline && !MyInvocation.ExpectingInput && !MyInvocation.BoundParameters.ContainsKey(nameof(InputObject)))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give the events to import: pipe them in (Export-EventStore a.db | Import-EventStore b.db), or name an NDJSON or JSON file with -InFile, or a backup folder with -Directory."),
                ErrorIdPrefix + "InputNotSpecified", ErrorCategory.InvalidArgument, null));
        }
        _options = BuildOptions();
        OpenBackup();
        _store = OpenStore();
        RefuseInputIsStore();
        _clearance = CheckWrite(_store, Incremental ? StoreWrite.IncrementalImport : Mode == ImportMode.Replace ? StoreWrite.Replace : StoreWrite.Import, Force);
        if (Incremental)
        {
            BeginIncremental();
            return;
        }
        if (!ConfirmWrite() && !_dryRun)
        {
            _skipped = true;
            return;
        }
        _progress = new ProgressReporter(this, 1, $"Importing events into {_store.DisplayName}");
        StartOperation();
        Run(() =>
        {
            _storeExisted = _store.Exists();
            RemovedTemporaryFiles.Tell(new CmdletReport(this, _progress), _store.RemoveStaleTemporaryFiles());
        }, _store.DisplayName);
        if (_dryRun) return;
        Run(() =>
        {
            ClaimForImport();
            _operation!.Begin();
        }, _store.DisplayName);
    }

    protected override void ProcessRecord()
    {
        if (Source != ImportSource.Pipeline && MyInvocation.BoundParameters.ContainsKey(nameof(InputObject))) RefuseConflictingParameters();
        if (_skipped || Source != ImportSource.Pipeline) return;
        if (InputObject is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentNullException(nameof(InputObject), "A null event cannot be imported."),
                ErrorIdPrefix + "NullEvent", ErrorCategory.InvalidData, null));
        }
        Run(() =>
        {
            _operation!.Add(EventInputConverter.Convert(InputObject!, versionless: Incremental, Warn));
            _progress!.Report(_operation.AddedCount);
        }, InputObject);
        // Not held while the next event is read: a huge payload would be held twice.
        InputObject = null;
    }

    protected override void EndProcessing()
    {
        using var narration = Narrate();
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
        var operation = _operation!;
        Run(() =>
        {
            operation.ImportInput();
            Cancellation.ThrowIfCancellationRequested();
            operation.EndBatches();
        }, _store!.DisplayName);
        WarnWhenFilterSelectedNothing();
        if (!_options!.Batched)
        {
            RefuseToEmptyStore();
            Run(operation.Commit, _store.DisplayName);
        }
        _progress!.Complete();
        var action = !_storeExisted ? ImportAction.Created : Mode == ImportMode.Replace ? ImportAction.Replaced : ImportAction.Appended;
        Tell($"Imported {Quantity.Of(operation.AddedCount, "event")} into {_store.DisplayName} ({action.ToString().ToLowerInvariant()}; {Quantity.Of(operation.PreviousCount, "event")} before) in {_progress.Elapsed.TotalSeconds:0.000} s.");
        WriteObject(new EventImportResult(_store.DisplayName, action.ToString(), operation.AddedCount, operation.PreviousCount, _progress.Elapsed)
        {
            ImportedSecretCount = operation.SecretCount,
            FilteredOutCount = operation.FilteredOutCount,
        });
    }

    /// <summary>The core's import (see <see cref="EventImportOperation"/>) as the parameters and the confirmation ask, with its input opened: a missing input fails before the store is written to or created.</summary>
    private void StartOperation()
    {
        _options = _options! with { DryRun = _dryRun };
        _operation = new EventImportOperation(_store!, _options, _backup, NewStoreAccess, new CmdletReport(this, _progress), Cancellation);
        if (Source == ImportSource.Pipeline) return;
        // "-" is standard input, as in gzip and tar; resolved, it would name a file "-" in the current folder.
        Run(() => _operation.OpenInput(InFile, Encoding), _backup?.EventsFile ?? InFile);
    }

    private void EndDryRun()
    {
        var operation = _operation!;
        ImportPreview preview = null!;
        Run(() =>
        {
            operation.ImportInput();
            preview = operation.Preview(_clearance!);
        }, _store!.DisplayName);
        _progress!.Complete();
        var filteredOut = operation.FilteredOutCount;
        // Says the counts where -WhatIf speaks (the host), and outputs them for scripts.
        ShouldProcess(_store.DisplayName, preview.Description + (filteredOut > 0 ? $" ({Quantity.Of(filteredOut, "event")} left out by the filters)" : ""));
        WriteObject(new EventImportResult(_store.DisplayName, preview.Action.ToString(), operation.AddedCount, preview.ExistingEventCount, _progress.Elapsed)
        {
            ImportedSecretCount = operation.SecretCount,
            FilteredOutCount = filteredOut,
            WhatIf = true,
        });
    }

    /// <summary>
    /// ShouldProcess, noting when it said no because of -WhatIf: the dry run then goes on reading. The message says
    /// what the write guard found (a frozen store, an open import); once confirmed, the guard refuses or warns.
    /// </summary>
    private bool ShouldWrite(string target, string action)
    {
        action += _clearance!.Note;
        if (ShouldProcess($"Performing the operation \"{action}\" on target \"{target}\".", $"{action} on target \"{target}\"?", "Confirm", out var reason))
        {
            Run(() => Proceed(_clearance), target);
            return true;
        }
        _dryRun = reason == ShouldProcessReason.WhatIf;
        return false;
    }

    /// <summary>An import whose input file is the store would write into what it reads.</summary>
    private void RefuseInputIsStore()
    {
        if (Source == ImportSource.File) RefuseSameFileAsStore(_store!, ResolveFilePath(InFile, literal: true, forReading: true));
        if (Source != ImportSource.Folder) return;
        RefuseSameFileAsStore(_store!, _backup!.EventsFile);
        if (_backup.SecretsFile is not null) RefuseSameFileAsStore(_store!, _backup.SecretsFile);
    }

    /// <summary>
    /// The backup to read, checked as far as it can be before anything is read (see <see cref="BackupInput"/>): a
    /// folder needs both files (as reSolve's importEventStore does; checking first leaves no new store behind).
    /// </summary>
    private void OpenBackup()
    {
        if (!BackupInput.IsBackup(Source, InFile)) return;
        var location = ResolveFilePath(Source == ImportSource.Folder ? Directory : InFile, literal: true, forReading: true);
        Run(() => _backup = BackupInput.Open(Source, location), location);
        if (Source == ImportSource.Folder)
        {
            foreach (var file in new[] { _backup!.EventsFile, _backup.SecretsFile! })
            {
                if (File.Exists(file)) continue;
                // A file the manifest read a moment ago names is gone: another export replaced the backup meanwhile.
                if (_backup.Manifest is not null)
                {
                    ThrowTerminatingError(ToErrorRecord(new EventStoreException(EventStoreErrorKind.BackupManifestMismatch,
                        $"The backup '{location}' changed while it was read: '{System.IO.Path.GetFileName(file)}', which its manifest names, is gone (another export replaced the backup). Nothing was written. Run this again."), file));
                }
                ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"No such file or directory \"{file}\": a backup folder holds {BackupFolder.EventsFileName} and {BackupFolder.SecretsFileName}.", file),
                    ErrorIdPrefix + "BackupFileNotFound", ErrorCategory.ObjectNotFound, file));
            }
        }
        Run(() => BackupInput.Check(_backup!, _options!, new CmdletReport(this), Cancellation), location);
    }

    /// <summary>Who may read the store if the import creates it (a restore is never more readable than its backup).</summary>
    private NewFileAccess NewStoreAccess() =>
        NewFileAccess.ForNewStore(Source == ImportSource.Folder, Source == ImportSource.File && !CompressedFile.IsStandardStream(InFile) ? ResolveFilePath(InFile, literal: true, forReading: true) : null);

    /// <summary>An import from the pipeline holds its transaction until its input ends: its input must not be an export of the same store.</summary>
    private void ClaimForImport() =>
        _claim = ClaimStore(_store!, Source == ImportSource.Pipeline ? StoreUse.PipelineTransaction : StoreUse.Step);

    /// <summary>A partial restore whose filters matched no event read is most likely a mistyped filter: say so, with what was read.</summary>
    private void WarnWhenFilterSelectedNothing()
    {
        if (_options!.Filter is null || _operation!.AddedCount > 0) return;
        var filteredOut = _operation.FilteredOutCount;
        WriteWarning($"The filters {DescribeFilters()} selected none of the {Quantity.Of(filteredOut, "event")} read: nothing was imported. " +
            "Check their values against the input (-EventType and -AggregateId are case-sensitive; -Since and -Until are inclusive times, UTC when given without an offset).");
    }

    private string DescribeFilters()
    {
        var parts = new List<string>();
        if (EventType is { Length: > 0 }) parts.Add("-EventType " + string.Join(", ", EventType.Select(t => $"'{t}'")));
        if (AggregateId is { Length: > 0 }) parts.Add("-AggregateId " + string.Join(", ", AggregateId.Select(a => $"'{a}'")));
        if (_options!.Filter!.Since is not null) parts.Add("-Since " + FormatTime(Since));
        if (_options.Filter.Until is not null) parts.Add("-Until " + FormatTime(Until));
        return string.Join(" ", parts);
    }

    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private void BeginIncremental()
    {
        var exists = true;
        Run(() => exists = _store!.Exists(), _store!.DisplayName);
        var action = exists
            ? "Import the events the store lacks (incremental import)"
            : "Create the store with reSolve's tables and import every event (incremental import into a new store)";
        if (!ShouldWrite(_store!.DisplayName, action) && !_dryRun)
        {
            _skipped = true;
            return;
        }
        _progress = new ProgressReporter(this, 1, $"Importing events incrementally into {_store.DisplayName}");
        StartOperation();
        Run(() =>
        {
            ClaimForImport();
            _operation!.Begin();
        }, _store.DisplayName);
    }

    private void EndIncremental()
    {
        Run(() =>
        {
            _operation!.ImportInput();
            Cancellation.ThrowIfCancellationRequested();
            WarnWhenFilterSelectedNothing();
            var summary = _operation.CompleteIncremental();
            _progress!.Complete();
            IncrementalImportOutput.Write(this, summary with { Elapsed = _progress.Elapsed });
        }, _store!.DisplayName);
    }

    private bool ConfirmWrite()
    {
        var target = _store!.DisplayName;
        var exists = false;
        Run(() => exists = _store.Exists(), target);
        if (Mode != ImportMode.Replace || !exists)
            return ShouldWrite(target, exists ? "Import events" : "Create an event store and import events");
        var dropped = DescribeDrop();
        if (!ShouldWrite(target, $"Replace all events (drop {dropped} and re-create the events table)")) return false;
        // -Replace deletes data: ask even at the default $ConfirmPreference, as ConfirmImpact High would.
        var confirmGiven = MyInvocation.BoundParameters.ContainsKey("Confirm");
        var preference = GetVariableValue("ConfirmPreference") is ConfirmImpact p ? p : ConfirmImpact.High;
        if (Force || confirmGiven || preference == ConfirmImpact.None) return true;
        var question = $"Drop {dropped} in '{target}' and replace them with the imported ones?";
        try
        {
            // hasSecurityImpact: the prompt's default answer is No, so Enter alone drops nothing.
            bool yesToAll = false, noToAll = false;
            return ShouldContinue(question, "Confirm -Replace", hasSecurityImpact: true, ref yesToAll, ref noToAll);
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or System.Management.Automation.Host.HostException)
        {
            // A non-interactive session cannot ask; the error says how to go on without asking.
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"-Replace would drop {dropped} in '{target}', and this session cannot ask for confirmation: add -Force (or -Confirm:$false) to replace without asking.", ex),
                ErrorIdPrefix + "ConfirmationRequired", ErrorCategory.PermissionDenied, target));
            throw;
        }
    }

    protected override string? NextStep(EventStoreException ex) =>
        ex.Kind == EventStoreErrorKind.DuplicateEvent && Mode == ImportMode.Append
            ? "To add only the events the store lacks, skipping those it already holds, use -Incremental instead of -Append."
            : null;

    /// <summary>What a replace drops, for the confirmation (see <see cref="ReplaceDrop"/>).</summary>
    private string DescribeDrop() => EventImportOperation.DescribeDrop(_store!, dropsSecrets: _backup?.SecretsFile is not null);

    /// <summary>
    /// An input without events (an empty file, a pipeline whose first command failed) would leave -Replace an empty
    /// store: refused unless -Force, before the commit, so the store keeps what it held.
    /// </summary>
    private void RefuseToEmptyStore()
    {
        if (!_operation!.WouldEmptyStore) return;
        var existing = _operation.ExistingEventCount;
        var message = $"The input holds no events, so -Replace would leave '{_store!.DisplayName}' empty, dropping its {Quantity.Of(existing, "event")}.";
        if (Force)
        {
            WriteWarning(message + " -Force empties it.");
            return;
        }
        ThrowTerminatingError(new ErrorRecord(
            new InvalidOperationException(message + " Nothing was changed. Check the input (an empty file, or a command earlier in the pipeline that failed); to empty the store on purpose, add -Force."),
            ErrorIdPrefix + "EmptyInputWouldEmptyStore", ErrorCategory.InvalidData, _store.DisplayName));
    }

    protected override void Dispose(bool disposing)
    {
        // Without a commit this rolls back: the store is left as it was (with -CommitEvery, as after its last batch).
        _operation?.Dispose();
        _operation = null;
        _claim?.Dispose();
        _claim = null;
    }
}
