namespace EventStoreTools.Core.Comparison;

/// <summary>
/// Compares two stores by what reSolve keeps unique: events by (aggregateId, aggregateVersion), secrets by id.
/// Both sides are read in that order and merged, so memory stays flat however large the stores are. A pair of
/// events with the same type, timestamp and payload under another threadId or threadCounter (an incremental
/// import renumbers as reSolve does) is a numbering difference, not a changed event.
/// </summary>
public sealed class StoreComparison(ComparisonSide reference, ComparisonSide difference, PayloadComparison payloads = PayloadComparison.Json)
{
    public long ReferenceCount { get; private set; }
    public long DifferenceCount { get; private set; }
    public long EqualCount { get; private set; }
    public long MissingCount { get; private set; }
    public long ExtraCount { get; private set; }
    public long ChangedCount { get; private set; }
    public long RenumberedCount { get; private set; }

    /// <summary>Whether both sides hold secrets (an NDJSON export of events holds none).</summary>
    public bool SecretsCompared => reference.Secrets is not null && difference.Secrets is not null;

    public long ReferenceSecretCount { get; private set; }
    public long DifferenceSecretCount { get; private set; }
    public long MissingSecretCount { get; private set; }
    public long ExtraSecretCount { get; private set; }
    public long ChangedSecretCount { get; private set; }

    /// <summary>The differences, events first (in key order), then secrets (by id); the counts are final at the end.</summary>
    public IEnumerable<StoreDifference> Differences()
    {
        foreach (var d in EventDifferences()) yield return d;
        if (!SecretsCompared) yield break;
        foreach (var d in SecretDifferences()) yield return d;
    }

    public EventStoreComparisonSummary Summarize(string referenceStore, string differenceStore, TimeSpan elapsed) => new(
        referenceStore, differenceStore, ReferenceCount, DifferenceCount, EqualCount, MissingCount, ExtraCount, ChangedCount, RenumberedCount,
        SecretsCompared, ReferenceSecretCount, DifferenceSecretCount, MissingSecretCount, ExtraSecretCount, ChangedSecretCount, elapsed);

    private IEnumerable<StoreDifference> EventDifferences()
    {
        var pairs = SortedMerge.Pair(reference.Events, difference.Events, (a, b) => AggregateKeyOrder.Compare(a.Event, b.Event), EventsOutOfOrder);
        foreach (var (left, right) in pairs)
        {
            if (left is not null) ReferenceCount++;
            if (right is not null) DifferenceCount++;
            if (right is null)
            {
                MissingCount++;
                yield return StoreDifference.ForEvent(StoreChange.Missing, left!.Event, null, []);
            }
            else if (left is null)
            {
                ExtraCount++;
                yield return StoreDifference.ForEvent(StoreChange.Extra, null, right.Event, []);
            }
            else
            {
                var changed = ContentChanges(left, right);
                var contentChanged = changed.Count > 0;
                var renumbered = left.Event.ThreadId != right.Event.ThreadId || left.Event.ThreadCounter != right.Event.ThreadCounter;
                if (left.Event.ThreadId != right.Event.ThreadId) changed.Add(nameof(ResolveEvent.ThreadId));
                if (left.Event.ThreadCounter != right.Event.ThreadCounter) changed.Add(nameof(ResolveEvent.ThreadCounter));
                if (renumbered) RenumberedCount++;
                if (contentChanged) ChangedCount++;
                else EqualCount++;
                if (changed.Count > 0)
                    yield return StoreDifference.ForEvent(contentChanged ? StoreChange.Changed : StoreChange.Renumbered, left.Event, right.Event, changed);
            }
        }
    }

    private List<string> ContentChanges(StoredEvent a, StoredEvent b)
    {
        var changed = new List<string>();
        if (a.Event.Timestamp != b.Event.Timestamp) changed.Add(nameof(ResolveEvent.Timestamp));
        if (!string.Equals(a.Event.Type, b.Event.Type, StringComparison.Ordinal)) changed.Add(nameof(ResolveEvent.Type));
        if (!PayloadsEqual(a, b)) changed.Add(nameof(ResolveEvent.Payload));
        return changed;
    }

    private bool PayloadsEqual(StoredEvent a, StoredEvent b) => payloads == PayloadComparison.Bytes
        ? a.StoredPayload.Span.SequenceEqual(b.StoredPayload.Span)
        : PayloadEquality.AreEqual(a.Event, b.Event, asJsonValues: payloads == PayloadComparison.Json);

    private IEnumerable<StoreDifference> SecretDifferences()
    {
        // A backup's secrets file cannot hold a deleted secret: against it, only secrets with a value are compared.
        var comparesDeleted = reference.KeepsDeletedSecrets && difference.KeepsDeletedSecrets;
        IEnumerable<ResolveSecret> Compared(IEnumerable<ResolveSecret> secrets) => comparesDeleted ? secrets : secrets.Where(s => s.Secret is not null);
        var pairs = SortedMerge.Pair(Compared(reference.Secrets!), Compared(difference.Secrets!), (a, b) => AggregateKeyOrder.CompareUtf8(a.Id, b.Id), SecretsOutOfOrder);
        foreach (var (left, right) in pairs)
        {
            if (left is not null) ReferenceSecretCount++;
            if (right is not null) DifferenceSecretCount++;
            if (right is null)
            {
                MissingSecretCount++;
                yield return StoreDifference.ForSecret(StoreChange.SecretMissing, left!.Id, []);
            }
            else if (left is null)
            {
                ExtraSecretCount++;
                yield return StoreDifference.ForSecret(StoreChange.SecretExtra, right.Id, []);
            }
            else if (Compare(left, right) is { Count: > 0 } changed)
            {
                ChangedSecretCount++;
                yield return StoreDifference.ForSecret(StoreChange.SecretChanged, left.Id, changed);
            }
        }
    }

    private static List<string> Compare(ResolveSecret a, ResolveSecret b)
    {
        var changed = new List<string>();
        if ((a.Secret is null) != (b.Secret is null)) changed.Add("Deleted");
        else if (!string.Equals(a.Secret, b.Secret, StringComparison.Ordinal)) changed.Add(nameof(ResolveSecret.Secret));
        if (a.Idx != b.Idx) changed.Add(nameof(ResolveSecret.Idx));
        return changed;
    }

    private static EventStoreException EventsOutOfOrder(string side, StoredEvent previous, StoredEvent next) =>
        new(EventStoreErrorKind.InvalidInput, AggregateKeyOrder.Compare(previous.Event, next.Event) == 0
            ? $"The {side} store holds aggregate '{next.Event.AggregateId}' version {next.Event.AggregateVersion} twice (threadId {previous.Event.ThreadId}, threadCounter {previous.Event.ThreadCounter} and threadId {next.Event.ThreadId}, threadCounter {next.Event.ThreadCounter}), which reSolve's unique index forbids: run Test-EventStore on it."
            : $"The {side} store did not read in (aggregateId, aggregateVersion) order: aggregate '{next.Event.AggregateId}' version {next.Event.AggregateVersion} came after '{previous.Event.AggregateId}' version {previous.Event.AggregateVersion}. Nothing was compared after it; report this with both stores' kinds.");

    private static EventStoreException SecretsOutOfOrder(string side, ResolveSecret previous, ResolveSecret next) =>
        new(EventStoreErrorKind.InvalidInput, previous.Id == next.Id
            ? $"The {side} store holds the secret id '{next.Id}' twice, which reSolve's primary key forbids: run Test-EventStore on it."
            : $"The {side} store did not read its secrets in id order: '{next.Id}' came after '{previous.Id}'. Report this with both stores' kinds.");
}
