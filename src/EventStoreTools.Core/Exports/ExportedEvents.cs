namespace EventStoreTools.Core.Exports;

/// <summary>
/// What an export to a file wrote: the cursor after it (given only once the file is in place, so a failed export
/// resumes from where it began), the count and the time range.
/// </summary>
public sealed record ExportedEvents(ResolveCursor Cursor, long Count, long? FirstTimestamp, long? LastTimestamp);
