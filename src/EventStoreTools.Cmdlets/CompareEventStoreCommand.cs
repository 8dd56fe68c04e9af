using System.Management.Automation;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Compare-EventStore: the events that differ between two stores (missing, extra, changed), keyed by
/// (threadId, threadCounter), by merging two ordered streaming reads.
/// </summary>
[Cmdlet(VerbsData.Compare, "EventStore", DefaultParameterSetName = DifferencesSet)]
[OutputType(typeof(EventDifference), ParameterSetName = [DifferencesSet])]
[OutputType(typeof(EventStoreComparisonSummary), ParameterSetName = [SummarySet])]
public sealed class CompareEventStoreCommand : EventStoreCmdlet
{
    private const string DifferencesSet = "Differences";
    private const string SummarySet = "Summary";

    /// <summary>The reference store file (a wildcard must match one); -ConnectionString and -Schema name a PostgreSQL reference store instead.</summary>
    [Parameter(Position = 0)]
    [Alias("Reference")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string ReferencePath { get; set; } = "";

    /// <summary>The store file compared with the reference (a wildcard must match one).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Difference")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string DifferencePath { get; set; } = "";

    /// <summary>Write one summary object with the counts instead of each difference.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SummarySet)]
    public SwitchParameter Summary { get; set; }

    protected override string[]? StorePaths => OnePath(ReferencePath);

    protected override bool StorePathsAreLiteral => false;

    protected override void EndProcessing()
    {
        using var narration = Narrate();
        var reference = OpenStore();
        var difference = OpenStore(DifferencePath);
        Run(() => Compare(reference, difference), reference.DisplayName);
    }

    private void Compare(IEventStore referenceStore, IEventStore differenceStore)
    {
        using var referenceClaim = ClaimStore(referenceStore, StoreUse.Step);
        using var differenceClaim = ClaimStore(differenceStore, StoreUse.Step);
        using var reference = referenceStore.OpenSource();
        using var difference = differenceStore.OpenSource();
        var progress = new ProgressReporter(this, 1, $"Comparing {referenceStore.DisplayName} with {differenceStore.DisplayName}");
        var total = reference.CountEvents();
        var comparison = new EventStoreComparison(
            WithProgress(reference.ReadEventsByKey(Cancellation), progress, total), difference.ReadEventsByKey(Cancellation),
            EventStoreComparison.PayloadsAsValues(referenceStore, differenceStore));
        var counts = new Dictionary<EventChange, long> { [EventChange.Missing] = 0, [EventChange.Extra] = 0, [EventChange.Changed] = 0 };
        foreach (var item in comparison.Differences())
        {
            counts[item.Change]++;
            if (!Summary) WriteObject(item);
        }
        progress.Complete();
        if (Summary)
        {
            WriteObject(new EventStoreComparisonSummary(referenceStore.DisplayName, differenceStore.DisplayName,
                comparison.ReferenceCount, comparison.DifferenceCount, comparison.EqualCount,
                counts[EventChange.Missing], counts[EventChange.Extra], counts[EventChange.Changed], progress.Elapsed));
        }
    }

    private static IEnumerable<ResolveEvent> WithProgress(IEnumerable<ResolveEvent> events, ProgressReporter progress, long total)
    {
        long count = 0;
        foreach (var e in events)
        {
            progress.Report(++count, count, total);
            yield return e;
        }
    }
}
