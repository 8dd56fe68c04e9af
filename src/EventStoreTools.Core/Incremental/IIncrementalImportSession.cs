namespace EventStoreTools.Core.Incremental;

/// <summary>
/// A whole incremental import (begin, push, complete) in one transaction, as Import-EventStore -Incremental runs
/// it: until <see cref="Complete"/> commits, nothing of it is in the store, so a failure, Ctrl+C or a killed
/// process leaves the store byte for byte as it was and no import open to block the next one.
/// </summary>
public interface IIncrementalImportSession : IDisposable
{
    /// <summary>The id of the import, in reSolve's table for as long as the transaction runs.</summary>
    string ImportId { get; }

    /// <summary>Events added so far.</summary>
    long EventCount { get; }

    /// <summary>Adds an event; only timestamp, aggregateId, type and payload are used (reSolve's VersionlessEvent).</summary>
    void Add(ResolveEvent e);

    /// <summary>Imports what the store lacks, closes the import and commits; disposing without it rolls everything back.</summary>
    IncrementalImportSummary Complete();

    /// <summary>
    /// What <see cref="Complete"/> would do (imported, skipped as duplicates, skipped as older), worked out in the
    /// transaction and then rolled back: the dry run of Import-EventStore -Incremental -WhatIf.
    /// </summary>
    IncrementalImportSummary Preview();
}
