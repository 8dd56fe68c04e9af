namespace EventStoreTools.Core;

/// <summary>The checks an event must pass before it is stored, with messages that name the field.</summary>
public static class EventValidation
{
    public const int ThreadCount = 256;

    public static void RequireStorable(ResolveEvent e)
    {
        string? problem = null;
        if (e.ThreadId is < 0 or >= ThreadCount)
            problem = $"threadId ({e.ThreadId}) must be an integer from 0 to 255.";
        else if (e.ThreadCounter < 0)
            problem = $"threadCounter ({e.ThreadCounter}) must not be negative.";
        else if (string.IsNullOrEmpty(e.Type))
            problem = "The field \"type\" is required.";
        else if (e.AggregateId is null)
            problem = "The field \"aggregateId\" is required.";
        else if (e.AggregateVersion < 1)
            problem = $"aggregateVersion ({e.AggregateVersion}) must be 1 or more.";
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
        else if (string.IsNullOrEmpty(e.Type))
            problem = "The field \"type\" is required.";
        else if (e.AggregateId is null)
            problem = "The field \"aggregateId\" is required.";
        if (problem is not null)
            throw new EventStoreException(EventStoreErrorKind.InvalidInput, problem) { Event = e };
    }
}
