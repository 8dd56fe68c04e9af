using System.Text;
using System.Text.Json;

namespace EventStoreTools.Core.Verification;

/// <summary>
/// The checks that read every event, whatever holds them: thread ids in range, every thread's counters
/// contiguous from 0, every aggregate's versions contiguous from 1, payloads valid JSON and, for an NDJSON
/// file, lines in reSolve's read order (timestamp, threadCounter, threadId).
/// </summary>
internal sealed class EventSequenceCheck(StoreCheckResult result, bool checkReadOrder, bool checkPayloads)
{
    private readonly Dictionary<int, ContiguousSequence> _threads = [];
    private readonly Dictionary<string, ContiguousSequence> _aggregates = new(StringComparer.Ordinal);
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
        if (checkPayloads && !IsJson(e.PayloadJson))
            Report(e, lineNumber, "Payload", $"The payload of threadId {e.ThreadId}, threadCounter {e.ThreadCounter} is not valid JSON.");
        if (checkReadOrder && _previous is not null && CompareReadOrder(_previous, e) >= 0)
        {
            Report(e, lineNumber, "ReadOrder",
                $"Line {lineNumber}: the event (timestamp {e.Timestamp}, threadCounter {e.ThreadCounter}, threadId {e.ThreadId}) does not come after the line before it in reSolve's read order.");
        }
        _previous = e;
    }

    /// <summary>Reports the gaps, which show only once every event is in, and the counts.</summary>
    public void Finish()
    {
        foreach (var (threadId, counters) in _threads.OrderBy(t => t.Key))
        {
            if (counters.FirstMissing is { } missing)
            {
                result.Add(new StoreCheckProblem("ThreadCounter", $"Thread {threadId}: threadCounter {missing} is missing (counters go up to {counters.Max}).")
                {
                    ThreadId = threadId,
                    ThreadCounter = missing,
                });
            }
        }
        foreach (var (aggregateId, versions) in _aggregates)
        {
            if (versions.FirstMissing is { } missing)
            {
                result.Add(new StoreCheckProblem("AggregateVersion", $"Aggregate '{aggregateId}': version {missing} is missing (versions go up to {versions.Max}).")
                {
                    AggregateId = aggregateId,
                    AggregateVersion = missing,
                });
            }
        }
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

    private static int CompareReadOrder(ResolveEvent a, ResolveEvent b)
    {
        var order = a.Timestamp.CompareTo(b.Timestamp);
        if (order == 0) order = a.ThreadCounter.CompareTo(b.ThreadCounter);
        return order != 0 ? order : a.ThreadId.CompareTo(b.ThreadId);
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
