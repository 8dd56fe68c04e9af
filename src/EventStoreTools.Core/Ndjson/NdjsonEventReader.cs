using System.Text;
using System.Text.Json;
using EventStoreTools.Core.Json;

namespace EventStoreTools.Core.Ndjson;

/// <summary>
/// Reads events from NDJSON as reSolve's importEvents() accepts them: one JSON object a line, keys in any
/// order, unknown keys ignored. Unlike reSolve it has no line-length limit, skips a UTF-8 BOM at the start,
/// and fails on an unparsable last line instead of dropping it silently.
/// </summary>
public sealed class NdjsonEventReader : IDisposable
{
    private const int MaxLineShownInErrors = 300;
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    /// <summary>The line buffer's size; a huge line grows it, and it shrinks back once that line is done.</summary>
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// A canonical payload longer than this is not copied out of its line: the event keeps the line's buffer, and
    /// the reader goes on in a new one (a huge line is then held once, not once more as its payload).
    /// </summary>
    private const int PayloadKeptInLineBytes = 1 << 20;

    private byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private bool _eof;

    public NdjsonEventReader(Stream stream, bool ownsStream = true)
    {
        _stream = stream;
        _ownsStream = ownsStream;
    }

    /// <summary>Opens a file, decompressed by its extension (.gz, .zst), or standard input for "-".</summary>
    public static NdjsonEventReader Open(string path) => new(Backups.CompressedFile.OpenRead(path));

    /// <summary>The 1-based number of the line last read.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Bytes of input consumed so far, line ends included.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Total size of the input, when the stream knows it.</summary>
    public long? Length => _stream.CanSeek ? _stream.Length : null;

    /// <param name="versionless">
    /// True for incremental import, which reads only timestamp, aggregateId, type and payload (reSolve's
    /// VersionlessEvent): thread fields and version are then neither required nor read.
    /// </param>
    public IEnumerable<ResolveEvent> ReadEvents(bool versionless = false)
    {
        while (TryReadLine(out var lineStart, out var lineLength))
        {
            yield return ParseEvent(_buffer.AsMemory(lineStart, lineLength), versionless);
        }
    }

    /// <summary>
    /// Every line as an event or as the error that line is (Test-EventStore reports them all rather than stopping
    /// at the first). Bytes that are not a line (an unreadable, truncated compressed file) still throw.
    /// </summary>
    public IEnumerable<(ResolveEvent? Event, EventStoreException? Error)> ReadEventsOrErrors()
    {
        while (TryReadLine(out var lineStart, out var lineLength))
        {
            yield return TryParseEvent(lineStart, lineLength);
        }
    }

    private (ResolveEvent?, EventStoreException?) TryParseEvent(int lineStart, int lineLength)
    {
        try
        {
            return (ParseEvent(_buffer.AsMemory(lineStart, lineLength), versionless: false), null);
        }
        catch (EventStoreException ex)
        {
            return (null, ex);
        }
    }

    private bool TryReadLine(out int lineStart, out int lineLength)
    {
        var searchFrom = _start;
        while (true)
        {
            var newline = _buffer.AsSpan(searchFrom, _end - searchFrom).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                lineStart = _start;
                lineLength = searchFrom + newline - _start;
                _start += lineLength + 1;
                return CountLine(lineStart, lineLength, lineLength + 1);
            }
            if (_eof)
            {
                lineStart = _start;
                lineLength = _end - _start;
                _start = _end;
                return lineLength > 0 && CountLine(lineStart, lineLength, lineLength);
            }
            searchFrom = _end;
            Fill(ref searchFrom);
        }
    }

    private bool CountLine(int lineStart, int lineLength, int consumed)
    {
        LineNumber++;
        BytesRead += consumed;
        if (LineNumber == 1 && _buffer.AsSpan(lineStart, lineLength).StartsWith("\uFEFF"u8))
        {
            // The BOM is skipped, not parsed; report it as part of the first line's bytes.
            Array.Fill(_buffer, (byte)' ', lineStart, 3);
        }
        return true;
    }

    /// <summary>Goes on in a new buffer: the current one belongs to the event whose payload is in it.</summary>
    private void MoveToNewBuffer()
    {
        var pending = _end - _start;
        var fresh = new byte[Math.Max(BufferSize, pending)];
        Buffer.BlockCopy(_buffer, _start, fresh, 0, pending);
        (_buffer, _start, _end) = (fresh, 0, pending);
    }

    private void Fill(ref int searchFrom)
    {
        if (_start > 0)
        {
            var pending = _end - _start;
            // After a huge line, the rest moves into a buffer of the usual size rather than keeping the huge one.
            if (_buffer.Length > BufferSize && pending < BufferSize / 2)
            {
                var smaller = new byte[BufferSize];
                Buffer.BlockCopy(_buffer, _start, smaller, 0, pending);
                _buffer = smaller;
            }
            else Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            searchFrom -= _start;
            _start = 0;
            _end = pending;
        }
        if (_end == _buffer.Length)
        {
            // A line longer than the buffer: in a file, made exactly as long as the line (measured by reading ahead,
            // so that a huge line is not grown into by doubling, each step a copy and the old buffer left to the
            // collector); otherwise doubled.
            var size = _stream.CanSeek ? _end + Math.Max(1, BytesToNextLineEnd()) : _buffer.Length * 2L;
            Array.Resize(ref _buffer, (int)Math.Min(size, Array.MaxLength));
        }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    /// <summary>How many bytes the stream holds up to and with the next line end (or up to its end); the stream is left where it was.</summary>
    private long BytesToNextLineEnd()
    {
        var position = _stream.Position;
        var chunk = new byte[1 << 16];
        long count = 0;
        try
        {
            int read;
            while ((read = _stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                var newline = chunk.AsSpan(0, read).IndexOf((byte)'\n');
                if (newline >= 0) return count + newline + 1;
                count += read;
            }
            return count;
        }
        finally
        {
            _stream.Position = position;
        }
    }

    private ResolveEvent ParseEvent(ReadOnlyMemory<byte> lineMemory, bool versionless)
    {
        var line = lineMemory.Span;
        if (!System.Text.Unicode.Utf8.IsValid(line))
            throw LineError(line, "The line is not valid UTF-8.");
        if (line.Trim(" \t\r"u8).IsEmpty)
            throw LineError(line, "The line is blank; every line must hold one JSON event.");
        try
        {
            return ReadEventObject(lineMemory, versionless, out var missing) ?? throw LineError(line,
                $"The field {string.Join(", ", missing.Select(m => $"\"{m}\""))} is required.");
        }
        catch (JsonException ex)
        {
            throw LineError(line, $"The line is not valid JSON: {DescribeJsonError(ex)}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw LineError(line, ex.Message, ex);
        }
    }

    private ResolveEvent? ReadEventObject(ReadOnlyMemory<byte> lineMemory, bool versionless, out List<string> missing)
    {
        var line = lineMemory.Span;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 4096 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new InvalidOperationException("The line must hold a JSON object.");
        long? threadId = null, threadCounter = null, timestamp = null, aggregateVersion = null;
        string? type = null, aggregateId = null;
        ReadOnlyMemory<byte> payload = "null"u8.ToArray();
        var payloadDepth = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (versionless && IsStoredOnlyField(ref reader))
            {
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("threadId"u8)) threadId = ReadInteger(ref reader, "threadId");
            else if (reader.ValueTextEquals("threadCounter"u8)) threadCounter = ReadInteger(ref reader, "threadCounter");
            else if (reader.ValueTextEquals("timestamp"u8)) timestamp = ReadInteger(ref reader, "timestamp");
            else if (reader.ValueTextEquals("aggregateVersion"u8)) aggregateVersion = ReadInteger(ref reader, "aggregateVersion");
            else if (reader.ValueTextEquals("type"u8)) type = ReadString(ref reader, "type");
            else if (reader.ValueTextEquals("aggregateId"u8)) aggregateId = ReadString(ref reader, "aggregateId");
            else if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                payload = JsJson.CanonicalizeUtf8(lineMemory[start..(int)reader.BytesConsumed], out payloadDepth);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.Read())
            throw new InvalidOperationException("The line holds more than one JSON value.");

        missing = [];
        if (threadId is null && !versionless) missing.Add("threadId");
        if (threadCounter is null && !versionless) missing.Add("threadCounter");
        if (timestamp is null) missing.Add("timestamp");
        if (aggregateId is null) missing.Add("aggregateId");
        if (aggregateVersion is null && !versionless) missing.Add("aggregateVersion");
        if (type is null) missing.Add("type");
        if (missing.Count > 0) return null;
        if (threadId is < int.MinValue or > int.MaxValue)
            throw new InvalidOperationException($"threadId ({threadId}) must be an integer from 0 to 255.");
        var e = new ResolveEvent
        {
            ThreadId = (int)(threadId ?? 0),
            ThreadCounter = threadCounter ?? 0,
            Timestamp = timestamp!.Value,
            AggregateId = aggregateId!,
            AggregateVersion = aggregateVersion ?? 0,
            Type = type!,
        };
        e.SetCanonicalPayloadUtf8(KeepPayload(payload), payloadDepth);
        return e;
    }

    /// <summary>The payload for its event: a copy when it is (small and) in the line buffer, which the next line reuses.</summary>
    private ReadOnlyMemory<byte> KeepPayload(ReadOnlyMemory<byte> payload)
    {
        if (!System.Runtime.InteropServices.MemoryMarshal.TryGetArray(payload, out var segment) || segment.Array != _buffer) return payload;
        if (payload.Length <= PayloadKeptInLineBytes) return payload.ToArray();
        // The line being parsed stays readable: its array lives on in the payload.
        MoveToNewBuffer();
        return payload;
    }

    private static bool IsStoredOnlyField(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("threadId"u8) || reader.ValueTextEquals("threadCounter"u8) || reader.ValueTextEquals("aggregateVersion"u8);

    private static long? ReadInteger(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.Number)
            throw new InvalidOperationException($"The field \"{field}\" must be a number, not {Describe(reader.TokenType)}.");
        if (reader.TryGetInt64(out var value)) return value;
        // JSON.parse reads 1e3 as 1000: accept any number that is a whole integer.
        if (reader.TryGetDouble(out var number) && Math.Floor(number) == number && Math.Abs(number) < 9.2e18)
            return (long)number;
        throw new InvalidOperationException($"The field \"{field}\" must be a whole number, not {Encoding.UTF8.GetString(reader.ValueSpan)}.");
    }

    private static string? ReadString(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String)
            throw new InvalidOperationException($"The field \"{field}\" must be a string, not {Describe(reader.TokenType)}.");
        return reader.GetString();
    }

    // System.Text.Json appends "LineNumber: 0 | BytePositionInLine: n." about its own one-line input.
    private static string DescribeJsonError(JsonException ex)
    {
        var message = ex.Message;
        var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (position < 0) return message;
        return $"{message[..position]} (at byte {ex.BytePositionInLine + 1})";
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };

    private EventStoreException LineError(ReadOnlySpan<byte> line, string message, Exception? inner = null)
    {
        var text = Encoding.UTF8.GetString(line).TrimEnd('\r');
        if (text.Length > MaxLineShownInErrors) text = text[..MaxLineShownInErrors] + "…";
        return new EventStoreException(EventStoreErrorKind.InvalidInput, $"Line {LineNumber}: {message}", inner)
        {
            LineNumber = LineNumber,
            Line = text,
        };
    }

    public void Dispose()
    {
        if (_ownsStream) _stream.Dispose();
    }
}
