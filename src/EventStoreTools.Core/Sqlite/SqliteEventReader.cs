using System.Diagnostics;
using System.Text;
using EventStoreTools.Core.Json;
using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// Streams the events of an eventstore-lite file in reSolve's read order (timestamp, threadCounter, threadId).
/// reSolve's journal mode (DELETE) makes a reader block every writer for as long as its read transaction
/// lasts, so the events are read in pages, each its own short read transaction: a page ends after a few
/// thousand rows, a few MB of payload or 50 ms, whichever comes first, and the next page resumes after the
/// last key read (keyset pagination on the ordered query, linear; reSolve's own export pages with a 256-term
/// cursor query that re-sorts the rest of the table for every 200 events, which is quadratic). A writer then
/// waits for at most one page. Each thread's events are appended with growing timestamps, so what a writer
/// adds during an export is, per thread, either exported or left for the next export from the cursor, never
/// skipped between exported events of its thread.
/// </summary>
public sealed class SqliteEventReader : IEventSource
{
    private const string SelectColumns =
        """SELECT "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload" FROM "events" """;
    /// <summary>
    /// The ordered read sorts its result rows (the timestamp index leaves ties to sort), so a huge payload would
    /// be copied into the sorter and out again: 100 MB took 750 MB. A payload over this many bytes is left out of
    /// the sorted row (octet_length reads only the record header) and read by key in the same read transaction.
    /// </summary>
    private const int SortedPayloadBytes = 1 << 20;

    private static readonly string PageColumns = $"""
        SELECT "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type",
          CASE WHEN octet_length("payload") > {SortedPayloadBytes} THEN NULL ELSE "payload" END
        FROM "events"
        """;

    private const string ReadOrder = """ ORDER BY "timestamp" ASC, "threadCounter" ASC, "threadId" ASC""";
    private const string KeyOrder = """ ORDER BY "threadId" ASC, "threadCounter" ASC""";
    // The default BINARY collation orders text by its UTF-8 bytes; reSolve's UNIQUE constraint indexes this order.
    private const string AggregateOrder = """ ORDER BY "aggregateId" ASC, "aggregateVersion" ASC""";

    private readonly SqliteConnection _connection;
    private readonly string _path;

    private SqliteEventReader(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
    }

    public static SqliteEventReader Open(string path, CancellationToken cancellation = default) => new(SqliteConnections.OpenForRead(path, cancellation), path);

    public long CountEvents() => (long)SqliteConnections.Scalar(_connection, """SELECT count(*) FROM "events" """)!;

    /// <summary>Rows of one page at most: at ~600k rows/s about 7 ms of reading.</summary>
    private const int PageRows = 4096;

    /// <summary>Payload bytes of one page at most, so that a page of huge payloads does not hold them all.</summary>
    private const long PagePayloadBytes = 4 << 20;

    /// <summary>The longest a page's read transaction lasts (plus one row): a filter that matches few rows scans many per page.</summary>
    private const long PageMilliseconds = 50;

    public IEnumerable<ResolveEvent> ReadEvents(EventFilter? filter = null, CancellationToken cancellation = default) =>
        EventStoreLog.Counted(ReadPages(filter ?? EventFilter.All, cancellation), "events", $"'{_path}'");

    private IEnumerable<ResolveEvent> ReadPages(EventFilter filter, CancellationToken cancellation)
    {
        var remaining = Math.Max(0, filter.First ?? long.MaxValue);
        ResolveEvent? last = null;
        while (remaining > 0)
        {
            var (page, isLast) = ReadPage(filter, last, remaining, cancellation);
            foreach (var e in page) yield return e;
            if (isLast) yield break;
            remaining -= page.Count;
            // Only the key: a huge payload of the last page is not held while the next page is read.
            last = new ResolveEvent { Timestamp = page[^1].Timestamp, ThreadCounter = page[^1].ThreadCounter, ThreadId = page[^1].ThreadId };
            page.Clear();
        }
    }

    /// <summary>
    /// One page in its own read transaction (SQLite's shared lock is taken at the first row and released when the
    /// statement ends, here before the page is handed on): the rows after <paramref name="after"/>, and whether they
    /// are the last of the export.
    /// </summary>
    private (List<ResolveEvent> Page, bool IsLast) ReadPage(EventFilter filter, ResolveEvent? after, long limit, CancellationToken cancellation)
    {
        var command = _connection.CreateCommand();
        var sql = new StringBuilder(PageColumns);
        SqliteEventFilter.ApplyWhere(command, sql, filter, after);
        sql.Append(ReadOrder);
        command.CommandText = sql.ToString();
        if (after is null) EventStoreLog.Debug($"Query: {command.CommandText}");
        var page = new List<ResolveEvent>();
        long payloadBytes = 0;
        var clock = Stopwatch.StartNew();
        using var hugePayload = _connection.CreateCommand();
        // Leaving the loop early ends the statement, and with it the read transaction.
        foreach (var e in Stream(command, reader => ReadPageEvent(reader, hugePayload), cancellation))
        {
            page.Add(e);
            payloadBytes += e.PayloadUtf8.Length;
            if (page.Count >= limit) return (page, true);
            if (page.Count >= PageRows || payloadBytes >= PagePayloadBytes || clock.ElapsedMilliseconds >= PageMilliseconds) return (page, false);
        }
        return (page, true);
    }

    public IEnumerable<ResolveEvent> ReadEventsByKey(CancellationToken cancellation = default)
    {
        var command = _connection.CreateCommand();
        command.CommandText = SelectColumns + KeyOrder;
        return EventStoreLog.Counted(Stream(command, ReadEvent, cancellation), "events in key order", $"'{_path}'");
    }

    public IEnumerable<Comparison.StoredEvent> ReadEventsByAggregate(CancellationToken cancellation = default)
    {
        var command = _connection.CreateCommand();
        command.CommandText = SelectColumns + AggregateOrder;
        return EventStoreLog.Counted(Stream(command, ReadStoredEvent, cancellation), "events in aggregate order", $"'{_path}'");
    }

    public IEnumerable<ResolveSecret> ReadSecretsById(CancellationToken cancellation = default)
    {
        if (!SqliteConnections.TableExists(_connection, SqliteSchema.SecretsTable)) return [];
        var command = _connection.CreateCommand();
        command.CommandText = """SELECT "secret", "id", "idx" FROM "secrets" ORDER BY "id" ASC""";
        return Stream(command, reader => new ResolveSecret(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), cancellation);
    }

    public IEnumerable<ResolveEvent> ReadThreadKeys(int threadId, long fromCounter, long toCounter, CancellationToken cancellation = default)
    {
        var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type" FROM "events"
            WHERE "threadId" = $threadId AND "threadCounter" >= $from AND "threadCounter" < $to
            """ + KeyOrder;
        command.Parameters.AddWithValue("$threadId", (long)threadId);
        command.Parameters.AddWithValue("$from", fromCounter);
        command.Parameters.AddWithValue("$to", toCounter);
        return Stream(command, reader => DbRows.ReadEvent(reader, "null"), cancellation);
    }

    public IEnumerable<ResolveSecret> ReadSecrets(CancellationToken cancellation = default)
    {
        if (!SqliteConnections.TableExists(_connection, SqliteSchema.SecretsTable)) return [];
        var command = _connection.CreateCommand();
        command.CommandText = """SELECT "secret", "id", "idx" FROM "secrets" WHERE "secret" IS NOT NULL ORDER BY "idx" ASC""";
        return EventStoreLog.Counted(Stream(command, reader => new ResolveSecret(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), cancellation), "secrets", $"'{_path}'");
    }

    public bool IsFrozen()
    {
        try
        {
            return SqliteConnections.TableExists(_connection, SqliteSchema.FreezeTable);
        }
        catch (SqliteException ex)
        {
            throw SqliteConnections.Translate(ex, _path);
        }
    }

    public IReadOnlyList<ResolveEvent> ReadLastEventPerThread(CancellationToken cancellation = default, IReadOnlyList<long>? below = null)
    {
        var command = _connection.CreateCommand();
        // One lookup in the primary key per thread (a correlated max over the whole table would scan it).
        // CROSS JOIN keeps the 256 threads as the outer loop.
        command.CommandText = ThreadCounterValues(thread => below?[thread] ?? long.MaxValue) + """
            SELECT "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload"
            FROM "cursor" CROSS JOIN "events" ON "threadId" = "thread" AND "threadCounter" =
              (SELECT e."threadCounter" FROM "events" AS e WHERE e."threadId" = "thread" AND e."threadCounter" < "counter" ORDER BY e."threadCounter" DESC LIMIT 1)
            """ + KeyOrder;
        EventStoreLog.Debug($"Query: {command.CommandText}");
        return Stream(command, ReadEvent, cancellation).ToList();
    }

    public CursorBacklog ReadBacklog(IReadOnlyList<long> counters)
    {
        var command = _connection.CreateCommand();
        // Per thread: its newest counter, and its first event at or past the cursor, each one step down the primary key.
        command.CommandText = ThreadCounterValues(thread => counters[thread]) + """
            SELECT "thread", "counter",
              (SELECT "threadCounter" FROM "events" WHERE "threadId" = "thread" ORDER BY "threadCounter" DESC LIMIT 1),
              (SELECT "timestamp" FROM "events" WHERE "threadId" = "thread" AND "threadCounter" >= "counter" ORDER BY "threadCounter" LIMIT 1),
              (SELECT "threadCounter" FROM "events" WHERE "threadId" = "thread" AND "threadCounter" >= "counter" ORDER BY "threadCounter" LIMIT 1)
            FROM "cursor"
            """;
        EventStoreLog.Debug($"Query: {command.CommandText}");
        return CursorBacklog.FromThreads(Stream(command, reader => (
            reader.GetInt64(1),
            reader.IsDBNull(2) ? (long?)null : reader.GetInt64(2),
            reader.IsDBNull(3) ? null : new ReadPosition(reader.GetInt64(3), reader.GetInt64(4), (int)reader.GetInt64(0))), CancellationToken.None).ToList());
    }

    /// <summary>A "cursor"("thread", "counter") table of every thread's counter, as literals (numbers only).</summary>
    private static string ThreadCounterValues(Func<int, long> counter)
    {
        var values = new StringBuilder("""WITH "cursor"("thread", "counter") AS (VALUES """);
        for (var thread = 0; thread < EventValidation.ThreadCount; thread++)
            values.Append(thread == 0 ? "" : ", ").Append($"({thread}, {counter(thread)})");
        return values.Append(") ").ToString();
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
                SnapshotCount = CountRowsIfTable("snapshots"),
                SubscriberCount = CountRowsIfTable("subscribers"),
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

    private long CountRowsIfTable(string table) =>
        SqliteConnections.TableExists(_connection, table) ? (long)SqliteConnections.Scalar(_connection, $"SELECT count(*) FROM \"{table}\"")! : 0;

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

    internal static ResolveEvent ReadEvent(SqliteDataReader reader)
    {
        RequireWholeNumbers(reader);
        return DbRows.ReadEvent(reader, ReadPayloadUtf8(reader, 6));
    }

    private static Comparison.StoredEvent ReadStoredEvent(SqliteDataReader reader)
    {
        RequireWholeNumbers(reader);
        var stored = ReadPayloadUtf8(reader, 6);
        return new Comparison.StoredEvent(DbRows.ReadEvent(reader, stored), stored);
    }

    private static readonly (int Ordinal, string Name)[] WholeNumberColumns =
        [(0, "threadId"), (1, "threadCounter"), (2, "timestamp"), (4, "aggregateVersion")];

    /// <summary>
    /// SQLite keeps a value its column cannot convert: reSolve's saveEvent stores an aggregateVersion of 1.5 as
    /// REAL, and its export writes 1.5. Reading it as a whole number would change it silently; it is refused,
    /// naming the event.
    /// </summary>
    private static void RequireWholeNumbers(SqliteDataReader reader)
    {
        foreach (var (ordinal, name) in WholeNumberColumns)
        {
            if (reader.GetFieldType(ordinal) == typeof(long)) continue;
            var value = reader.GetValue(ordinal);
            var shown = value switch
            {
                double d => JsJson.FormatNumber(d),
                string s => JsJson.QuoteString(s),
                DBNull => "null",
                _ => $"a {value.GetType().Name}",
            };
            throw new EventStoreException(EventStoreErrorKind.UnsupportedStoredValue,
                $"The stored event at threadId {Key(reader, 0)}, threadCounter {Key(reader, 1)} has {name} {shown}, which is not a whole number. " +
                $"reSolve would export it as it is; these tools carry {name} only as a whole number and refuse it rather than change it. Correct the row in the store first.")
            {
                Event = new StoredEventKey((int)reader.GetInt64(0), reader.GetInt64(1)),
            };
        }
    }

    private static string Key(SqliteDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(double) ? JsJson.FormatNumber(reader.GetDouble(ordinal)) : reader.GetValue(ordinal).ToString() ?? "";

    /// <summary>
    /// An event of a page, its payload read by key when the sorted row left it out (see <see cref="SortedPayloadBytes"/>;
    /// a payload stored as NULL, which is rare, is looked up too and reads as null).
    /// </summary>
    private static ResolveEvent ReadPageEvent(SqliteDataReader reader, SqliteCommand hugePayload)
    {
        if (!reader.IsDBNull(6)) return ReadEvent(reader);
        if (hugePayload.CommandText.Length == 0)
        {
            hugePayload.CommandText = """SELECT "payload" FROM "events" WHERE "threadId" = $threadId AND "threadCounter" = $threadCounter""";
            hugePayload.Parameters.Add("$threadId", SqliteType.Integer);
            hugePayload.Parameters.Add("$threadCounter", SqliteType.Integer);
        }
        hugePayload.Parameters[0].Value = reader.GetInt64(0);
        hugePayload.Parameters[1].Value = reader.GetInt64(1);
        using var payload = hugePayload.ExecuteReader();
        payload.Read();
        RequireWholeNumbers(reader);
        return DbRows.ReadEvent(reader, ReadPayloadUtf8(payload, 0));
    }

    /// <summary>
    /// The payload's text as UTF-8 (a huge payload is then held once, not as 2-byte characters). The payload
    /// column is declared JSON, which SQLite gives NUMERIC affinity: a top-level number is stored as INTEGER or
    /// REAL, and SQLite's own text for a REAL keeps only 15 digits. reSolve gets the exact double from its
    /// driver, so numbers are read as numbers.
    /// </summary>
    internal static ReadOnlyMemory<byte> ReadPayloadUtf8(SqliteDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) return "null"u8.ToArray();
        var type = reader.GetFieldType(ordinal);
        if (type == typeof(double)) return Encoding.UTF8.GetBytes(JsJson.FormatNumber(reader.GetDouble(ordinal)));
        if (type == typeof(long)) return Encoding.UTF8.GetBytes(JsJson.FormatNumber(reader.GetInt64(ordinal)));
        return reader.GetFieldValue<byte[]>(ordinal);
    }

    public void Dispose() => _connection.Dispose();
}
