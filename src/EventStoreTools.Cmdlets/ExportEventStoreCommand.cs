using System.IO.Compression;
using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Exports;
using EventStoreTools.Core.Parameters;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Export-EventStore: streams the events of a store in reSolve's read order, as objects, as reSolve's NDJSON
/// export, or as reSolve's backup folder (events.db and secrets.db); filtered in the store's query and
/// resumable with reSolve's cursor.
/// </summary>
[Cmdlet(VerbsData.Export, "EventStore", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(ResolveEvent))]
public sealed class ExportEventStoreCommand : EventSelectingCmdlet
{
    /// <summary>The stores of a file or folder export, known in full before anything is written.</summary>
    private readonly List<IEventStore> _storesToFile = [];

    /// <summary>The cursor after the events written to the pipeline would pass over one not written: it is not handed out.</summary>
    private bool _cursorWouldSkip;
    private int _storesToPipeline;

    /// <summary>Store files; wildcards are expanded. Piped path strings bind here.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [Alias("Store")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Store files named exactly, wildcard characters included; Get-EventStore's and Get-ChildItem's output binds here by PSPath.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    protected override string[]? StorePaths => LiteralPath ?? (PipedObjectNamesPostgresStore ? null : Path);

    protected override bool StorePathsAreLiteral => LiteralPath is not null;

    /// <summary>Where the events go: a file (-OutFile), a backup folder (-Directory) or the pipeline.</summary>
    private ExportOutput Output => ExportOutputs.Of(OutFile, Directory);

    protected override IEnumerable<ParameterRule> ParameterRules =>
    [
        ParameterRule.OneOf("an export goes to one file or one folder.", nameof(OutFile), nameof(Directory)),
        ParameterRule.NotWith(nameof(Follow), "-Follow writes events to the pipeline as they come, and a file or folder is put in place once, when the export ends. Follow into a file with Export-EventStore -Follow | Import-EventStore, or export without -Follow.", nameof(OutFile), nameof(Directory)),
        ParameterRule.Needs(nameof(PollInterval), "it is the wait between reads while following.", nameof(Follow)),
        ParameterRule.Needs(nameof(Timeout), "it ends a follow.", nameof(Follow)),
        .. FileOnly(nameof(Compression), "the pipeline carries event objects, not bytes to compress."),
        .. FileOnly(nameof(CompressionLevel), "the pipeline carries event objects, not bytes to compress."),
        .. FileOnly(nameof(IncludeSecrets), "the pipeline carries events; secrets are written into a backup beside them."),
        .. FileOnly(nameof(NoClobber), "it keeps an existing output file."),
        .. FileOnly(nameof(Force), "it replaces an output file that is not an export of ours."),
        ParameterRule.OneOf("-NoClobber keeps an existing file, -Force replaces one: choose one.", nameof(NoClobber), nameof(Force)),
    ];

    private static ParameterRule[] FileOnly(string parameter, string why) => [ParameterRule.Needs(parameter, why, nameof(OutFile), nameof(Directory))];

    /// <summary>Write reSolve's NDJSON export (byte-identical to exportEvents()) to this file instead of the pipeline.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string OutFile { get; set; } = "";

    /// <summary>Write reSolve's backup layout into this folder: events.db and secrets.db, both NDJSON.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Directory { get; set; } = "";

    /// <summary>
    /// Compress the backup: with -Directory, events.db and secrets.db become events.db.gz or .zst (reSolve's importer
    /// reads only plain files); with -OutFile it must agree with the file's name (.gz, .zst), which is what says it.
    /// </summary>
    [Parameter]
    [ValidateSet("None", "GZip", "Zstandard")]
    public string Compression { get; set; } = "None";

    // A parameter of a core type would make pwsh load the core assembly before the module's load context exists.
    private FileCompression CompressionKind => Enum.Parse<FileCompression>(Compression, ignoreCase: true);

    /// <summary>How hard a compressed -OutFile (.gz, .zst) or -Directory -Compression compresses.</summary>
    [Parameter]
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Optimal;

    /// <summary>Write the store's secrets: into secrets.db with -Directory (otherwise it is written empty), into a secrets file beside -OutFile.</summary>
    [Parameter]
    public SwitchParameter IncludeSecrets { get; set; }

    /// <summary>Fail rather than overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Replace an existing output file that is not an export or backup of ours (a SQLite store, any other file).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Resume after a previous export: reSolve's cursor (2048 base64 characters).</summary>
    [Parameter]
    [AllowEmptyString]
    [AllowNull]
    public string? Cursor { get; set; }

    /// <summary>Set this variable (in the caller's scope) to the cursor after the last exported event.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CursorVariable { get; set; }

    /// <summary>At most this many events.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long First { get; set; }

    /// <summary>After the stored events, keep emitting the events appended later, until Ctrl+C, -Until, -Timeout, or the store is frozen and drained.</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>With -Follow: how long to wait between reads once caught up (default 500 ms).</summary>
    [Parameter]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>With -Follow: stop following after this long.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; }


    protected override bool Untold => Output == ExportOutput.StandardOutput;

    protected override void ProcessRecord()
    {
        using var narration = Narrate();
        foreach (var store in OpenStores())
        {
            if (Output.HoldsOneStore())
            {
                _storesToFile.Add(store);
                continue;
            }
            if (++_storesToPipeline > 1 && (Cursor is not null || CursorVariable is not null))
                RefuseSeveralStores("a cursor belongs to one store: export the stores one at a time", store.DisplayName);
            Export(store);
        }
    }

    /// <summary>
    /// One file or folder holds one store: several stores' events would collide on their keys (threadId,
    /// threadCounter), a backup folder has one secrets file, and a cursor belongs to one store. So several are
    /// refused before anything is written, rather than each overwriting the one before.
    /// </summary>
    protected override void EndProcessing()
    {
        using var narration = Narrate();
        if (_storesToFile.Count > 1)
            RefuseSeveralStores($"one {(Output == ExportOutput.Folder ? "-Directory" : "-OutFile")} holds the export of one store: export each store to its own file or folder", _storesToFile.Select(s => s.DisplayName).ToArray());
        if (_storesToFile.Count == 1) Export(_storesToFile[0]);
    }

    private void RefuseSeveralStores(string why, object target) =>
        ThrowTerminatingError(new ErrorRecord(new ArgumentException($"Several stores were given, and {why}. Nothing was written."),
            ErrorIdPrefix + "SeveralStores", ErrorCategory.InvalidArgument, target));

    private void Export(IEventStore store)
    {
        var read = BuildRead();
        switch (Output)
        {
            case ExportOutput.StandardOutput:
                // ShouldProcess writes its -Verbose line through the host, which in pwsh -c is standard output: the
                // data's channel. It is asked only when -WhatIf or -Confirm asks for it.
                if (IncludeSecrets)
                {
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException("Standard output carries only the events: to keep the secrets, export with -OutFile <file> -IncludeSecrets or -Directory <folder> -IncludeSecrets."),
                        ErrorIdPrefix + "SecretsToStandardOutput", ErrorCategory.InvalidArgument, OutFile));
                }
                var asked = MyInvocation.BoundParameters.ContainsKey("WhatIf") || MyInvocation.BoundParameters.ContainsKey("Confirm");
                if (asked && !ShouldProcess("standard output", $"Export the events of '{store.DisplayName}' as NDJSON")) return;
                ResolveCursor cursor = read.Start;
                Run(() => cursor = NdjsonExport.ToStandardOutput(store, read, Cancellation).Cursor, store.DisplayName);
                SetCursorVariable(cursor);
                break;
            case ExportOutput.SingleFile:
                var outFile = ResolveFilePath(OutFile, literal: true);
                BackupTarget single = null!;
                Run(() => single = BackupTarget.SingleFile(outFile, IncludeSecrets), outFile);
                RefuseCompressionOtherThanNamed(single.Compression);
                if (!MayWrite(store, single, outFile, $"Export the {(IncludeSecrets ? "events and secrets" : "events")} of '{store.DisplayName}' as NDJSON with {System.IO.Path.GetFileName(single.ManifestFile)}")) return;
                ExportToBackup(store, read, single);
                break;
            case ExportOutput.Folder:
                var directory = ResolveFilePath(Directory, literal: true);
                var folder = BackupTarget.Folder(directory, CompressionKind);
                var what = IncludeSecrets ? "events and secrets" : "events";
                if (!MayWrite(store, folder, directory, $"Export the {what} of '{store.DisplayName}' as {System.IO.Path.GetFileName(folder.EventsFile)} and {System.IO.Path.GetFileName(folder.SecretsFile)}")) return;
                ExportToBackup(store, read, folder);
                break;
            default:
                _cursorWouldSkip = false;
                try
                {
                    // One store of the -Path list that fails (missing, not a store, an event that cannot be read) is a
                    // non-terminating error and the next store is exported, as Get-Content does with its files.
                    RunOnListedStore(store, () =>
                    {
                        try
                        {
                            if (Follow) FollowToPipeline(store, read);
                            else ExportToPipeline(store, read);
                        }
                        catch (Exception ex) when (ExportRead.CursorWouldSkip(ex))
                        {
                            _cursorWouldSkip = true;
                            throw;
                        }
                    });
                }
                finally
                {
                    // Events already written stay written (also when a downstream Select-Object -First stops
                    // the pipeline), so the cursor after them is the place to resume; unless it would pass over
                    // an event not written (a thread whose timestamps decrease), when the variable keeps what it held.
                    if (!_cursorWouldSkip) SetCursorVariable(read.Start);
                }
                break;
        }
    }

    /// <summary>The selection, -First and -Cursor as the core reads them; an invalid cursor is refused here.</summary>
    private ExportRead BuildRead()
    {
        ResolveCursor cursor = ResolveCursor.Start;
        Run(() => cursor = ResolveCursor.Parse(Cursor), Cursor);
        var bound = MyInvocation.BoundParameters;
        return ExportRead.Of(SelectionFilter(), cursor, bound.ContainsKey(nameof(Cursor)), bound.ContainsKey(nameof(First)) ? First : null, CursorVariable is not null);
    }

    /// <summary>
    /// Refuses a backup file that is the store, (with -NoClobber) exists, or (without -Force) is not an export of ours,
    /// then asks ShouldProcess.
    /// </summary>
    private bool MayWrite(IEventStore store, BackupTarget target, string shownTarget, string action)
    {
        foreach (var file in target.Files) RefuseSameFileAsStore(store, file.Path);
        foreach (var file in target.Files) RefuseToClobber(file.Path);
        IReadOnlyList<ForeignOutput> foreign = [];
        Run(() => foreign = ExistingOutput.NotOurs(target), shownTarget);
        var named = string.Join("; ", foreign.Select(f => $"'{f.Path}' is {f.Description}"));
        if (foreign.Count > 0 && !Force)
        {
            var parameter = Output == ExportOutput.SingleFile ? "-OutFile" : "-Directory";
            ThrowTerminatingError(new ErrorRecord(
                new IOException($"{named}, not an export or backup of EventStoreTools, and the export would replace it. Nothing was written. Choose another {parameter}, or add -Force to replace it."),
                ErrorIdPrefix + "OutputNotOurs", ErrorCategory.ResourceExists, foreign[0].Path));
        }
        return ShouldProcess(shownTarget, foreign.Count == 0 ? action : $"{action}, replacing what is not an export of ours as -Force asks ({named})");
    }

    /// <summary>A single file is compressed as its name says: -Compression with -OutFile must say the same.</summary>
    private void RefuseCompressionOtherThanNamed(FileCompression named)
    {
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(Compression)) || CompressionKind == named) return;
        var extension = BackupFolder.Extension(CompressionKind);
        ThrowTerminatingError(new ErrorRecord(
            new ArgumentException($"-Compression {Compression} does not match -OutFile '{OutFile}', which names {(named == FileCompression.None ? "a plain file" : $"a {named} file")}: a single-file export is compressed as its name says. " +
                (CompressionKind == FileCompression.None ? "Name the file without .gz or .zst, or leave -Compression out." : $"Name it '{OutFile}{extension}', or leave -Compression out.")),
            ErrorIdPrefix + "ConflictingParameters", ErrorCategory.InvalidArgument, OutFile));
    }

    private void RefuseToClobber(string file)
    {
        if (NoClobber && File.Exists(file))
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"The file '{file}' already exists, and -NoClobber keeps it. Choose another name, or leave out -NoClobber to replace it."),
                ErrorIdPrefix + "OutFileExists", ErrorCategory.ResourceExists, file));
        }
    }

    private void SetCursorVariable(ResolveCursor cursor)
    {
        if (CursorVariable is not null) SessionState.PSVariable.Set(CursorVariable, cursor.ToString());
    }

    private void ExportToPipeline(IEventStore store, ExportRead read)
    {
        var export = new PipelineExport(store, read, handsOutCursor: CursorVariable is not null);
        var progress = new ProgressReporter(this, 1, $"Exporting events from {store.DisplayName}");
        long count = 0;
        try
        {
            foreach (var e in export.Events(Cancellation))
            {
                WriteObject(e);
                progress.Report(++count, count, export.Total);
            }
        }
        catch (PipelineStoppedException) when (export.ChecksStop && !Cancellation.IsCancellationRequested)
        {
            CheckStopDownstream(export);
            throw;
        }
        progress.Complete();
    }

    /// <summary>
    /// A command downstream stopped the export: the cursor after the events written is handed out unless it would
    /// pass over an event not written. The pipeline is stopping, so this cannot be an error; a warning says it.
    /// </summary>
    private void CheckStopDownstream(PipelineExport export)
    {
        try
        {
            export.CheckStop(Cancellation);
        }
        catch (EventStoreException ex)
        {
            // A check that could not run (the store gone meanwhile) cannot vouch for the cursor either.
            _cursorWouldSkip = true;
            try
            {
                WriteWarning($"-CursorVariable {CursorVariable} was not set: {(ExportRead.CursorWouldSkip(ex) ? "" : "the cursor could not be checked: ")}{ex.Message}");
            }
            catch (PipelineStoppedException)
            {
                // A stopping pipeline takes no more output; the variable keeps what it held either way.
            }
        }
    }

    /// <summary>-Follow: the events as they come (see <see cref="FollowRead"/>), until it ends.</summary>
    private void FollowToPipeline(IEventStore store, ExportRead read)
    {
        var follow = new FollowRead(store, read, PollInterval, MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? Timeout : null);
        var progress = new ProgressReporter(this, 1, $"Following the events of {store.DisplayName}");
        long count = 0;
        foreach (var e in follow.Events(Cancellation))
        {
            WriteObject(e);
            progress.Report(++count);
        }
        progress.Complete();
    }

    /// <summary>A backup, folder or single file (see <see cref="BackupExport"/>); the cursor variable is set once it is in place.</summary>
    private void ExportToBackup(IEventStore store, ExportRead read, BackupTarget target)
    {
        var progress = new ProgressReporter(this, 1, $"Exporting events from {store.DisplayName} to {target.EventsFile}");
        var backup = new BackupExport(store, target, read, IncludeSecrets, CompressionLevel);
        ResolveCursor cursor = read.Start;
        RunOnStore(store, () => cursor = backup.Write(new CmdletReport(this, progress), Cancellation).Cursor);
        progress.Complete();
        SetCursorVariable(cursor);
    }
}
