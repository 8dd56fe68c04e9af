using EventStoreTools.Core.Files;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// Writes events into an eventstore-lite file in one transaction, keeping thread ids, counters, versions and
/// timestamps as given. Until <see cref="Commit"/> nothing is visible; disposing without a commit leaves the
/// store exactly as it was. reSolve instead freezes the store, drops it before the first batch and commits
/// batch by batch, so an error leaves it wiped, half-filled or frozen.
/// A store that does not exist yet is built under a temporary name beside it and moved into place only by
/// <see cref="Commit"/>, without overwriting: a failed, cancelled or killed import never leaves a store
/// behind, and two imports into one new path cannot mix (the second to finish fails).
/// </summary>
public sealed class SqliteEventImport : IEventImport
{
    // reSolve's insert stores payload text through json(); our payload text is canonical JSON, which json() gives
    // back byte for byte (SqlitePayloadJsonTests), so it is bound as it is: json() would also hold a huge payload
    // three times more while it parses and prints it. A top-level number is bound as a number (SqliteBulkInsert.BindPayload).
    private const string InsertSql = """
        INSERT INTO "events"("threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload")
        VALUES ($threadId, $threadCounter, $timestamp, $aggregateId, $aggregateVersion, $type, $payload)
        """;

    /// <summary>Negative: a size in KiB rather than in pages.</summary>
    private const int BulkCacheSizeKibibytes = -24576;

    private readonly string _path;
    private readonly string _workPath;
    /// <summary>The temporary a new store is built in, held (locked) until it is moved into place or deleted.</summary>
    private readonly OwnedTemporaryFile? _workFile;
    private readonly CancellationToken _cancellation;
    private readonly SqliteConnection _connection;
    private SqliteBulkInsert? _insert;
    private int _threadId, _threadCounter, _timestamp, _aggregateId, _aggregateVersion, _type, _payload;
    private SqliteCommand? _insertSecret;
    private bool _rebuildIndexes;
    private bool _deferIndexBuild;
    private bool _committed;
    private bool _published;

    private SqliteEventImport(string path, OwnedTemporaryFile? workFile, SqliteConnection connection, CancellationToken cancellation)
    {
        _cancellation = cancellation;
        _path = path;
        _workFile = workFile;
        _workPath = workFile?.Path ?? path;
        _connection = connection;
    }

    public long EventCount { get; private set; }

    public long ExistingEventCount { get; private set; }

    private bool IsNewStore => _workFile is not null;

    /// <param name="newStoreAccess">Who may read the store file when this import creates it.</param>
    public static SqliteEventImport Begin(string path, ImportMode mode, CancellationToken cancellation = default, NewFileAccess? newStoreAccess = null)
    {
        // A symbolic link (even one to a file not there yet) is written through, as SQLite opens it.
        var workFile = File.Exists(path) || Directory.Exists(path) ? null : NewStoreWorkFile(path, newStoreAccess);
        SqliteConnection connection;
        try
        {
            connection = SqliteConnections.OpenForWrite(workFile?.Path ?? path, path, cancellation);
        }
        catch
        {
            workFile?.Dispose();
            throw;
        }
        SqliteEventImport? import = null;
        try
        {
            import = new SqliteEventImport(path, workFile, connection, cancellation);
            import.Prepare(mode);
            return import;
        }
        catch (SqliteException ex)
        {
            Abandon(import, connection, workFile);
            throw SqliteConnections.Translate(ex, path);
        }
        catch
        {
            Abandon(import, connection, workFile);
            throw;
        }
    }

    private static void Abandon(SqliteEventImport? import, SqliteConnection connection, OwnedTemporaryFile? workFile)
    {
        if (import is not null)
        {
            import.Dispose();
            return;
        }
        connection.Dispose();
        workFile?.Dispose();
    }

    /// <summary>
    /// A temporary file beside a new store (same folder, so the final move is a rename), created empty (SQLite
    /// takes an empty file as an empty database) and held, so that a cleaner can tell it from a killed import's.
    /// SQLite gives its journal the mode of the database file, so a private store has a private journal.
    /// </summary>
    internal static OwnedTemporaryFile NewStoreWorkFile(string path, NewFileAccess? access)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
            throw new EventStoreException(EventStoreErrorKind.StoreNotFound, $"Cannot create the store '{path}': the folder '{folder}' does not exist. Create the folder first (New-Item -ItemType Directory), or give a path in an existing folder.");
        return OwnedTemporaryFile.Create(fullPath, OwnedTemporaryFile.ImportSuffix, openedByPath: true, access);
    }

    private void Prepare(ImportMode mode)
    {
        // IMMEDIATE takes the write lock now: a second import into the same store waits here, then sees
        // this one's events and refuses, rather than interleaving with it.
        SqliteConnections.ScalarWhenNotBusy(_connection, "BEGIN IMMEDIATE", _cancellation);
        // 24 MB of page cache for the load (CREATE INDEX sorts in as much memory again). reSolve's unique index
        // (aggregateId, aggregateVersion) takes each new event at a random page. A larger cache is no lever: 96 MB
        // until the first huge payload loaded New-EventStore's 1M events in a median 12.8 s against 12.9 s, for 80 MB
        // more peak (on the benchmark's former stores it had given 18.0 s against 21-22 s), and a cache that keeps
        // huge payloads' pages breaks the memory bounds on huge lines (Memory.Tests.ps1).
        SqliteConnections.Execute(_connection, $"PRAGMA cache_size={BulkCacheSizeKibibytes}");
        var hasEvents = SqliteConnections.TableExists(_connection, SqliteSchema.EventsTable);
        // Before anything is dropped or written: -Replace of another application's "events" table must not drop it.
        if (hasEvents) SqliteStoreSchema.RequireResolveTables(_connection, _path);
        if (!hasEvents)
        {
            var tables = (long)SqliteConnections.Scalar(_connection, "SELECT count(*) FROM sqlite_master WHERE type='table'")!;
            if (tables > 0)
                throw new EventStoreException(EventStoreErrorKind.NotAnEventStore,
                    $"'{_path}' is a SQLite database of another schema: it has tables but no \"events\" table. Import into a new file instead.");
            SqliteStoreSchema.CreateEventStore(_connection, withEventIndexes: false);
            _rebuildIndexes = true;
            EventStoreLog.Write($"Created reSolve's tables in an empty store; secondary indexes are built after the load.");
        }
        else if (mode == ImportMode.Replace)
        {
            // Reported, so that a replace says what it dropped.
            ExistingEventCount = (long)SqliteConnections.Scalar(_connection, """SELECT count(*) FROM "events" """)!;
            EventStoreLog.Write($"Replacing: dropping the stored {Quantity.Of(ExistingEventCount, "event")} and re-creating the events table.");
            // reSolve's dropEvents drops the freeze marker too; a frozen store must come out of a replace frozen.
            var frozen = SqliteConnections.TableExists(_connection, SqliteSchema.FreezeTable);
            SqliteStoreSchema.DropEvents(_connection);
            SqliteStoreSchema.CreateEventStore(_connection, withEventIndexes: false);
            if (frozen) SqliteConnections.Execute(_connection, SqliteSchema.CreateFreezeTable);
            _rebuildIndexes = true;
        }
        else
        {
            ExistingEventCount = (long)SqliteConnections.Scalar(_connection, """SELECT count(*) FROM "events" """)!;
            if (ExistingEventCount > 0 && mode == ImportMode.IntoEmptyStore)
                throw new EventStoreException(EventStoreErrorKind.TargetNotEmpty,
                    $"The store '{_path}' already holds {Quantity.Of(ExistingEventCount, "event")}. Use -Append to add to them or -Replace to replace them.");
            EventStoreLog.Write($"{(mode == ImportMode.Append ? "Appending" : "Importing into an empty store")}: the store holds {Quantity.Of(ExistingEventCount, "event")}.");
            // Building the secondary indexes once after the load is much faster than keeping them up to date; a store
            // that a deferred commit left without them gets them at this commit (see DeferIndexBuild).
            if (ExistingEventCount == 0 || !SqliteStoreSchema.HasEventIndexes(_connection))
            {
                SqliteStoreSchema.DropEventIndexes(_connection);
                _rebuildIndexes = true;
            }
        }
        PrepareInsert();
    }

    private void PrepareInsert()
    {
        var insert = _insert = new SqliteBulkInsert(_connection, InsertSql);
        (_threadId, _threadCounter, _timestamp, _aggregateId, _aggregateVersion, _type, _payload) =
            (insert.Parameter("$threadId"), insert.Parameter("$threadCounter"), insert.Parameter("$timestamp"),
             insert.Parameter("$aggregateId"), insert.Parameter("$aggregateVersion"), insert.Parameter("$type"),
             insert.Parameter("$payload"));
    }

    public void Add(ResolveEvent e)
    {
        EventValidation.RequireStorable(e);
        var insert = _insert!;
        insert.Bind(_threadId, e.ThreadId);
        insert.Bind(_threadCounter, e.ThreadCounter);
        insert.Bind(_timestamp, e.Timestamp);
        insert.Bind(_aggregateId, e.AggregateId);
        insert.Bind(_aggregateVersion, e.AggregateVersion);
        insert.Bind(_type, e.Type);
        insert.BindPayload(_payload, e.PayloadUtf8);
        try
        {
            insert.Execute();
        }
        catch (SqliteException ex)
        {
            throw DescribeInsertFailure(ex, e);
        }
        EventCount++;
    }

    public long SecretCount { get; private set; }

    public void DropSecrets()
    {
        if (SqliteConnections.TableExists(_connection, SqliteSchema.SecretsTable))
            SqliteConnections.Execute(_connection, """DELETE FROM "secrets" """);
    }

    /// <summary>Inserts a secret with its idx, as eventstore-lite's injectSecret (spec 7.2), in the events' transaction.</summary>
    public void AddSecret(ResolveSecret secret)
    {
        if (_insertSecret is null)
        {
            if (!SqliteConnections.TableExists(_connection, SqliteSchema.SecretsTable))
            {
                SqliteConnections.Execute(_connection, SqliteSchema.CreateSecretsTable);
                SqliteConnections.Execute(_connection, SqliteSchema.CreateSecretsIndex);
            }
            _insertSecret = _connection.CreateCommand();
            _insertSecret.CommandText = """INSERT INTO "secrets"("idx", "id", "secret") VALUES ($idx, $id, $secret)""";
            _insertSecret.Parameters.Add("$idx", SqliteType.Integer);
            _insertSecret.Parameters.Add("$id", SqliteType.Text);
            _insertSecret.Parameters.Add("$secret", SqliteType.Text);
        }
        _insertSecret.Parameters[0].Value = secret.Idx;
        _insertSecret.Parameters[1].Value = secret.Id;
        _insertSecret.Parameters[2].Value = (object?)secret.Secret ?? DBNull.Value;
        try
        {
            _insertSecret.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new EventStoreException(EventStoreErrorKind.DuplicateSecret,
                $"A secret with id '{secret.Id}' or idx {secret.Idx} is already in the store or earlier in the input.", ex) { Event = secret.Key };
        }
        catch (SqliteException ex)
        {
            throw SqliteConnections.Translate(ex, _path);
        }
        SecretCount++;
    }

    public void DeferIndexBuild() => _deferIndexBuild = true;

    public void Commit()
    {
        try
        {
            EventStoreLog.Write($"Wrote {Quantity.Of(EventCount, "event")} and {Quantity.Of(SecretCount, "secret")} into '{_path}'.");
            if (_rebuildIndexes && !_deferIndexBuild) BuildEventIndexes();
            var clock = Stopwatch.StartNew();
            SqliteConnections.ScalarWhenNotBusy(_connection, "COMMIT", _cancellation);
            _committed = true;
            EventStoreLog.Write($"Committed in {EventStoreLog.Seconds(clock)}.");
        }
        catch (SqliteException ex)
        {
            throw SqliteConnections.Translate(ex, _path);
        }
        if (IsNewStore) PublishNewStore();
    }

    /// <summary>Seconds on a large store, so Ctrl+C interrupts it (SQLite then rolls the import back).</summary>
    private void BuildEventIndexes()
    {
        _cancellation.ThrowIfCancellationRequested();
        using var interrupt = SqliteConnections.InterruptOnCancel(_connection, _cancellation);
        try
        {
            var clock = Stopwatch.StartNew();
            SqliteStoreSchema.CreateEventIndexes(_connection);
            EventStoreLog.Write($"Built the secondary indexes in {EventStoreLog.Seconds(clock)}.");
        }
        catch (SqliteException ex) when (_cancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException($"The import into '{_path}' was cancelled and rolled back.", ex, _cancellation);
        }
    }

    private void PublishNewStore()
    {
        // Closed first: Windows does not rename an open file.
        _insert?.Dispose();
        _insertSecret?.Dispose();
        _connection.Dispose();
        try
        {
            File.Move(_workPath, _path, overwrite: false);
            _published = true;
            // The lock guarded the temporary only; held on, it would keep other .NET code from opening the store.
            _workFile!.Dispose();
            EventStoreLog.Write($"Renamed '{_workPath}' to '{_path}'.");
        }
        catch (IOException ex) when (File.Exists(_path) || Directory.Exists(_path))
        {
            throw new EventStoreException(EventStoreErrorKind.TargetNotEmpty,
                $"The store '{_path}' was created by another process while this import ran; nothing was imported into it.", ex);
        }
    }

    private EventStoreException DescribeInsertFailure(SqliteException ex, ResolveEvent e)
    {
        if (ex.SqliteErrorCode == 19 && ex.Message.Contains("threadCounter", StringComparison.Ordinal))
            return new EventStoreException(EventStoreErrorKind.DuplicateEvent,
                $"An event with threadId {e.ThreadId} and threadCounter {e.ThreadCounter} is already in the store or earlier in the input.", ex) { Event = e };
        if (ex.SqliteErrorCode == 19 && ex.Message.Contains("aggregateVersion", StringComparison.Ordinal))
            return new EventStoreException(EventStoreErrorKind.DuplicateEvent,
                $"Aggregate '{e.AggregateId}' already has a version {e.AggregateVersion} in the store or earlier in the input.", ex) { Event = e };
        var translated = SqliteConnections.Translate(ex, _path);
        return new EventStoreException(translated.Kind, translated.Message, ex) { Event = e };
    }

    public void Dispose()
    {
        _insert?.Dispose();
        _insertSecret?.Dispose();
        if (!_committed) SqliteConnections.RollBack(_connection);
        _connection.Dispose();
        if (IsNewStore && !_published) File.Delete(_workPath + "-journal");
        // Deletes the work file unless it was moved into place, then lets go of it.
        _workFile?.Dispose();
    }
}
