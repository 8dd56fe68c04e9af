using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// Loads an empty events table in the order of its unique key. The two indexes reSolve's CREATE TABLE declares
/// (PRIMARY KEY(threadId, threadCounter) and UNIQUE(aggregateId, aggregateVersion)) cannot be dropped and built
/// after the load as the other five are; inserted in read order, the unique index takes each GUID at a random
/// page, which cost most of a bulk load. So events are first appended to a staging table in SQLite's temporary
/// database (a file of its own, deleted with the connection, never part of the store), and
/// <see cref="InsertStaged"/> moves them with one INSERT ... SELECT ... ORDER BY "aggregateId", "aggregateVersion":
/// SQLite sorts them in bounded runs on disk, the unique index and the table grow at their ends, and only the
/// primary key (a small index of integers) takes random inserts.
/// The constraints are then checked at the end: <see cref="FindFirstDuplicate"/> names the first event of the
/// input that repeats a key, as a row-by-row insert would have.
/// An event with a huge payload (over <see cref="HugePayloadBytes"/>) goes into the events table at once instead:
/// staged, SQLite's sorter would hold its record several times more while it sorts and moves it.
/// </summary>
internal static class SqliteOrderedLoad
{
    public const string StagingTable = "events-staging";

    public const int HugePayloadBytes = 1 << 20;

    /// <summary>No affinity on the payload column: a value is kept as bound, and takes the events table's affinity when moved.</summary>
    private const string CreateStagingSql = """
        CREATE TEMP TABLE "events-staging"(
              "threadId" INTEGER, "threadCounter" INTEGER, "timestamp" INTEGER, "aggregateId" TEXT,
              "aggregateVersion" INTEGER, "type" TEXT, "payload", "inputLine" INTEGER)
        """;

    public const string InsertSql = """
        INSERT INTO temp."events-staging"("threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload", "inputLine")
        VALUES ($threadId, $threadCounter, $timestamp, $aggregateId, $aggregateVersion, $type, $payload, $inputLine)
        """;

    private const string MoveSql = """
        INSERT INTO main."events"("threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload")
        SELECT "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload"
        FROM temp."events-staging" ORDER BY "aggregateId", "aggregateVersion"
        """;

    public static void CreateStaging(SqliteConnection connection)
    {
        // The staging table must not live in memory: a 10M-event load is gigabytes.
        SqliteConnections.Execute(connection, "PRAGMA temp_store=FILE");
        SqliteConnections.Execute(connection, CreateStagingSql);
    }

    /// <summary>Moves the staged events into the events table in key order, then empties the staging table.</summary>
    public static void InsertStaged(SqliteConnection connection)
    {
        SqliteConnections.Execute(connection, MoveSql);
        SqliteConnections.Execute(connection, """DROP TABLE temp."events-staging" """);
    }

    /// <summary>
    /// After the move failed on a constraint: the first staged event (in input order) whose key an earlier one
    /// or an event with a huge payload (already in the events table) has, with the key it repeats
    /// ("threadCounter" or "aggregateVersion") and its input line (0 unknown).
    /// </summary>
    public static (ResolveEvent Event, string RepeatedKey, long InputLine)? FindFirstDuplicate(SqliteConnection connection)
    {
        (ResolveEvent, string, long)? first = null;
        long firstRow = long.MaxValue;
        foreach (var (key, first1, second) in new[] { ("threadCounter", "threadId", "threadCounter"), ("aggregateVersion", "aggregateId", "aggregateVersion") })
        {
            // Failure path only: a window over the key finds each repeat with the earliest row before it.
            using var command = connection.CreateCommand();
            command.CommandTimeout = 0;
            command.CommandText = $"""
                SELECT "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload", row, "inputLine"
                FROM (SELECT rowid AS row, *, row_number() OVER (PARTITION BY "{first1}", "{second}" ORDER BY rowid) AS occurrence
                      FROM temp."events-staging") AS s
                WHERE occurrence > 1
                   OR EXISTS (SELECT 1 FROM main."events" AS e WHERE e."{first1}" = s."{first1}" AND e."{second}" = s."{second}")
                ORDER BY row LIMIT 1
                """;
            using var reader = command.ExecuteReader();
            if (!reader.Read() || reader.GetInt64(7) >= firstRow) continue;
            firstRow = reader.GetInt64(7);
            first = (SqliteEventReader.ReadEvent(reader), key, reader.IsDBNull(8) ? 0 : reader.GetInt64(8));
        }
        return first;
    }
}
