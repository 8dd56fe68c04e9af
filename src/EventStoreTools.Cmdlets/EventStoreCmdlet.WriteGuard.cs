using EventStoreTools.Core;
using EventStoreTools.Core.Writes;

namespace EventStoreTools.Cmdlets;

/// <summary>The one guard of every write, asked before ShouldProcess and applied once the write is confirmed.</summary>
public abstract partial class EventStoreCmdlet
{
    /// <summary>
    /// What the one guard of every write (<see cref="StoreWriteGuard"/>) says of writing into a store: read before
    /// ShouldProcess, so that -WhatIf and -Confirm can say it (its <see cref="StoreWriteClearance.Note"/>).
    /// </summary>
    protected StoreWriteClearance CheckWrite(IEventStore store, StoreWrite write, bool force)
    {
        StoreWriteClearance? clearance = null;
        Run(() => clearance = StoreWriteGuard.Check(store, write, force), store.DisplayName);
        return clearance!;
    }

    /// <summary>Once the write is confirmed: refuses it (an <see cref="EventStoreException"/>, for Run), or warns what -Force overrides.</summary>
    protected void Proceed(StoreWriteClearance clearance)
    {
        clearance.ThrowIfRefused();
        foreach (var warning in clearance.Warnings) WriteWarning(warning);
    }
}
