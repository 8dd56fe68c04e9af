namespace EventStoreTools.Core.Backups;

/// <summary>
/// What a reader found in a backup, tallied as it reads, to hold against the manifest
/// (<see cref="BackupManifest.Compare"/>): the files with their size and SHA-256, the events' count, time range and
/// the cursor after them, events outside the export's selection, and the secrets' count.
/// </summary>
public sealed class BackupContent
{
    private readonly ResolveCursor _cursor;
    private readonly EventFilter? _selection;
    private readonly List<BackupManifestFile> _files = [];

    /// <param name="start">The cursor the export began at (the manifest's); the cursor read is it advanced by each event.</param>
    /// <param name="selection">The export's filters, which every event must pass; null for none.</param>
    public BackupContent(ResolveCursor? start = null, EventFilter? selection = null)
    {
        _cursor = start?.Clone() ?? ResolveCursor.Start;
        _selection = selection is null || selection.IsEmpty ? null : selection;
    }

    public static BackupContent For(BackupManifest? manifest) =>
        manifest?.Filter is { } filter ? new BackupContent(filter.StartCursor, filter.ToEventFilter()) : new BackupContent();

    public IReadOnlyList<BackupManifestFile> Files => _files;

    public long EventCount { get; private set; }

    /// <summary>Null when the secrets were not read.</summary>
    public long? SecretCount { get; set; }

    public long? FirstTimestamp { get; private set; }

    public long? LastTimestamp { get; private set; }

    public string Cursor => _cursor.ToString();

    public long OutsideFilter { get; private set; }

    public long? FirstOutsideFilterLine { get; private set; }

    public void AddEvent(ResolveEvent e, long lineNumber)
    {
        EventCount++;
        FirstTimestamp ??= e.Timestamp;
        LastTimestamp = e.Timestamp;
        _cursor.Advance(e);
        if (_selection is not null && !_selection.Matches(e))
        {
            OutsideFilter++;
            FirstOutsideFilterLine ??= lineNumber;
        }
    }

    public void AddFile(BackupManifestFile file) => _files.Add(file);
}
