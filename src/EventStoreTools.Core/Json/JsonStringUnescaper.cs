using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventStoreTools.Core.Json;

/// <summary>
/// Unescapes a JSON string token as JSON.parse does. System.Text.Json refuses a lone surrogate escape such as
/// "\ud800"; JavaScript keeps it, and JSON.stringify writes it back escaped, so we must too.
/// </summary>
internal static class JsonStringUnescaper
{
    public static string Unescape(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
        if (!reader.ValueIsEscaped) return Encoding.UTF8.GetString(raw);
        var builder = new StringBuilder(raw.Length);
        var runStart = 0;
        var i = 0;
        while (i < raw.Length)
        {
            if (raw[i] != (byte)'\\')
            {
                i++;
                continue;
            }
            builder.Append(Encoding.UTF8.GetString(raw[runStart..i]));
            var escape = (char)raw[i + 1];
            if (escape == 'u')
            {
                builder.Append((char)int.Parse(Encoding.ASCII.GetString(raw.Slice(i + 2, 4)), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 6;
            }
            else
            {
                builder.Append(escape switch
                {
                    'b' => '\b',
                    'f' => '\f',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    _ => escape, // \" \\ \/
                });
                i += 2;
            }
            runStart = i;
        }
        builder.Append(Encoding.UTF8.GetString(raw[runStart..]));
        return builder.ToString();
    }
}
