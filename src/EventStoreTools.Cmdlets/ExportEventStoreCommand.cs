using System.IO.Compression;
using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Ndjson;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Export-EventStore: streams the events of a store in reSolve's read order, as objects, as reSolve's NDJSON
/// export, or as reSolve's backup folder (events.db and secrets.db); filtered in the store's query and
/// resumable with reSolve's cursor.
/// </summary>
[Cmdlet(VerbsData.Export, "EventStore", DefaultParameterSetName = ToPipelineSet, SupportsShouldProcess = true)]
[OutputType(typeof(ResolveEvent), ParameterSetName = [ToPipelineSet])]
public sealed class ExportEventStoreCommand : EventStoreCmdlet
{
    private const string ToPipelineSet = "ToPipeline";
    private const string ToFileSet = "ToFile";
    private const string ToDirectorySet = "ToDirectory";
    public const string EventsFileName = BackupFolder.EventsFileName;
    public const string SecretsFileName = BackupFolder.SecretsFileName;

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Store")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override string StorePath => Path;

    /// <summary>Write reSolve's NDJSON export (byte-identical to exportEvents()) to this file instead of the pipeline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ToFileSet)]
    [ValidateNotNullOrEmpty]
    public string OutFile { get; set; } = "";

    /// <summary>Write reSolve's backup layout into this folder: events.db and secrets.db, both NDJSON.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ToDirectorySet)]
    [ValidateNotNullOrEmpty]
    public string Directory { get; set; } = "";

    /// <summary>With -Directory: compress events.db and secrets.db (as events.db.gz or .zst; reSolve's importer reads only plain files).</summary>
    [Parameter(ParameterSetName = ToDirectorySet)]
    public FileCompression Compression { get; set; }

    /// <summary>How hard a compressed -OutFile (.gz, .zst) or -Directory -Compression compresses.</summary>
    [Parameter(ParameterSetName = ToFileSet)]
    [Parameter(ParameterSetName = ToDirectorySet)]
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Optimal;

    /// <summary>With -Directory: write the store's secrets into secrets.db (otherwise it is written empty).</summary>
    [Parameter(ParameterSetName = ToDirectorySet)]
    public SwitchParameter IncludeSecrets { get; set; }

    /// <summary>Fail rather than overwrite an existing file.</summary>
    [Parameter(ParameterSetName = ToFileSet)]
    [Parameter(ParameterSetName = ToDirectorySet)]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Resume after a previous export: reSolve's cursor (2048 base64 characters).</summary>
    [Parameter]
    [AllowEmptyString]
    [AllowNull]
    public string? Cursor { get; set; }

    /// <summary>Set this variable (in the caller's scope) to the cursor after the last exported event.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CursorVariable { get; set; }

    /// <summary>Only events of these types; * and ? are wildcards.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(EventTypeCompleter))]
    [SupportsWildcards]
    public string[]? EventType { get; set; }

    /// <summary>Only events of these aggregates; * and ? are wildcards.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(AggregateIdCompleter))]
    [SupportsWildcards]
    public string[]? AggregateId { get; set; }

    /// <summary>Only events at or after this time (DateTime, date string or ms since epoch).</summary>
    [Parameter]
    [EventTime]
    public long Since { get; set; }

    /// <summary>Only events at or before this time (DateTime, date string or ms since epoch).</summary>
    [Parameter]
    [EventTime]
    public long Until { get; set; }

    /// <summary>At most this many events.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long First { get; set; }

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        ResolveCursor cursor = ResolveCursor.Start;
        Run(() => cursor = ResolveCursor.Parse(Cursor), Cursor);
        var filter = BuildFilter(cursor);
        switch (ParameterSetName)
        {
            case ToFileSet when CompressedFile.IsStandardStream(OutFile):
                // ShouldProcess writes its -Verbose line through the host, which in pwsh -c is standard output: the
                // data's channel. It is asked only when -WhatIf or -Confirm asks for it.
                var asked = MyInvocation.BoundParameters.ContainsKey("WhatIf") || MyInvocation.BoundParameters.ContainsKey("Confirm");
                if (asked && !ShouldProcess("standard output", $"Export the events of '{store.DisplayName}' as NDJSON")) return;
                Run(() => cursor = ExportToStandardOutput(store, filter, cursor).Cursor, store.DisplayName);
                SetCursorVariable(cursor);
                break;
            case ToFileSet:
                var outFile = ResolveFilePath(OutFile);
                RefuseToClobber(outFile);
                if (!ShouldProcess(outFile, $"Export the events of '{store.DisplayName}' as NDJSON")) return;
                Run(() => cursor = ExportToFile(store, filter, cursor, outFile, CompressedFile.CompressionOf(outFile)).Cursor, store.DisplayName);
                SetCursorVariable(cursor);
                break;
            case ToDirectorySet:
                var directory = ResolveFilePath(Directory);
                var eventsFile = BackupFolder.EventsFile(directory, Compression);
                var secretsFile = BackupFolder.SecretsFile(directory, Compression);
                RefuseToClobber(eventsFile);
                RefuseToClobber(secretsFile);
                var what = IncludeSecrets ? "events and secrets" : "events";
                if (!ShouldProcess(directory, $"Export the {what} of '{store.DisplayName}' as {System.IO.Path.GetFileName(eventsFile)} and {System.IO.Path.GetFileName(secretsFile)}")) return;
                Run(() =>
                {
                    System.IO.Directory.CreateDirectory(directory);
                    cursor = ExportToDirectory(store, filter, cursor, directory, eventsFile, secretsFile).Cursor;
                }, store.DisplayName);
                SetCursorVariable(cursor);
                break;
            default:
                try
                {
                    Run(() => ExportToPipeline(store, filter, cursor), store.DisplayName);
                }
                finally
                {
                    // Events already written stay written (also when a downstream Select-Object -First stops
                    // the pipeline), so the cursor after them is the place to resume.
                    SetCursorVariable(cursor);
                }
                break;
        }
    }

    private EventFilter BuildFilter(ResolveCursor cursor)
    {
        var bound = MyInvocation.BoundParameters;
        return SelectionFilter(EventType, AggregateId, Since, Until) with
        {
            ThreadCounters = bound.ContainsKey(nameof(Cursor)) && !cursor.IsStart ? cursor.Counters : null,
            First = bound.ContainsKey(nameof(First)) ? First : null,
        };
    }

    private void RefuseToClobber(string file)
    {
        if (NoClobber && File.Exists(file))
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"The file '{file}' already exists."),
                ErrorIdPrefix + "OutFileExists", ErrorCategory.ResourceExists, file));
        }
    }

    private void SetCursorVariable(ResolveCursor cursor)
    {
        if (CursorVariable is not null) SessionState.PSVariable.Set(CursorVariable, cursor.ToString());
    }

    /// <summary>Counts the events for the progress bar when that costs one cheap query (no filter but -First).</summary>
    private static long ProgressTotal(IEventSource reader, EventFilter filter)
    {
        if (filter with { First = null } != EventFilter.All) return 0;
        var count = reader.CountEvents();
        return filter.First is { } first ? Math.Min(first, count) : count;
    }

    private void ExportToPipeline(IEventStore store, EventFilter filter, ResolveCursor cursor)
    {
        using var reader = store.OpenSource();
        var progress = new ProgressReporter(this, 1, $"Exporting events from {store.DisplayName}");
        var total = ProgressTotal(reader, filter);
        long count = 0;
        foreach (var e in reader.ReadEvents(filter, Cancellation).Ahead(Cancellation))
        {
            cursor.Advance(e);
            WriteObject(e);
            progress.Report(++count, count, total);
        }
        progress.Complete();
    }

    /// <summary>What an export to a file wrote: the cursor after it (given only once the file is in place, so a failed export resumes from where it began), the count and the time range.</summary>
    private sealed record ExportedEvents(ResolveCursor Cursor, long Count, long? FirstTimestamp, long? LastTimestamp);

    private ExportedEvents ExportToFile(IEventStore store, EventFilter filter, ResolveCursor cursor, string outFile, FileCompression compression)
    {
        ExportedEvents? exported = null;
        WriteBeside(outFile, file => exported = ExportEvents(file, store, filter, cursor, outFile, compression).Exported);
        return exported!;
    }

    /// <summary>The events into one output file, compressed as asked; also the file's manifest entry.</summary>
    private (ExportedEvents Exported, BackupManifestFile File) ExportEvents(Stream file, IEventStore store, EventFilter filter, ResolveCursor cursor, string path, FileCompression compression)
    {
        ExportedEvents? exported = null;
        var described = WriteCompressed(file, path, compression, stream =>
        {
            using var writer = new NdjsonEventWriter(stream, ownsStream: false);
            exported = ExportTo(writer, store, filter, cursor, path, silent: false);
        });
        return (exported!, described);
    }

    /// <summary>
    /// Writes one output file through the compression its name asks for, hashing the bytes as they go to the file:
    /// the manifest describes what was written, without reading it back.
    /// </summary>
    private BackupManifestFile WriteCompressed(Stream file, string path, FileCompression compression, Action<Stream> write)
    {
        using var hashing = new HashingStream(file);
        using (var compressed = CompressedFile.Compress(hashing, compression, CompressionLevel, leaveOpen: true))
            write(compressed);
        return hashing.Describe(System.IO.Path.GetFileName(path));
    }

    /// <summary>-OutFile -: NDJSON on the process's standard output, which then carries nothing else (no progress either).</summary>
    private ExportedEvents ExportToStandardOutput(IEventStore store, EventFilter filter, ResolveCursor cursor)
    {
        using var writer = new NdjsonEventWriter(CompressedFile.OpenStandardOutput(), ownsStream: false);
        return ExportTo(writer, store, filter, cursor, "standard output", silent: true);
    }

    private ExportedEvents ExportTo(NdjsonEventWriter writer, IEventStore store, EventFilter filter, ResolveCursor cursor, string outName, bool silent)
    {
        using var reader = store.OpenSource();
        var progress = new ProgressReporter(this, 1, $"Exporting events from {store.DisplayName} to {outName}", silent);
        var total = ProgressTotal(reader, filter);
        var advanced = cursor.Clone();
        long? first = null, last = null;
        foreach (var e in reader.ReadEvents(filter, Cancellation).Ahead(Cancellation))
        {
            writer.Write(e);
            advanced.Advance(e);
            first ??= e.Timestamp;
            last = e.Timestamp;
            progress.Report(writer.EventCount, writer.EventCount, total);
        }
        writer.Flush();
        progress.Complete();
        return new ExportedEvents(advanced, writer.EventCount, first, last);
    }

    /// <summary>
    /// A backup folder: events, secrets and, last, the manifest that describes them (counts, time range, cursor,
    /// size and SHA-256 of each file as written).
    /// </summary>
    private ExportedEvents ExportToDirectory(IEventStore store, EventFilter filter, ResolveCursor cursor, string directory, string eventsFile, string secretsFile)
    {
        (ExportedEvents Exported, BackupManifestFile File) events = default;
        WriteBeside(eventsFile, file => events = ExportEvents(file, store, filter, cursor, eventsFile, Compression));
        long secretCount = 0;
        BackupManifestFile? secrets = null;
        using (var reader = store.OpenSource())
        {
            WriteBeside(secretsFile, file => secrets = WriteCompressed(file, secretsFile, Compression,
                stream => secretCount = NdjsonSecrets.Write(stream, IncludeSecrets ? reader.ReadSecrets(Cancellation) : [])));
        }
        var manifest = new BackupManifest
        {
            ToolVersion = typeof(ExportEventStoreCommand).Assembly.GetName().Version?.ToString() ?? "",
            CreatedAt = DateTimeOffset.UtcNow,
            Store = store.DisplayName,
            EventCount = events.Exported.Count,
            SecretCount = secretCount,
            FirstTimestamp = events.Exported.FirstTimestamp,
            LastTimestamp = events.Exported.LastTimestamp,
            Cursor = events.Exported.Cursor.ToString(),
            Files = [events.File, secrets!],
        };
        WriteBeside(System.IO.Path.Combine(directory, BackupManifest.FileName), manifest.Write);
        return events.Exported;
    }

    /// <summary>
    /// Writes beside the target and renames at the end, so a failed export never leaves a truncated file
    /// where a good one was.
    /// </summary>
    private static void WriteBeside(string file, Action<Stream> write)
    {
        var partial = file + ".partial";
        try
        {
            using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16))
                write(stream);
            File.Move(partial, file, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
