using System.Text;
using EventStoreTools.Core.Json;

namespace EventStoreTools.Core.Endpoints;

/// <summary>
/// The JSON array a batch is sent as: per event only what reSolve's incrementalImport reads (timestamp,
/// aggregateId, type, payload), the payload as its canonical text, as the NDJSON writer writes it.
/// </summary>
internal sealed class EndpointBody
{
    private readonly Utf8Buffer _utf8 = new(1 << 16);
    private readonly JsJsonWriter _json;

    public EndpointBody() => _json = new JsJsonWriter(_utf8);

    public int EventCount { get; private set; }

    public void Add(ResolveEvent e)
    {
        _json.WriteRaw(EventCount == 0 ? "[{\"timestamp\":" : ",{\"timestamp\":");
        _json.WriteInt64(e.Timestamp);
        _json.WriteRaw(",\"aggregateId\":");
        _json.WriteString(e.AggregateId);
        _json.WriteRaw(",\"type\":");
        _json.WriteString(e.Type);
        _json.WriteRaw(",\"payload\":");
        _utf8.Append(e.PayloadUtf8.Span);
        _json.WriteRaw("}");
        EventCount++;
    }

    /// <summary>The body in <paramref name="encoding"/>; the buffer is emptied for the next batch.</summary>
    public byte[] Take(Encoding encoding)
    {
        if (EventCount == 0) _json.WriteRaw("[");
        _json.WriteRaw("]");
        var bytes = Ndjson.InputEncoding.IsUtf8(encoding) ? _utf8.Span.ToArray() : Transcode(Encoding.UTF8.GetString(_utf8.Span), encoding);
        _utf8.Clear(1 << 16);
        EventCount = 0;
        return bytes;
    }

    /// <summary>
    /// JSON text in another charset. A character the charset lacks can only be inside a string (JSON's own
    /// characters are ASCII), where \uXXXX stands for it. C1 controls (U+0080-U+009F) are escaped too: the handler
    /// decodes with TextDecoder, which reads the label iso-8859-1 as windows-1252, where those bytes are other letters.
    /// </summary>
    internal static byte[] Transcode(string json, Encoding encoding)
    {
        var strict = Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        var text = new StringBuilder(json.Length + 16);
        Span<char> one = stackalloc char[1];
        Span<byte> room = stackalloc byte[16];
        foreach (var c in json)
        {
            if (c < 0x80 || (c > 0x9F && !char.IsSurrogate(c) && Encodes(strict, c, one, room))) text.Append(c);
            else text.Append("\\u").Append(((int)c).ToString("x4"));
        }
        return encoding.GetBytes(text.ToString());
    }

    private static bool Encodes(Encoding strict, char c, Span<char> one, Span<byte> room)
    {
        one[0] = c;
        try
        {
            strict.GetBytes(one, room);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
