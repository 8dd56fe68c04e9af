using EventStoreTools.Core.Json;

namespace EventStoreTools.Core.Ndjson;

/// <summary>
/// Writes events as reSolve's exportEvents() does: one JSON.stringify(event) per line, keys in the order of
/// its shapeEvent, payload as JSON.stringify(JSON.parse(stored text)) (which an event's PayloadJson always is),
/// UTF-8, no BOM.
/// </summary>
public sealed class NdjsonEventWriter : IDisposable
{
    private const int FlushThreshold = 1 << 20;
    private const int LineCapacity = FlushThreshold + 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Utf8Buffer _line = new(LineCapacity);
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
        var payload = e.PayloadUtf8.Span;
        if (payload.Length > FlushThreshold)
        {
            // A huge payload goes to the stream as it is, not through the line buffer (which would grow to hold it).
            _stream.Write(_line.Span);
            BytesWritten += _line.Length - start + payload.Length;
            _line.Clear();
            start = 0;
            _stream.Write(payload);
        }
        else _line.Append(payload);
        _json.WriteRaw("}\n");
        EventCount++;
        BytesWritten += _line.Length - start;
        if (_line.Length >= FlushThreshold) Flush();
    }

    public void Flush()
    {
        _stream.Write(_line.Span);
        _line.Clear(LineCapacity);
        _stream.Flush();
    }

    public void Dispose()
    {
        Flush();
        if (_ownsStream) _stream.Dispose();
    }
}
