namespace EventStoreTools.Core;

/// <summary>How an event differs between a reference store and a difference store.</summary>
public enum EventChange
{
    /// <summary>In the reference store, not in the difference store.</summary>
    Missing,

    /// <summary>In the difference store, not in the reference store.</summary>
    Extra,

    /// <summary>In both under the same key, with other content.</summary>
    Changed,
}

/// <summary>How payloads are compared.</summary>
public enum PayloadComparison
{
    /// <summary>As JSON values: key order and number spelling do not matter (PostgreSQL's JSONB reorders keys).</summary>
    Json,

    /// <summary>As the canonical text export writes (what a mirror writes, so a mirror's checks compare this).</summary>
    Text,

    /// <summary>As the bytes the store holds (SQLite's payload text, JSONB's text), before any canonicalization.</summary>
    Bytes,
}

/// <summary>One event that differs, by its key (threadId, threadCounter).</summary>
public sealed record EventDifference(
    EventChange Change,
    int ThreadId,
    long ThreadCounter,
    ResolveEvent? ReferenceEvent,
    ResolveEvent? DifferenceEvent,
    IReadOnlyList<string> ChangedFields);

/// <summary>
/// Compares two stores by merging two reads ordered by the events' key (threadId, threadCounter), which is
/// reSolve's primary key and what an export/import keeps: memory stays flat however large the stores are. A mirror
/// copies events under their numbers, so its checks compare this way; Compare-EventStore pairs events by
/// (aggregateId, aggregateVersion) instead (<see cref="Comparison.StoreComparison"/>), the key reSolve keeps unique, which
/// a copy through an incremental import keeps too (it numbers threads anew, and versions in read order).
/// </summary>
public sealed class EventStoreComparison
{
    private readonly IEnumerable<ResolveEvent> _reference;
    private readonly IEnumerable<ResolveEvent> _difference;

    /// <param name="reference">The reference store's events, ordered by (threadId, threadCounter).</param>
    /// <param name="difference">The other store's events, in the same order.</param>
    /// <param name="payloads">How payloads are compared; as JSON values unless told otherwise.</param>
    public EventStoreComparison(IEnumerable<ResolveEvent> reference, IEnumerable<ResolveEvent> difference, PayloadComparison payloads = PayloadComparison.Json)
    {
        _reference = reference;
        _difference = difference;
        _payloads = payloads;
    }

    private readonly PayloadComparison _payloads;

    /// <summary>
    /// How payloads of two stores compare when nothing else is asked (a mirror's checks): as text when both keep
    /// payload text, as JSON values when either keeps only a value (PostgreSQL's JSONB orders keys its own way).
    /// </summary>
    public static PayloadComparison PayloadComparisonFor(IEventStore reference, IEventStore difference) =>
        reference.KeepsPayloadText && difference.KeepsPayloadText ? PayloadComparison.Text : PayloadComparison.Json;

    public long ReferenceCount { get; private set; }

    public long DifferenceCount { get; private set; }

    public long EqualCount { get; private set; }

    public IEnumerable<EventDifference> Differences()
    {
        using var reference = _reference.GetEnumerator();
        using var difference = _difference.GetEnumerator();
        var left = Next(reference, isReference: true);
        var right = Next(difference, isReference: false);
        while (left is not null || right is not null)
        {
            var order = left is null ? 1 : right is null ? -1 : CompareKeys(left, right);
            if (order < 0)
            {
                yield return new EventDifference(EventChange.Missing, left!.ThreadId, left.ThreadCounter, left, null, []);
                left = Next(reference, isReference: true);
            }
            else if (order > 0)
            {
                yield return new EventDifference(EventChange.Extra, right!.ThreadId, right.ThreadCounter, null, right, []);
                right = Next(difference, isReference: false);
            }
            else
            {
                var changed = ChangedFields(left!, right!);
                if (changed.Count > 0)
                    yield return new EventDifference(EventChange.Changed, left!.ThreadId, left.ThreadCounter, left, right, changed);
                else
                    EqualCount++;
                left = Next(reference, isReference: true);
                right = Next(difference, isReference: false);
            }
        }
    }

    private ResolveEvent? Next(IEnumerator<ResolveEvent> events, bool isReference)
    {
        if (!events.MoveNext()) return null;
        if (isReference) ReferenceCount++;
        else DifferenceCount++;
        return events.Current;
    }

    private bool PayloadsEqual(ResolveEvent a, ResolveEvent b) => Comparison.PayloadEquality.AreEqual(a, b, asJsonValues: _payloads == PayloadComparison.Json);

    private static int CompareKeys(ResolveEvent a, ResolveEvent b)
    {
        var byThread = a.ThreadId.CompareTo(b.ThreadId);
        return byThread != 0 ? byThread : a.ThreadCounter.CompareTo(b.ThreadCounter);
    }

    private List<string> ChangedFields(ResolveEvent a, ResolveEvent b)
    {
        var changed = new List<string>();
        if (a.Timestamp != b.Timestamp) changed.Add(nameof(ResolveEvent.Timestamp));
        if (!string.Equals(a.AggregateId, b.AggregateId, StringComparison.Ordinal)) changed.Add(nameof(ResolveEvent.AggregateId));
        if (a.AggregateVersion != b.AggregateVersion) changed.Add(nameof(ResolveEvent.AggregateVersion));
        if (!string.Equals(a.Type, b.Type, StringComparison.Ordinal)) changed.Add(nameof(ResolveEvent.Type));
        if (!PayloadsEqual(a, b)) changed.Add(nameof(ResolveEvent.Payload));
        return changed;
    }
}
