using EventStoreTools.Core.Json;

namespace EventStoreTools.Core;

/// <summary>The checks an event must pass before it is stored, with messages that name the field.</summary>
public static class EventValidation
{
    public const int ThreadCount = 256;

    // An empty type is accepted: reSolve's saveEvent, importEvents and incremental import all store "type":"".
    public static void RequireStorable(ResolveEvent e)
    {
        string? problem = null;
        if (e.ThreadId is < 0 or >= ThreadCount)
            problem = $"threadId ({e.ThreadId}) must be an integer from 0 to 255.";
        else if (e.ThreadCounter < 0)
            problem = $"threadCounter ({e.ThreadCounter}) must not be negative.";
        else if (e.Type is null)
            problem = "The field \"type\" is required.";
        else if (e.AggregateId is null)
            problem = "The field \"aggregateId\" is required.";
        else if (e.AggregateVersion < 1)
            problem = $"aggregateVersion ({e.AggregateVersion}) must be 1 or more.";
        else
            problem = PayloadProblem(e);
        if (problem is not null)
            throw new EventStoreException(EventStoreErrorKind.InvalidInput, problem) { Event = e };
    }

    /// <summary>
    /// The checks for an event of an incremental import, which uses only timestamp, aggregateId, type and
    /// payload. A negative timestamp is refused: reSolve would make its thread id (timestamp % 256) negative.
    /// </summary>
    public static void RequireImportable(ResolveEvent e)
    {
        string? problem = null;
        if (e.Timestamp < 0)
            problem = $"timestamp ({e.Timestamp}) must not be negative.";
        else if (e.Type is null)
            problem = "The field \"type\" is required.";
        else if (e.AggregateId is null)
            problem = "The field \"aggregateId\" is required.";
        else
            problem = PayloadProblem(e);
        if (problem is not null)
            throw new EventStoreException(EventStoreErrorKind.InvalidInput, problem) { Event = e };
    }

    /// <summary>
    /// A payload nested deeper than SQLite's JSON functions read would be stored, but its export could not be
    /// imported again (reSolve's import stores payloads through json()): refused on every write path, both engines.
    /// </summary>
    private static string? PayloadProblem(ResolveEvent e) =>
        e.PayloadDepth > JsJson.MaxStoredDepth
            ? $"The payload is nested {e.PayloadDepth} levels deep; at most {JsJson.MaxStoredDepth} levels can be stored (the limit of SQLite's JSON functions, through which reSolve imports payloads)."
            : null;
}
