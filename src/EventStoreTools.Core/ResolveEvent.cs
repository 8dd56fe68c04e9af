using EventStoreTools.Core.Json;

namespace EventStoreTools.Core;

/// <summary>
/// One event as reSolve stores and exports it (its StoredEvent shape).
/// The payload is kept as the JSON text it was read as, so an event that a script does not touch is
/// written back byte for byte; <see cref="Payload"/> parses that text on first use.
/// </summary>
public sealed class ResolveEvent
{
    private string _payloadJson = "null";
    private object? _payload;
    private bool _payloadMaterialized;

    public int ThreadId { get; set; }
    public long ThreadCounter { get; set; }
    public string Type { get; set; } = "";
    public long Timestamp { get; set; }
    public string AggregateId { get; set; } = "";
    public long AggregateVersion { get; set; }

    /// <summary>The payload as plain .NET values: ordered dictionaries, lists, strings, numbers, booleans, null.</summary>
    public object? Payload
    {
        get
        {
            if (!_payloadMaterialized)
            {
                _payload = JsJson.Parse(_payloadJson);
                _payloadMaterialized = true;
            }
            return _payload;
        }
        set
        {
            _payload = value;
            _payloadMaterialized = true;
        }
    }

    /// <summary>
    /// The payload as JSON text. Unless <see cref="Payload"/> was changed, this is the text the event was read
    /// with, unaltered.
    /// </summary>
    public string PayloadJson
    {
        get
        {
            if (!_payloadMaterialized)
                return _payloadJson;
            var serialized = JsJson.Serialize(_payload);
            // Reading $event.Payload materializes it without changing it; keep the original bytes then.
            return serialized == JsJson.Canonicalize(_payloadJson) ? _payloadJson : serialized;
        }
        set
        {
            _payloadJson = value ?? "null";
            _payload = null;
            _payloadMaterialized = false;
        }
    }

    /// <summary>The timestamp as a UTC point in time.</summary>
    public DateTimeOffset Time =>
        Timestamp is >= -62135596800000L and <= 253402300799999L
            ? DateTimeOffset.FromUnixTimeMilliseconds(Timestamp)
            : default;

    public override string ToString() => $"{Type} {AggregateId} v{AggregateVersion} @{Timestamp}";
}
