namespace EventStoreTools.Core;

/// <summary>
/// Reads a live store page by page after reSolve's cursor: each page is the next events in reSolve's read order
/// whose threadCounter is at or past the cursor of their thread, so an event committed after a later one of
/// another thread (an older timestamp, found late) is still read, and none twice. Each page opens the store,
/// reads and closes it again: between pages no read lock is held, so reSolve's writer on a SQLite file never
/// waits for a follower.
/// This relies on reSolve's invariant that within one thread timestamps do not decrease as threadCounter grows
/// (spec 4.3: reSolve's own cursor reads rely on it too); each page is read through <see cref="CursorRead"/>, which
/// stops with an error naming a thread that breaks it rather than skip its events.
/// </summary>
public sealed class EventStorePoller
{
    private readonly IEventStore _store;
    private readonly EventFilter _filter;
    private readonly int _pageSize;

    /// <param name="filter">What to read besides the cursor (types, aggregates, time range); its cursor and limit are replaced.</param>
    public EventStorePoller(IEventStore store, ResolveCursor cursor, int pageSize, EventFilter? filter = null)
    {
        _store = store;
        Cursor = cursor.Clone();
        _pageSize = pageSize;
        _filter = filter ?? EventFilter.All;
    }

    /// <summary>The cursor after every event read so far.</summary>
    public ResolveCursor Cursor { get; }

    /// <summary>Whether the store held reSolve's freeze marker when the last page was read (checked before it).</summary>
    public bool SourceFrozen { get; private set; }

    /// <summary>Whether the last page was shorter than a page: the reader had caught up with the store.</summary>
    public bool CaughtUp { get; private set; }

    /// <summary>Caught up with a frozen store: reSolve writes nothing more to it.</summary>
    public bool Drained => CaughtUp && SourceFrozen;

    /// <summary>Events of the store past the cursor after the last page (counted by threadCounter), for the lag.</summary>
    public long EventsBehind { get; private set; }

    /// <summary>How long the last page took, its read and the look-up before it.</summary>
    public TimeSpan LastPageDuration { get; private set; }

    /// <summary>
    /// The next page of events after the cursor, in reSolve's read order; the cursor moves past them. The read seeks
    /// to the first event past the cursor (<see cref="IEventSource.ReadBacklog"/>), so a page costs the same at the
    /// start of a large store as at its end, and a poll that finds nothing reads no events at all.
    /// </summary>
    /// <param name="pageSize">Events of this page at most (default: the poller's page size).</param>
    public IReadOnlyList<ResolveEvent> NextPage(CancellationToken cancellation = default, int? pageSize = null)
    {
        var size = pageSize ?? _pageSize;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        List<ResolveEvent> page = [];
        CursorBacklog backlog;
        using (var source = _store.OpenSource())
        {
            // The marker is looked at before the read: when it was there, every write ended before the read began.
            SourceFrozen = source.IsFrozen();
            backlog = source.ReadBacklog(Cursor.Counters);
            if (backlog.First is { } first)
            {
                var filter = _filter with { ThreadCounters = Cursor.IsStart ? null : Cursor.Counters, From = first, First = size };
                page = CursorRead.Checked(source, filter, Cursor.Counters, cancellation).ToList();
            }
        }
        foreach (var e in page) Cursor.Advance(e);
        EventsBehind = Math.Max(0, backlog.EventCount - page.Count);
        CaughtUp = page.Count < size;
        LastPageDuration = clock.Elapsed;
        return page;
    }

    /// <summary>Every event after the cursor, page by page, until the reader catches up.</summary>
    public IEnumerable<ResolveEvent> ReadToEnd(CancellationToken cancellation = default)
    {
        do
        {
            foreach (var e in NextPage(cancellation)) yield return e;
        }
        while (!CaughtUp);
    }

    /// <summary>Waits for the poll interval, ending early (with <see cref="OperationCanceledException"/>) on cancellation.</summary>
    public static void Wait(TimeSpan interval, CancellationToken cancellation)
    {
        if (cancellation.WaitHandle.WaitOne(interval)) cancellation.ThrowIfCancellationRequested();
    }
}
