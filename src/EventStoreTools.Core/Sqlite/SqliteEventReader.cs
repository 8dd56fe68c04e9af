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

    private readonly SqliteConnection _connection;
    private readonly string _path;

    private SqliteEventReader(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
    }

    public static SqliteEventReader Open(string path) => new(SqliteConnections.OpenForRead(path), path);

    public long CountEvents() => (long)SqliteConnections.Scalar(_connection, """SELECT count(*) FROM "events" """)!;

    public IEnumerable<ResolveEvent> ReadEvents(EventFilter? filter = null, CancellationToken cancellation = default)
    {
        if (filter is not null && !filter.IsEmpty)
            throw new NotSupportedException("Filters are not implemented for SQLite stores yet.");
        using var command = _connection.CreateCommand();
        command.CommandText = SelectColumns + ReadOrder;
        SqliteDataReader reader;
        try
        {
            reader = command.ExecuteReader();
        }
        catch (SqliteException ex)
        {
            throw SqliteConnections.Translate(ex, _path);
        }
        using (reader)
        {
            while (Next(reader))
            {
                cancellation.ThrowIfCancellationRequested();
                yield return ReadEvent(reader);
            }
        }
    }

    private bool Next(SqliteDataReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (SqliteException ex)
        {
            throw SqliteConnections.Translate(ex, _path);
        }
    }

    internal static ResolveEvent ReadEvent(SqliteDataReader reader) => new()
    {
        ThreadId = (int)reader.GetInt64(0),
        ThreadCounter = reader.GetInt64(1),
        Timestamp = reader.GetInt64(2),
        AggregateId = reader.GetString(3),
        AggregateVersion = reader.GetInt64(4),
        Type = reader.GetString(5),
        PayloadJson = ReadPayload(reader, 6),
    };

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
