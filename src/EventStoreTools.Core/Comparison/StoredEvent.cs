namespace EventStoreTools.Core.Comparison;

/// <summary>
/// An event as read for a comparison: the event (payload canonicalized, as export gives it) and the payload
/// exactly as the store holds it (SQLite's text, JSONB's text), for a byte-exact comparison.
/// </summary>
public sealed record StoredEvent(ResolveEvent Event, ReadOnlyMemory<byte> StoredPayload);
