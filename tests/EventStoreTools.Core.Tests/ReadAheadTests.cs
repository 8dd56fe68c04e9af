using Xunit;

namespace EventStoreTools.Core.Tests;

public class ReadAheadTests
{
    [Fact]
    public void Yields_every_item_in_order()
    {
        var items = Enumerable.Range(0, 10_000).ToList();
        Assert.Equal(items, items.Ahead().ToList());
        Assert.Empty(Array.Empty<int>().Ahead());
    }

    [Fact]
    public void A_failing_source_fails_after_the_items_before_the_failure()
    {
        static IEnumerable<int> Failing()
        {
            for (var i = 0; i < 1000; i++) yield return i;
            throw new EventStoreException(EventStoreErrorKind.InvalidInput, "line 1001");
        }
        var seen = new List<int>();
        var ex = Assert.Throws<EventStoreException>(() => { foreach (var i in Failing().Ahead()) seen.Add(i); });
        Assert.Equal("line 1001", ex.Message);
        Assert.Equal(Enumerable.Range(0, 1000), seen);
    }

    [Fact]
    public void Leaving_early_stops_and_disposes_the_source_before_the_enumeration_ends()
    {
        var produced = 0;
        var disposed = false;
        IEnumerable<int> Endless()
        {
            try
            {
                while (true) yield return produced++;
            }
            finally
            {
                disposed = true;
            }
        }
        Assert.Equal([0, 1, 2], Endless().Ahead().Take(3));
        Assert.True(disposed);
        var stoppedAt = produced;
        Thread.Sleep(50);
        Assert.Equal(stoppedAt, produced);
    }

    [Fact]
    public void Cancelling_ends_a_wait_for_a_slow_source()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        IEnumerable<int> Slow()
        {
            yield return 1;
            stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            stop.Token.ThrowIfCancellationRequested();
            yield return 2;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => Slow().Ahead(stop.Token).ToList());
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.1, 5);
    }
}
