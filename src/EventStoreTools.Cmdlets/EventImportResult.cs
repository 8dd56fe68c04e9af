namespace EventStoreTools.Cmdlets;

/// <summary>What Import-EventStore did.</summary>
/// <param name="Action">What the import did to its store: Created, Appended, Replaced, or (-WhatIf only) Refused; the
/// core's ImportAction as text, since a core type here would load the core before the module's load context exists.</param>
public sealed record EventImportResult(string Store, string Action, long ImportedCount, long PreviousCount, TimeSpan Elapsed)
{
    /// <summary>Secrets restored from a backup folder (-Directory).</summary>
    public long ImportedSecretCount { get; init; }

    /// <summary>Events read but left out by -EventType, -AggregateId, -Since or -Until (a partial restore).</summary>
    public long FilteredOutCount { get; init; }

    /// <summary>True for a dry run (-WhatIf): Action and ImportedCount are what the import would do; nothing was written.</summary>
    public bool WhatIf { get; init; }
}
