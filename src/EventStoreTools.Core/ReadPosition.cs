namespace EventStoreTools.Core;

/// <summary>
/// A place in reSolve's read order: (timestamp, threadCounter, threadId) is a full key there, since
/// (threadId, threadCounter) is the events' primary key, so a read can seek to it through the timestamp index.
/// </summary>
public sealed record ReadPosition(long Timestamp, long ThreadCounter, int ThreadId) : IComparable<ReadPosition>
{
    public static ReadPosition Of(ResolveEvent e) => new(e.Timestamp, e.ThreadCounter, e.ThreadId);

    public int CompareTo(ReadPosition? other) =>
        other is null ? 1 : ReadOrder.Compare(Timestamp, ThreadCounter, ThreadId, other.Timestamp, other.ThreadCounter, other.ThreadId);

    /// <summary>Whether the event is at this position or after it in read order.</summary>
    public bool IsAtOrBefore(ResolveEvent e) => ReadOrder.Compare(Timestamp, ThreadCounter, ThreadId, e.Timestamp, e.ThreadCounter, e.ThreadId) <= 0;

    public override string ToString() => $"timestamp {Timestamp}, threadCounter {ThreadCounter}, threadId {ThreadId}";
}
