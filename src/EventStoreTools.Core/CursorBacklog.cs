namespace EventStoreTools.Core;

/// <summary>
/// What a store holds at or past a cursor, found by a few index lookups per thread (never a scan of the events):
/// as cheap at 10M events as at 10k.
/// </summary>
/// <param name="First">
/// The first event at or past the cursor in read order, or null when there is none (nothing was added). Every
/// event past the cursor comes at or after it: within a thread timestamps do not decrease as threadCounter grows
/// (spec 4.3), so each thread's first event past the cursor is its first in read order too, late events included.
/// </param>
/// <param name="EventCount">Events past the cursor, counted by threadCounter (reSolve numbers each thread's events 0, 1, 2, ...).</param>
public sealed record CursorBacklog(ReadPosition? First, long EventCount)
{
    public static readonly CursorBacklog Empty = new(null, 0);

    /// <summary>
    /// The backlog from each thread's next counter (the cursor), its newest counter and the position of its first
    /// event at or past the cursor (null when it has none).
    /// </summary>
    public static CursorBacklog FromThreads(IEnumerable<(long Next, long? Newest, ReadPosition? First)> threads)
    {
        ReadPosition? first = null;
        long count = 0;
        foreach (var (next, newest, position) in threads)
        {
            if (newest is { } last && last >= next) count += last - next + 1;
            if (position is not null && (first is null || position.CompareTo(first) < 0)) first = position;
        }
        return new CursorBacklog(first, count);
    }
}
