namespace EventStoreTools.Core.Exports;

/// <summary>
/// The read of one export: what it selects, the cursor it resumes from, and whether it is checked against the
/// invariant reSolve's cursor relies on (see <see cref="CursorRead"/>): a read that resumes from or hands out a
/// cursor is; a whole export is not, since it reads every event in any thread's order.
/// </summary>
public sealed class ExportRead(EventFilter filter, ResolveCursor start, bool checksCursor)
{
    /// <summary>The selection, resumed after the cursor's counters when one was given.</summary>
    public EventFilter Filter => filter;

    /// <summary>The cursor the read begins at; an export to the pipeline advances it as events go out.</summary>
    public ResolveCursor Start => start;

    public bool ChecksCursor => checksCursor;

    /// <param name="selection">The selection parameters (types, aggregates, time range).</param>
    /// <param name="cursor">The cursor to resume from (<see cref="ResolveCursor.Start"/> when none).</param>
    /// <param name="cursorGiven">Whether a cursor was given at all (an empty one included).</param>
    /// <param name="first">At most this many events, when given.</param>
    /// <param name="handsOutCursor">Whether the cursor after the read is handed out (-CursorVariable).</param>
    public static ExportRead Of(EventFilter selection, ResolveCursor cursor, bool cursorGiven, long? first, bool handsOutCursor) =>
        new(selection with
        {
            ThreadCounters = cursorGiven && !cursor.IsStart ? cursor.Counters : null,
            First = first,
        }, cursor, cursorGiven || handsOutCursor);

    public IEnumerable<ResolveEvent> Events(IEventSource reader, CancellationToken cancellation) =>
        ChecksCursor
            ? CursorRead.Checked(reader, Filter, Start.Counters, cancellation)
            : reader.ReadEvents(Filter, cancellation);

    /// <summary>The events for a progress bar when that costs one cheap query (no filter but -First); 0 otherwise.</summary>
    public long ProgressTotal(IEventSource reader)
    {
        if (Filter with { First = null } != EventFilter.All) return 0;
        var count = reader.CountEvents();
        return Filter.First is { } first ? Math.Min(first, count) : count;
    }

    /// <summary>Whether an error of the read means that the cursor after the events written would skip one.</summary>
    public static bool CursorWouldSkip(Exception ex) => ex is EventStoreException { Kind: EventStoreErrorKind.ThreadTimestampsDecrease };
}
