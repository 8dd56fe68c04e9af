using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventStoreTools.Core.Json;

/// <summary>
/// Writes JSON exactly as JavaScript's JSON.stringify does: no whitespace, keys in JavaScript's order
/// (<see cref="JsPropertyOrder"/>), only quote, backslash and control characters escaped (lower-case hex),
/// lone surrogates escaped, numbers in ECMAScript's shortest round-trip form. reSolve writes what it stores
/// and exports this way, so byte-identical output depends on every rule here.
/// </summary>
internal sealed class JsJsonWriter
{
    /// <summary>How deep text is read at all; stores take less (<see cref="JsJson.MaxStoredDepth"/>).</summary>
    public const int MaxReadDepth = 4096;

    // Above this many keys, an object's duplicate check uses a set instead of comparing with each earlier key.
    private const int KeysComparedOneByOne = 32;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxReadDepth };
    private readonly Utf8Buffer _out;
    private ObjectFrame[] _frames = new ObjectFrame[16];
    private int _frameCount;
    private (int Start, int Length)[] _keys = new (int, int)[64];
    private int _keyCount;
    private int _valueDepth;
    private bool _keysInGivenOrder;

    public JsJsonWriter(Utf8Buffer output) => _out = output;

    public void WriteRaw(string ascii) => _out.AppendAscii(ascii);

    public void WriteInt64(long value)
    {
        if (JsNumber.IsSafeInteger(value)) _out.AppendInt64(value);
        else WriteNumber(value);
    }

    public void WriteNumber(double value)
    {
        Span<char> text = stackalloc char[JsNumber.MaxLength];
        _out.AppendAscii(text[..JsNumber.Format(value, text)]);
    }

    public void WriteString(ReadOnlySpan<char> value)
    {
        _out.Append((byte)'"');
        var runStart = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            string? escape = null;
            if (c < 0x20 || c == '"' || c == '\\')
            {
                escape = c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\b' => "\\b",
                    '\f' => "\\f",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                };
            }
            else if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }
                escape = "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture);
            }
            if (escape is null) continue;
            _out.AppendUtf8(value[runStart..i]);
            WriteRaw(escape);
            runStart = i + 1;
        }
        _out.AppendUtf8(value[runStart..]);
        _out.Append((byte)'"');
    }

    /// <summary>
    /// Re-writes JSON text as JSON.stringify(JSON.parse(text)) would, in one streaming pass; only an object
    /// whose keys JavaScript would reorder or merge (an array-index key after another key, a duplicate, an
    /// escaped key) is read again as a tree and written from that. Returns how deeply the value nests (0 for
    /// a scalar, 1 for [] or {}). Throws <see cref="JsonException"/> when the text is not JSON.
    /// </summary>
    public int WriteCanonical(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        var frameBase = _frameCount;
        var keyBase = _keyCount;
        var needsComma = false;
        var depth = 0;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        if (needsComma) _out.Append((byte)',');
                        depth = Math.Max(depth, reader.CurrentDepth + 1);
                        PushFrame((int)reader.TokenStartIndex);
                        _out.Append((byte)'{');
                        needsComma = false;
                        break;
                    case JsonTokenType.StartArray:
                        if (needsComma) _out.Append((byte)',');
                        depth = Math.Max(depth, reader.CurrentDepth + 1);
                        _out.Append((byte)'[');
                        needsComma = false;
                        break;
                    case JsonTokenType.EndObject:
                        PopFrame();
                        _out.Append((byte)'}');
                        needsComma = true;
                        break;
                    case JsonTokenType.EndArray:
                        _out.Append((byte)']');
                        needsComma = true;
                        break;
                    case JsonTokenType.PropertyName:
                        if (!IsInJavaScriptOrder(ref reader, utf8Json))
                        {
                            depth = Math.Max(depth, RewriteObject(ref reader, utf8Json));
                            needsComma = true;
                            break;
                        }
                        if (needsComma) _out.Append((byte)',');
                        WriteStringToken(ref reader);
                        _out.Append((byte)':');
                        needsComma = false;
                        break;
                    case JsonTokenType.String:
                        if (needsComma) _out.Append((byte)',');
                        WriteStringToken(ref reader);
                        needsComma = true;
                        break;
                    case JsonTokenType.Number:
                        if (needsComma) _out.Append((byte)',');
                        WriteNumberToken(ref reader);
                        needsComma = true;
                        break;
                    case JsonTokenType.True:
                    case JsonTokenType.False:
                    case JsonTokenType.Null:
                        if (needsComma) _out.Append((byte)',');
                        WriteRaw(reader.TokenType switch
                        {
                            JsonTokenType.True => "true",
                            JsonTokenType.False => "false",
                            _ => "null",
                        });
                        needsComma = true;
                        break;
                }
            }
        }
        finally
        {
            _frameCount = frameBase;
            _keyCount = keyBase;
        }
        if (reader.BytesConsumed == 0)
            throw new JsonException("The JSON value is empty.");
        return depth;
    }

    /// <summary>
    /// Writes a tree of plain .NET values (see <see cref="JsJson.Parse"/>) as JSON; returns how deeply it
    /// nests. Values it does not know go through <see cref="JsJson.ForeignValueConverter"/>.
    /// </summary>
    /// <param name="keysInGivenOrder">
    /// Write each dictionary's keys in its own order rather than JavaScript's (for sorted dumps and comparisons).
    /// </param>
    public int WriteTree(object? value, bool keysInGivenOrder = false)
    {
        // A tree can hold JSON text (JsonElement) whose objects are rewritten as trees in turn.
        var (outerDepth, outerKeyOrder) = (_valueDepth, _keysInGivenOrder);
        (_valueDepth, _keysInGivenOrder) = (0, keysInGivenOrder);
        try
        {
            WriteValue(value, 0);
            return _valueDepth;
        }
        finally
        {
            (_valueDepth, _keysInGivenOrder) = (outerDepth, outerKeyOrder);
        }
    }

    private void WriteValue(object? value, int depth)
    {
        if (depth > MaxReadDepth) throw new JsonException("The payload is nested too deeply (or refers to itself).");
        switch (value)
        {
            case null:
            case DBNull:
                WriteRaw("null");
                return;
            case string s:
                WriteString(s);
                return;
            case char c:
                WriteString([c]);
                return;
            case bool b:
                WriteRaw(b ? "true" : "false");
                return;
            case long l:
                WriteInt64(l);
                return;
            case int i:
                _out.AppendInt64(i);
                return;
            case DateTime dt:
                WriteString(JsJson.FormatDate(new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt)));
                return;
            case DateTimeOffset dto:
                WriteString(JsJson.FormatDate(dto));
                return;
            case Guid g:
                WriteString(g.ToString());
                return;
            case Enum e:
                WriteString(e.ToString());
                return;
            case JsonElement element:
                var elementDepth = WriteCanonical(Encoding.UTF8.GetBytes(element.GetRawText()));
                _valueDepth = Math.Max(_valueDepth, depth + elementDepth);
                return;
            case IDictionary dictionary:
                _valueDepth = Math.Max(_valueDepth, depth + 1);
                WriteObject(dictionary, depth);
                return;
            case IEnumerable sequence:
                _valueDepth = Math.Max(_valueDepth, depth + 1);
                _out.Append((byte)'[');
                var firstItem = true;
                foreach (var item in sequence)
                {
                    if (!firstItem) _out.Append((byte)',');
                    firstItem = false;
                    WriteValue(item, depth + 1);
                }
                _out.Append((byte)']');
                return;
        }
        if (JsNumber.TryToDouble(value, out var number))
        {
            WriteNumber(number);
            return;
        }
        if (JsJson.ForeignValueConverter is { } convert)
        {
            var converted = convert(value);
            if (!ReferenceEquals(converted, value))
            {
                WriteValue(converted, depth);
                return;
            }
        }
        throw new JsonException($"A payload value of type {value.GetType().FullName} cannot be written as JSON.");
    }

    private void WriteObject(IDictionary dictionary, int depth)
    {
        var entries = new List<KeyValuePair<string, object?>>(dictionary.Count);
        foreach (DictionaryEntry entry in dictionary)
            entries.Add(new(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "", entry.Value));
        _out.Append((byte)'{');
        var first = true;
        foreach (var (key, item) in _keysInGivenOrder ? entries : JsPropertyOrder.Order(entries))
        {
            if (!first) _out.Append((byte)',');
            first = false;
            WriteString(key);
            _out.Append((byte)':');
            WriteValue(item, depth + 1);
        }
        _out.Append((byte)'}');
    }

    /// <summary>An object being streamed: where it began, and its keys so far (for the order and duplicate checks).</summary>
    private struct ObjectFrame
    {
        public int OutputStart;
        public int InputStart;
        public int KeyStart;
        public long LastArrayIndex;
        public bool SawOtherKey;
        public HashSet<string>? ManyKeys;
    }

    private void PushFrame(int inputStart)
    {
        if (_frameCount == _frames.Length) Array.Resize(ref _frames, _frames.Length * 2);
        _frames[_frameCount++] = new ObjectFrame
        {
            OutputStart = _out.Length,
            InputStart = inputStart,
            KeyStart = _keyCount,
            LastArrayIndex = -1,
        };
    }

    private void PopFrame() => _keyCount = _frames[--_frameCount].KeyStart;

    /// <summary>
    /// True while the keys of the current object are in the order JavaScript gives them: array-index keys
    /// ascending before any other key, no key twice. Keys written with escapes are not compared (rare); their
    /// object takes the tree path.
    /// </summary>
    private bool IsInJavaScriptOrder(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.ValueIsEscaped) return false;
        ref var frame = ref _frames[_frameCount - 1];
        var key = reader.ValueSpan;
        if (JsPropertyOrder.IsArrayIndex(key, out var index))
        {
            if (frame.SawOtherKey || index <= frame.LastArrayIndex) return false;
            frame.LastArrayIndex = index;
            return true;
        }
        frame.SawOtherKey = true;
        if (frame.ManyKeys is { } many) return many.Add(Encoding.UTF8.GetString(key));
        for (var i = frame.KeyStart; i < _keyCount; i++)
        {
            var (start, length) = _keys[i];
            if (json.Slice(start, length).SequenceEqual(key)) return false;
        }
        if (_keyCount - frame.KeyStart == KeysComparedOneByOne)
        {
            many = frame.ManyKeys = new HashSet<string>(StringComparer.Ordinal) { Encoding.UTF8.GetString(key) };
            for (var i = frame.KeyStart; i < _keyCount; i++)
                many.Add(Encoding.UTF8.GetString(json.Slice(_keys[i].Start, _keys[i].Length)));
            return true;
        }
        if (_keyCount == _keys.Length) Array.Resize(ref _keys, _keys.Length * 2);
        _keys[_keyCount++] = ((int)reader.TokenStartIndex + 1, key.Length);
        return true;
    }

    /// <summary>
    /// The current object, written so far as it came, needs JavaScript's key order: drops what was written of
    /// it, reads the rest of it with the main reader (which checks it is JSON), then reads the whole object
    /// again as a tree and writes that. Returns how deeply the object nests, counted from the top.
    /// </summary>
    private int RewriteObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        var frame = _frames[_frameCount - 1];
        var objectDepth = reader.CurrentDepth - 1;
        var depth = 0;
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                depth = Math.Max(depth, reader.CurrentDepth + 1);
            else if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == objectDepth)
                break;
        }
        PopFrame();
        _out.Truncate(frame.OutputStart);
        var objectReader = new Utf8JsonReader(json[frame.InputStart..], ReaderOptions);
        objectReader.Read();
        WriteTree(JsJson.ReadValue(ref objectReader));
        return depth;
    }

    private void WriteStringToken(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            // An unescaped JSON string holds no quote, backslash or control character: copy it as it is.
            var raw = reader.ValueSpan;
            if (System.Text.Unicode.Utf8.IsValid(raw))
            {
                _out.Append((byte)'"');
                _out.Append(raw);
                _out.Append((byte)'"');
                return;
            }
        }
        WriteString(JsonStringUnescaper.Unescape(ref reader));
    }

    private void WriteNumberToken(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (IsShortPlainInteger(raw))
        {
            _out.Append(raw);
            return;
        }
        // Correctly rounded, and Infinity for 1e400 as in JavaScript (which JSON.stringify writes as null).
        WriteNumber(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    // Integers of at most 15 digits are exact doubles and JavaScript prints them unchanged.
    private static bool IsShortPlainInteger(ReadOnlySpan<byte> raw)
    {
        var digits = raw.Length > 0 && raw[0] == (byte)'-' ? raw[1..] : raw;
        if (digits.Length is 0 or > 15) return false;
        if (digits[0] == (byte)'0') return digits.Length == 1 && raw.Length == 1;
        return !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }
}
