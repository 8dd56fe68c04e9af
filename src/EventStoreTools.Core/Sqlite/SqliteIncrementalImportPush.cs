using EventStoreTools.Core.Incremental;
using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// One push into lite's "events-incremental-import" table: one BEGIN IMMEDIATE transaction with a reused
/// prepared INSERT, as reSolve's pushIncrementalImport writes the rows (threadId = timestamp % 256, payload as
/// its JSON text). reSolve sends an empty push as "VALUES ;" and fails; here it is a no-op.
/// </summary>
internal sealed class SqliteIncrementalImportPush : IIncrementalImportPush
{
    private const string InsertSql = """
        INSERT INTO "events-incremental-import"("timestamp", "aggregateId", "type", "payload", "threadId")
        VALUES ($timestamp, $aggregateId, $type, $payload, $threadId)
        """;

    private readonly string _path;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _timestamp, _aggregateId, _type, _payload, _threadId;
    private bool _committed;

    private SqliteIncrementalImportPush(string path, SqliteConnection connection)
    {
        _path = path;
        _connection = connection;
        _insert = connection.CreateCommand();
        _insert.CommandText = InsertSql;
        _timestamp = _insert.Parameters.Add("$timestamp", SqliteType.Integer);
        _aggregateId = _insert.Parameters.Add("$aggregateId", SqliteType.Text);
        _type = _insert.Parameters.Add("$type", SqliteType.Text);
        _payload = _insert.Parameters.Add("$payload", SqliteType.Text);
        _threadId = _insert.Parameters.Add("$threadId", SqliteType.Integer);
    }

    public long EventCount { get; private set; }

    public static SqliteIncrementalImportPush Begin(string path, string importId)
    {
        var connection = SqliteConnections.OpenExistingForWrite(path);
        var push = new SqliteIncrementalImportPush(path, connection);
        try
        {
            SqliteIncrementalImport.Translated(path, () =>
            {
                SqliteConnections.Execute(connection, "BEGIN IMMEDIATE");
                SqliteIncrementalImport.RequireOwnedBy(connection, importId);
                push._insert.Prepare();
                return push;
            });
            return push;
        }
        catch
        {
            push.Dispose();
            throw;
        }
    }

    public void Add(ResolveEvent e)
    {
        EventValidation.RequireImportable(e);
        _timestamp.Value = e.Timestamp;
        _aggregateId.Value = e.AggregateId;
        _type.Value = e.Type;
        _payload.Value = e.PayloadJson;
        _threadId.Value = e.Timestamp % EventValidation.ThreadCount;
        try
        {
            _insert.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            var translated = SqliteConnections.Translate(ex, _path);
            throw new EventStoreException(translated.Kind, translated.Message, ex) { Event = e };
        }
        EventCount++;
    }

    public void Commit()
    {
        SqliteIncrementalImport.Translated(_path, () =>
        {
            SqliteConnections.Execute(_connection, "COMMIT");
            return _committed = true;
        });
    }

    public void Dispose()
    {
        _insert.Dispose();
        if (!_committed) SqliteIncrementalImport.RollBack(_connection);
        _connection.Dispose();
    }
}
