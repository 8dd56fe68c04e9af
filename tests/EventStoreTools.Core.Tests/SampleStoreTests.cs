using EventStoreTools.Core.Samples;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class SampleStoreTests
{
    private static readonly SampleStoreSpecification Specification = new(EventCount: 5000, AggregateCount: 60, SecretCount: 12, Seed: 4);

    [Fact]
    public void The_same_specification_gives_the_same_events_and_secrets()
    {
        var first = SampleStore.Events(Specification).Select(Line).ToList();
        var second = SampleStore.Events(Specification).Select(Line).ToList();
        Assert.Equal(first, second);
        Assert.Equal(SampleStore.Secrets(Specification), SampleStore.Secrets(Specification));
        Assert.NotEqual(first, SampleStore.Events(Specification with { Seed = 5 }).Select(Line).ToList());
    }

    [Fact]
    public void Events_keep_the_invariants_of_a_store_reSolve_wrote()
    {
        var events = SampleStore.Events(Specification).ToList();
        Assert.Equal(5000, events.Count);
        // Versions of each aggregate are 1, 2, 3, ... in the order written, the first one an opening.
        foreach (var aggregate in events.GroupBy(e => e.AggregateId))
        {
            Assert.Equal(Enumerable.Range(1, aggregate.Count()).Select(v => (long)v), aggregate.Select(e => e.AggregateVersion));
            Assert.Equal("ACCOUNT_OPENED", aggregate.First().Type);
        }
        Assert.Equal(60, events.Select(e => e.AggregateId).Distinct().Count());
        // Each thread's counters run 0, 1, 2, ... and its timestamps never go back (what reSolve's cursor relies on).
        foreach (var thread in events.GroupBy(e => e.ThreadId))
        {
            Assert.Equal(Enumerable.Range(0, thread.Count()).Select(c => (long)c), thread.Select(e => e.ThreadCounter));
            Assert.True(thread.Zip(thread.Skip(1)).All(pair => pair.First.Timestamp <= pair.Second.Timestamp));
        }
        Assert.InRange(events.Select(e => e.ThreadId).Distinct().Count(), 200, 256);
    }

    [Fact]
    public void Secrets_are_the_first_aggregates_keys_with_idx_from_0()
    {
        var secrets = SampleStore.Secrets(Specification).ToList();
        Assert.Equal(SampleStore.AggregateIds(Specification).Take(12), secrets.Select(s => s.Id));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), secrets.Select(s => s.Idx));
        Assert.All(secrets, s => Assert.Equal(32, Convert.FromBase64String(s.Secret!).Length));
        Assert.Equal(12, secrets.Select(s => s.Secret).Distinct().Count());
    }

    [Theory]
    [InlineData(-1, 1, 0, "negative")]
    [InlineData(10, 0, 0, "at least one aggregate")]
    [InlineData(10, 2, 3, "one secret per aggregate at most")]
    public void A_specification_that_cannot_be_generated_says_why(long events, int aggregates, int secrets, string reason)
    {
        Assert.Contains(reason, new SampleStoreSpecification(events, aggregates, secrets, 1).Problem);
    }

    private static string Line(ResolveEvent e) => $"{e.ThreadId} {e.ThreadCounter} {e.Timestamp} {e.AggregateId} {e.AggregateVersion} {e.Type} {e.PayloadJson}";
}
