using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>Opens connections to eventstore-lite files with reSolve's pragmas.</summary>
internal static class SqliteConnections
{
    // reSolve waits for locks practically forever; we wait long enough for a concurrent writer to finish
    // a batch, then fail with a clear message instead of hanging a script.
    public const int BusyTimeoutMilliseconds = 60_000;

    public static SqliteConnection OpenForRead(string path)
    {
        EnsureIsFile(path);
        var connection = Open(path, SqliteOpenMode.ReadOnly);
        RequireEventsTable(connection, path);
        return connection;
    }

    /// <summary>Opens an existing event store for writing; never creates a file.</summary>
    public static SqliteConnection OpenExistingForWrite(string path)
    {
        EnsureIsFile(path);
        var connection = OpenForWrite(path);
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

    public static SqliteConnection OpenForWrite(string path)
    {
        if (Directory.Exists(path))
            throw new EventStoreException(EventStoreErrorKind.StoreNotFound, $"The store path '{path}' is a directory, not a SQLite file.");
        var connection = Open(path, SqliteOpenMode.ReadWriteCreate);
        Execute(connection, "PRAGMA encoding='UTF-8'; PRAGMA synchronous=EXTRA; PRAGMA journal_mode=DELETE;");
        return connection;
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

    public static void RequireEventsTable(SqliteConnection connection, string path)
    {
        if (!TableExists(connection, SqliteSchema.EventsTable))
            throw new EventStoreException(EventStoreErrorKind.NotAnEventStore,
                $"'{path}' is a SQLite database but not a reSolve event store: it has no \"events\" table.");
    }

    public static EventStoreException Translate(SqliteException ex, string path) => ex.SqliteErrorCode switch
    {
        26 => new EventStoreException(EventStoreErrorKind.NotAnEventStore, $"'{path}' is not a SQLite database.", ex),
        5 or 6 => new EventStoreException(EventStoreErrorKind.StoreBusy, $"The store '{path}' is locked by another process: {ex.Message}", ex),
        8 => new EventStoreException(EventStoreErrorKind.StoreError, $"The store '{path}' is read-only: {ex.Message}", ex),
        14 => new EventStoreException(EventStoreErrorKind.StoreNotFound, $"Cannot open the store '{path}': {ex.Message}", ex),
        _ => new EventStoreException(EventStoreErrorKind.StoreError, $"SQLite error on '{path}': {ex.Message}", ex),
    };

    private static void EnsureIsFile(string path)
    {
        if (Directory.Exists(path))
            throw new EventStoreException(EventStoreErrorKind.StoreNotFound, $"The store path '{path}' is a directory, not a SQLite file.");
        if (!File.Exists(path))
            throw new EventStoreException(EventStoreErrorKind.StoreNotFound, $"The store '{path}' does not exist.");
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            // A pooled connection keeps the file open after the cmdlet ends; scripts move and delete stores.
            Pooling = false,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}");
            // Fails here, not at the first query, when the file is not a database.
            Scalar(connection, "SELECT count(*) FROM sqlite_master");
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Translate(ex, path);
        }
    }
}
