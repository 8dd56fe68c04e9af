using System.Diagnostics;
using EventStoreTools.Core.Incremental;

namespace EventStoreTools.Core.Postgres;

/// <summary>
/// One push into eventstore-postgresql's "events-incremental-import" table: one transaction with one binary
/// COPY of the columns reSolve's pushIncrementalImport writes (timestamp, aggregateId, type, payload,
/// eventSize; the thread stays NULL until the commit). reSolve sends an empty push as an INSERT without rows
/// and fails; here it is a no-op. The same transaction can also hold the start and the commit of the import
/// (<see cref="PostgresIncrementalImport.BeginSession"/>, <see cref="Complete"/>): the one-shot import.
/// </summary>
internal sealed class PostgresIncrementalImportPush : IIncrementalImportPush, IIncrementalImportSession
{
    private readonly PostgresWriteTransaction _write;
    private readonly string _copyPending;

    internal PostgresIncrementalImportPush(PostgresWriteTransaction write, string importId)
    {
        _write = write;
        ImportId = importId;
        _copyPending = $"""
            COPY {write.Schema.IncrementalImport}({PostgresWriteTransaction.EventColumns}) FROM STDIN (FORMAT BINARY)
            """;
    }

    public string ImportId { get; }

    public long EventCount { get; private set; }

    public void Add(ResolveEvent e)
    {
        EventValidation.RequireImportable(e);
        _write.AddEvent(_copyPending, e, PostgresEventSize.OfPushed(e));
        EventCount++;
    }

    public void Commit() => _write.Commit();

    /// <summary>Imports the pushed events and closes the import, in this push's transaction, and commits.</summary>
    public IncrementalImportSummary Complete()
    {
        var summary = Summarize();
        _write.Commit();
        return summary;
    }

    /// <summary>Runs the commit's statement and leaves the transaction to roll back on dispose.</summary>
    public IncrementalImportSummary Preview() => Summarize();

    private IncrementalImportSummary Summarize()
    {
        var clock = Stopwatch.StartNew();
        return _write.Translated(() =>
        {
            _write.EndCopy();
            return PostgresIncrementalImport.CompleteOn(_write, ImportId, clock);
        });
    }

    public void Dispose() => _write.Dispose();
}
