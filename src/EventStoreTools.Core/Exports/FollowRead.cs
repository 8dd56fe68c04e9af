namespace EventStoreTools.Core.Exports;

/// <summary>
/// Follows a store: reads page after page with reSolve's cursor (see <see cref="EventStorePoller"/>) and waits
/// between reads once caught up. -Until ends it once a read that began after that time is done (reSolve stamps new
/// events with the current time, so none can come later); a frozen store ends it once drained; so do a timeout and
/// the filter's -First.
/// </summary>
public sealed class FollowRead(IEventStore store, ExportRead read, TimeSpan pollInterval, TimeSpan? timeout)
{
    /// <summary>Events per read while following: each read is short, and no lock is held between reads.</summary>
    public const int PageSize = 10_000;

    /// <summary>The cursor after the events handed on.</summary>
    public ResolveCursor Cursor => read.Start;

    public IEnumerable<ResolveEvent> Events(CancellationToken cancellation)
    {
        var filter = read.Filter;
        var poller = new EventStorePoller(store, read.Start, PageSize, filter with { ThreadCounters = null, First = null });
        DateTimeOffset? deadline = timeout is { } wait ? DateTimeOffset.UtcNow + wait : null;
        long count = 0;
        while (true)
        {
            var readAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var e in poller.NextPage(cancellation))
            {
                read.Start.Advance(e);
                yield return e;
                if (++count == filter.First) yield break;
            }
            if (!poller.CaughtUp) continue;
            if (poller.Drained || readAt > filter.Until || DateTimeOffset.UtcNow >= deadline) break;
            EventStorePoller.Wait(pollInterval, cancellation);
        }
    }
}
