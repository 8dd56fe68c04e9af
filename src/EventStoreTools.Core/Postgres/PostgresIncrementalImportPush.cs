using EventStoreTools.Core.Incremental;
using NpgsqlTypes;

namespace EventStoreTools.Core.Postgres;

/// <summary>
/// One push into eventstore-postgresql's "events-incremental-import" table: one transaction with one binary
/// COPY of the columns reSolve's pushIncrementalImport writes (timestamp, aggregateId, type, payload,
/// eventSize; the thread stays NULL until the commit). reSolve sends an empty push as an INSERT without rows
/// and fails; here it is a no-op.
/// </summary>
internal sealed class PostgresIncrementalImportPush : IIncrementalImportPush
{
    private readonly PostgresWriteTransaction _write;
    private readonly string _copyPending;

    internal PostgresIncrementalImportPush(PostgresWriteTransaction write)
    {
        _write = write;
        _copyPending = $"""
            COPY {write.Schema.IncrementalImport}("timestamp", "aggregateId", "type", "payload", "eventSize") FROM STDIN (FORMAT BINARY)
            """;
    }

    public long EventCount { get; private set; }

    public void Add(ResolveEvent e)
    {
        EventValidation.RequireImportable(e);
        _write.AddRow(_copyPending, e, static (copy, e) =>
        {
            copy.Write(e.Timestamp, NpgsqlDbType.Bigint);
            copy.Write(e.AggregateId, NpgsqlDbType.Varchar);
            copy.Write(e.Type, NpgsqlDbType.Varchar);
            copy.Write(e.PayloadJson, NpgsqlDbType.Jsonb);
            copy.Write(PostgresEventSize.OfPushed(e), NpgsqlDbType.Bigint);
        });
        EventCount++;
    }

    public void Commit() => _write.Commit();

    public void Dispose() => _write.Dispose();
}
