using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Sqlite;
using EventStoreTools.Core.Verification;

namespace EventStoreTools.Core.Backups;

/// <summary>
/// Any store or backup read in key order (threadId, threadCounter), for Compare-EventStore's merge. A store
/// reads in that order with its primary key. An NDJSON export or a backup folder is in read order, so it is
/// first imported into a temporary SQLite store (deleted on dispose), whose primary key then gives the order:
/// memory stays bounded whatever the size, at the cost of one bulk insert (and the temporary file's disk space).
/// </summary>
public sealed class KeyOrderedEventSource : IDisposable
{
    private readonly IEventSource _source;
    private readonly string? _temporaryStore;

    private KeyOrderedEventSource(string displayName, IEventSource source, string? temporaryStore)
    {
        DisplayName = displayName;
        _source = source;
        _temporaryStore = temporaryStore;
    }

    public string DisplayName { get; }

    public long CountEvents() => _source.CountEvents();

    public IEnumerable<ResolveEvent> ReadEvents(CancellationToken cancellation) => _source.ReadEventsByKey(cancellation);

    public static KeyOrderedEventSource Open(IEventStore store) => new(store.DisplayName, store.OpenSource(), null);

    /// <summary>A SQLite store, an NDJSON export (plain, .gz, .zst, or "-") or a backup folder, by what the path holds.</summary>
    public static KeyOrderedEventSource Open(string path, CancellationToken cancellation = default)
    {
        if (!CompressedFile.IsStandardStream(path) && !File.Exists(path) && !Directory.Exists(path))
            throw new EventStoreException(EventStoreErrorKind.StoreNotFound, $"There is no store, export or backup folder at '{path}'.");
        switch (EventStoreVerifier.KindOf(path))
        {
            case StoreKind.SqliteFile:
                return Open(new SqliteEventStore(path, cancellation));
            case StoreKind.BackupFolder:
                return FromBackup(path, BackupSet.OfFolder(path), cancellation);
            default:
                return FromBackup(path, BackupSet.OfFile(path), cancellation);
        }
    }

    /// <summary>The backup's events into a temporary store, checked against its manifest before that store is used.</summary>
    private static KeyOrderedEventSource FromBackup(string displayName, BackupSet backup, CancellationToken cancellation)
    {
        backup.VerifySizes();
        if (!File.Exists(backup.EventsFile) && !CompressedFile.IsStandardStream(backup.EventsFile))
            throw new EventStoreException(EventStoreErrorKind.InputNotFound, $"The backup '{displayName}' has no {Path.GetFileName(backup.EventsFile)}.");
        var temporary = Path.Combine(Path.GetTempPath(), $"eventstoretools-compare-{Guid.NewGuid():N}.db");
        try
        {
            var store = new SqliteEventStore(temporary, cancellation);
            using (var reader = backup.OpenEvents())
            using (var import = store.BeginImport(ImportMode.FailIfNotEmpty))
            {
                foreach (var e in reader.ReadEvents())
                {
                    cancellation.ThrowIfCancellationRequested();
                    backup.Tally(e, reader.LineNumber);
                    import.Add(e);
                }
                backup.EndEvents();
                foreach (var _ in backup.ReadSecrets()) cancellation.ThrowIfCancellationRequested();
                backup.Verify();
                import.Commit();
            }
            return new KeyOrderedEventSource(displayName, store.OpenSource(), temporary);
        }
        catch
        {
            DeleteStore(temporary);
            throw;
        }
    }

    private static void DeleteStore(string path)
    {
        File.Delete(path);
        File.Delete(path + "-journal");
    }

    public void Dispose()
    {
        _source.Dispose();
        if (_temporaryStore is not null) DeleteStore(_temporaryStore);
    }
}
