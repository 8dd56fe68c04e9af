namespace EventStoreTools.Core;

/// <summary>reSolve's read order (spec 4.3): timestamp, then threadCounter, then threadId.</summary>
public static class ReadOrder
{
    public static int Compare(ResolveEvent a, ResolveEvent b)
    {
        var order = a.Timestamp.CompareTo(b.Timestamp);
        if (order == 0) order = a.ThreadCounter.CompareTo(b.ThreadCounter);
        return order != 0 ? order : a.ThreadId.CompareTo(b.ThreadId);
    }
}
