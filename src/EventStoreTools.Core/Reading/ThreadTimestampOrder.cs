namespace EventStoreTools.Core;

/// <summary>
/// Two events of one thread whose timestamps go backwards as threadCounter grows: the later counter has the
/// earlier timestamp. reSolve's cursor (spec 4.3) relies on this never happening.
/// </summary>
public sealed record ThreadTimestampDecrease(int ThreadId, long EarlierCounter, long EarlierTimestamp, long LaterCounter, long LaterTimestamp)
{
    public override string ToString() =>
        $"thread {ThreadId}: threadCounter {LaterCounter} has timestamp {LaterTimestamp}, earlier than threadCounter {EarlierCounter}'s timestamp {EarlierTimestamp}";
}

/// <summary>
/// Checks reSolve's cursor invariant on events as they come, in key order (a store checked thread by thread) or
/// in read order (an export): within a thread, timestamps do not decrease as threadCounter grows. Two numbers a
/// thread are kept, the largest counter seen and its timestamp, which is enough in either order: in key order a
/// decrease shows against the event before it, in read order as a counter below one already seen.
/// </summary>
public sealed class ThreadTimestampOrder
{
    private readonly long[] _maxCounter = Enumerable.Repeat(-1L, EventValidation.ThreadCount).ToArray();
    private readonly long[] _timestampAtMax = new long[EventValidation.ThreadCount];

    /// <summary>Adds an event; returns the decrease it shows against the events before it, or null.</summary>
    public ThreadTimestampDecrease? Add(ResolveEvent e)
    {
        if (e.ThreadId is < 0 or >= EventValidation.ThreadCount || e.ThreadCounter < 0) return null;
        var thread = e.ThreadId;
        var max = _maxCounter[thread];
        if (e.ThreadCounter > max)
        {
            var decrease = max >= 0 && _timestampAtMax[thread] > e.Timestamp
                ? new ThreadTimestampDecrease(thread, max, _timestampAtMax[thread], e.ThreadCounter, e.Timestamp)
                : null;
            _maxCounter[thread] = e.ThreadCounter;
            _timestampAtMax[thread] = e.Timestamp;
            return decrease;
        }
        return e.ThreadCounter < max && e.Timestamp > _timestampAtMax[thread]
            ? new ThreadTimestampDecrease(thread, e.ThreadCounter, e.Timestamp, max, _timestampAtMax[thread])
            : null;
    }

    /// <summary>The largest counter seen in a thread (-1 when none) and its timestamp.</summary>
    public (long Counter, long Timestamp) Last(int threadId) => (_maxCounter[threadId], _timestampAtMax[threadId]);
}
