using System.Text;
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
    // The canonical text is kept as UTF-8 (a huge payload once, not as 2-byte characters plus copies); the string
    // is made when something asks for it.
    private ReadOnlyMemory<byte> _payloadUtf8 = NullPayload;
    private string? _payloadJson = "null";
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
                _payload = JsJson.Parse(PayloadJson);
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
            return _payloadJson ??= Encoding.UTF8.GetString(_payloadUtf8.Span);
        }
        set
        {
            value ??= "null";
            var canonical = JsJson.CanonicalizeToUtf8(value, out var depth, out var unchanged);
            SetCanonicalPayloadUtf8(canonical, depth);
            if (unchanged) _payloadJson = value;
        }
    }

    /// <summary>The payload's canonical text as UTF-8 (what is stored and exported), without making a string of it.</summary>
    internal ReadOnlyMemory<byte> PayloadUtf8
    {
        get
        {
            if (_payloadMaterialized) SerializePayload();
            return _payloadUtf8;
        }
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

    /// <summary>
    /// Sets payload text that is already canonical UTF-8 (checked or written by <see cref="JsJson"/>), without
    /// checking it again. The event keeps the memory: it must not change afterwards.
    /// </summary>
    internal void SetCanonicalPayloadUtf8(ReadOnlyMemory<byte> canonicalUtf8, int depth)
    {
        _payloadUtf8 = canonicalUtf8;
        _payloadJson = null;
        _payloadDepth = depth;
        _payload = null;
        _payloadMaterialized = false;
    }

    /// <summary>
    /// Lets go of the payload of an event that has been stored or written and is not handed out (a huge payload
    /// is then not held while the next event is read); the payload reads as null afterwards.
    /// </summary>
    internal void DropPayload() => SetCanonicalPayloadUtf8(NullPayload, 0);

    private static readonly byte[] NullPayload = "null"u8.ToArray();

    /// <summary>
    /// A payload longer than this many bytes of UTF-8 text is huge: the paths that move events hold at most one
    /// at a time (read-ahead waits after it, an incremental commit that moves one keeps SQLite's default cache).
    /// </summary>
    internal const int HugePayloadBytes = 1 << 20;

    // Reading $event.Payload materializes it without changing it; the text stays the same then.
    private void SerializePayload()
    {
        var serialized = JsJson.SerializeToUtf8(_payload, out var depth);
        if (serialized.Span.SequenceEqual(_payloadUtf8.Span)) return;
        _payloadUtf8 = serialized;
        _payloadJson = null;
        _payloadDepth = depth;
    }

    /// <summary>The timestamp as a UTC point in time.</summary>
    public DateTimeOffset Time =>
        Timestamp is >= -62135596800000L and <= 253402300799999L
            ? DateTimeOffset.FromUnixTimeMilliseconds(Timestamp)
            : default;

    public override string ToString() => $"{Type} {AggregateId} v{AggregateVersion} @{Timestamp}";
}
