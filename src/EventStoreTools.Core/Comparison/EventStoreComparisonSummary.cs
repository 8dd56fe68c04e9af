namespace EventStoreTools.Core.Comparison;

/// <summary>What Compare-EventStore -Summary found.</summary>
public sealed record EventStoreComparisonSummary(
    string ReferenceStore,
    string DifferenceStore,
    long ReferenceCount,
    long DifferenceCount,
    long EqualCount,
    long MissingCount,
    long ExtraCount,
    long ChangedCount,
    long RenumberedCount,
    bool SecretsCompared,
    long ReferenceSecretCount,
    long DifferenceSecretCount,
    long MissingSecretCount,
    long ExtraSecretCount,
    long ChangedSecretCount,
    TimeSpan Elapsed)
{
    /// <summary>Every event is in both stores with the same type, timestamp and payload (numbering aside).</summary>
    public bool SameEvents => MissingCount == 0 && ExtraCount == 0 && ChangedCount == 0;

    /// <summary>
    /// The same events under the same threadId and threadCounter, and the same secrets: a cursor of one store
    /// then reads the same events from the other.
    /// </summary>
    public bool Identical => SameEvents && RenumberedCount == 0 && MissingSecretCount == 0 && ExtraSecretCount == 0 && ChangedSecretCount == 0;
}
