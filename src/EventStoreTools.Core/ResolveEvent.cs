using EventStoreTools.Core.Json;

namespace EventStoreTools.Core;

/// <summary>
/// One event as reSolve stores and exports it (its StoredEvent shape).
/// The payload is kept as JSON text in JavaScript's canonical form (what JSON.stringify(JSON.parse(text))
/// gives, spec 0.1), so an event that a script does not touch is written back byte for byte, as reSolve
/// would write it; <see cref="Payload"/> parses that text on first use.
/// </summary>
public sealed class ResolveEvent
{
    private string _payloadJson = "null";
    private int _payloadDepth;
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
    /// The payload as JSON text, in JavaScript's canonical form: text set here is canonicalized (and must be
    /// JSON). Unless <see cref="Payload"/> was changed, this is the text the event was read with.
    /// </summary>
    public string PayloadJson
    {
        get
        {
            if (_payloadMaterialized) SerializePayload();
            return _payloadJson;
        }
        set => SetCanonicalPayloadJson(JsJson.Canonicalize(value ?? "null", out var depth), depth);
    }

    /// <summary>How deeply the payload nests: 0 for a scalar, 1 for [] or {}.</summary>
    internal int PayloadDepth
    {
        get
        {
            if (_payloadMaterialized) SerializePayload();
            return _payloadDepth;
        }
    }

    /// <summary>Sets payload text that is already canonical (written by <see cref="JsJson"/>), without checking it again.</summary>
    internal void SetCanonicalPayloadJson(string canonicalJson, int depth)
    {
        _payloadJson = canonicalJson;
        _payloadDepth = depth;
        _payload = null;
        _payloadMaterialized = false;
    }

    // Reading $event.Payload materializes it without changing it; the text stays the same string then.
    private void SerializePayload()
    {
        var serialized = JsJson.Serialize(_payload, out var depth);
        if (serialized == _payloadJson) return;
        _payloadJson = serialized;
        _payloadDepth = depth;
    }
    /// <summary>The timestamp as a UTC point in time.</summary>
    public DateTimeOffset Time =>
        Timestamp is >= -62135596800000L and <= 253402300799999L
            ? DateTimeOffset.FromUnixTimeMilliseconds(Timestamp)
            : default;

    public override string ToString() => $"{Type} {AggregateId} v{AggregateVersion} @{Timestamp}";
}
