using System.Net;
using EventStoreTools.Core.Incremental;
using Npgsql;

namespace EventStoreTools.Core.Postgres;

/// <summary>
/// A reSolve eventstore-postgresql store: the tables of one schema (reSolve's databaseName) on a server, with
/// reSolve's default table names.
/// </summary>
public sealed class PostgresEventStore : IEventStore
{
    /// <param name="cancellation">Cancels a long statement on the server (Ctrl+C), such as the commit of an incremental import.</param>
    /// <param name="credential">A user name and password that replace those of the connection string (a PSCredential's, say).</param>
    public PostgresEventStore(string connectionString, string schema, CancellationToken cancellation = default, NetworkCredential? credential = null)
    {
        PostgresSchema.RequireKeptByServer(schema);
        ConnectionString = PostgresConnections.Normalize(PostgresConnections.WithCredential(connectionString, credential));
        Schema = schema;
        Cancellation = cancellation;
        DisplayName = PostgresConnections.DisplayName(ConnectionString, schema);
    }

    /// <summary>The connection string as given, normalized (see <see cref="PostgresConnections.Normalize"/>).</summary>
    public string ConnectionString { get; }

    public string Schema { get; }

    /// <summary>The connection string without its password, and the login it held: what an output object may carry.</summary>
    public (string ConnectionString, NetworkCredential? Credential) ShownConnection => PostgresConnections.WithoutPassword(ConnectionString);

    public string DisplayName { get; }

    public string Identity => PostgresConnections.Identity(ConnectionString, Schema);

    internal CancellationToken Cancellation { get; }

    public bool KeepsPayloadText => false;

    public bool Exists()
    {
        using var connection = PostgresConnections.Open(ConnectionString, DisplayName);
        try
        {
            return PostgresConnections.EventsTableExists(connection, new PostgresSchema(Schema));
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnections.Translate(ex, DisplayName);
        }
    }

    public IEventSource OpenSource() => PostgresEventReader.Open(ConnectionString, Schema, DisplayName);

    public IEventImport BeginImport(ImportMode mode, Files.NewFileAccess? newStoreAccess = null) => PostgresEventImport.Begin(ConnectionString, Schema, DisplayName, mode, Cancellation);

    public bool IsSameFileAs(string path) => false;

    public IReadOnlyList<string> RemoveStaleTemporaryFiles() => [];
    public bool SetFrozen(bool frozen)
    {
        var changed = PostgresWriteTransaction.Run(ConnectionString, Schema, DisplayName, Cancellation, write =>
        {
            PostgresConnections.RequireEventsTable(write.Connection, write.Schema, DisplayName);
            if (PostgresConnections.TableExists(write.Connection, write.Schema, PostgresSchema.FreezeTable) == frozen) return false;
            foreach (var sql in frozen ? write.Schema.CreateFreezeTable() : [write.Schema.DropFreezeTable]) write.Execute(sql);
            return true;
        });
        // A saveEvent whose statement began before the marker was committed still writes: wait for it.
        if (frozen)
            PostgresWriteTransaction.Run(ConnectionString, Schema, DisplayName, Cancellation, write => { write.Execute(write.Schema.WaitForEventWriters); return 0; });
        return changed;
    }

    public string? OpenIncrementalImportId() => PostgresIncrementalImport.OpenImportId(this);

    public string StartIncrementalImport() => PostgresIncrementalImport.Start(this);

    public IIncrementalImportPush BeginIncrementalImportPush(string importId) => PostgresIncrementalImport.BeginPush(this, importId);

    public IIncrementalImportSession BeginIncrementalImport() => PostgresIncrementalImport.BeginSession(this);

    public IncrementalImportSummary CompleteIncrementalImport(string importId) => PostgresIncrementalImport.Complete(this, importId);

    public IncrementalImportUndo? UndoIncrementalImport(string? importId = null) => PostgresIncrementalImport.Undo(this, importId);
}
