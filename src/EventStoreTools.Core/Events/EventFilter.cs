namespace EventStoreTools.Core;

/// <summary>
/// Which events to read. Every engine applies it in its query (never by reading everything and dropping
/// rows). An empty filter reads every event.
/// </summary>
public sealed record EventFilter
{
    public static readonly EventFilter All = new();

    /// <summary>
    /// reSolve's cursor as 256 thread counters: read only events with threadCounter &gt;= counters[threadId]
    /// (spec 4.3, 4.4). Null reads from the start.
    /// </summary>
    public IReadOnlyList<long>? ThreadCounters { get; init; }

    /// <summary>
    /// Only these event types: exact names, or patterns with the wildcards * and ? (see
    /// <see cref="WildcardPattern"/>). Null: any. Empty: none.
    /// </summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>Only these aggregate ids: exact ids, or patterns with * and ? as for <see cref="EventTypes"/>. Null: any. Empty: none.</summary>
    public IReadOnlyList<string>? AggregateIds { get; init; }

    /// <summary>Only events with timestamp &gt;= this (ms since epoch), inclusive as in reSolve.</summary>
    public long? Since { get; init; }

    /// <summary>Only events with timestamp &lt;= this (ms since epoch), inclusive as in reSolve.</summary>
    public long? Until { get; init; }

    /// <summary>
    /// Only events at or after this position in read order: where a read seeks to in the timestamp index instead of
    /// walking it from the start (a poller gives the first event past its cursor, see <see cref="CursorBacklog"/>).
    /// </summary>
    public ReadPosition? From { get; init; }

    /// <summary>At most this many events.</summary>
    public long? First { get; init; }

    public bool IsEmpty => this == All;

    /// <summary>
    /// Whether an event passes the filter, for events that come from no store's query (an import from a file or
    /// the pipeline). <see cref="First"/> is a limit on a read, not a property of one event, and is not applied.
    /// </summary>
    public bool Matches(ResolveEvent e) =>
        (ThreadCounters is null || e.ThreadId < 0 || e.ThreadId >= ThreadCounters.Count || e.ThreadCounter >= ThreadCounters[e.ThreadId])
        && (EventTypes is null || EventTypes.Any(pattern => WildcardPattern.IsMatch(pattern, e.Type)))
        && (AggregateIds is null || AggregateIds.Any(pattern => WildcardPattern.IsMatch(pattern, e.AggregateId)))
        && (Since is null || e.Timestamp >= Since)
        && (Until is null || e.Timestamp <= Until)
        && (From is null || From.IsAtOrBefore(e));
}
