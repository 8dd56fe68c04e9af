namespace EventStoreTools.Cmdlets;

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
    TimeSpan Elapsed)
{
    public bool Identical => MissingCount == 0 && ExtraCount == 0 && ChangedCount == 0;
}
