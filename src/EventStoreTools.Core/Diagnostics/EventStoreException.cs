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
    /// <summary>A mirror's destination holds events that its source lacks or holds differently.</summary>
    DestinationDiverged,
    /// <summary>After a cutover the destination does not equal the source.</summary>
    MirrorMismatch,
    /// <summary>An output would overwrite the input it is made from (the same file, however the paths are spelled).</summary>
    OutputIsInput,
    /// <summary>An output file was written, replaced or created by another process while this one wrote it.</summary>
    OutputChanged,
    /// <summary>A PostgreSQL connection string that Npgsql refuses or that sets an option the tools cannot work with.</summary>
    InvalidConnectionString,
    /// <summary>A store name the server would not keep as given (a PostgreSQL schema name over 63 bytes, a NUL character).</summary>
    InvalidStoreName,
    /// <summary>The store is already open in this session by a command it would wait for forever (the other side of its own pipeline).</summary>
    StoreInUseByPipeline,
    /// <summary>A stored payload is not JSON, so it cannot be exported (reSolve's export fails on it too).</summary>
    CorruptPayload,
    /// <summary>
    /// A stored field that reSolve holds as a whole number has another value (a REAL such as 1.5, or text), which
    /// these tools cannot carry without changing it.
    /// </summary>
    UnsupportedStoredValue,
    /// <summary>A store to be created exists already.</summary>
    StoreExists,
    /// <summary>An output name asks for a compression the module does not write (.bz2, .xz, .zip, ...).</summary>
    UnsupportedCompression,
    /// <summary>An input file holds a format the module cannot read as an export (bzip2, xz, zip, a SQLite database).</summary>
    UnsupportedInputFormat,
    /// <summary>The store holds reSolve's freeze marker, so nothing may write to it unless overridden (-Force).</summary>
    StoreFrozen,
    /// <summary>A backup does not match its manifest: a file changed or cut off, other counts, a manifest that does not name every file read.</summary>
    BackupManifestMismatch,
    /// <summary>A backup folder without a manifest holds two candidate files of one kind (events.db beside events.db.gz).</summary>
    BackupAmbiguous,
    /// <summary>
    /// A thread's timestamps decrease as its threadCounter grows, so a read after reSolve's cursor would skip an
    /// event: the read stops instead.
    /// </summary>
    ThreadTimestampsDecrease,
    /// <summary>An import endpoint (a reSolve application's import handler) refused a batch or did not answer.</summary>
    EndpointFailed,
}

/// <summary>The key of a stored event (reSolve's primary key), the target of errors about a stored event that cannot be read.</summary>
public sealed record StoredEventKey(int ThreadId, long ThreadCounter)
{
    public override string ToString() => $"threadId {ThreadId}, threadCounter {ThreadCounter}";
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
