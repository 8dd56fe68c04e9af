using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Samples;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// New-EventStore: creates an empty reSolve store (a SQLite file or a PostgreSQL schema, reSolve's tables), or one
/// filled with a generated, repeatable sample of bank-account events and secrets, for trying the module and for tests.
/// </summary>
[Cmdlet(VerbsCommon.New, "EventStore", SupportsShouldProcess = true)]
[OutputType(typeof(EventStoreDescription))]
public sealed class NewEventStoreCommand : OneStoreCmdlet
{
    /// <summary>Fill the store with this many generated events (default 0: an empty store).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long SampleEventCount { get; set; }

    /// <summary>With -SampleEventCount: over how many aggregates the events are spread (default: one per 50 events, at most 100,000; 1 to 1,000,000).</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int AggregateCount { get; set; }

    /// <summary>With -SampleEventCount: how many aggregates get a secret (default: every aggregate, at most 100).</summary>
    [Parameter]
    [ValidateRange(0, 1_000_000)]
    public int SecretCount { get; set; } = -1;

    /// <summary>With -SampleEventCount: the seed of the generator (default 1); the same seed and counts give the same events.</summary>
    [Parameter]
    public int Seed { get; set; } = 1;

    protected override void ProcessRecord()
    {
        using var narration = Narrate();
        var sample = SampleSpecification();
        var store = OpenStore();
        var action = sample is null
            ? "Create an empty event store (reSolve's tables)"
            : $"Create an event store with {Quantity.Of(sample.EventCount, "generated event")} over {Quantity.Of(sample.AggregateCount, "aggregate")} and {Quantity.Of(sample.SecretCount, "secret")}";
        if (!ShouldProcess(store.DisplayName, action)) return;
        var progress = new ProgressReporter(this, 1, $"New-EventStore {store.DisplayName}");
        RunOnStore(store, () =>
        {
            var description = EventStoreCreation.Create(store, sample, events => progress.Report(events, events, sample?.EventCount ?? 0), Cancellation);
            progress.Complete();
            WriteStoreObject(description, store);
        });
    }

    private SampleStoreSpecification? SampleSpecification()
    {
        var sampled = MyInvocation.BoundParameters.ContainsKey(nameof(SampleEventCount));
        var sampleOnly = new[] { nameof(AggregateCount), nameof(SecretCount), nameof(Seed) }.Where(MyInvocation.BoundParameters.ContainsKey).ToList();
        if (!sampled && sampleOnly.Count > 0)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-{string.Join(", -", sampleOnly)} shape a generated sample: add -SampleEventCount, or leave them out for an empty store."),
                ErrorIdPrefix + "SampleCountMissing", ErrorCategory.InvalidArgument, null));
        }
        if (!sampled) return null;
        var aggregates = AggregateCount > 0 ? AggregateCount : SampleStoreSpecification.DefaultAggregateCount(SampleEventCount);
        var specification = new SampleStoreSpecification(SampleEventCount, aggregates, SecretCount >= 0 ? SecretCount : Math.Min(aggregates, 100), Seed);
        if (specification.Problem is { } problem)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(problem), ErrorIdPrefix + "InvalidSample", ErrorCategory.InvalidArgument, null));
        return specification;
    }
}
