namespace EventStoreTools.Core.Incremental;

/// <summary>
/// One push into an open incremental import: one transaction, so the pushed events are stored durably and
/// all together at <see cref="Commit"/>, or not at all (dispose without commit).
/// </summary>
public interface IIncrementalImportPush : IDisposable
{
    /// <summary>Events added in this push.</summary>
    long EventCount { get; }

    /// <summary>Adds an event; only timestamp, aggregateId, type and payload are used (reSolve's VersionlessEvent).</summary>
    void Add(ResolveEvent e);

    void Commit();
}
