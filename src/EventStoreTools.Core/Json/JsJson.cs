using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventStoreTools.Core.Json;

/// <summary>
/// JSON with JavaScript's semantics: what JSON.parse reads and JSON.stringify writes. Every payload reSolve
/// stores or exports has been through both, so its text is this canonical form whatever the input was
/// (spec 0.1); every path here that writes or prints a payload goes through <see cref="Canonicalize(string)"/>
/// or <see cref="Serialize(object?)"/>.
/// </summary>
public static class JsJson
{
    /// <summary>
    /// The deepest nesting a stored payload may have: SQLite's JSON functions refuse more than 1000 levels, so
    /// reSolve's import (which stores payloads through json()) could not read such a payload back.
    /// </summary>
    public const int MaxStoredDepth = 1000;

    private const int ScratchKeptBytes = 1 << 20;
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = JsJsonWriter.MaxReadDepth };

    [ThreadStatic] private static Scratch? t_scratch;

    /// <summary>
    /// Turns values that are not plain .NET values (for example PowerShell's PSObject) into plain ones before
    /// they are written. Returns the value itself when it does not know the type.
    /// </summary>
    public static Func<object, object?>? ForeignValueConverter { get; set; }

    /// <summary>
    /// JSON.stringify(JSON.parse(json)). Text already in that form (every reSolve export) is returned as the
    /// same string, without a copy. Throws <see cref="JsonException"/> on text that is not JSON.
    /// </summary>
    public static string Canonicalize(string json) => Canonicalize(json, out _);

    /// <param name="depth">How deeply the value nests: 0 for a scalar, 1 for [] or {}.</param>
    internal static string Canonicalize(string json, out int depth)
    {
        var canonical = CanonicalizeToUtf8(json, out depth, out var unchanged);
        return unchanged ? json : Encoding.UTF8.GetString(canonical.Span);
    }

    /// <summary>
    /// JSON.stringify(JSON.parse(json)) as UTF-8, in an array of its own; <paramref name="unchanged"/> tells
    /// whether that is the text given.
    /// </summary>
    /// <param name="depth">How deeply the value nests: 0 for a scalar, 1 for [] or {}.</param>
    internal static ReadOnlyMemory<byte> CanonicalizeToUtf8(string json, out int depth, out bool unchanged)
    {
        var input = new Utf8Buffer(0);
        var exact = input.TryAppendUtf8Exactly(json);
        // A raw lone surrogate: JSON.parse keeps it in its string, JSON.stringify escapes it.
        if (!exact) input.AppendUtf8(EscapeLoneSurrogates(json));
        var utf8 = input.ToArray();
        var canonical = CanonicalizeUtf8(utf8, out depth);
        unchanged = exact && canonical.Equals(utf8);
        return canonical;
    }

    /// <summary>
    /// JSON.stringify(JSON.parse(text)) for UTF-8 text: the text itself when it is already in that form (checked
    /// without writing a copy, so a huge payload is held once), otherwise the canonical text in an array of its own.
    /// Throws <see cref="JsonException"/> on text that is not JSON.
    /// </summary>
    /// <param name="depth">How deeply the value nests: 0 for a scalar, 1 for [] or {}.</param>
    internal static ReadOnlyMemory<byte> CanonicalizeUtf8(ReadOnlyMemory<byte> utf8, out int depth)
    {
        var scratch = t_scratch ?? new Scratch();
        t_scratch = null;
        try
        {
            scratch.Output.StartComparing(utf8);
            depth = scratch.Writer.WriteCanonical(utf8.Span);
            if (scratch.Output.StopComparing()) return utf8;
            scratch.Output.Clear();
            scratch.Writer.WriteCanonical(utf8.Span);
            return scratch.Output.ToArray();
        }
        finally
        {
            scratch.Output.StopComparing();
            // A huge payload's buffer is not kept for the rest of the thread's life.
            if (scratch.Output.Capacity <= ScratchKeptBytes) t_scratch = scratch;
        }
    }

    /// <summary>JSON.stringify(value) as UTF-8, in an array of its own.</summary>
    internal static ReadOnlyMemory<byte> SerializeToUtf8(object? value, out int depth)
    {
        var buffer = new Utf8Buffer(256);
        depth = new JsJsonWriter(buffer).WriteTree(value);
        return buffer.ToArray();
    }

    /// <summary>JSON.stringify(value) for a tree of plain .NET values.</summary>
    public static string Serialize(object? value) => Serialize(value, out _);

    /// <param name="depth">How deeply the value nests: 0 for a scalar, 1 for [] or {}.</param>
    internal static string Serialize(object? value, out int depth, bool keysInGivenOrder = false)
    {
        var buffer = new Utf8Buffer(256);
        depth = new JsJsonWriter(buffer).WriteTree(value, keysInGivenOrder);
        return buffer.ToString();
    }

    /// <summary>JSON.stringify(string).</summary>
    public static string QuoteString(string value)
    {
        var buffer = new Utf8Buffer(value.Length + 2);
        new JsJsonWriter(buffer).WriteString(value);
        return buffer.ToString();
    }

    /// <summary>
    /// Parses JSON into plain values: objects become <see cref="OrderedDictionary"/> (a later duplicate key
    /// replaces the earlier value in its place, as in JavaScript), arrays <see cref="List{T}"/>, numbers
    /// <see cref="long"/> when they are integers JavaScript holds exactly and <see cref="double"/> otherwise.
    /// </summary>
    public static object? Parse(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), ReaderOptions);
        if (!reader.Read()) throw new JsonException("The JSON value is empty.");
        var value = ReadValue(ref reader);
        if (reader.Read()) throw new JsonException("The JSON text holds more than one value.");
        return value;
    }

    /// <summary>Number.prototype.toString() for a double: the shortest text that reads back as the same double.</summary>
    public static string FormatNumber(double value) => JsNumber.Format(value);

    /// <summary>Date.prototype.toJSON(): ISO 8601 in UTC with milliseconds.</summary>
    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads the value the reader is on (its first token read) as plain values, as <see cref="Parse"/>.</summary>
    internal static object? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new OrderedDictionary(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = JsonStringUnescaper.Unescape(ref reader);
                    reader.Read();
                    obj[name] = ReadValue(ref reader);
                }
                return obj;
            case JsonTokenType.StartArray:
                var list = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    list.Add(ReadValue(ref reader));
                return list;
            case JsonTokenType.String:
                return JsonStringUnescaper.Unescape(ref reader);
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var integer) && JsNumber.IsSafeInteger(integer))
                    return integer;
                // double.Parse, unlike the reader, gives Infinity for 1e400 as JavaScript does.
                var number = double.Parse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture);
                return number == 0 ? 0L : number;
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Null:
                return null;
            default:
                throw new JsonException($"Unexpected JSON token {reader.TokenType}.");
        }
    }

    private static string EscapeLoneSurrogates(string json)
    {
        var escaped = new StringBuilder(json.Length + 16);
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (char.IsHighSurrogate(c) && i + 1 < json.Length && char.IsLowSurrogate(json[i + 1]))
            {
                escaped.Append(c).Append(json[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }

    /// <summary>The buffer of one thread's canonicalizations, reused from payload to payload.</summary>
    private sealed class Scratch
    {
        public readonly Utf8Buffer Output = new();
        public readonly JsJsonWriter Writer;

        public Scratch() => Writer = new JsJsonWriter(Output);
    }
}
