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
[Cmdlet(VerbsData.Compare, "EventStore")]
[OutputType(typeof(StoreDifference), typeof(EventStoreComparisonSummary))]
public sealed class CompareEventStoreCommand : EventStoreCmdlet
{
    /// <summary>The reference store (a wildcard must match one); -ConnectionString and -Schema name a PostgreSQL reference store instead.</summary>
    [Parameter(Position = 0)]
    [Alias("ReferencePath", "Reference")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The reference store, named exactly; Get-EventStore's and Get-ChildItem's output binds here by PSPath.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName", "ReferenceLiteralPath")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    /// <summary>The store or backup compared with the reference: a SQLite store, an NDJSON export or a backup folder (a wildcard must match one).</summary>
    [Parameter(Position = 1)]
    [Alias("Difference")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string DifferencePath { get; set; } = "";

    /// <summary>The store or backup compared with the reference, named exactly.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string DifferenceLiteralPath { get; set; } = "";

    /// <summary>A PostgreSQL difference store instead of -DifferencePath, with -DifferenceSchema.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DifferenceConnectionString { get; set; }

    /// <summary>With -DifferenceConnectionString: the schema that holds the difference store.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DifferenceSchema { get; set; }

    /// <summary>With -DifferenceConnectionString: the user name and password to log in with.</summary>
    [Parameter]
    [Credential]
    public PSCredential? DifferenceCredential { get; set; }

    private StoreParameters Difference => new("Difference", DifferencePath, DifferenceLiteralPath, DifferenceConnectionString, DifferenceSchema, DifferenceCredential);

    /// <summary>Payloads as JSON values (default: key order does not matter) or as the bytes stored (Bytes; Text is its older name).</summary>
    [Parameter]
    [ValidateSet("Json", "Bytes", "Text")]
    public string PayloadComparison { get; set; } = "Json";

    // A parameter of a core type would make pwsh load the core assembly before the module's load context exists.
    // Text was documented as "the stored text, byte for byte", which is what Bytes compares.
    private Core.PayloadComparison Payloads =>
        PayloadComparison.Equals("Json", StringComparison.OrdinalIgnoreCase) ? Core.PayloadComparison.Json : Core.PayloadComparison.Bytes;

    /// <summary>Write one summary object with the counts instead of each difference.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override string[]? StorePaths => OnePath(LiteralPath) ?? OnePath(Path);

    protected override bool StorePathsAreLiteral => LiteralPath.Length > 0;

    protected override bool WritesStore => false;

    protected override void ProcessRecord()
    {
        using var narration = Narrate();
        var referenceStore = OpenStore();
        RequireDifference();
        ComparisonSource? reference = null, difference = null;
        try
        {
            Run(() =>
            {
                reference = referenceStore is PostgresEventStore ? ComparisonSource.Open(referenceStore) : OpenPath(StorePaths![0], StorePathsAreLiteral);
                difference = Difference.IsSqlite
                    ? OpenPath(Difference.LiteralPath is { Length: > 0 } literal ? literal : DifferencePath, literal: Difference.LiteralPath is { Length: > 0 })
                    : ComparisonSource.Open(PostgresStore(DifferenceConnectionString!, DifferenceSchema!, DifferenceCredential?.GetNetworkCredential(), Cancellation));
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
    private ComparisonSource OpenPath(string path, bool literal) =>
        ComparisonSource.Open(CompressedFile.IsStandardStream(path) ? path : ResolveFilePath(path, literal, forReading: true), Cancellation);

    private void RequireDifference() => RefuseUnclearStore(Difference, "store to compare with", "StoreNotSpecified");

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
