namespace EventStoreTools.Core.Incremental;

/// <summary>What the commit of an incremental import did.</summary>
public sealed record IncrementalImportSummary
{
    public required string Store { get; init; }
    public required string ImportId { get; init; }

    /// <summary>Events pushed into the import, by every push.</summary>
    public long PushedCount { get; init; }

    /// <summary>Events written to the store.</summary>
    public long ImportedCount { get; init; }

    /// <summary>Events equal to a stored one on timestamp, aggregateId, type and payload (as JSON values).</summary>
    public long SkippedDuplicateCount { get; init; }

    /// <summary>
    /// Of <see cref="SkippedDuplicateCount"/>, the events that repeat an event more often than the store holds it: reSolve's
    /// duplicate rule ignores the version, so an aggregate's identical events of one millisecond (same type and payload)
    /// collapse into the stored one, though the input holds them at other versions.
    /// </summary>
    public long CollapsedRepeatCount { get; init; }

    /// <summary>The first of <see cref="CollapsedRepeatCount"/> in push order: its timestamp, aggregateId, type and payload (an incremental import reads nothing else).</summary>
    public ResolveEvent? FirstCollapsedRepeat { get; init; }

    /// <summary>Events, not duplicates, older than the newest event the store held before the commit.</summary>
    public long SkippedOlderCount { get; init; }

    /// <summary>The newest timestamp the store held before the commit (null when it was empty).</summary>
    public long? NewestStoredTimestamp { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>True for a dry run (Import-EventStore -Incremental -WhatIf): the counts are what a commit would do; nothing was written.</summary>
    public bool WhatIf { get; init; }

    public DateTimeOffset? NewestStoredTime =>
        NewestStoredTimestamp is >= -62135596800000L and <= 253402300799999L
            ? DateTimeOffset.FromUnixTimeMilliseconds(NewestStoredTimestamp.Value)
            : null;
}
