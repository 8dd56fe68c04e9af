namespace EventStoreTools.Core.Writes;

/// <summary>
/// What Import-EventStore -Replace drops from a store, for its confirmation and -WhatIf message: reSolve's dropEvents()
/// takes the events, snapshots and subscribers (and the freeze marker, an open incremental import); the secrets go only
/// when the input brings its own (a backup with secrets), as in reSolve's importEventStore.
/// </summary>
public sealed record ReplaceDrop(EventStoreDescription Stored, bool DropsSecrets)
{
    /// <summary>
    /// "600 events, 4 snapshots and 2 subscribers (the store's 3 secrets stay)", or with the input's secrets "…, and, if
    /// the backup holds secrets, 3 secrets".
    /// </summary>
    public string Describe()
    {
        var dropped = $"{Quantity.Of(Stored.EventCount, "event")}, {Quantity.Of(Stored.SnapshotCount, "snapshot")} and {Quantity.Of(Stored.SubscriberCount, "subscriber")}";
        return DropsSecrets
            ? $"{dropped}, and, if the backup holds secrets, {Quantity.Of(Stored.SecretCount, "secret")}"
            : $"{dropped} (the store's {Quantity.Of(Stored.SecretCount, "secret")} {Quantity.Noun(Stored.SecretCount, "stays", "stay")})";
    }

    /// <summary>
    /// Whether a replace by <paramref name="importedEvents"/> events would leave a store that holds events empty: an
    /// empty file or a pipeline whose first command failed is far more often a mistake than a wish to empty the store.
    /// </summary>
    public static bool WouldEmpty(long existingEvents, long importedEvents) => existingEvents > 0 && importedEvents == 0;
}
