using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>Recognises, creates and drops reSolve's tables on an open connection (inside the caller's transaction).</summary>
internal static class SqliteStoreSchema
{
    /// <summary>
    /// Fails with <see cref="EventStoreErrorKind.NotAnEventStore"/> unless the events table (and the secrets table,
    /// when there is one) has the columns, primary key and unique key of reSolve's DDL: a table that is merely
    /// named "events" belongs to another application, and is neither read as events nor dropped by -Replace.
    /// </summary>
    public static void RequireResolveTables(SqliteConnection connection, string path)
    {
        RequireShape(connection, path, SqliteSchema.EventsShape);
        if (SqliteConnections.TableExists(connection, SqliteSchema.SecretsTable))
            RequireShape(connection, path, SqliteSchema.SecretsShape);
    }

    private static void RequireShape(SqliteConnection connection, string path, TableShape shape)
    {
        var columns = new List<ColumnShape>();
        var primaryKey = new List<(long Position, string Name)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, type, \"notnull\", pk FROM pragma_table_info($table)";
            command.Parameters.AddWithValue("$table", shape.Table);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(new ColumnShape(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0));
                if (reader.GetInt64(3) > 0) primaryKey.Add((reader.GetInt64(3), reader.GetString(0)));
            }
        }
        var difference = shape.Difference(columns, primaryKey.Select(k => k.Name).ToList(), UniqueKeys(connection, shape.Table));
        if (difference is not null)
            throw new EventStoreException(EventStoreErrorKind.NotAnEventStore,
                $"'{path}' is not a reSolve event store: its \"{shape.Table}\" table is not reSolve's ({difference}).");
    }

    /// <summary>The column sets of the table's unique constraints and unique indexes (not partial ones).</summary>
    private static List<IReadOnlyCollection<string>> UniqueKeys(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT l.name, i.name FROM pragma_index_list($table) AS l JOIN pragma_index_info(l.name) AS i
            WHERE l."unique" = 1 AND l.partial = 0 ORDER BY l.name, i.seqno
            """;
        command.Parameters.AddWithValue("$table", table);
        using var reader = command.ExecuteReader();
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var index = reader.GetString(0);
            if (!keys.TryGetValue(index, out var columns)) keys[index] = columns = [];
            // An index on an expression has no column name.
            columns.Add(reader.IsDBNull(1) ? "" : reader.GetString(1));
        }
        return [.. keys.Values];
    }

    public static void CreateEventStore(SqliteConnection connection, bool withEventIndexes)
    {
        SqliteConnections.Execute(connection, SqliteSchema.CreateEventsTable);
        if (withEventIndexes) CreateEventIndexes(connection);
        SqliteConnections.Execute(connection, SqliteSchema.CreateSnapshotsTable);
        SqliteConnections.Execute(connection, SqliteSchema.CreateSubscribersTable);
        if (!SqliteConnections.TableExists(connection, SqliteSchema.SecretsTable))
        {
            SqliteConnections.Execute(connection, SqliteSchema.CreateSecretsTable);
            SqliteConnections.Execute(connection, SqliteSchema.CreateSecretsIndex);
        }
    }

    public static void CreateEventIndexes(SqliteConnection connection)
    {
        foreach (var (_, sql) in SqliteSchema.EventIndexes)
            SqliteConnections.Execute(connection, sql);
    }

    /// <summary>Whether every secondary index of the events table is there.</summary>
    public static bool HasEventIndexes(SqliteConnection connection) =>
        SqliteSchema.EventIndexes.All(index => (long)SqliteConnections.Scalar(connection,
            $"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '{index.Name}'")! == 1);

    public static void DropEventIndexes(SqliteConnection connection)
    {
        foreach (var (name, _) in SqliteSchema.EventIndexes)
            SqliteConnections.Execute(connection, $"DROP INDEX IF EXISTS \"{name}\"");
    }

    public static void DropEvents(SqliteConnection connection)
    {
        foreach (var sql in SqliteSchema.DropEventsStatements)
            SqliteConnections.Execute(connection, sql);
    }
}
