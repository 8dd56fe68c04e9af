using EventStoreTools.Core.Verification;
using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// Test-EventStore's SQLite part: SQLite's own integrity check (quick_check with -Quick, which skips matching
/// the indexes to the rows) and the tables and indexes against reSolve's DDL, compared as SQLite describes
/// them (columns, types, constraints, index columns), not as SQL text.
/// </summary>
internal static class SqliteStoreCheck
{
    /// <summary>reSolve's tables that every store has; the freeze and incremental-import tables come and go.</summary>
    private static readonly string[] Tables = [SqliteSchema.EventsTable, "snapshots", "subscribers", SqliteSchema.SecretsTable];

    public static void Run(string path, bool quick, StoreCheckResult result)
    {
        using var connection = SqliteConnections.OpenForRead(path);
        try
        {
            foreach (var line in Rows(connection, quick ? "PRAGMA quick_check" : "PRAGMA integrity_check"))
            {
                if (line != "ok") result.Add(new StoreCheckProblem("Integrity", $"SQLite {(quick ? "quick_check" : "integrity_check")}: {line}"));
            }
            CompareSchema(connection, result);
        }
        catch (SqliteException ex)
        {
            throw SqliteConnections.Translate(ex, path);
        }
    }

    private static void CompareSchema(SqliteConnection store, StoreCheckResult result)
    {
        using var expected = new SqliteConnection("Data Source=:memory:");
        expected.Open();
        SqliteStoreSchema.CreateEventStore(expected, withEventIndexes: true);
        foreach (var table in Tables)
        {
            if (!SqliteConnections.TableExists(store, table))
            {
                result.Add(new StoreCheckProblem("Schema", $"The table \"{table}\" of reSolve's schema is missing."));
                continue;
            }
            var want = Describe(expected, table);
            var have = Describe(store, table);
            foreach (var missing in want.Except(have))
                result.Add(new StoreCheckProblem("Schema", $"Table \"{table}\": {missing} is missing or differs from reSolve's DDL."));
            foreach (var extra in have.Except(want))
                result.Add(new StoreCheckProblem("Schema", $"Table \"{table}\": {extra} is not in reSolve's DDL."));
        }
    }

    /// <summary>A table's columns and indexes as comparable lines.</summary>
    private static HashSet<string> Describe(SqliteConnection connection, string table)
    {
        var lines = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in Rows(connection, $"SELECT name || ' ' || upper(type) || iif(\"notnull\", ' NOT NULL', '') || iif(pk > 0, ' primary key #' || pk, '') FROM pragma_table_info({Literal(table)})"))
            lines.Add($"column {column}");
        foreach (var index in Rows(connection, $"SELECT name || iif(\"unique\", ' (unique)', '') FROM pragma_index_list({Literal(table)})"))
        {
            var name = index.Split(' ')[0];
            var columns = string.Join(", ", Rows(connection, $"SELECT name FROM pragma_index_info({Literal(name)}) ORDER BY seqno"));
            lines.Add($"index {index} on ({columns})");
        }
        return lines;
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static List<string> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!);
        return rows;
    }
}
