using EventStoreTools.Core.Incremental;

namespace EventStoreTools.Core;

/// <summary>
/// One event store, whatever engine holds it. The cmdlets work only through this, so every engine gets
/// every cmdlet.
/// </summary>
public interface IEventStore
{
    /// <summary>How the store is named in messages (a file path, or a server and schema).</summary>
    string DisplayName { get; }

    /// <summary>
    /// The same text for every name of one store (a file path with links and relative parts resolved; a server,
    /// database and schema), to recognise a store on both sides of one pipeline.
    /// </summary>
    string Identity { get; }

    /// <summary>Whether payloads are kept as the text written (SQLite), not only as a JSON value (PostgreSQL's JSONB).</summary>
    bool KeepsPayloadText { get; }

    /// <summary>Whether the store exists at all (an import creates it when it does not).</summary>
    bool Exists();

    /// <summary>Opens the store for reading; fails clearly when it is missing or not an event store.</summary>
    IEventSource OpenSource();

    /// <summary>Starts an import transaction; nothing is visible until <see cref="IEventImport.Commit"/>.</summary>
    /// <param name="newStoreAccess">Who may read the store file when the import creates it (default: the umask's); nothing for a store that is no file.</param>
    IEventImport BeginImport(ImportMode mode, Files.NewFileAccess? newStoreAccess = null);

    /// <summary>
    /// Whether the store is the file at this path (through links, "..", letter case): a file the store is
    /// exported to or imported from must never be the store itself. Always false for a store that is no file.
    /// </summary>
    bool IsSameFileAs(string path);

    /// <summary>
    /// Removes what killed imports of this module left beside the store (temporary files no live process
    /// holds); returns the paths removed. Nothing for a store that is no file.
    /// </summary>
    IReadOnlyList<string> RemoveStaleTemporaryFiles();

    /// <summary>
    /// Sets or removes reSolve's freeze marker (the "events-freeze" table): while it is there reSolve's saveEvent
    /// fails with EventstoreFrozenError. Returns false when the store already was in that state. Freezing returns
    /// only once every write that began before the marker has ended, so a read after it sees all of them.
    /// </summary>
    bool SetFrozen(bool frozen);

    // Incremental import (reSolve's begin/push/commit/rollback).

    /// <summary>The id of the open incremental import, or null when none is open.</summary>
    string? OpenIncrementalImportId();

    /// <summary>Begins an incremental import and returns its id; fails when one is already open.</summary>
    string StartIncrementalImport();

    /// <summary>Begins one push of events into the open import with this id (one durable transaction).</summary>
    IIncrementalImportPush BeginIncrementalImportPush(string importId);

    /// <summary>
    /// Begins a whole incremental import in one transaction (Import-EventStore -Incremental): fails when an import
    /// is already open, and leaves nothing behind unless <see cref="IIncrementalImportSession.Complete"/> commits.
    /// </summary>
    IIncrementalImportSession BeginIncrementalImport();

    /// <summary>
    /// Writes the pushed events that are neither duplicates of stored events nor older than the newest
    /// stored event, in one transaction, and closes the import. On failure the store is unchanged and the
    /// pushed events stay, so the commit can be retried.
    /// </summary>
    IncrementalImportSummary CompleteIncrementalImport(string importId);

    /// <summary>
    /// Drops the open import and its pushed events; returns what was dropped, or null when no import was
    /// open. With an id, fails when the open import has another id.
    /// </summary>
    IncrementalImportUndo? UndoIncrementalImport(string? importId = null);
}

/// <summary>Engine-neutral conveniences over <see cref="IEventStore"/>.</summary>
public static class EventStoreExtensions
{
    /// <summary>Pushes events into the open import with this id in one transaction; returns how many.</summary>
    public static long PushIncrementalImport(this IEventStore store, string importId, IEnumerable<ResolveEvent> events, CancellationToken cancellation = default)
    {
        using var push = store.BeginIncrementalImportPush(importId);
        foreach (var e in events)
        {
            cancellation.ThrowIfCancellationRequested();
            push.Add(e);
        }
        push.Commit();
        return push.EventCount;
    }
}

/// <summary>A store opened for reading.</summary>
public interface IEventSource : IDisposable
{
    long CountEvents();

    /// <summary>The events the filter selects (all when null) in reSolve's read order (timestamp, threadCounter, threadId), streamed.</summary>
    IEnumerable<ResolveEvent> ReadEvents(EventFilter? filter = null, CancellationToken cancellation = default);

    /// <summary>Every event ordered by its key (threadId, threadCounter), streamed: two stores compare by merging these.</summary>
    IEnumerable<ResolveEvent> ReadEventsByKey(CancellationToken cancellation = default);

    /// <summary>
    /// Every event ordered by aggregateId (in UTF-8 byte order) and aggregateVersion, reSolve's unique key, each with
    /// its payload as stored, streamed: Compare-EventStore merges two of these.
    /// </summary>
    IEnumerable<Comparison.StoredEvent> ReadEventsByAggregate(CancellationToken cancellation = default);

    /// <summary>
    /// The events of one thread with threadCounter from <paramref name="fromCounter"/> up to, not including,
    /// <paramref name="toCounter"/>, in counter order, without their payloads (each reads as null): what a cursor
    /// read looks up to check that it passed over nothing.
    /// </summary>
    IEnumerable<ResolveEvent> ReadThreadKeys(int threadId, long fromCounter, long toCounter, CancellationToken cancellation = default);

    /// <summary>Counts, time range, freeze flag, open incremental import and latest cursor.</summary>
    EventStoreDescription Describe();

    /// <summary>The secrets that have a value, ordered by idx (reSolve's exportSecrets).</summary>
    IEnumerable<ResolveSecret> ReadSecrets(CancellationToken cancellation = default);

    /// <summary>Every secret row ordered by id (in UTF-8 byte order), a deleted secret (kept by reSolve as a row) with a null value.</summary>
    IEnumerable<ResolveSecret> ReadSecretsById(CancellationToken cancellation = default);

    /// <summary>Whether reSolve's freeze marker is present: one cheap query, for a reader that polls.</summary>
    bool IsFrozen();

    /// <summary>
    /// The newest event (highest threadCounter) of every thread that has events, ordered by threadId, one index
    /// lookup per thread; with <paramref name="below"/>, each thread's newest event below that cursor's counter.
    /// </summary>
    IReadOnlyList<ResolveEvent> ReadLastEventPerThread(CancellationToken cancellation = default, IReadOnlyList<long>? below = null);

    /// <summary>What the store holds at or past a cursor (its 256 thread counters), by index lookups only: a poll that finds nothing costs the same at any size.</summary>
    CursorBacklog ReadBacklog(IReadOnlyList<long> counters);

    /// <summary>Distinct values of a field starting with a prefix (wildcards allowed), sorted, for tab completion.</summary>
    IReadOnlyList<string> ListValues(EventField field, string prefix, int limit);
}

/// <summary>The text fields of an event that can be listed and filtered by value.</summary>
public enum EventField
{
    Type,
    AggregateId,
}

/// <summary>An import in progress: one transaction, rolled back on dispose unless committed.</summary>
public interface IEventImport : IDisposable
{
    /// <summary>Events written so far in this import.</summary>
    long EventCount { get; }

    /// <summary>Events the target held before the import (for a replace: the events it dropped).</summary>
    long ExistingEventCount { get; }

    void Add(ResolveEvent e);

    /// <summary>Secrets written so far in this import.</summary>
    long SecretCount { get; }

    /// <summary>Deletes every stored secret in this transaction (a restore that replaces the store's secrets).</summary>
    void DropSecrets();

    /// <summary>Stores a secret keeping its idx, as reSolve's eventstore-lite importSecrets does.</summary>
    void AddSecret(ResolveSecret secret);

    /// <summary>
    /// Commits without building the events table's secondary indexes when this import would build them (a load into
    /// an empty store, or into one that a deferred commit left without them), leaving them to the next import's
    /// commit: a load committed in many transactions (Sync-EventStore's initial sync) builds them once, at its end,
    /// instead of keeping them up to date row by row. SQLite's table keeps its own UNIQUE(aggregateId, aggregateVersion);
    /// on PostgreSQL that uniqueness is an index left out, checked when it is built.
    /// </summary>
    void DeferIndexBuild();

    void Commit();
}

/// <summary>What to do with a target store that already holds events.</summary>
public enum ImportMode
{
    /// <summary>Import into a new or empty store only; refuse one that holds events: nothing already stored is ever wiped or mixed by accident.</summary>
    IntoEmptyStore,

    /// <summary>Add the events to those already stored (reSolve's MAINTENANCE_MODE_MANUAL).</summary>
    Append,

    /// <summary>Drop the stored events and load the new ones (reSolve's MAINTENANCE_MODE_AUTO), atomically.</summary>
    Replace,
}
