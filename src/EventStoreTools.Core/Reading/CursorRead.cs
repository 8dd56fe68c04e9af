namespace EventStoreTools.Core;

/// <summary>
/// A read that hands out reSolve's cursor, checked instead of trusted. The cursor keeps, per thread, the next
/// threadCounter to read, so it assumes that each thread is read in counter order, which holds only while its
/// timestamps do not decrease as the counter grows (spec 4.3). In a thread that breaks this, a read in reSolve's
/// order meets a higher counter before a lower one; a read that stops between the two hands out a cursor past an
/// event it never read, and the next read from that cursor skips the event without a word. This read fails with
/// <see cref="EventStoreErrorKind.ThreadTimestampsDecrease"/>, naming the thread, when what it reads shows such a
/// thread: an event below a counter already read in its thread, or, when the read stops at its limit, an event the
/// filter selects that the cursor after the read would pass over unread.
/// </summary>
public sealed class CursorRead
{
    private readonly EventFilter _filter;
    private readonly IReadOnlyList<long>? _start;
    private readonly ThreadTimestampOrder _order = new();
    private readonly long[] _read = new long[EventValidation.ThreadCount];
    private ResolveEvent? _last;

    /// <param name="filter">What the read selects (its cursor condition starts at <paramref name="start"/>).</param>
    /// <param name="start">The cursor the read begins at (its counters), or null for the start of the store.</param>
    public CursorRead(EventFilter filter, IReadOnlyList<long>? start)
    {
        _filter = filter;
        _start = start;
    }

    /// <summary>Events taken so far.</summary>
    public long Count { get; private set; }

    /// <summary>The events of <paramref name="filter"/>, in read order, checked as they come and at a stop at the filter's limit.</summary>
    /// <param name="start">The cursor the read begins at (its counters), or null for the start of the store.</param>
    public static IEnumerable<ResolveEvent> Checked(IEventSource source, EventFilter filter, IReadOnlyList<long>? start, CancellationToken cancellation = default)
    {
        var read = new CursorRead(filter, start);
        foreach (var e in source.ReadEvents(filter, cancellation))
        {
            read.Add(e);
            yield return e;
        }
        // Read to the end, nothing is passed over: every event after the cursor was read.
        if (filter.First is { } first && read.Count >= first) read.CheckStop(source, cancellation);
    }

    /// <summary>Takes the next event of the read; fails when it comes below a counter already taken in its thread.</summary>
    public void Add(ResolveEvent e)
    {
        if (_order.Add(e) is { } decrease) throw Decreasing(decrease);
        _read[e.ThreadId]++;
        Count++;
        _last = e;
    }

    /// <summary>
    /// The read stops after the events taken, before the end: fails when the store holds an event the filter selects
    /// that was not taken and that the cursor after the read would pass over.
    /// </summary>
    public void CheckStop(IEventSource source, CancellationToken cancellation = default)
    {
        if (_last is null) return;
        for (var thread = 0; thread < _read.Length; thread++)
        {
            if (_read[thread] == 0) continue;
            var from = _start?[thread] ?? 0;
            var (lastCounter, lastTimestamp) = _order.Last(thread);
            // The counters taken make a run up to the last one: nothing below the new cursor is left.
            if (_read[thread] == lastCounter - from + 1) continue;
            // Every event the filter selects up to the last one taken was taken, in read order; one after it, below
            // the thread's new cursor, would be passed over.
            foreach (var stored in source.ReadThreadKeys(thread, from, lastCounter, cancellation))
            {
                if (ReadOrder.Compare(stored, _last) <= 0 || !_filter.Matches(stored)) continue;
                throw Decreasing(new ThreadTimestampDecrease(thread, stored.ThreadCounter, stored.Timestamp, lastCounter, lastTimestamp));
            }
        }
    }

    private static EventStoreException Decreasing(ThreadTimestampDecrease decrease) =>
        new(EventStoreErrorKind.ThreadTimestampsDecrease,
            $"The timestamps of {decrease} ({Time(decrease.LaterTimestamp)} before {Time(decrease.EarlierTimestamp)}). " +
            $"reSolve's cursor assumes that timestamps never decrease within a thread; a cursor after this read would skip threadCounter {decrease.EarlierCounter}, so the read stopped. " +
            "Test-EventStore lists every such thread; correct their timestamps, or export without -Cursor, -CursorVariable and -First (a whole export reads every event).")
        {
            Event = decrease,
        };

    private static string Time(long timestamp) =>
        timestamp is >= -62135596800000L and <= 253402300799999L
            ? DateTimeOffset.FromUnixTimeMilliseconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + " UTC"
            : timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
