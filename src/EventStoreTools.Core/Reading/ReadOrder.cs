namespace EventStoreTools.Core;

/// <summary>reSolve's read order (spec 4.3): timestamp, then threadCounter, then threadId.</summary>
public static class ReadOrder
{
    public static int Compare(ResolveEvent a, ResolveEvent b) =>
        Compare(a.Timestamp, a.ThreadCounter, a.ThreadId, b.Timestamp, b.ThreadCounter, b.ThreadId);

    public static int Compare(long timestamp, long threadCounter, int threadId, long otherTimestamp, long otherThreadCounter, int otherThreadId)
    {
        var order = timestamp.CompareTo(otherTimestamp);
        if (order == 0) order = threadCounter.CompareTo(otherThreadCounter);
        return order != 0 ? order : threadId.CompareTo(otherThreadId);
    }
}
