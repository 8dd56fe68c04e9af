namespace EventStoreTools.Core;

/// <summary>What a store holds, as reSolve's describe() tells it, and a little more.</summary>
public sealed record EventStoreDescription
{
    public required string Store { get; init; }
    public long EventCount { get; init; }

    /// <summary>Secrets with a value (reSolve's secretCount counts these).</summary>
    public long SecretCount { get; init; }

    /// <summary>Secrets deleted with deleteSecret (their value is null; they are not exported).</summary>
    public long DeletedSecretCount { get; init; }

    /// <summary>Rows of reSolve's snapshots table (aggregate and read-model snapshots), which -Replace drops with the events.</summary>
    public long SnapshotCount { get; init; }

    /// <summary>Rows of reSolve's subscribers table (registered event subscribers), which -Replace drops with the events.</summary>
    public long SubscriberCount { get; init; }

    /// <summary>Timestamp (ms since epoch) of the oldest event, null when the store is empty.</summary>
    public long? FirstTimestamp { get; init; }

    /// <summary>Timestamp (ms since epoch) of the newest event, null when the store is empty.</summary>
    public long? LastTimestamp { get; init; }

    /// <summary>Whether reSolve's freeze marker is present (a frozen store refuses new events in reSolve).</summary>
    public bool IsFrozen { get; init; }

    /// <summary>The id of an incremental import that was begun and neither committed nor rolled back, if any.</summary>
    public string? IncrementalImportId { get; init; }

    public bool HasOpenIncrementalImport => IncrementalImportId is not null;

    /// <summary>The open incremental import as an object that Add-, Complete- and Undo-IncrementalImport take; null when none is open.</summary>
    public Incremental.IncrementalImportSession? IncrementalImport => IncrementalImportId is null ? null : new(Store, IncrementalImportId);

    /// <summary>The cursor after the newest event of every thread: an export with it reads only later events.</summary>
    public required ResolveCursor LatestCursor { get; init; }

    public DateTimeOffset? FirstEventTime => ToTime(FirstTimestamp);

    public DateTimeOffset? LastEventTime => ToTime(LastTimestamp);

    private static DateTimeOffset? ToTime(long? timestamp) =>
        timestamp is >= -62135596800000L and <= 253402300799999L ? DateTimeOffset.FromUnixTimeMilliseconds(timestamp.Value) : null;
}
