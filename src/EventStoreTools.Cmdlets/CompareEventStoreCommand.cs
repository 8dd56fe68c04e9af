using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Comparison;
using EventStoreTools.Core.Postgres;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Compare-EventStore: the events (by aggregateId and aggregateVersion) and secrets (by id) that differ between two
/// stores, and the events numbered differently, by merging two ordered streaming reads (<see cref="StoreComparison"/>).
/// </summary>
[Cmdlet(VerbsData.Compare, "EventStore", DefaultParameterSetName = DifferencesSet)]
[OutputType(typeof(StoreDifference), ParameterSetName = [DifferencesSet])]
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

    /// <summary>The store or backup compared with the reference; -DifferenceConnectionString names a PostgreSQL one instead.</summary>
    [Parameter(Position = 1)]
    [Alias("Difference")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string DifferencePath { get; set; } = "";

    /// <summary>A PostgreSQL difference store instead of -DifferencePath, with -DifferenceSchema.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DifferenceConnectionString { get; set; }

    /// <summary>With -DifferenceConnectionString: the schema that holds the difference store.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DifferenceSchema { get; set; }

    /// <summary>Payloads as JSON values (default: key order does not matter) or as the bytes stored (Bytes; Text is its older name).</summary>
    [Parameter]
    [ValidateSet("Json", "Bytes", "Text")]
    public string PayloadComparison { get; set; } = "Json";

    // A parameter of a core type would make pwsh load the core assembly before the module's load context exists.
    // Text was documented as "the stored text, byte for byte", which is what Bytes compares.
    private Core.PayloadComparison Payloads =>
        PayloadComparison.Equals("Json", StringComparison.OrdinalIgnoreCase) ? Core.PayloadComparison.Json : Core.PayloadComparison.Bytes;

    /// <summary>Write one summary object with the counts instead of each difference.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SummarySet)]
    public SwitchParameter Summary { get; set; }

    protected override string[]? StorePaths => OnePath(ReferencePath);

    protected override bool StorePathsAreLiteral => false;

    protected override bool WritesStore => false;

    protected override void EndProcessing()
    {
        using var narration = Narrate();
        var referenceStore = OpenStore();
        RequireDifference();
        ComparisonSource? reference = null, difference = null;
        try
        {
            Run(() =>
            {
                reference = referenceStore is PostgresEventStore ? ComparisonSource.Open(referenceStore) : OpenPath(ReferencePath);
                difference = DifferenceConnectionString is not null
                    ? ComparisonSource.Open(PostgresStore(DifferenceConnectionString, DifferenceSchema!, null, Cancellation))
                    : OpenPath(DifferencePath);
                Compare(reference, difference);
            }, referenceStore.DisplayName);
        }
        finally
        {
            reference?.Dispose();
            difference?.Dispose();
        }
    }

    /// <summary>A SQLite store, an NDJSON export (plain or compressed, or - for standard input) or a backup folder.</summary>
    private ComparisonSource OpenPath(string path) =>
        ComparisonSource.Open(CompressedFile.IsStandardStream(path) ? path : ResolveFilePath(path, forReading: true), Cancellation);

    private void RequireDifference()
    {
        var hasPath = !string.IsNullOrEmpty(DifferencePath);
        var problem = StoreSpecificationProblem(hasPath, DifferenceConnectionString is not null, DifferenceSchema is not null,
            new StoreParameterNames("store to compare with", "-DifferencePath", "-DifferenceConnectionString", "-DifferenceSchema"));
        if (problem is not null)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(problem), ErrorIdPrefix + "StoreNotSpecified", ErrorCategory.InvalidArgument, null));
    }

    private void Compare(ComparisonSource reference, ComparisonSource difference)
    {
        var progress = new ProgressReporter(this, 1, $"Comparing {reference.DisplayName} with {difference.DisplayName}");
        var total = reference.CountEvents();
        var referenceSide = reference.Read(Cancellation);
        var comparison = new StoreComparison(referenceSide with { Events = WithProgress(referenceSide.Events, progress, total) }, difference.Read(Cancellation), Payloads);
        foreach (var item in comparison.Differences())
        {
            if (!Summary) WriteObject(item);
        }
        progress.Complete();
        if (!comparison.SecretsCompared) WriteVerbose("Secrets were not compared: an NDJSON export of events holds none (a backup folder or a store does).");
        if (Summary) WriteObject(comparison.Summarize(reference.DisplayName, difference.DisplayName, progress.Elapsed));
    }

    private static IEnumerable<StoredEvent> WithProgress(IEnumerable<StoredEvent> events, ProgressReporter progress, long total)
    {
        long count = 0;
        foreach (var e in events)
        {
            progress.Report(++count, count, total);
            yield return e;
        }
    }
}
