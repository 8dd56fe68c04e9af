using System.Diagnostics;
using System.Text.RegularExpressions;
using EventStoreTools.Core.Incremental;
using Npgsql;

namespace EventStoreTools.Core.Postgres;

/// <summary>
/// eventstore-postgresql's incremental import (spec 6.3): the pushed events wait in reSolve's own table
/// "events-incremental-import", whose comment carries the import id, so reSolve sees an import we opened and
/// we see one reSolve opened. The commit numbers the new events as reSolve's PostgreSQL adapter does. Unlike
/// reSolve, a failed commit keeps the pushed events (it can be retried) and events older than the newest
/// stored one are skipped and counted instead of failing the commit. Every step runs under the schema's
/// import lock, so steps and imports from several sessions queue up instead of interleaving.
/// </summary>
internal static partial class PostgresIncrementalImport
{
    /// <summary>
    /// reSolve's commitIncrementalImport as one statement, which also counts what it skipped:
    /// <list type="bullet">
    /// <item>a pushed event is a duplicate when a stored event has its timestamp, aggregateId, type and an equal
    /// JSONB payload (duplicates among the pushed events are kept, as in reSolve);</item>
    /// <item>the rest, unless older than the newest stored event, are ranked by (timestamp, push order): rank r
    /// goes to thread r % 256 with counter (that thread's largest stored counter) + 1 + r / 256, and versions
    /// continue each aggregate in the same order;</item>
    /// <item>events-threads moves past what was inserted, never back;</item>
    /// <item>duplicates that repeat an event more often than the store holds it are counted, the first in push
    /// order returned (see <see cref="IncrementalImportSummary.CollapsedRepeatCount"/>): the n-th pushed copy of an event
    /// the store holds fewer than n times. Only keys pushed more than once are looked at (grouped on the narrow
    /// columns first).</item>
    /// </list>
    /// Only pushed events not newer than the newest stored one can be duplicates; they are looked up by
    /// timestamp alone (OFFSET 0 keeps the other conditions out of the index scan): a freshly loaded store has
    /// no statistics yet, and the planner then intersected the type and aggregateId indexes, reading every event
    /// of the type for each pushed one (100k events into 100k: 190 s instead of 1 s). The tails are read with
    /// index lookups, once (MATERIALIZED: 256 for the threads, one per aggregate), not by grouping every stored
    /// event nor once per pushed event.
    /// </summary>
    private static string CommitStatement(PostgresSchema schema) => $"""
        WITH "newest" AS (
          SELECT max("timestamp") AS "timestamp" FROM {schema.Events}
        ),
        "pending" AS (
          SELECT i."rowid", i."timestamp", i."aggregateId", i."type", i."payload", i."eventSize",
                 i."timestamp" <= (SELECT "timestamp" FROM "newest") AND EXISTS (
                   SELECT 1 FROM (SELECT e."aggregateId", e."type", e."payload" FROM {schema.Events} AS e WHERE e."timestamp" = i."timestamp" OFFSET 0) AS e
                   WHERE e."aggregateId" = i."aggregateId" AND e."type" = i."type" AND e."payload" IS NOT DISTINCT FROM i."payload") AS "duplicate"
          FROM {schema.IncrementalImport} AS i
        ),
        "kept" AS (
          SELECT p.*, ROW_NUMBER() OVER (ORDER BY p."timestamp", p."rowid") - 1 AS "sortedIdx"
          FROM "pending" AS p
          WHERE NOT p."duplicate" AND p."timestamp" >= COALESCE((SELECT "timestamp" FROM "newest"), p."timestamp")
        ),
        "threadTails" AS MATERIALIZED (
          SELECT t."threadId", COALESCE((SELECT max(e."threadCounter") FROM {schema.Events} AS e WHERE e."threadId" = t."threadId"), -1) AS "threadCounter"
          FROM generate_series(0::bigint, {PostgresSchema.ThreadCount - 1}) AS t("threadId")
        ),
        "aggregateTails" AS MATERIALIZED (
          SELECT a."aggregateId", COALESCE((SELECT max(e."aggregateVersion") FROM {schema.Events} AS e WHERE e."aggregateId" = a."aggregateId"), 0) AS "aggregateVersion"
          FROM (SELECT DISTINCT "aggregateId" FROM "kept") AS a
        ),
        "inserted" AS (
          INSERT INTO {schema.Events}("threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload", "eventSize")
          SELECT k."sortedIdx" % {PostgresSchema.ThreadCount},
                 thr."threadCounter" + 1 + k."sortedIdx" / {PostgresSchema.ThreadCount},
                 k."timestamp",
                 k."aggregateId",
                 agg."aggregateVersion" + ROW_NUMBER() OVER (PARTITION BY k."aggregateId" ORDER BY k."timestamp", k."rowid"),
                 k."type",
                 k."payload",
                 k."eventSize"
          FROM "kept" AS k
          JOIN "threadTails" AS thr ON thr."threadId" = k."sortedIdx" % {PostgresSchema.ThreadCount}
          JOIN "aggregateTails" AS agg ON agg."aggregateId" = k."aggregateId"
          ORDER BY k."sortedIdx"
          RETURNING "threadId", "threadCounter"
        ),
        "repeatedKeys" AS (
          SELECT "timestamp", "aggregateId", "type" FROM "pending" WHERE "duplicate"
          GROUP BY "timestamp", "aggregateId", "type" HAVING count(*) > 1
        ),
        "repeats" AS (
          SELECT p."rowid", p."timestamp", p."aggregateId", p."type", p."payload",
                 ROW_NUMBER() OVER (PARTITION BY p."timestamp", p."aggregateId", p."type", p."payload" ORDER BY p."rowid") AS "copy"
          FROM "pending" AS p JOIN "repeatedKeys" AS k USING ("timestamp", "aggregateId", "type")
          WHERE p."duplicate"
        ),
        "collapsed" AS (
          SELECT r.* FROM "repeats" AS r
          WHERE r."copy" > 1 AND r."copy" > (
            SELECT count(*) FROM (SELECT e."aggregateId", e."type", e."payload" FROM {schema.Events} AS e WHERE e."timestamp" = r."timestamp" OFFSET 0) AS e
            WHERE e."aggregateId" = r."aggregateId" AND e."type" = r."type" AND e."payload" IS NOT DISTINCT FROM r."payload")
        ),
        "movedThreads" AS (
          UPDATE {schema.Threads} AS t SET "threadCounter" = GREATEST(t."threadCounter", n."next")
          FROM (SELECT "threadId", max("threadCounter") + 1 AS "next" FROM "inserted" GROUP BY "threadId") AS n
          WHERE t."threadId" = n."threadId"
        )
        SELECT (SELECT count(*) FROM "pending"),
               (SELECT count(*) FROM "pending" WHERE "duplicate"),
               (SELECT count(*) FROM "inserted"),
               (SELECT "timestamp" FROM "newest"),
               (SELECT count(*) FROM "collapsed"),
               f."timestamp", f."aggregateId", f."type", f."payload"::text
        FROM (SELECT 1) AS "one" LEFT JOIN LATERAL (SELECT * FROM "collapsed" ORDER BY "rowid" LIMIT 1) AS f ON true
        """;

    /// <summary>The id of the open import; "" for an import table without reSolve's comment; null when none is open.</summary>
    public static string? ReadOpenImportId(NpgsqlConnection connection, PostgresSchema schema)
    {
        using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL, obj_description(to_regclass(@table), 'pg_class')", connection);
        command.Parameters.AddWithValue("table", schema.IncrementalImport);
        using var reader = command.ExecuteReader();
        reader.Read();
        if (!reader.GetBoolean(0)) return null;
        var match = ImportIdPattern().Match(reader.IsDBNull(1) ? "" : reader.GetString(1));
        return match.Success ? match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal) : "";
    }

    public static string? OpenImportId(PostgresEventStore store)
    {
        using var source = PostgresEventReader.Open(store.ConnectionString, store.Schema, store.DisplayName);
        return source.ReadIncrementalImportId();
    }

    public static string Start(PostgresEventStore store) => InStore(store, StartOn);

    /// <summary>Begins an import in the write transaction (which the caller commits) and returns its id.</summary>
    private static string StartOn(PostgresWriteTransaction write)
    {
        if (ReadOpenImportId(write.Connection, write.Schema) is { } open) throw IncrementalImportId.AlreadyOpen(write.DisplayName, open);
        var importId = IncrementalImportId.New();
        try
        {
            write.Execute(write.Schema.CreateIncrementalImportTable(importId));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateTable)
        {
            // reSolve, which takes no lock, began one in the meantime.
            throw IncrementalImportId.AlreadyOpen(write.DisplayName, "");
        }
        return importId;
    }

    public static IIncrementalImportPush BeginPush(PostgresEventStore store, string importId) =>
        PostgresWriteTransaction.Begin(store.ConnectionString, store.Schema, store.DisplayName, store.Cancellation, write =>
        {
            PostgresConnections.RequireEventsTable(write.Connection, write.Schema, store.DisplayName);
            RequireOwnedBy(write, importId);
            return new PostgresIncrementalImportPush(write, importId);
        });

    /// <summary>A whole import (start, push, complete) in one transaction: Import-EventStore -Incremental. A missing store is created with reSolve's tables in that transaction, so it exists afterwards only if the import completed.</summary>
    public static IIncrementalImportSession BeginSession(PostgresEventStore store) =>
        PostgresWriteTransaction.Begin(store.ConnectionString, store.Schema, store.DisplayName, store.Cancellation, write =>
        {
            if (!PostgresConnections.EventsTableExists(write.Connection, write.Schema))
            {
                write.Execute($"CREATE SCHEMA IF NOT EXISTS {write.Schema.Quoted}");
                foreach (var sql in write.Schema.CreateEventStore(withEventIndexes: true)) write.Execute(sql);
                EventStoreLog.Write($"Created reSolve's tables in schema \"{write.Schema.Name}\" for the incremental import.");
            }
            PostgresConnections.RequireEventsTable(write.Connection, write.Schema, store.DisplayName);
            return new PostgresIncrementalImportPush(write, StartOn(write));
        });

    public static IncrementalImportSummary Complete(PostgresEventStore store, string importId)
    {
        var clock = Stopwatch.StartNew();
        return InStore(store, write => CompleteOn(write, importId, clock));
    }

    /// <summary>The commit of an import, in the write transaction (which the caller commits).</summary>
    internal static IncrementalImportSummary CompleteOn(PostgresWriteTransaction write, string importId, Stopwatch clock)
    {
        RequireOwnedBy(write, importId);
        // For this transaction only: JIT-compiling the statement cost more than running it (1 s of 4 s for
        // 100k events), and the sorts of 100k events stay in memory.
        write.Execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'");
        using var command = new NpgsqlCommand(CommitStatement(write.Schema), write.Connection);
        var (pushed, duplicates, imported, newest, repeats, firstRepeat) = write.RunLong(command, command =>
        {
            using var reader = command.ExecuteReader();
            reader.Read();
            var first = reader.IsDBNull(5) ? null : new ResolveEvent
            {
                Timestamp = reader.GetInt64(5),
                AggregateId = reader.GetString(6),
                Type = reader.GetString(7),
                PayloadJson = reader.IsDBNull(8) ? "null" : reader.GetString(8),
            };
            return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? (long?)null : reader.GetInt64(3), reader.GetInt64(4), first);
        });
        write.Execute($"DROP TABLE {write.Schema.IncrementalImport}");
        return new IncrementalImportSummary
        {
            Store = write.DisplayName,
            ImportId = importId,
            PushedCount = pushed,
            ImportedCount = imported,
            SkippedDuplicateCount = duplicates,
            CollapsedRepeatCount = repeats,
            FirstCollapsedRepeat = firstRepeat,
            SkippedOlderCount = pushed - duplicates - imported,
            NewestStoredTimestamp = newest,
            Elapsed = clock.Elapsed,
        };
    }

    public static IncrementalImportUndo? Undo(PostgresEventStore store, string? importId) => InStore(store, write =>
    {
        var open = ReadOpenImportId(write.Connection, write.Schema);
        if (importId is not null && open != importId) throw IncrementalImportId.NotFound(importId);
        if (open is null) return null;
        var dropped = (long)PostgresConnections.Scalar(write.Connection, $"SELECT count(*) FROM {write.Schema.IncrementalImport}")!;
        write.Execute($"DROP TABLE {write.Schema.IncrementalImport}");
        return new IncrementalImportUndo(store.DisplayName, open, dropped);
    });

    /// <summary>Fails with reSolve's message unless the open import has this id.</summary>
    private static void RequireOwnedBy(PostgresWriteTransaction write, string importId)
    {
        if (ReadOpenImportId(write.Connection, write.Schema) != importId) throw IncrementalImportId.NotFound(importId);
    }

    /// <summary>Runs a step in one transaction of its own on an existing store.</summary>
    private static T InStore<T>(PostgresEventStore store, Func<PostgresWriteTransaction, T> work) =>
        PostgresWriteTransaction.Run(store.ConnectionString, store.Schema, store.DisplayName, store.Cancellation, write =>
        {
            PostgresConnections.RequireEventsTable(write.Connection, write.Schema, store.DisplayName);
            return work(write);
        });

    [GeneratedRegex(@"RESOLVE INCREMENTAL-IMPORT '((?:[^']|'')*)'")]
    private static partial Regex ImportIdPattern();
}
