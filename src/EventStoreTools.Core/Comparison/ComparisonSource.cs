using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Sqlite;
using EventStoreTools.Core.Verification;

namespace EventStoreTools.Core.Comparison;

/// <summary>
/// Any store or backup read in the comparison's key order: events by (aggregateId, aggregateVersion), secrets by
/// id. A store reads in that order with reSolve's unique indexes. An NDJSON export or a backup folder is in read
/// order, so it is first imported into a temporary SQLite store whose indexes then give the order: memory stays
/// bounded whatever the size, at the cost of one bulk insert and the disk space of that store. The store lives in
/// a folder of its own that only this user can open (a backup's secrets go into it), deleted on dispose.
/// </summary>
public sealed class ComparisonSource : IDisposable
{
    private readonly IEventSource _source;
    private readonly string? _temporaryFolder;
    private readonly SecretsHeld _secrets;

    private enum SecretsHeld
    {
        /// <summary>An NDJSON export of events: no secrets to compare.</summary>
        None,

        /// <summary>A backup folder: reSolve's secrets file leaves deleted secrets out.</summary>
        WithoutDeleted,

        /// <summary>A store: every secret row, deleted ones included.</summary>
        All,
    }

    private ComparisonSource(string displayName, IEventSource source, SecretsHeld secrets, string? temporaryFolder)
    {
        DisplayName = displayName;
        _source = source;
        _secrets = secrets;
        _temporaryFolder = temporaryFolder;
    }

    public string DisplayName { get; }

    public long CountEvents() => _source.CountEvents();

    /// <summary>The side to merge: events by aggregate key, and secrets by id when the source holds secrets.</summary>
    public ComparisonSide Read(CancellationToken cancellation) => new(
        _source.ReadEventsByAggregate(cancellation),
        _secrets == SecretsHeld.None ? null : _source.ReadSecretsById(cancellation),
        KeepsDeletedSecrets: _secrets == SecretsHeld.All);

    public static ComparisonSource Open(IEventStore store) => new(store.DisplayName, store.OpenSource(), SecretsHeld.All, null);

    /// <summary>A SQLite store, an NDJSON export (plain, .gz, .zst, or "-") or a backup folder, by what the path holds.</summary>
    public static ComparisonSource Open(string path, CancellationToken cancellation = default)
    {
        if (!CompressedFile.IsStandardStream(path) && !File.Exists(path) && !Directory.Exists(path))
            throw new EventStoreException(EventStoreErrorKind.StoreNotFound, $"There is no store, export or backup folder at '{path}'. Check the path.");
        switch (EventStoreVerifier.KindOf(path))
        {
            case StoreKind.SqliteFile:
                return Open(new SqliteEventStore(path, cancellation));
            case StoreKind.BackupFolder:
                return Imported(path, BackupSet.OfFolder(path), cancellation);
            default:
                return Imported(path, BackupSet.OfFile(path), cancellation);
        }
    }

    /// <summary>
    /// A backup's events (and secrets) in a temporary store in a folder only the user can open, checked against the
    /// backup's manifest as they are read, before that store is used.
    /// </summary>
    private static ComparisonSource Imported(string displayName, BackupSet backup, CancellationToken cancellation)
    {
        backup.VerifySizes();
        if (!File.Exists(backup.EventsFile) && !CompressedFile.IsStandardStream(backup.EventsFile))
            throw new EventStoreException(EventStoreErrorKind.InputNotFound, $"The backup '{displayName}' has no {Path.GetFileName(backup.EventsFile)}.");
        var holdsSecrets = backup.SecretsFile is not null && File.Exists(backup.SecretsFile);
        var folder = Directory.CreateTempSubdirectory("eventstoretools-compare-").FullName;
        try
        {
            var store = new SqliteEventStore(Path.Combine(folder, "store.db"), cancellation);
            using (var reader = backup.OpenEvents())
            using (var import = store.BeginImport(ImportMode.IntoEmptyStore, Files.NewFileAccess.Private))
            {
                foreach (var e in reader.ReadEvents())
                {
                    cancellation.ThrowIfCancellationRequested();
                    backup.Tally(e, reader.LineNumber);
                    import.Add(e);
                }
                backup.EndEvents();
                ImportSecrets(import, backup, cancellation);
                backup.Verify();
                import.Commit();
            }
            return new ComparisonSource(displayName, store.OpenSource(), holdsSecrets ? SecretsHeld.WithoutDeleted : SecretsHeld.None, folder);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// A secret that cannot be read or stored fails naming its id or line number only: the import's error carries the
    /// secret or its line (Import-EventStore shows where), which must not leave a comparison.
    /// </summary>
    private static void ImportSecrets(IEventImport import, BackupSet backup, CancellationToken cancellation)
    {
        try
        {
            foreach (var secret in backup.ReadSecrets())
            {
                cancellation.ThrowIfCancellationRequested();
                import.AddSecret(secret);
            }
        }
        catch (EventStoreException ex) when (ex.Line is not null || ex.Event is ResolveSecret)
        {
            throw new EventStoreException(ex.Kind, ex.Message) { LineNumber = ex.LineNumber, Event = (ex.Event as ResolveSecret)?.Id };
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        if (_temporaryFolder is not null) Directory.Delete(_temporaryFolder, recursive: true);
    }
}
