namespace EventStoreTools.Core;

/// <summary>What went wrong, so that a caller (the cmdlets) can pick a fitting error category.</summary>
public enum EventStoreErrorKind
{
    InvalidInput,
    InvalidCursor,
    StoreNotFound,
    NotAnEventStore,
    TargetNotEmpty,
    DuplicateEvent,
    DuplicateSecret,
    ImportNotFound,
    ImportAlreadyOpen,
    StoreBusy,
    StoreError,
    /// <summary>The store path names something that cannot be a store file, such as a directory.</summary>
    InvalidStorePath,
    /// <summary>The store file may not be written (a read-only file, or SQLite opened it read-only).</summary>
    StoreReadOnly,
    /// <summary>The input file to import is missing or cannot be read.</summary>
    InputNotFound,
    /// <summary>The server refused the login (a wrong or missing password, an unknown user).</summary>
    AuthenticationFailed,
    /// <summary>The server could not be reached (refused, unreachable, timed out).</summary>
    ConnectionFailed,
}

public class EventStoreException : Exception
{
    public EventStoreException(EventStoreErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public EventStoreErrorKind Kind { get; }

    /// <summary>The offending event (a <see cref="ResolveEvent"/>, or the input object it came from), if any.</summary>
    public object? Event { get; init; }

    /// <summary>1-based line number in an NDJSON input, if the error came from one.</summary>
    public long? LineNumber { get; init; }

    /// <summary>The offending NDJSON line, shortened for display, if the error came from one.</summary>
    public string? Line { get; init; }
}
