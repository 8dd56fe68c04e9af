namespace EventStoreTools.Core.Comparison;

/// <summary>How two stores differ at one event or one secret.</summary>
public enum StoreChange
{
    /// <summary>An event (by aggregateId and aggregateVersion) in the reference store, not in the difference store.</summary>
    Missing,

    /// <summary>An event in the difference store, not in the reference store.</summary>
    Extra,

    /// <summary>An event in both, with another type, timestamp or payload (and perhaps numbered differently too).</summary>
    Changed,

    /// <summary>An event in both with the same content under another threadId or threadCounter.</summary>
    Renumbered,

    /// <summary>A secret (by id) in the reference store, not in the difference store.</summary>
    SecretMissing,

    /// <summary>A secret in the difference store, not in the reference store.</summary>
    SecretExtra,

    /// <summary>A secret in both, with another value, deleted on one side only, or under another idx.</summary>
    SecretChanged,
}

/// <summary>
/// One difference between two stores. An event is named by its aggregateId and aggregateVersion (both events are
/// given); a secret only by its id: secret values are never part of a difference.
/// </summary>
public sealed record StoreDifference(
    StoreChange Change,
    string? AggregateId,
    long? AggregateVersion,
    string? SecretId,
    ResolveEvent? ReferenceEvent,
    ResolveEvent? DifferenceEvent,
    IReadOnlyList<string> ChangedFields)
{
    /// <summary>The threadId of the reference event (of the difference event when only it exists).</summary>
    public int? ThreadId => (ReferenceEvent ?? DifferenceEvent)?.ThreadId;

    /// <summary>The threadCounter of the reference event (of the difference event when only it exists).</summary>
    public long? ThreadCounter => (ReferenceEvent ?? DifferenceEvent)?.ThreadCounter;

    public static StoreDifference ForEvent(StoreChange change, ResolveEvent? reference, ResolveEvent? difference, IReadOnlyList<string> changedFields)
    {
        var e = reference ?? difference!;
        return new StoreDifference(change, e.AggregateId, e.AggregateVersion, null, reference, difference, changedFields);
    }

    public static StoreDifference ForSecret(StoreChange change, string id, IReadOnlyList<string> changedFields) =>
        new(change, null, null, id, null, null, changedFields);
}
