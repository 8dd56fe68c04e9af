using EventStoreTools.Core.Verification;
using Npgsql;

namespace EventStoreTools.Core.Postgres;

/// <summary>
/// Test-EventStore's PostgreSQL part. Catalog checks: no invalid or unready index (a failed CREATE INDEX
/// CONCURRENTLY or REINDEX leaves one), and, unless quick, every thread's next counter in "events-threads"
/// past its stored events (otherwise reSolve's next saveEvent collides with a stored key). Schema: the
/// columns and indexes compared with reSolve's DDL created in a scratch schema inside a transaction that is
/// rolled back, so the comparison follows the DDL we create stores with and the server's own spelling of it.
/// </summary>
internal static class PostgresStoreCheck
{
    private static readonly string[] Tables = ["events", "events-threads", "snapshots", "subscribers", "secrets"];

    public static void Run(PostgresEventStore store, bool quick, StoreCheckResult result)
    {
        using var connection = PostgresConnections.Open(store.ConnectionString, store.DisplayName);
        var schema = new PostgresSchema(store.Schema);
        try
        {
            PostgresConnections.RequireEventsTable(connection, schema, store.DisplayName);
            foreach (var index in Rows(connection, """
                SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = @schema AND NOT (i.indisvalid AND i.indisready) ORDER BY 1
                """, schema.Name))
            {
                result.Add(new StoreCheckProblem("Catalog", $"The index \"{index}\" is invalid (a failed index build): REINDEX it."));
            }
            if (!quick) CheckThreads(connection, schema, result);
            CompareSchema(connection, schema, result);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnections.Translate(ex, store.DisplayName);
        }
    }

    private static void CheckThreads(NpgsqlConnection connection, PostgresSchema schema, StoreCheckResult result)
    {
        using var command = new NpgsqlCommand($"""
            SELECT e."threadId", max(e."threadCounter") + 1, t."threadCounter"
            FROM {schema.Events} e LEFT JOIN {schema.Threads} t ON t."threadId" = e."threadId"
            GROUP BY e."threadId", t."threadCounter"
            HAVING t."threadCounter" IS NULL OR t."threadCounter" < max(e."threadCounter") + 1
            ORDER BY 1
            """, connection);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var thread = (int)reader.GetInt64(0);
            var next = reader.GetInt64(1);
            var message = reader.IsDBNull(2)
                ? $"Thread {thread} has events but no row in \"events-threads\"."
                : $"Thread {thread}: \"events-threads\" says the next threadCounter is {reader.GetInt64(2)}, but counters up to {next - 1} are stored.";
            result.Add(new StoreCheckProblem("Catalog", message) { ThreadId = thread, ThreadCounter = next - 1 });
        }
    }

    private static void CompareSchema(NpgsqlConnection connection, PostgresSchema schema, StoreCheckResult result)
    {
        var scratch = new PostgresSchema("eventstoretools-expected-" + Guid.NewGuid().ToString("N")[..12]);
        HashSet<string> want;
        using (var transaction = connection.BeginTransaction())
        {
            try
            {
                PostgresConnections.Execute(connection, $"CREATE SCHEMA {scratch.Quoted}");
                foreach (var sql in scratch.CreateEventStore(withEventIndexes: true)) PostgresConnections.Execute(connection, sql);
                want = Describe(connection, scratch);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                result.Note("The schema was not compared with reSolve's DDL: the user may not create a scratch schema to compare with.");
                return;
            }
            finally
            {
                transaction.Rollback();
            }
        }
        var have = Describe(connection, schema);
        foreach (var missing in want.Except(have))
            result.Add(new StoreCheckProblem("Schema", $"{missing}: missing or different from reSolve's DDL."));
        foreach (var extra in have.Except(want))
            result.Add(new StoreCheckProblem("Schema", $"{extra}: not in reSolve's DDL."));
    }

    /// <summary>reSolve's tables' columns and indexes, without the schema's name, as comparable lines.</summary>
    private static HashSet<string> Describe(NpgsqlConnection connection, PostgresSchema schema)
    {
        var lines = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in Rows(connection, """
            SELECT format('table "%s": column "%s" %s%s%s', table_name, column_name, data_type,
                coalesce('(' || character_maximum_length || ')', ''), CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END)
            FROM information_schema.columns WHERE table_schema = @schema AND table_name = ANY(@tables)
            """, schema.Name))
        {
            lines.Add(column);
        }
        foreach (var index in Rows(connection, """
            SELECT format('table "%s": index "%s" %s', tablename, indexname, substring(indexdef from ' USING .*$'))
            FROM pg_indexes WHERE schemaname = @schema AND tablename = ANY(@tables)
            """, schema.Name))
        {
            lines.Add(index);
        }
        return lines;
    }

    private static List<string> Rows(NpgsqlConnection connection, string sql, string schemaName)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("schema", schemaName);
        if (sql.Contains("@tables", StringComparison.Ordinal)) command.Parameters.AddWithValue("tables", Tables);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }
}
