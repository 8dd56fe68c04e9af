using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventStoreTools.Core.Json;

/// <summary>JSON with JavaScript's semantics: what JSON.parse reads and JSON.stringify writes.</summary>
public static class JsJson
{
    private const double MaxSafeInteger = 9007199254740991d;
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4096 };

    /// <summary>
    /// Turns values that are not plain .NET values (for example PowerShell's PSObject) into plain ones before
    /// they are written. Returns the value itself when it does not know the type.
    /// </summary>
    public static Func<object, object?>? ForeignValueConverter { get; set; }

    /// <summary>JSON.stringify(JSON.parse(json)). Throws <see cref="JsonException"/> on text that is not JSON.</summary>
    public static string Canonicalize(string json)
    {
        var buffer = new Utf8Buffer(json.Length + 16);
        new JsJsonWriter(buffer).WriteCanonical(Encoding.UTF8.GetBytes(json));
        return buffer.ToString();
    }

    /// <summary>JSON.stringify(value) for a tree of plain .NET values.</summary>
    public static string Serialize(object? value)
    {
        var buffer = new Utf8Buffer();
        new JsJsonWriter(buffer).WriteValue(value);
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
    public static string FormatNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return "null";
        if (value == 0) return "0";
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = roundTrip[0] == '-';
        if (negative) roundTrip = roundTrip[1..];

        var exponentAt = roundTrip.IndexOfAny(['E', 'e']);
        var exponent = 0;
        var mantissa = roundTrip;
        if (exponentAt >= 0)
        {
            exponent = int.Parse(roundTrip[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = roundTrip[..exponentAt];
        }
        var dot = mantissa.IndexOf('.');
        var digits = dot >= 0 ? mantissa.Remove(dot, 1) : mantissa;
        var integerDigits = dot >= 0 ? dot : mantissa.Length;
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0') leadingZeros++;
        digits = digits[leadingZeros..].TrimEnd('0');
        integerDigits -= leadingZeros;

        // ECMAScript Number::toString: value = 0.digits × 10^n, k significant digits.
        var n = integerDigits + exponent;
        var k = digits.Length;
        string text;
        if (k <= n && n <= 21)
            text = digits + new string('0', n - k);
        else if (0 < n && n <= 21)
            text = digits[..n] + "." + digits[n..];
        else if (-6 < n && n <= 0)
            text = "0." + new string('0', -n) + digits;
        else
        {
            var e = n - 1;
            var sign = e < 0 ? "-" : "+";
            text = (k == 1 ? digits : digits[0] + "." + digits[1..]) + "e" + sign + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }
        return negative ? "-" + text : text;
    }

    /// <summary>Date.prototype.toJSON(): ISO 8601 in UTC with milliseconds.</summary>
    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static object? ReadValue(ref Utf8JsonReader reader)
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
                if (reader.TryGetInt64(out var integer) && Math.Abs((double)integer) <= MaxSafeInteger)
                    return integer;
                // double.Parse, unlike the reader, gives Infinity for 1e400 as JavaScript does.
                var number = double.Parse(Encoding.ASCII.GetString(reader.ValueSpan), NumberStyles.Float, CultureInfo.InvariantCulture);
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
}
