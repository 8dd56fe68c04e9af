using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>Creates and drops reSolve's tables on an open connection (inside the caller's transaction).</summary>
internal static class SqliteStoreSchema
{
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
