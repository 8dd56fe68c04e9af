using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using EventStoreTools.Core.Incremental;
using EventStoreTools.Core.Json;
using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// eventstore-lite's incremental import (spec 6.2): the pushed events wait in reSolve's own table
/// "events-incremental-import", whose SQL carries the import id as a comment, so reSolve sees an import we
/// opened and we see one reSolve opened. Unlike reSolve, a failed commit keeps the pushed events (it can be
/// retried), duplicates are found by comparing payloads as JSON values, and older events are skipped
/// instead of failing the batch.
/// </summary>
internal static partial class SqliteIncrementalImport
{
    private const string CountPending = """SELECT count(*) FROM "events-incremental-import" """;
    private const string DropPending = """DROP TABLE "events-incremental-import" """;
    private const string SkippedTable = "incremental-import-skipped";

    /// <summary>
    /// Negative: KiB. The commit reads and updates index pages all over a large store; with SQLite's default
    /// 2 MB it went back to the file for most of them (100k into 1M events: 64 MB cache 15% faster).
    /// </summary>
    private const int CommitCacheSizeKibibytes = -65536;

    // The stored events that could be duplicates of a pending one. Only the timestamp index is used (the
    // unary + keeps SQLite off the aggregateId indexes, which would walk every version of a busy aggregate):
    // one index lookup per pending event.
    private const string SelectSameKeyPayloads = """
        SELECT "payload", "threadId", "threadCounter" FROM "events" WHERE "timestamp" = $timestamp AND +"aggregateId" = $aggregateId AND +"type" = $type
        """;

    // The (timestamp, aggregateId, type) of which more than one event is pushed: only those can repeat an event
    // more often than the store holds it. Three narrow columns, grouped without their payloads.
    private const string SelectRepeatedKeys = """
        SELECT "timestamp", "aggregateId", "type" FROM "events-incremental-import" WHERE "timestamp" <= $newest
        GROUP BY "timestamp", "aggregateId", "type" HAVING count(*) > 1
        """;

    private const string NewEventsTable = "incremental-import-new";

    // lite's commit (spec 6.2 steps 4-6): counters continue each thread and versions each aggregate, in
    // (timestamp, push order). Numbered into a temporary table first: as one INSERT ... SELECT from "events"
    // into "events", SQLite took 60% longer for the same rows. The payloads stay where they were pushed (the
    // temporary table names their rows): the window functions' sorts would copy each payload in and out, and a
    // 100 MB one took gigabytes.
    private const string NumberNewEvents = $"""
        CREATE TEMP TABLE "{NewEventsTable}" AS
        SELECT i.rowid AS "pendingRow",
               i."threadId",
               COALESCE((SELECT max(e."threadCounter") FROM "events" e WHERE e."threadId" = i."threadId"), -1)
                 + ROW_NUMBER() OVER (PARTITION BY i."threadId" ORDER BY i."timestamp", i.rowid) AS "threadCounter",
               i."timestamp",
               i."aggregateId",
               COALESCE((SELECT max(e."aggregateVersion") FROM "events" e WHERE e."aggregateId" = i."aggregateId"), 0)
                 + ROW_NUMBER() OVER (PARTITION BY i."aggregateId" ORDER BY i."timestamp", i.rowid) AS "aggregateVersion",
               i."type"
        FROM "events-incremental-import" i
        WHERE i.rowid NOT IN (SELECT "rowid" FROM temp."{SkippedTable}")
        """;

    // Aggregate order from an index rather than a sort, which would copy every payload through the sorter.
    private const string IndexNewEvents = $"""
        CREATE INDEX temp."{NewEventsTable}-order" ON "{NewEventsTable}"("aggregateId", "aggregateVersion")
        """;

    // In aggregate order, the three aggregate indexes take the new rows as runs instead of at random pages; the
    // other indexes (threads, timestamps, types) receive them near their ends anyway. Read order is by
    // timestamp, never by rowid, so the insert order is not visible.
    private const string InsertNewEvents = $"""
        INSERT INTO "events"("threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload")
        SELECT n."threadId", n."threadCounter", n."timestamp", n."aggregateId", n."aggregateVersion", n."type", i."payload"
        FROM temp."{NewEventsTable}" AS n INDEXED BY "{NewEventsTable}-order"
        JOIN "events-incremental-import" AS i ON i.rowid = n."pendingRow"
        ORDER BY n."aggregateId", n."aggregateVersion"
        """;

    /// <summary>reSolve's DDL (LITE/begin-incremental-import.ts), the id in the comment.</summary>
    private static string CreatePendingTable(string importId) => $"""
        CREATE TABLE "events-incremental-import"(
        -- RESOLVE INCREMENTAL-IMPORT '{importId}' OWNED TABLE
          "threadId" BIGINT NOT NULL, "threadCounter" BIGINT NULL, "timestamp" BIGINT NOT NULL,
          "aggregateId" VARCHAR(700) NOT NULL, "aggregateVersion" BIGINT NULL, "type" VARCHAR(700) NOT NULL,
          "payload" JSON NULL);
        """;

    /// <summary>The id of the open import; "" for an import table without reSolve's comment; null when none is open.</summary>
    public static string? ReadOpenImportId(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE type='table' AND name=$name";
        command.Parameters.AddWithValue("$name", SqliteSchema.IncrementalImportTable);
        if (command.ExecuteScalar() is not string sql) return null;
        var match = ImportIdPattern().Match(sql);
        return match.Success ? match.Groups[1].Value : "";
    }

    public static string? OpenImportId(string path)
    {
        using var connection = SqliteConnections.OpenForRead(path);
        return Translated(path, () => ReadOpenImportId(connection));
    }

    public static string Start(string path, CancellationToken cancellation = default) =>
        InWriteTransaction(path, cancellation, connection => StartOn(connection, path));

    /// <summary>Opens an import in the write transaction of the connection; returns its id.</summary>
    internal static string StartOn(SqliteConnection connection, string path)
    {
        if (ReadOpenImportId(connection) is { } open) throw IncrementalImportId.AlreadyOpen(path, open);
        var importId = IncrementalImportId.New();
        SqliteConnections.Execute(connection, CreatePendingTable(importId));
        return importId;
    }

    public static IIncrementalImportPush BeginPush(string path, string importId, CancellationToken cancellation = default) =>
        SqliteIncrementalImportPush.Begin(path, importId, cancellation);

    public static IIncrementalImportSession BeginSession(string path, CancellationToken cancellation = default) =>
        File.Exists(path) || Directory.Exists(path)
            ? SqliteIncrementalImportPush.BeginWithNewImport(path, cancellation)
            : SqliteNewStoreIncrementalImport.Begin(path, cancellation);

    public static IncrementalImportSummary Complete(string path, string importId, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        return InWriteTransaction(path, cancellation, connection => CompleteOn(connection, path, importId, clock, cancellation));
    }

    /// <summary>The commit of an import, in the write transaction of the connection (which the caller commits).</summary>
    /// <param name="largestPushedPayloadBytes">The longest payload pushed, when the caller pushed all of them (0 when not known).</param>
    internal static IncrementalImportSummary CompleteOn(SqliteConnection connection, string path, string importId, Stopwatch clock, CancellationToken cancellation,
        int largestPushedPayloadBytes = 0)
    {
        RequireOwnedBy(connection, importId);
        // The commit copies each payload; a huge one would fill the large cache with its pages (memory bound of
        // issue 11: a few times the largest payload), so a commit known to move one keeps SQLite's default cache.
        if (largestPushedPayloadBytes <= ResolveEvent.HugePayloadBytes)
            SqliteConnections.Execute(connection, $"PRAGMA cache_size={CommitCacheSizeKibibytes}");
        var step = Stopwatch.StartNew();
        var pushed = (long)SqliteConnections.Scalar(connection, CountPending)!;
        var newest = SqliteConnections.Scalar(connection, """SELECT max("timestamp") FROM "events" """) as long?;
        var (duplicates, older, repeats) = MarkSkipped(connection, newest, cancellation);
        var imported = pushed - duplicates - older;
        EventStoreLog.Write($"Compared {Quantity.Of(pushed, "pushed event")} with the store in {EventStoreLog.Seconds(step)}: {Quantity.Of(duplicates, "duplicate")}, {Quantity.Of(older, "older event")}.");
        cancellation.ThrowIfCancellationRequested();
        if (imported > 0)
        {
            step.Restart();
            SqliteConnections.Execute(connection, NumberNewEvents);
            SqliteConnections.Execute(connection, IndexNewEvents);
            EventStoreLog.Write($"Numbered {Quantity.Of(imported, "new event")} in {EventStoreLog.Seconds(step)}.");
            step.Restart();
            SqliteConnections.Execute(connection, InsertNewEvents);
            EventStoreLog.Write($"Inserted them in {EventStoreLog.Seconds(step)}.");
        }
        SqliteConnections.Execute(connection, DropPending);
        return new IncrementalImportSummary
        {
            Store = path,
            ImportId = importId,
            PushedCount = pushed,
            ImportedCount = imported,
            SkippedDuplicateCount = duplicates,
            CollapsedRepeatCount = repeats.Count,
            FirstCollapsedRepeat = repeats.First,
            SkippedOlderCount = older,
            NewestStoredTimestamp = newest,
            Elapsed = clock.Elapsed,
        };
    }

    public static IncrementalImportUndo? Undo(string path, string? importId, CancellationToken cancellation = default) =>
        InWriteTransaction(path, cancellation, connection =>
        {
            var open = ReadOpenImportId(connection);
            if (importId is not null && open != importId) throw IncrementalImportId.NotFound(importId);
            if (open is null) return null;
            var dropped = (long)SqliteConnections.Scalar(connection, CountPending)!;
            SqliteConnections.Execute(connection, DropPending);
            return new IncrementalImportUndo(path, open, dropped);
        });

    internal static void RequireOwnedBy(SqliteConnection connection, string importId)
    {
        if (ReadOpenImportId(connection) != importId) throw IncrementalImportId.NotFound(importId);
    }

    /// <summary>
    /// Records in a temporary table the pending events that are not imported: duplicates of a stored event
    /// (same timestamp, aggregateId, type, and payload as a JSON value), then events older than the newest
    /// stored one. Duplicates within the import are kept, as in reSolve. Also counts the duplicates that repeat an
    /// event more often than the store holds it (see <see cref="IncrementalImportSummary.CollapsedRepeatCount"/>).
    /// </summary>
    private static (long Duplicates, long Older, CollapsedRepeats Repeats) MarkSkipped(SqliteConnection connection, long? newest, CancellationToken cancellation)
    {
        SqliteConnections.Execute(connection, $"""CREATE TEMP TABLE "{SkippedTable}"("rowid" INTEGER PRIMARY KEY)""");
        var repeats = new CollapsedRepeats();
        if (newest is null) return (0, 0, repeats);

        var repeatedKeys = new HashSet<(long, string, string)>();
        using (var repeated = connection.CreateCommand())
        {
            repeated.CommandText = SelectRepeatedKeys;
            repeated.Parameters.AddWithValue("$newest", newest.Value);
            using var keys = repeated.ExecuteReader();
            while (keys.Read()) repeatedKeys.Add((keys.GetInt64(0), keys.GetString(1), keys.GetString(2)));
        }

        using var pending = connection.CreateCommand();
        // Only events at or before the newest stored timestamp can be duplicates or older.
        pending.CommandText = """SELECT rowid, "timestamp", "aggregateId", "type", "payload" FROM "events-incremental-import" WHERE "timestamp" <= $newest""";
        pending.Parameters.AddWithValue("$newest", newest.Value);

        using var sameKey = connection.CreateCommand();
        sameKey.CommandText = SelectSameKeyPayloads;
        var timestamp = sameKey.Parameters.Add("$timestamp", SqliteType.Integer);
        var aggregateId = sameKey.Parameters.Add("$aggregateId", SqliteType.Text);
        var type = sameKey.Parameters.Add("$type", SqliteType.Text);
        sameKey.Prepare();

        using var skip = connection.CreateCommand();
        skip.CommandText = $"""INSERT INTO temp."{SkippedTable}"("rowid") VALUES ($rowid)""";
        var skippedRow = skip.Parameters.Add("$rowid", SqliteType.Integer);
        skip.Prepare();

        long duplicates = 0, older = 0;
        using var reader = pending.ExecuteReader();
        while (reader.Read())
        {
            cancellation.ThrowIfCancellationRequested();
            timestamp.Value = reader.GetInt64(1);
            aggregateId.Value = reader.GetString(2);
            type.Value = reader.GetString(3);
            var payload = SqliteEventReader.ReadPayloadUtf8(reader, 4);
            var key = (reader.GetInt64(1), reader.GetString(2), reader.GetString(3));
            var repeatable = repeatedKeys.Contains(key);
            var (stored, firstStored) = StoredDuplicates(sameKey, payload.Span, countAll: repeatable);
            if (stored > 0)
            {
                duplicates++;
                if (repeatable) repeats.Add(firstStored, stored, () => PendingEvent(key, payload));
            }
            else if (reader.GetInt64(1) < newest.Value) older++;
            else continue;
            skippedRow.Value = reader.GetInt64(0);
            skip.ExecuteNonQuery();
        }
        return (duplicates, older, repeats);
    }

    /// <summary>
    /// How many stored events the pending one duplicates (with <paramref name="countAll"/> false, 1 at the first), and
    /// the key of the first: every pending event equal to it finds the same stored events in the same order, so that
    /// key names what they are duplicates of.
    /// Compared as bytes first: pushed and stored text are both canonical as a rule, and a huge payload is then
    /// not made into strings (2 bytes a character) to be compared.
    /// </summary>
    private static (int Count, StoredEventKey? First) StoredDuplicates(SqliteCommand sameKey, ReadOnlySpan<byte> payload, bool countAll)
    {
        var count = 0;
        StoredEventKey? first = null;
        using var stored = sameKey.ExecuteReader();
        while (stored.Read())
        {
            var storedPayload = SqliteEventReader.ReadPayloadUtf8(stored, 0).Span;
            if (!storedPayload.SequenceEqual(payload) &&
                !JsonValueEquality.AreEqual(Encoding.UTF8.GetString(storedPayload), Encoding.UTF8.GetString(payload))) continue;
            first ??= new StoredEventKey((int)stored.GetInt64(1), stored.GetInt64(2));
            if (++count == 1 && !countAll) break;
        }
        return (count, first);
    }

    /// <summary>A pending event as the incremental import knows it: no thread, counter or version yet.</summary>
    private static ResolveEvent PendingEvent((long Timestamp, string AggregateId, string Type) key, ReadOnlyMemory<byte> payload)
    {
        var e = new ResolveEvent { Timestamp = key.Timestamp, AggregateId = key.AggregateId, Type = key.Type };
        try
        {
            e.PayloadJson = Encoding.UTF8.GetString(payload.Span);
        }
        catch (System.Text.Json.JsonException)
        {
            // Pushed by another tool as text that is not JSON: the event is still named by its other fields.
        }
        return e;
    }

    /// <summary>
    /// Pending duplicates counted per stored event they equal: those beyond the number of equal stored events are
    /// repeats the store holds fewer times than the input.
    /// </summary>
    private sealed class CollapsedRepeats
    {
        private readonly Dictionary<StoredEventKey, long> _pushed = [];

        public long Count { get; private set; }

        public ResolveEvent? First { get; private set; }

        public void Add(StoredEventKey? stored, int storedCount, Func<ResolveEvent> pending)
        {
            if (stored is null) return;
            var pushed = _pushed[stored] = _pushed.GetValueOrDefault(stored) + 1;
            if (pushed <= storedCount) return;
            Count++;
            First ??= pending();
        }
    }

    /// <summary>
    /// Runs work in one BEGIN IMMEDIATE transaction on an existing store (IMMEDIATE: pushes and commits from
    /// several processes queue up instead of interleaving). Any failure or Ctrl+C rolls everything back.
    /// </summary>
    private static T InWriteTransaction<T>(string path, CancellationToken cancellation, Func<SqliteConnection, T> work)
    {
        using var connection = SqliteConnections.OpenExistingForWrite(path, cancellation);
        using var interrupt = SqliteConnections.InterruptOnCancel(connection, cancellation);
        return Translated(path, () =>
        {
            BeginWrite(connection, cancellation);
            try
            {
                var result = work(connection);
                CommitWrite(connection, cancellation);
                return result;
            }
            catch
            {
                SqliteConnections.RollBack(connection);
                throw;
            }
        }, cancellation);
    }

    /// <summary>Takes the write lock, waiting for other processes to let go in slices that end on Ctrl+C.</summary>
    internal static void BeginWrite(SqliteConnection connection, CancellationToken cancellation) =>
        SqliteConnections.ScalarWhenNotBusy(connection, "BEGIN IMMEDIATE", cancellation);

    /// <summary>Commits, waiting for readers to let go in slices that end on Ctrl+C.</summary>
    internal static void CommitWrite(SqliteConnection connection, CancellationToken cancellation) =>
        SqliteConnections.ScalarWhenNotBusy(connection, "COMMIT", cancellation);

    /// <summary>SQLite's failures as ours; a statement interrupted by Ctrl+C as the cancellation it is.</summary>
    internal static T Translated<T>(string path, Func<T> work, CancellationToken cancellation = default)
    {
        try
        {
            return work();
        }
        catch (SqliteException ex) when (cancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException($"The work on '{path}' was cancelled and rolled back.", ex, cancellation);
        }
        catch (SqliteException ex)
        {
            throw SqliteConnections.Translate(ex, path);
        }
    }

    [GeneratedRegex(@"RESOLVE INCREMENTAL-IMPORT '([^']*)'")]
    private static partial Regex ImportIdPattern();
}
