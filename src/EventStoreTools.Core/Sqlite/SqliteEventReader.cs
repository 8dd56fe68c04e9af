using System.Text;
using EventStoreTools.Core.Json;
using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// Streams the events of an eventstore-lite file in reSolve's read order (timestamp, threadCounter, threadId)
/// with one ordered query. reSolve pages with a 256-term cursor query that re-sorts the rest of the table for
/// every 200 events, which is quadratic; one statement is linear and, under SQLite's shared lock, a
/// consistent snapshot.
/// </summary>
public sealed class SqliteEventReader : IEventSource
{
    private const string SelectColumns =
        """SELECT "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload" FROM "events" """;
    private const string ReadOrder = """ ORDER BY "timestamp" ASC, "threadCounter" ASC, "threadId" ASC""";
    private const string KeyOrder = """ ORDER BY "threadId" ASC, "threadCounter" ASC""";

    private readonly SqliteConnection _connection;
    private readonly string _path;

    private SqliteEventReader(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
    }

    public static SqliteEventReader Open(string path, CancellationToken cancellation = default) => new(SqliteConnections.OpenForRead(path, cancellation), path);

    public long CountEvents() => (long)SqliteConnections.Scalar(_connection, """SELECT count(*) FROM "events" """)!;

    public IEnumerable<ResolveEvent> ReadEvents(EventFilter? filter = null, CancellationToken cancellation = default)
    {
        var command = _connection.CreateCommand();
        var sql = new StringBuilder(SelectColumns);
        if (filter is not null) SqliteEventFilter.ApplyWhere(command, sql, filter);
        sql.Append(ReadOrder);
        if (filter is not null) SqliteEventFilter.ApplyLimit(command, sql, filter);
        command.CommandText = sql.ToString();
        EventStoreLog.Debug($"Query: {command.CommandText}");
        return EventStoreLog.Counted(Stream(command, ReadEvent, cancellation), "events", $"'{_path}'");
    }

    public IEnumerable<ResolveEvent> ReadEventsByKey(CancellationToken cancellation = default)
    {
        var command = _connection.CreateCommand();
        command.CommandText = SelectColumns + KeyOrder;
        return EventStoreLog.Counted(Stream(command, ReadEvent, cancellation), "events in key order", $"'{_path}'");
    }

    public IEnumerable<ResolveSecret> ReadSecrets(CancellationToken cancellation = default)
    {
        if (!SqliteConnections.TableExists(_connection, SqliteSchema.SecretsTable)) return [];
        var command = _connection.CreateCommand();
        command.CommandText = """SELECT "secret", "id", "idx" FROM "secrets" WHERE "secret" IS NOT NULL ORDER BY "idx" ASC""";
        return EventStoreLog.Counted(Stream(command, reader => new ResolveSecret(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), cancellation), "secrets", $"'{_path}'");
    }

    public IReadOnlyList<string> ListValues(EventField field, string prefix, int limit)
    {
        var column = field == EventField.Type ? "type" : "aggregateId";
        var command = _connection.CreateCommand();
        // LIKE is case-insensitive for ASCII, as PowerShell's completion is; the index still gives sorted distinct values.
        command.CommandText = $"""SELECT DISTINCT "{column}" FROM "events" WHERE "{column}" LIKE $prefix ESCAPE '\' ORDER BY 1 LIMIT $limit""";
        command.Parameters.AddWithValue("$prefix", WildcardPattern.PrefixToLike(prefix));
        command.Parameters.AddWithValue("$limit", limit);
        return Stream(command, reader => reader.GetString(0), CancellationToken.None).ToList();
    }

    public EventStoreDescription Describe()
    {
        try
        {
            var hasSecrets = SqliteConnections.TableExists(_connection, SqliteSchema.SecretsTable);
            var (secretCount, deletedSecretCount) = hasSecrets
                ? ScalarPair("""SELECT count("secret"), count(*) - count("secret") FROM "secrets" """)
                : (0L, 0L);
            return new EventStoreDescription
            {
                Store = _path,
                EventCount = CountEvents(),
                SecretCount = secretCount,
                DeletedSecretCount = deletedSecretCount,
                // Two queries: each is one step down the timestamp index, while min and max together scan the table.
                FirstTimestamp = SqliteConnections.Scalar(_connection, """SELECT min("timestamp") FROM "events" """) as long?,
                LastTimestamp = SqliteConnections.Scalar(_connection, """SELECT max("timestamp") FROM "events" """) as long?,
                IsFrozen = SqliteConnections.TableExists(_connection, SqliteSchema.FreezeTable),
                IncrementalImportId = ReadIncrementalImportId(),
                LatestCursor = ReadLatestCursor(),
            };
        }
        catch (SqliteException ex)
        {
            throw SqliteConnections.Translate(ex, _path);
        }
    }

    private (long, long) ScalarPair(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private string? ReadIncrementalImportId() => SqliteIncrementalImport.ReadOpenImportId(_connection);

    /// <summary>reSolve's describe({calculateCursor}): max(threadCounter)+1 per thread, 0 for an empty thread.</summary>
    private ResolveCursor ReadLatestCursor()
    {
        var cursor = ResolveCursor.Start;
        using var command = _connection.CreateCommand();
        command.CommandText = """SELECT "threadId", max("threadCounter") FROM "events" GROUP BY "threadId" """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
            cursor.Advance(new ResolveEvent { ThreadId = (int)reader.GetInt64(0), ThreadCounter = reader.GetInt64(1) });
        return cursor;
    }

    private IEnumerable<T> Stream<T>(SqliteCommand command, Func<SqliteDataReader, T> read, CancellationToken cancellation) =>
        DbRows.Stream(command, read, ex => SqliteConnections.Translate((SqliteException)ex, _path), cancellation);

    internal static ResolveEvent ReadEvent(SqliteDataReader reader) => DbRows.ReadEvent(reader, ReadPayload(reader, 6));

    /// <summary>
    /// The payload column is declared JSON, which SQLite gives NUMERIC affinity: a top-level number is stored
    /// as INTEGER or REAL, and SQLite's own text for a REAL keeps only 15 digits. reSolve gets the exact
    /// double from its driver, so read numbers as numbers.
    /// </summary>
    internal static string ReadPayload(SqliteDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) return "null";
        var type = reader.GetFieldType(ordinal);
        if (type == typeof(double)) return JsJson.FormatNumber(reader.GetDouble(ordinal));
        if (type == typeof(long)) return JsJson.FormatNumber(reader.GetInt64(ordinal));
        return reader.GetString(ordinal);
    }

    public void Dispose() => _connection.Dispose();
}
