using Npgsql;
using NpgsqlTypes;

namespace EventStoreTools.Core.Postgres;

/// <summary>
/// Streams the events of an eventstore-postgresql store in reSolve's read order (timestamp, threadCounter,
/// threadId) with one ordered query; the filter is part of that query. Everything read through one source
/// shares one read-only repeatable-read transaction, so counts, description and events agree while other
/// sessions write.
/// </summary>
public sealed class PostgresEventReader : IEventSource
{
    private const string Columns = """ "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload" """;
    private const string ReadOrder = """ ORDER BY "timestamp" ASC, "threadCounter" ASC, "threadId" ASC""";
    private const string KeyOrder = """ ORDER BY "threadId" ASC, "threadCounter" ASC""";
    // "C" orders by UTF-8 bytes as SQLite does; the database's own collation (en_US and the like) would not.
    private const string AggregateOrder = """ ORDER BY "aggregateId" COLLATE "C" ASC, "aggregateVersion" ASC""";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly PostgresSchema _schema;
    private readonly string _displayName;

    private PostgresEventReader(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresSchema schema, string displayName)
    {
        _connection = connection;
        _transaction = transaction;
        _schema = schema;
        _displayName = displayName;
    }

    public static PostgresEventReader Open(string connectionString, string schemaName, string displayName)
    {
        var schema = new PostgresSchema(schemaName);
        var connection = PostgresConnections.Open(connectionString, displayName);
        try
        {
            var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            PostgresConnections.Execute(connection, "SET TRANSACTION READ ONLY");
            PostgresConnections.RequireEventsTable(connection, schema, displayName);
            return new PostgresEventReader(connection, transaction, schema, displayName);
        }
        catch (NpgsqlException ex)
        {
            connection.Dispose();
            throw PostgresConnections.Translate(ex, displayName);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public long CountEvents() => Scalar<long>($"SELECT count(*) FROM {_schema.Events}");

    public IEnumerable<ResolveEvent> ReadEvents(EventFilter? filter = null, CancellationToken cancellation = default)
    {
        var query = CreateQuery(filter ?? EventFilter.All);
        EventStoreLog.Debug($"Query: {query.CommandText}");
        return EventStoreLog.Counted(Stream(query, ReadEvent, cancellation), "events", _displayName);
    }

    public IEnumerable<ResolveEvent> ReadEventsByKey(CancellationToken cancellation = default) =>
        EventStoreLog.Counted(Stream(new NpgsqlCommand($"SELECT{Columns}FROM {_schema.Events}{KeyOrder}", _connection), ReadEvent, cancellation), "events in key order", _displayName);

    public IEnumerable<Comparison.StoredEvent> ReadEventsByAggregate(CancellationToken cancellation = default) =>
        EventStoreLog.Counted(Stream(new NpgsqlCommand($"SELECT{Columns}FROM {_schema.Events}{AggregateOrder}", _connection), ReadStoredEvent, cancellation),
            "events in aggregate order", _displayName);

    public IEnumerable<ResolveSecret> ReadSecretsById(CancellationToken cancellation = default)
    {
        if (!TableExists("secrets")) return [];
        var command = new NpgsqlCommand($"""SELECT "secret", "id", "idx" FROM {_schema.Quoted}."secrets" ORDER BY "id" COLLATE "C" ASC""", _connection);
        return Stream(command, reader => new ResolveSecret(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), cancellation);
    }

    public IEnumerable<ResolveEvent> ReadThreadKeys(int threadId, long fromCounter, long toCounter, CancellationToken cancellation = default)
    {
        var command = new NpgsqlCommand($"""
            SELECT "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type" FROM {_schema.Events}
            WHERE "threadId" = @thread AND "threadCounter" >= @from AND "threadCounter" < @to{KeyOrder}
            """, _connection);
        command.Parameters.AddWithValue("thread", (long)threadId);
        command.Parameters.AddWithValue("from", fromCounter);
        command.Parameters.AddWithValue("to", toCounter);
        return Stream(command, reader => DbRows.ReadEvent(reader, "null"), cancellation);
    }

    public IEnumerable<ResolveSecret> ReadSecrets(CancellationToken cancellation = default)
    {
        if (!TableExists("secrets")) return [];
        var command = new NpgsqlCommand($"""SELECT "secret", "id", "idx" FROM {_schema.Quoted}."secrets" WHERE "secret" IS NOT NULL ORDER BY "idx" ASC""", _connection);
        return Stream(command, reader => new ResolveSecret(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), cancellation);
    }

    public bool IsFrozen()
    {
        try
        {
            return TableExists(PostgresSchema.FreezeTable);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnections.Translate(ex, _displayName);
        }
    }

    public IReadOnlyList<ResolveEvent> ReadLastEventPerThread(CancellationToken cancellation = default, IReadOnlyList<long>? below = null)
    {
        // One step down the primary key per thread (DISTINCT ON would read the whole table).
        var command = new NpgsqlCommand($"""
            SELECT e.* FROM {ThreadCounters} CROSS JOIN LATERAL
              (SELECT{Columns}FROM {_schema.Events} WHERE "threadId" = c.thread AND "threadCounter" < c.counter ORDER BY "threadCounter" DESC LIMIT 1) AS e
            ORDER BY e."threadId"
            """, _connection);
        AddThreadCounters(command, Enumerable.Range(0, PostgresSchema.ThreadCount).Select(thread => below?[thread] ?? long.MaxValue));
        return Stream(command, ReadEvent, cancellation).ToList();
    }

    public CursorBacklog ReadBacklog(IReadOnlyList<long> counters)
    {
        // Per thread: its newest counter, and its first event at or past the cursor, each one step down the primary key.
        var command = new NpgsqlCommand($"""
            SELECT c.thread, c.counter,
              (SELECT max("threadCounter") FROM {_schema.Events} WHERE "threadId" = c.thread),
              f."timestamp", f."threadCounter"
            FROM {ThreadCounters} LEFT JOIN LATERAL
              (SELECT "timestamp", "threadCounter" FROM {_schema.Events} WHERE "threadId" = c.thread AND "threadCounter" >= c.counter ORDER BY "threadCounter" LIMIT 1) AS f ON true
            """, _connection);
        AddThreadCounters(command, counters);
        return CursorBacklog.FromThreads(Stream(command, reader => (
            reader.GetInt64(1),
            reader.IsDBNull(2) ? (long?)null : reader.GetInt64(2),
            reader.IsDBNull(3) ? null : new ReadPosition(reader.GetInt64(3), reader.GetInt64(4), (int)reader.GetInt64(0))), CancellationToken.None).ToList());
    }

    /// <summary>A table c(thread, counter) of every thread's counter, from the array parameter @counters.</summary>
    private const string ThreadCounters = "(SELECT (n - 1) AS thread, counter FROM unnest(@counters::bigint[]) WITH ORDINALITY AS u(counter, n)) AS c";

    private static void AddThreadCounters(NpgsqlCommand command, IEnumerable<long> counters) =>
        command.Parameters.Add(new NpgsqlParameter("counters", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = counters.ToArray() });

    public IReadOnlyList<string> ListValues(EventField field, string prefix, int limit)
    {
        var column = field == EventField.Type ? "type" : "aggregateId";
        // ILIKE: case-insensitive, as PowerShell's completion is (and as SQLite's LIKE is for ASCII).
        var command = new NpgsqlCommand($"""SELECT DISTINCT "{column}" FROM {_schema.Events} WHERE "{column}" ILIKE @prefix ESCAPE '\' ORDER BY 1 LIMIT @limit""", _connection);
        command.Parameters.AddWithValue("prefix", WildcardPattern.PrefixToLike(prefix));
        command.Parameters.AddWithValue("limit", limit);
        return Stream(command, reader => reader.GetString(0), CancellationToken.None).ToList();
    }

    public EventStoreDescription Describe()
    {
        var hasSecrets = TableExists("secrets");
        return new EventStoreDescription
        {
            Store = _displayName,
            EventCount = CountEvents(),
            SecretCount = hasSecrets ? Scalar<long>($"""SELECT count("secret") FROM {_schema.Quoted}."secrets" """) : 0,
            DeletedSecretCount = hasSecrets ? Scalar<long>($"""SELECT count(*) - count("secret") FROM {_schema.Quoted}."secrets" """) : 0,
            SnapshotCount = TableExists("snapshots") ? Scalar<long>($"""SELECT count(*) FROM {_schema.Quoted}."snapshots" """) : 0,
            SubscriberCount = TableExists("subscribers") ? Scalar<long>($"""SELECT count(*) FROM {_schema.Quoted}."subscribers" """) : 0,
            FirstTimestamp = Scalar<long?>($"""SELECT min("timestamp") FROM {_schema.Events}"""),
            LastTimestamp = Scalar<long?>($"""SELECT max("timestamp") FROM {_schema.Events}"""),
            IsFrozen = TableExists(PostgresSchema.FreezeTable),
            IncrementalImportId = ReadIncrementalImportId(),
            LatestCursor = ReadLatestCursor(),
        };
    }

    /// <summary>reSolve keeps the id of an open incremental import in a comment on its table (spec 6.3).</summary>
    internal string? ReadIncrementalImportId()
    {
        try
        {
            return PostgresIncrementalImport.ReadOpenImportId(_connection, _schema);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnections.Translate(ex, _displayName);
        }
    }

    /// <summary>reSolve's PostgreSQL describe({calculateCursor}) gives the threads table: each thread's next counter.</summary>
    private ResolveCursor ReadLatestCursor()
    {
        var cursor = ResolveCursor.Start;
        if (!TableExists("events-threads")) return cursor;
        var command = new NpgsqlCommand($"""SELECT "threadId", "threadCounter" FROM {_schema.Threads} WHERE "threadCounter" > 0""", _connection);
        foreach (var (thread, next) in Stream(command, reader => (reader.GetInt64(0), reader.GetInt64(1)), CancellationToken.None))
            cursor.Advance(new ResolveEvent { ThreadId = (int)thread, ThreadCounter = next - 1 });
        return cursor;
    }

    private bool TableExists(string table) => PostgresConnections.TableExists(_connection, _schema, table);

    private T Scalar<T>(string sql)
    {
        try
        {
            var value = PostgresConnections.Scalar(_connection, sql);
            return value is DBNull or null ? default! : (T)value;
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnections.Translate(ex, _displayName);
        }
    }

    /// <summary>
    /// Streams the rows of a command. A reader left early (Select-Object -First, Ctrl+C) would otherwise
    /// read every remaining row off the socket when disposed; the query is cancelled on the server instead.
    /// </summary>
    private IEnumerable<T> Stream<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellation)
    {
        using var rows = DbRows.Stream(command, read, ex => PostgresConnections.Translate((NpgsqlException)ex, _displayName), cancellation).GetEnumerator();
        var completed = false;
        try
        {
            while (rows.MoveNext()) yield return rows.Current;
            completed = true;
        }
        finally
        {
            if (!completed) CancelQuietly(command);
        }
    }

    private static void CancelQuietly(NpgsqlCommand command)
    {
        try
        {
            command.Cancel();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // Nothing was running any more: the reader's dispose has nothing to drain.
        }
    }

    /// <summary>The one query: reSolve's cursor vector condition, types, aggregate ids, time range, limit.</summary>
    internal NpgsqlCommand CreateQuery(EventFilter filter)
    {
        var command = new NpgsqlCommand { Connection = _connection };
        var conditions = new List<string>();
        if (filter.ThreadCounters is { } counters)
        {
            if (counters.Count != PostgresSchema.ThreadCount)
                throw new EventStoreException(EventStoreErrorKind.InvalidInput, $"A cursor holds {PostgresSchema.ThreadCount} thread counters, not {counters.Count}.");
            // threadId = i AND threadCounter >= cursor[i] for every thread i, as one array lookup.
            conditions.Add("""
                "threadCounter" >= (@counters)[("threadId" + 1)::int]
                """);
            AddThreadCounters(command, counters);
        }
        if (filter.From is { } from)
        {
            // The leading range on "timestamp" alone starts the scan of the timestamp index there, not at its start.
            conditions.Add("""
                "timestamp" >= @fromTimestamp AND ("timestamp", "threadCounter", "threadId") >= (@fromTimestamp, @fromCounter, @fromThread)
                """);
            command.Parameters.AddWithValue("fromTimestamp", from.Timestamp);
            command.Parameters.AddWithValue("fromCounter", from.ThreadCounter);
            command.Parameters.AddWithValue("fromThread", (long)from.ThreadId);
        }
        if (filter.EventTypes is { } types)
            conditions.Add(ValueCondition(command, "type", "type", types));
        if (filter.AggregateIds is { } aggregateIds)
            conditions.Add(ValueCondition(command, "aggregateId", "aggregate", aggregateIds));
        if (filter.Since is { } since)
        {
            conditions.Add("""
                "timestamp" >= @since
                """);
            command.Parameters.AddWithValue("since", since);
        }
        if (filter.Until is { } until)
        {
            conditions.Add("""
                "timestamp" <= @until
                """);
            command.Parameters.AddWithValue("until", until);
        }
        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        var limit = "";
        if (filter.First is { } first)
        {
            limit = " LIMIT @first";
            command.Parameters.AddWithValue("first", Math.Max(0, first));
        }
        command.CommandText = $"SELECT{Columns}FROM {_schema.Events}{where}{ReadOrder}{limit}";
        return command;
    }

    /// <summary>Exact values as one = ANY(array) (index-friendly), wildcard patterns as LIKE (case-sensitive in PostgreSQL).</summary>
    private static string ValueCondition(NpgsqlCommand command, string column, string parameterPrefix, IReadOnlyList<string> values)
    {
        var exact = values.Where(v => !WildcardPattern.HasWildcards(v)).ToArray();
        var alternatives = new List<string>();
        if (exact.Length > 0 || values.Count == 0)
        {
            alternatives.Add($"\"{column}\" = ANY(@{parameterPrefix})");
            command.Parameters.Add(new NpgsqlParameter(parameterPrefix, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = exact });
        }
        var patterns = values.Where(WildcardPattern.HasWildcards).ToArray();
        for (var i = 0; i < patterns.Length; i++)
        {
            alternatives.Add($"\"{column}\" LIKE @{parameterPrefix}{i} ESCAPE '\\'");
            command.Parameters.AddWithValue($"{parameterPrefix}{i}", WildcardPattern.ToLike(patterns[i]));
        }
        return alternatives.Count == 1 ? alternatives[0] : $"({string.Join(" OR ", alternatives)})";
    }

    /// <summary>
    /// PostgreSQL gives JSONB as its own text (spaces after ':' and ',', its number forms); reSolve's pg driver
    /// parses it and JSON.stringify writes it again, which the canonicalization in ReadEvent does the same way,
    /// from the UTF-8 bytes the server sends (no string of JSONB's text is made).
    /// The key order is then JSONB's (shorter keys first, then bytewise) after the array-index keys, not the
    /// order the event was written with.
    /// </summary>
    private static ResolveEvent ReadEvent(NpgsqlDataReader reader) =>
        reader.IsDBNull(6) ? DbRows.ReadEvent(reader, "null") : DbRows.ReadEvent(reader, reader.GetFieldValue<byte[]>(6));

    /// <summary>An event with JSONB's own text of its payload (what PostgreSQL holds), for a byte-exact comparison.</summary>
    private static Comparison.StoredEvent ReadStoredEvent(NpgsqlDataReader reader)
    {
        var stored = reader.IsDBNull(6) ? "null"u8.ToArray() : reader.GetFieldValue<byte[]>(6);
        return new Comparison.StoredEvent(DbRows.ReadEvent(reader, stored), stored);
    }

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
    }
}
