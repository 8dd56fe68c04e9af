namespace EventStoreTools.Cmdlets;

/// <summary>What Import-EventStore did.</summary>
public sealed record EventImportResult(string Path, string Mode, long ImportedCount, long PreviousCount, TimeSpan Elapsed)
{
    /// <summary>Secrets restored from a backup folder (-Directory).</summary>
    public long ImportedSecretCount { get; init; }

    /// <summary>Events read but left out by -EventType, -AggregateId, -Since or -Until (a partial restore).</summary>
    public long FilteredOutCount { get; init; }

    /// <summary>True for a dry run (-WhatIf): ImportedCount is what would be written; nothing was.</summary>
    public bool WhatIf { get; init; }

    /// <summary>What the import does to the target: Create, Append, Replace, or Refuse (a store with events, without -Append or -Replace).</summary>
    public string? TargetAction { get; init; }
}
