namespace EventStoreTools.Core.Verification;

/// <summary>
/// Whether the numbers seen (a thread's counters, an aggregate's versions) are first, first+1, ... with no
/// gap and no repeat. Numbers that come in order cost one long; only those ahead of a gap are remembered.
/// </summary>
internal sealed class ContiguousSequence(long first)
{
    private HashSet<long>? _ahead;

    /// <summary>The next number that would continue the run from <c>first</c>.</summary>
    public long Next { get; private set; } = first;

    public long Count { get; private set; }

    /// <summary>Adds a number; false when it was seen before or lies below the first.</summary>
    public bool Add(long value)
    {
        Count++;
        if (value == Next)
        {
            Next++;
            while (_ahead is not null && _ahead.Remove(Next)) Next++;
            return true;
        }
        if (value < Next) return false;
        _ahead ??= [];
        return _ahead.Add(value);
    }

    /// <summary>The first number missing from the run, or null when the numbers seen are contiguous.</summary>
    public long? FirstMissing => _ahead is { Count: > 0 } ? Next : null;

    /// <summary>The largest number seen.</summary>
    public long Max => _ahead is { Count: > 0 } ? _ahead.Max() : Next - 1;
}
