using EventStoreTools.Core.Incremental;
using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// One push into lite's "events-incremental-import" table: one BEGIN IMMEDIATE transaction with a reused
/// prepared bulk INSERT, as reSolve's pushIncrementalImport writes the rows (threadId = timestamp % 256, payload as
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
    private SqliteBulkInsert? _insert;
    private int _timestamp, _aggregateId, _type, _payload, _threadId;
    private bool _committed;

    private SqliteIncrementalImportPush(string path, SqliteConnection connection)
    {
        _path = path;
        _connection = connection;
    }

    /// <summary>Prepared once the import table is known to exist.</summary>
    private void PrepareInsert()
    {
        var insert = _insert = new SqliteBulkInsert(_connection, InsertSql);
        (_timestamp, _aggregateId, _type, _payload, _threadId) = (insert.Parameter("$timestamp"),
            insert.Parameter("$aggregateId"), insert.Parameter("$type"), insert.Parameter("$payload"), insert.Parameter("$threadId"));
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
                push.PrepareInsert();
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
        var insert = _insert!;
        insert.Bind(_timestamp, e.Timestamp);
        insert.Bind(_aggregateId, e.AggregateId);
        insert.Bind(_type, e.Type);
        insert.Bind(_payload, e.PayloadJson);
        insert.Bind(_threadId, e.Timestamp % EventValidation.ThreadCount);
        try
        {
            insert.Execute();
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
        _insert?.Dispose();
        if (!_committed) SqliteIncrementalImport.RollBack(_connection);
        _connection.Dispose();
    }
}
