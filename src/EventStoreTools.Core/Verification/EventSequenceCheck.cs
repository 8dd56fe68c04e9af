using System.Text;
using System.Text.Json;

namespace EventStoreTools.Core.Verification;

/// <summary>
/// The checks that read every event, whatever holds them: thread ids in range, counters and versions neither
/// repeated nor out of range, each thread's timestamps not decreasing as its counter grows (reSolve's cursor
/// relies on it), payloads valid JSON and, for an NDJSON file, lines in reSolve's read order (timestamp,
/// threadCounter, threadId). Threads whose counters do not run from 0 and aggregates whose versions do not run
/// from 1 are a note: a store alone cannot tell a subset (a filtered or resumed export, a partial restore) from
/// one whose rows were removed. With <c>complete</c>, for a store that must be whole, they are problems.
/// </summary>
internal sealed class EventSequenceCheck(StoreCheckResult result, bool checkReadOrder, bool checkPayloads, bool complete = false)
{
    private readonly Dictionary<int, ContiguousSequence> _threads = [];
    private readonly Dictionary<string, ContiguousSequence> _aggregates = new(StringComparer.Ordinal);
    private readonly ThreadTimestampOrder _timestampOrder = new();
    private readonly SortedDictionary<int, (ThreadTimestampDecrease First, long Count)> _decreases = [];
    private ResolveEvent? _previous;
    private long _count;
    private long? _firstTimestamp;
    private long? _lastTimestamp;

    public long Count => _count;

    public void Add(ResolveEvent e, long? lineNumber = null)
    {
        _count++;
        _firstTimestamp = _firstTimestamp is { } first ? Math.Min(first, e.Timestamp) : e.Timestamp;
        _lastTimestamp = _lastTimestamp is { } last ? Math.Max(last, e.Timestamp) : e.Timestamp;
        if (e.ThreadId is < 0 or >= EventValidation.ThreadCount)
            Report(e, lineNumber, "ThreadId", $"threadId {e.ThreadId} is outside 0-{EventValidation.ThreadCount - 1}.");
        if (!Sequence(_threads, e.ThreadId, 0).Add(e.ThreadCounter))
            Report(e, lineNumber, "ThreadCounter", $"Thread {e.ThreadId}: threadCounter {e.ThreadCounter} is {(e.ThreadCounter < 0 ? "negative" : "there twice")}.");
        if (!Sequence(_aggregates, e.AggregateId, 1).Add(e.AggregateVersion))
            Report(e, lineNumber, "AggregateVersion", $"Aggregate '{e.AggregateId}': version {e.AggregateVersion} is {(e.AggregateVersion < 1 ? "below 1" : "there twice")}.");
        if (_timestampOrder.Add(e) is { } decrease)
            _decreases[decrease.ThreadId] = _decreases.TryGetValue(decrease.ThreadId, out var seen) ? (seen.First, seen.Count + 1) : (decrease, 1);
        if (checkPayloads && !IsJson(e.PayloadJson))
            Report(e, lineNumber, "Payload", $"The payload of threadId {e.ThreadId}, threadCounter {e.ThreadCounter} is not valid JSON.");
        if (checkReadOrder && _previous is not null && ReadOrder.Compare(_previous, e) >= 0)
        {
            Report(e, lineNumber, "ReadOrder",
                $"Line {lineNumber}: the event (timestamp {e.Timestamp}, threadCounter {e.ThreadCounter}, threadId {e.ThreadId}) does not come after the line before it in reSolve's read order.");
        }
        _previous = e;
    }

    /// <summary>Reports what shows only once every event is in (gaps, threads going back in time), and the counts.</summary>
    public void Finish()
    {
        foreach (var (threadId, (decrease, count)) in _decreases)
        {
            result.Add(new StoreCheckProblem("ThreadTimestamps",
                $"The timestamps of {decrease}{(count > 1 ? $" ({count} such steps in the thread)" : "")}. reSolve's cursor assumes they never decrease within a thread: " +
                "its reads (and Export-EventStore -Cursor/-CursorVariable/-Follow, Sync-EventStore) could skip events of this thread. Correct the timestamps.")
            {
                ThreadId = threadId,
                ThreadCounter = decrease.LaterCounter,
            });
        }
        var threadGaps = _threads.Where(t => t.Value.FirstMissing is not null).OrderBy(t => t.Key).ToList();
        var aggregateGaps = _aggregates.Where(a => a.Value.FirstMissing is not null).ToList();
        if (complete)
        {
            foreach (var (threadId, counters) in threadGaps)
            {
                result.Add(new StoreCheckProblem("ThreadCounter", $"Thread {threadId}: threadCounter {counters.FirstMissing} is missing (counters go up to {counters.Max}).")
                {
                    ThreadId = threadId,
                    ThreadCounter = counters.FirstMissing,
                });
            }
            foreach (var (aggregateId, versions) in aggregateGaps)
            {
                result.Add(new StoreCheckProblem("AggregateVersion", $"Aggregate '{aggregateId}': version {versions.FirstMissing} is missing (versions go up to {versions.Max}).")
                {
                    AggregateId = aggregateId,
                    AggregateVersion = versions.FirstMissing,
                });
            }
        }
        else
        {
            const string Why = "a subset (a filtered or resumed export, a partial restore), or rows removed; -Complete reports each as a problem where the store must be whole.";
            if (threadGaps.Count > 0)
            {
                var (threadId, counters) = threadGaps[0];
                result.Note($"{Quantity.Of(threadGaps.Count, "thread does", "threads do")} not start at 0 or have gaps (first: thread {threadId}, threadCounter {counters.FirstMissing} missing): {Why}");
            }
            if (aggregateGaps.Count > 0)
            {
                var (aggregateId, versions) = aggregateGaps[0];
                result.Note($"{Quantity.Of(aggregateGaps.Count, "aggregate does", "aggregates do")} not start at version 1 or have gaps (first: '{aggregateId}', version {versions.FirstMissing} missing): {Why}");
            }
        }
        result.IncompleteThreadCount = threadGaps.Count;
        result.IncompleteAggregateCount = aggregateGaps.Count;
        result.EventCount = _count;
        result.ThreadCount = _threads.Count;
        result.AggregateCount = _aggregates.Count;
        result.FirstTimestamp = _firstTimestamp;
        result.LastTimestamp = _lastTimestamp;
    }

    private void Report(ResolveEvent e, long? lineNumber, string check, string message) =>
        result.Add(new StoreCheckProblem(check, message)
        {
            ThreadId = e.ThreadId,
            ThreadCounter = e.ThreadCounter,
            AggregateId = e.AggregateId,
            AggregateVersion = e.AggregateVersion,
            LineNumber = lineNumber,
        });

    private static ContiguousSequence Sequence<TKey>(Dictionary<TKey, ContiguousSequence> sequences, TKey key, long first)
        where TKey : notnull
    {
        if (!sequences.TryGetValue(key, out var sequence))
            sequences[key] = sequence = new ContiguousSequence(first);
        return sequence;
    }

    private static bool IsJson(string text)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { MaxDepth = 4096 });
            if (!reader.Read()) return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
