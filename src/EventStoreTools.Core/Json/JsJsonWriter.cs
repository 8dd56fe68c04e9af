using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventStoreTools.Core.Json;

/// <summary>
/// Writes JSON exactly as JavaScript's JSON.stringify does: no whitespace, keys in insertion order, only
/// quote, backslash and control characters escaped (lower-case hex), lone surrogates escaped, numbers in
/// ECMAScript's shortest round-trip form. reSolve writes its exports this way, so byte-identical output
/// depends on every rule here.
/// </summary>
internal sealed class JsJsonWriter
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4096 };
    private readonly Utf8Buffer _out;

    public JsJsonWriter(Utf8Buffer output) => _out = output;

    public void WriteRaw(string ascii)
    {
        foreach (var c in ascii) _out.Append((byte)c);
    }

    public void WriteInt64(long value) => _out.AppendInt64(value);

    public void WriteNumber(double value) => WriteRaw(JsJson.FormatNumber(value));

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
    /// Re-writes JSON text as JSON.stringify(JSON.parse(text)) would, without building a tree.
    /// Throws <see cref="JsonException"/> when the text is not JSON.
    /// </summary>
    public void WriteCanonical(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        var needsComma = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    if (needsComma) _out.Append((byte)',');
                    _out.Append(reader.TokenType == JsonTokenType.StartObject ? (byte)'{' : (byte)'[');
                    needsComma = false;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    _out.Append(reader.TokenType == JsonTokenType.EndObject ? (byte)'}' : (byte)']');
                    needsComma = true;
                    break;
                case JsonTokenType.PropertyName:
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
        if (reader.BytesConsumed == 0)
            throw new JsonException("The JSON value is empty.");
    }

    /// <summary>Writes a tree of plain .NET values (see <see cref="JsJson.Parse"/>) as JSON.</summary>
    public void WriteValue(object? value, int depth = 0)
    {
        if (depth > 4096) throw new JsonException("The payload is nested too deeply (or refers to itself).");
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
            case int or long or short or sbyte or byte or ushort or uint:
                WriteInt64(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong or float or double or decimal:
                WriteNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                return;
            case System.Numerics.BigInteger big:
                WriteNumber((double)big);
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
                WriteCanonical(Encoding.UTF8.GetBytes(element.GetRawText()));
                return;
            case IDictionary dictionary:
                _out.Append((byte)'{');
                var first = true;
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (!first) _out.Append((byte)',');
                    first = false;
                    WriteString(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    _out.Append((byte)':');
                    WriteValue(entry.Value, depth + 1);
                }
                _out.Append((byte)'}');
                return;
            case IEnumerable sequence:
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
        if (JsJson.ForeignValueConverter is { } convert)
        {
            var converted = convert(value);
            if (!ReferenceEquals(converted, value))
            {
                WriteValue(converted, depth + 1);
                return;
            }
        }
        throw new JsonException($"A payload value of type {value.GetType().FullName} cannot be written as JSON.");
    }

    private void WriteStringToken(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
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
        WriteNumber(double.Parse(Encoding.ASCII.GetString(raw), NumberStyles.Float, CultureInfo.InvariantCulture));
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
