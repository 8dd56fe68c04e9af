namespace EventStoreTools.Core.Writes;

/// <summary>What a command is about to write into a store: the guard's messages name it, and only a replace drops an open import.</summary>
public enum StoreWrite
{
    /// <summary>Import-EventStore into an empty or new store, or -Append.</summary>
    Import,

    /// <summary>Import-EventStore -Replace: drops the stored events, and with them an open incremental import.</summary>
    Replace,

    /// <summary>Import-EventStore -Incremental.</summary>
    IncrementalImport,

    /// <summary>Start-IncrementalImport.</summary>
    StartIncrementalImport,

    /// <summary>Add-IncrementalImport.</summary>
    PushIncrementalImport,

    /// <summary>Complete-IncrementalImport.</summary>
    CompleteIncrementalImport,

    /// <summary>Sync-EventStore into its destination.</summary>
    Mirror,
}

/// <summary>What the guard read of a store before a write.</summary>
public sealed record StoreWriteState(bool IsFrozen, string? OpenIncrementalImportId)
{
    /// <summary>A store that does not exist yet (or is not a store: the write itself says why) holds neither.</summary>
    public static readonly StoreWriteState Unmarked = new(false, null);
}

/// <summary>
/// The guard's verdict on one write: refused (with the way out), or allowed, with the warnings that -Force's
/// overrides must give. Read before ShouldProcess, so that -WhatIf and -Confirm can say it.
/// </summary>
public sealed class StoreWriteClearance
{
    internal StoreWriteClearance(StoreWriteState state, EventStoreException? refusal, IReadOnlyList<string> warnings, string note)
    {
        State = state;
        Refusal = refusal;
        Warnings = warnings;
        Note = note;
    }

    public StoreWriteState State { get; }

    /// <summary>Why the write is refused, or null when it may go on.</summary>
    public EventStoreException? Refusal { get; }

    /// <summary>What the overrides of -Force do, to be told as warnings when the write goes on.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>A note for the -WhatIf and -Confirm message ("" when there is nothing to say).</summary>
    public string Note { get; }

    public void ThrowIfRefused()
    {
        if (Refusal is not null) throw Refusal;
    }
}

/// <summary>
/// The one check every write into a store makes before it writes anything. reSolve's freeze marker
/// ("events-freeze") says that nothing may write to the store; reSolve's own import ignores it (its auto mode
/// freezes the store itself), and so did these tools, silently. Here a frozen store refuses every write unless
/// the command was given -Force, and a replace refuses to drop another session's open incremental import.
/// Reading a frozen store is always allowed, and Set-EventStore, Undo-IncrementalImport and a cutover's own
/// freeze of its source do not come here: they change the marker or discard pending work, not the events.
/// </summary>
public static class StoreWriteGuard
{
    /// <summary>Reads the store's freeze marker (and, for a replace, its open incremental import) and decides.</summary>
    public static StoreWriteClearance Check(IEventStore store, StoreWrite write, bool force) =>
        Decide(store.DisplayName, ReadState(store, write), write, force);

    public static StoreWriteState ReadState(IEventStore store, StoreWrite write)
    {
        if (!store.Exists()) return StoreWriteState.Unmarked;
        bool frozen;
        try
        {
            using var source = store.OpenSource();
            frozen = source.IsFrozen();
        }
        catch (EventStoreException ex) when (ex.Kind is EventStoreErrorKind.NotAnEventStore or EventStoreErrorKind.StoreNotFound)
        {
            // An empty file, or another schema: the write itself creates the store or says why it cannot.
            return StoreWriteState.Unmarked;
        }
        return new StoreWriteState(frozen, write == StoreWrite.Replace ? store.OpenIncrementalImportId() : null);
    }

    public static StoreWriteClearance Decide(string store, StoreWriteState state, StoreWrite write, bool force)
    {
        var warnings = new List<string>();
        if (state.IsFrozen && !force)
        {
            return new StoreWriteClearance(state, new EventStoreException(EventStoreErrorKind.StoreFrozen,
                $"The store {store} is frozen (reSolve's \"events-freeze\" marker: its application may not write to it), so {Describe(write)} is refused. Nothing was written. " +
                "Unfreeze it first with Set-EventStore -Frozen:$false, or add -Force to write into it anyway (it stays frozen)."),
                warnings, " (refused: the store is frozen; -Force would write anyway)");
        }
        if (state.IsFrozen)
            warnings.Add($"The store {store} is frozen; with -Force, {Describe(write)} goes on anyway. It stays frozen: its application still may not write to it until Set-EventStore -Frozen:$false.");
        if (state.OpenIncrementalImportId is { } id)
        {
            if (!force)
            {
                return new StoreWriteClearance(state, new EventStoreException(EventStoreErrorKind.ImportAlreadyOpen,
                    $"The store {store} has an open incremental import '{id}' (begun by Start-IncrementalImport, perhaps in another session), which a replace would drop with its pushed events. Nothing was written. " +
                    $"Finish it with Complete-IncrementalImport -ImportId {id} or drop it with Undo-IncrementalImport -ImportId {id} first, or add -Force to replace the store and discard it."),
                    warnings, $" (refused: the incremental import '{id}' is open; -Force would discard it)");
            }
            warnings.Add($"-Force replaces the store {store} and discards its open incremental import '{id}' with its pushed events.");
        }
        var note = state.IsFrozen ? " (the store is frozen: -Force writes anyway, and it stays frozen)" : "";
        if (state.OpenIncrementalImportId is { } open) note += $" (-Force discards the open incremental import '{open}')";
        return new StoreWriteClearance(state, null, warnings, note);
    }

    private static string Describe(StoreWrite write) => write switch
    {
        StoreWrite.Import => "importing events",
        StoreWrite.Replace => "replacing its events",
        StoreWrite.IncrementalImport => "an incremental import",
        StoreWrite.StartIncrementalImport => "starting an incremental import",
        StoreWrite.PushIncrementalImport => "pushing events into an incremental import",
        StoreWrite.CompleteIncrementalImport => "committing an incremental import",
        StoreWrite.Mirror => "mirroring events into it",
        _ => "writing",
    };
}
