using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>Opens connections to eventstore-lite files with reSolve's pragmas.</summary>
internal static class SqliteConnections
{
    // reSolve waits for locks practically forever; we wait long enough for a concurrent writer to finish
    // a batch, then fail with a clear message instead of hanging a script.
    public const int BusyTimeoutMilliseconds = 60_000;
    private const int BusySliceMilliseconds = 250;

    public static SqliteConnection OpenForRead(string path, CancellationToken cancellation = default)
    {
        EnsureIsFile(path);
        var connection = Open(path, SqliteOpenMode.ReadOnly, path, cancellation);
        RequireEventsTable(connection, path);
        return connection;
    }

    /// <summary>SQLITE_READONLY_ROLLBACK: a read-only connection found the hot journal of a writer that died mid-transaction.</summary>
    private const int ReadOnlyRollback = 8 | (3 << 8);

    /// <summary>
    /// A writer killed mid-transaction leaves a hot journal that only a read-write connection may roll back;
    /// its first read does so, and the store is then exactly as before that transaction.
    /// </summary>
    private static void RollBackHotJournal(string path, CancellationToken cancellation)
    {
        using var connection = OpenForWrite(path, cancellation: cancellation);
        TableExists(connection, SqliteSchema.EventsTable);
    }

    /// <summary>Opens an existing event store for writing; never creates a file.</summary>
    /// <param name="cancellation">Ends a wait for another process's lock (Ctrl+C), failing with <see cref="OperationCanceledException"/>.</param>
    public static SqliteConnection OpenExistingForWrite(string path, CancellationToken cancellation = default)
    {
        EnsureIsFile(path);
        var connection = OpenForWrite(path, cancellation: cancellation);
        try
        {
            RequireEventsTable(connection, path);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <param name="path">The file to open, created when missing.</param>
    /// <param name="storePath">The store as errors name it, when <paramref name="path"/> is a temporary file standing in for it.</param>
    /// <param name="cancellation">Ends a wait for another process's lock (Ctrl+C), failing with <see cref="OperationCanceledException"/>.</param>
    public static SqliteConnection OpenForWrite(string path, string? storePath = null, CancellationToken cancellation = default)
    {
        RequireNotDirectory(path);
        // Root may write a file without write permission; a file marked read-only is still not ours to change.
        if (File.Exists(path) && File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly))
            throw new EventStoreException(EventStoreErrorKind.StoreReadOnly, $"The store '{path}' is a read-only file. Make it writable, or write into a copy of it.");
        var connection = Open(path, SqliteOpenMode.ReadWriteCreate, storePath ?? path, cancellation);
        Execute(connection, "PRAGMA encoding='UTF-8'; PRAGMA synchronous=EXTRA; PRAGMA journal_mode=DELETE;");
        return connection;
    }

    /// <summary>
    /// Rolls back the open transaction (if SQLite has not already done so after an error) and leaves the file
    /// byte for byte as it was before it. After a failed write to the database file (disk full, an I/O error)
    /// SQLite's pager is in its error state: ROLLBACK does nothing, and closing the connection leaves the file
    /// changed beside a hot journal that only the next reader plays back; a file copied before that is corrupt.
    /// One read on this connection plays the journal back now.
    /// </summary>
    public static void RollBack(SqliteConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open) return;
        try { Execute(connection, "ROLLBACK"); }
        catch (SqliteException) { /* no transaction was open any more */ }
        if (!File.Exists(connection.DataSource + "-journal")) return;
        try { Scalar(connection, "SELECT count(*) FROM sqlite_master"); }
        // The error that ended the write is the one to report; the next reader of the store rolls back instead.
        catch (SqliteException) { }
    }

    /// <summary>
    /// Interrupts the statement running on the connection when the token is cancelled (Ctrl+C): one long statement,
    /// such as the commit of an incremental import, would otherwise run to its end. SQLite rolls the transaction
    /// back and the statement fails with SQLITE_INTERRUPT. Dispose the registration before the connection.
    /// </summary>
    public static CancellationTokenRegistration InterruptOnCancel(SqliteConnection connection, CancellationToken cancellation)
    {
        var handle = connection.Handle!;
        return cancellation.Register(() => SQLitePCL.raw.sqlite3_interrupt(handle));
    }

    public static bool TableExists(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM sqlite_master WHERE type='table' AND name=$name";
        command.Parameters.AddWithValue("$name", table);
        return command.ExecuteScalar() is not null;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Fails clearly unless the file holds reSolve's events table (see <see cref="SqliteStoreSchema.RequireResolveTables"/>).</summary>
    public static void RequireEventsTable(SqliteConnection connection, string path)
    {
        try
        {
            if (!TableExists(connection, SqliteSchema.EventsTable))
                throw new EventStoreException(EventStoreErrorKind.NotAnEventStore,
                    $"'{path}' is a SQLite database but not a reSolve event store: it has no \"events\" table.");
            SqliteStoreSchema.RequireResolveTables(connection, path);
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, path);
        }
    }

    public static EventStoreException Translate(SqliteException ex, string path) => ex.SqliteErrorCode switch
    {
        26 => new EventStoreException(EventStoreErrorKind.NotAnEventStore, $"'{path}' is not a SQLite database. Give the path of a reSolve store (a SQLite file); to read an NDJSON export, use Import-EventStore -InFile or Test-EventStore.", ex),
        5 or 6 => new EventStoreException(EventStoreErrorKind.StoreBusy, $"The store '{path}' is locked by another process: {ex.Message.TrimEnd('.')}. Run this again once that process has finished writing.", ex),
        8 => new EventStoreException(EventStoreErrorKind.StoreReadOnly, $"The store '{path}' is read-only: {ex.Message}", ex),
        14 => new EventStoreException(EventStoreErrorKind.StoreNotFound, $"Cannot open the store '{path}': {ex.Message}", ex),
        _ => new EventStoreException(EventStoreErrorKind.StoreError, $"SQLite error on '{path}': {ex.Message}", ex),
    };

    private static void RequireNotDirectory(string path)
    {
        if (Directory.Exists(path))
            throw new EventStoreException(EventStoreErrorKind.InvalidStorePath, $"The store path '{path}' is a directory, not a SQLite file. Give the path of the store's file; to restore a backup folder, use Import-EventStore -Directory.");
    }

    private static void EnsureIsFile(string path)
    {
        RequireNotDirectory(path);
        if (!File.Exists(path))
            throw new EventStoreException(EventStoreErrorKind.StoreNotFound, $"The store '{path}' does not exist. Check the path, or create the store with New-EventStore or Import-EventStore.");
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode, string storePath, CancellationToken cancellation)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            // A pooled connection keeps the file open after the cmdlet ends; scripts move and delete stores.
            Pooling = false,
            // Microsoft.Data.Sqlite retries a busy statement on its own, deaf to Ctrl+C: keep that short and
            // let busy_timeout and ScalarWhenNotBusy do the waiting.
            DefaultTimeout = 1,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}");
            // Fails here, not at the first query, when the file is not a database.
            ScalarWhenNotBusy(connection, "SELECT count(*) FROM sqlite_master", cancellation);
            EventStoreLog.Write(path == storePath
                ? $"Opened the SQLite store '{storePath}' ({(mode == SqliteOpenMode.ReadOnly ? "read-only" : "read-write")})."
                : $"Opened '{path}', a new SQLite store built beside '{storePath}' and moved into place at the commit.");
            return connection;
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == ReadOnlyRollback && mode == SqliteOpenMode.ReadOnly)
        {
            connection.Dispose();
            RollBackHotJournal(path, cancellation);
            return Open(path, mode, storePath, cancellation);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Translate(ex, storePath);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs a statement that may wait for another process's lock (opening, BEGIN IMMEDIATE, COMMIT) for as long
    /// as busy_timeout would, but in short slices that end with <see cref="OperationCanceledException"/> on
    /// Ctrl+C: SQLite's busy handler sleeps through it, and sqlite3_interrupt does not wake it.
    /// </summary>
    public static object? ScalarWhenNotBusy(SqliteConnection connection, string sql, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        Execute(connection, $"PRAGMA busy_timeout={BusySliceMilliseconds}");
        try
        {
            while (true)
            {
                try
                {
                    return Scalar(connection, sql);
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == 5 && clock.ElapsedMilliseconds < BusyTimeoutMilliseconds)
                {
                    cancellation.ThrowIfCancellationRequested();
                }
            }
        }
        finally
        {
            Execute(connection, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}");
        }
    }
}
