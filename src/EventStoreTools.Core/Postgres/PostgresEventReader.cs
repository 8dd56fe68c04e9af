using EventStoreTools.Core.Json;
using Npgsql;
using NpgsqlTypes;

namespace EventStoreTools.Core.Postgres;

/// <summary>
/// Streams the events of an eventstore-postgresql store in reSolve's read order (timestamp, threadCounter,
/// threadId) with one ordered query; the filter is part of that query. Count and read share one read-only
/// repeatable-read transaction, so they see the same snapshot while other sessions write.
/// </summary>
public sealed class PostgresEventReader : IEventSource
{
    private const string Columns = """ "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload" """;
    private const string ReadOrder = """ ORDER BY "timestamp" ASC, "threadCounter" ASC, "threadId" ASC""";

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

    public long CountEvents()
    {
        try
        {
            return (long)PostgresConnections.Scalar(_connection, $"SELECT count(*) FROM {_schema.Events}")!;
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnections.Translate(ex, _displayName);
        }
    }

    public IEnumerable<ResolveEvent> ReadEvents(EventFilter? filter = null, CancellationToken cancellation = default)
    {
        using var command = CreateQuery(filter ?? EventFilter.All);
        foreach (var e in DbRows.Stream<NpgsqlDataReader, ResolveEvent>(command, ReadEvent, ex => PostgresConnections.Translate((NpgsqlException)ex, _displayName), cancellation))
            yield return e;
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
            command.Parameters.Add(new NpgsqlParameter("counters", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = counters.ToArray() });
        }
        if (filter.EventTypes is { } types)
        {
            conditions.Add("""
                "type" = ANY(@types)
                """);
            command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = types.ToArray() });
        }
        if (filter.AggregateIds is { } aggregateIds)
        {
            conditions.Add("""
                "aggregateId" = ANY(@aggregateIds)
                """);
            command.Parameters.Add(new NpgsqlParameter("aggregateIds", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = aggregateIds.ToArray() });
        }
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

    /// <summary>
    /// PostgreSQL gives JSONB as its own text (spaces after ':' and ',', its number forms); reSolve's pg driver
    /// parses it and JSON.stringify writes it again, which the canonicalizer does the same way. The key order
    /// is JSONB's (shorter keys first, then bytewise), not the order the event was written with.
    /// </summary>
    private static ResolveEvent ReadEvent(NpgsqlDataReader reader) =>
        DbRows.ReadEvent(reader, reader.IsDBNull(6) ? "null" : JsJson.Canonicalize(reader.GetString(6)));

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
    }
}
