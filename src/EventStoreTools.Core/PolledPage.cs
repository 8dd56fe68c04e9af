namespace EventStoreTools.Core;

/// <summary>
/// A page of <see cref="EventStorePoller.NextPage"/> with what the poller found along with it, taken as the page came:
/// a mirror reads the next page while it writes this one, and the poller's own state then belongs to the next.
/// </summary>
public sealed record PolledPage(IReadOnlyList<ResolveEvent> Events, bool CaughtUp, bool SourceFrozen, long EventsBehind, TimeSpan Duration)
{
    /// <summary>Caught up with a frozen store: reSolve writes nothing more to it.</summary>
    public bool Drained => CaughtUp && SourceFrozen;

    public static PolledPage Next(EventStorePoller poller, int pageSize, CancellationToken cancellation)
    {
        var events = poller.NextPage(cancellation, pageSize);
        return new PolledPage(events, poller.CaughtUp, poller.SourceFrozen, poller.EventsBehind, poller.LastPageDuration);
    }
}
