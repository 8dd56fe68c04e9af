using System.Text;
using System.Text.Json;
using EventStoreTools.Core.Json;

namespace EventStoreTools.Core.Ndjson;

/// <summary>
/// Reads events from NDJSON as reSolve's importEvents() accepts them: one JSON object a line, keys in any
/// order, unknown keys ignored. Unlike reSolve it has no line-length limit, skips a UTF-8 BOM at the start,
/// and fails on an unparsable last line instead of dropping it silently. Input whose first non-blank character is
/// "[" is a JSON array of such objects instead (the body an application's import handler gives reSolve's
/// incrementalImport): its elements are read one at a time, as lines are, with constant memory however long it is.
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
    /// <summary>The offset in the input of _buffer[0].</summary>
    private long _bufferOffset;
    private InputShape _shape;
    private bool _arrayClosed;
    private long _elementOffset;

    private enum InputShape { Unknown, Lines, Array }

    public NdjsonEventReader(Stream stream, bool ownsStream = true)
    {
        _stream = stream;
        _ownsStream = ownsStream;
    }

    /// <summary>
    /// Opens a file, decompressed by its extension (.gz, .zst), or standard input for "-", decoded from the given
    /// charset (UTF-8 when null; a byte-order mark wins over it).
    /// </summary>
    public static NdjsonEventReader Open(string path, System.Text.Encoding? encoding = null) =>
        new(InputEncoding.AsUtf8(Backups.CompressedFile.OpenRead(path), encoding));

    /// <summary>Whether the input is a JSON array of events rather than NDJSON (known once reading has begun).</summary>
    public bool IsJsonArray => _shape == InputShape.Array;

    /// <summary>"Line 3" or "Array element [2] (at byte 180)": where the record last read is, for messages.</summary>
    private string Location => _shape == InputShape.Array ? $"Array element [{LineNumber - 1}] (at byte {_elementOffset})" : $"Line {LineNumber}";

    private string Unit => _shape == InputShape.Array ? "array element" : "line";

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
        while (TryReadRecord(out var lineStart, out var lineLength))
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
        while (TryReadRecord(out var lineStart, out var lineLength))
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

    private bool TryReadRecord(out int start, out int length)
    {
        if (_shape == InputShape.Unknown) _shape = DetectShape();
        return _shape == InputShape.Array ? TryReadElement(out start, out length) : TryReadLine(out start, out length);
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    /// <summary>An array when the first character that is not blank (after a byte-order mark) is "["; nothing is consumed.</summary>
    private InputShape DetectShape()
    {
        var position = _start;
        while (true)
        {
            if (position == _end)
            {
                if (_eof) return InputShape.Lines;
                Fill(ref position);
                continue;
            }
            if (_bufferOffset + position == 0 && _end - position >= 3 && _buffer.AsSpan(position).StartsWith("\uFEFF"u8))
            {
                position += 3;
                continue;
            }
            if (IsBlank(_buffer[position]))
            {
                position++;
                continue;
            }
            if (_buffer[position] != (byte)'[') return InputShape.Lines;
            _start = position + 1;
            return InputShape.Array;
        }
    }

    /// <summary>The next element of the array, as its raw bytes; false at the closing "]".</summary>
    private bool TryReadElement(out int start, out int length)
    {
        start = length = 0;
        if (_arrayClosed) return false;
        var afterComma = false;
        var first = LineNumber == 0;
        while (true)
        {
            if (!SkipBlanks()) throw ArrayError($"The JSON array is not closed: the input ends after {LineNumber:N0} elements.");
            var c = _buffer[_start];
            if (c == (byte)']')
            {
                if (afterComma) throw ArrayError("A comma is followed by the end of the array.");
                _start++;
                _arrayClosed = true;
                if (SkipBlanks()) throw ArrayError("The input goes on after the array's closing \"]\": give one JSON array, or NDJSON.");
                BytesRead = _bufferOffset + _start;
                return false;
            }
            if (c == (byte)',')
            {
                if (afterComma || first) throw ArrayError("The array has an empty element (two commas, or a comma first).");
                afterComma = true;
                _start++;
                continue;
            }
            if (!afterComma && !first) throw ArrayError("Array elements must be separated by commas.");
            break;
        }
        var end = ElementEnd();
        start = _start;
        length = end - _start;
        _elementOffset = _bufferOffset + _start;
        _start = end;
        LineNumber++;
        BytesRead = _bufferOffset + end;
        return true;
    }

    /// <summary>Moves past blank bytes, reading more as needed; false when the input ends first.</summary>
    private bool SkipBlanks()
    {
        while (true)
        {
            while (_start < _end && IsBlank(_buffer[_start])) _start++;
            if (_start < _end) return true;
            if (_eof) return false;
            var position = _start;
            Fill(ref position);
        }
    }

    /// <summary>
    /// Where the value starting at _start ends (exclusive): an object or array where its brackets close, outside
    /// strings; a scalar at the next blank, comma or bracket. Reads more of the input as needed (a huge element grows
    /// the buffer); its syntax inside is left to the JSON reader.
    /// </summary>
    private int ElementEnd()
    {
        var position = _start;
        var depth = 0;
        var inString = false;
        var escaped = false;
        while (true)
        {
            for (; position < _end; position++)
            {
                var b = _buffer[position];
                if (inString)
                {
                    if (escaped) escaped = false;
                    else if (b == (byte)'\\') escaped = true;
                    else if (b == (byte)'"')
                    {
                        inString = false;
                        if (depth == 0) return position + 1;
                    }
                    continue;
                }
                switch (b)
                {
                    case (byte)'"':
                        inString = true;
                        break;
                    case (byte)'{' or (byte)'[':
                        depth++;
                        break;
                    case (byte)'}' or (byte)']':
                        if (depth == 0) return position;
                        if (--depth == 0) return position + 1;
                        break;
                    case (byte)',' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                        if (depth == 0) return position;
                        break;
                }
            }
            if (_eof) throw ArrayError($"The JSON array is not closed: the input ends inside element [{LineNumber}].");
            Fill(ref position);
        }
    }

    private EventStoreException ArrayError(string message) =>
        new(EventStoreErrorKind.InvalidInput, $"Array element [{LineNumber}] (at byte {_bufferOffset + _start}): {message}")
        {
            LineNumber = LineNumber + 1,
            Line = "",
        };

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
        _elementOffset = BytesRead;
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
            _bufferOffset += _start;
            _start = 0;
            _end = pending;
        }
        if (_end == _buffer.Length)
        {
            // A line longer than the buffer: in a file, made exactly as long as the line (measured by reading ahead,
            // so that a huge line is not grown into by doubling, each step a copy and the old buffer left to the
            // collector); otherwise doubled.
            var size = _stream.CanSeek && _shape != InputShape.Array ? _end + Math.Max(1, BytesToNextLineEnd()) : _buffer.Length * 2L;
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
            throw LineError(line, $"The {Unit} is not valid UTF-8 (at byte {FirstInvalidUtf8Offset(line)}): give the file's charset with -Encoding.");
        if (line.Trim(" \t\r"u8).IsEmpty)
            throw LineError(line, "The line is blank; every line must hold one JSON event.");
        try
        {
            return ReadEventObject(lineMemory, versionless, out var missing) ?? throw LineError(line,
                $"The field {string.Join(", ", missing.Select(m => $"\"{m}\""))} is required.");
        }
        catch (JsonException ex)
        {
            throw LineError(line, $"The {Unit} is not valid JSON: {DescribeJsonError(ex)}", ex);
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
            throw new InvalidOperationException(_shape == InputShape.Array ? "The array element must be a JSON object (an event)." : "The line must hold a JSON object.");
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
            throw new InvalidOperationException($"The {Unit} holds more than one JSON value.");

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

    /// <summary>The offset in the input of the first byte of the record last read that is not valid UTF-8.</summary>
    private long FirstInvalidUtf8Offset(ReadOnlySpan<byte> record)
    {
        var index = 0;
        while (index < record.Length && Rune.DecodeFromUtf8(record[index..], out _, out var length) == System.Buffers.OperationStatus.Done) index += length;
        return _elementOffset + index;
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
        return new EventStoreException(EventStoreErrorKind.InvalidInput, $"{Location}: {message}", inner)
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
