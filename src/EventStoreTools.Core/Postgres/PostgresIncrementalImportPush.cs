using EventStoreTools.Core.Incremental;

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
            COPY {write.Schema.IncrementalImport}({PostgresWriteTransaction.EventColumns}) FROM STDIN (FORMAT BINARY)
            """;
    }

    public long EventCount { get; private set; }

    public void Add(ResolveEvent e)
    {
        EventValidation.RequireImportable(e);
        _write.AddEvent(_copyPending, e, PostgresEventSize.OfPushed(e));
        EventCount++;
    }

    public void Commit() => _write.Commit();

    public void Dispose() => _write.Dispose();
}
