using EventStoreTools.Core.Json;

namespace EventStoreTools.Core.Ndjson;

/// <summary>
/// Writes events as reSolve's exportEvents() does: one JSON.stringify(event) per line, keys in the order of
/// its shapeEvent, payload re-serialized as JSON.stringify(JSON.parse(stored text)), UTF-8, no BOM.
/// </summary>
public sealed class NdjsonEventWriter : IDisposable
{
    private const int FlushThreshold = 1 << 20;
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Utf8Buffer _line = new(FlushThreshold + 64 * 1024);
    private readonly Utf8Buffer _payload = new();
    private readonly JsJsonWriter _json;

    public NdjsonEventWriter(Stream stream, bool ownsStream = true)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _json = new JsJsonWriter(_line);
    }

    public static NdjsonEventWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16));

    public long EventCount { get; private set; }

    public long BytesWritten { get; private set; }

    public void Write(ResolveEvent e)
    {
        var start = _line.Length;
        _json.WriteRaw("{\"threadCounter\":");
        _json.WriteInt64(e.ThreadCounter);
        _json.WriteRaw(",\"threadId\":");
        _json.WriteInt64(e.ThreadId);
        _json.WriteRaw(",\"type\":");
        _json.WriteString(e.Type);
        _json.WriteRaw(",\"timestamp\":");
        _json.WriteInt64(e.Timestamp);
        _json.WriteRaw(",\"aggregateId\":");
        _json.WriteString(e.AggregateId);
        _json.WriteRaw(",\"aggregateVersion\":");
        _json.WriteInt64(e.AggregateVersion);
        _json.WriteRaw(",\"payload\":");
        _payload.Clear();
        _payload.AppendUtf8(e.PayloadJson);
        _json.WriteCanonical(_payload.Span);
        _json.WriteRaw("}\n");
        EventCount++;
        BytesWritten += _line.Length - start;
        if (_line.Length >= FlushThreshold) Flush();
    }

    public void Flush()
    {
        _stream.Write(_line.Span);
        _line.Clear();
        _stream.Flush();
    }

    public void Dispose()
    {
        Flush();
        if (_ownsStream) _stream.Dispose();
    }
}
