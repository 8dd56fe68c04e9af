using System.Globalization;
using System.Numerics;

namespace EventStoreTools.Core.Json;

/// <summary>
/// Numbers as JavaScript has them: IEEE doubles, printed by Number::toString. A .NET number becomes the double
/// nearest to its exact value, as JSON.parse reads the same digits: conversions that truncate (BigInteger to
/// double) or round twice (Decimal to double) give other doubles, so those go through their exact decimal text.
/// </summary>
internal static class JsNumber
{
    /// <summary>Room for any number Number::toString prints ("-1.2345678901234567e-308" is the longest kind).</summary>
    public const int MaxLength = 32;

    private const long MaxSafeInteger = 9007199254740991;

    /// <summary>Writes Number::toString(value) (null for NaN and the infinities, as JSON.stringify); returns its length.</summary>
    public static int Format(double value, Span<char> destination)
    {
        if (!double.IsFinite(value))
        {
            "null".CopyTo(destination);
            return 4;
        }
        if (value == 0)
        {
            destination[0] = '0';
            return 1;
        }
        // .NET's "R" is the shortest text that reads back as the same double, as ECMAScript asks; only the
        // layout (where the point goes, when to use an exponent) differs.
        Span<char> roundTrip = stackalloc char[MaxLength];
        value.TryFormat(roundTrip, out var length, "R", CultureInfo.InvariantCulture);
        ReadOnlySpan<char> text = roundTrip[..length];
        var at = 0;
        if (text[0] == '-')
        {
            destination[at++] = '-';
            text = text[1..];
        }
        var exponent = 0;
        var exponentAt = text.IndexOfAny('E', 'e');
        if (exponentAt >= 0)
        {
            exponent = int.Parse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..exponentAt];
        }
        Span<char> digits = stackalloc char[MaxLength];
        var count = 0;
        var integerDigits = -1;
        foreach (var c in text)
        {
            if (c == '.') integerDigits = count;
            else digits[count++] = c;
        }
        if (integerDigits < 0) integerDigits = count;
        var leadingZeros = 0;
        while (digits[leadingZeros] == '0') leadingZeros++;
        var significant = digits[leadingZeros..count].TrimEnd('0');

        // ECMAScript Number::toString: value = 0.significant × 10^n, k significant digits.
        var n = integerDigits - leadingZeros + exponent;
        var k = significant.Length;
        if (k <= n && n <= 21)
        {
            significant.CopyTo(destination[at..]);
            at += k;
            destination.Slice(at, n - k).Fill('0');
            at += n - k;
        }
        else if (0 < n && n <= 21)
        {
            significant[..n].CopyTo(destination[at..]);
            at += n;
            destination[at++] = '.';
            significant[n..].CopyTo(destination[at..]);
            at += k - n;
        }
        else if (-6 < n && n <= 0)
        {
            destination[at++] = '0';
            destination[at++] = '.';
            destination.Slice(at, -n).Fill('0');
            at += -n;
            significant.CopyTo(destination[at..]);
            at += k;
        }
        else
        {
            destination[at++] = significant[0];
            if (k > 1)
            {
                destination[at++] = '.';
                significant[1..].CopyTo(destination[at..]);
                at += k - 1;
            }
            var e = n - 1;
            destination[at++] = 'e';
            destination[at++] = e < 0 ? '-' : '+';
            Math.Abs(e).TryFormat(destination[at..], out var written, default, CultureInfo.InvariantCulture);
            at += written;
        }
        return at;
    }

    public static string Format(double value)
    {
        Span<char> text = stackalloc char[MaxLength];
        return new string(text[..Format(value, text)]);
    }

    /// <summary>True for integers JavaScript holds exactly (|n| ≤ 2^53 - 1), which print as their digits.</summary>
    public static bool IsSafeInteger(long value) => value is >= -MaxSafeInteger and <= MaxSafeInteger;

    /// <summary>
    /// The double nearest to the exact value of a .NET number, as JSON.parse would read its digits; false when
    /// the value is not a number.
    /// </summary>
    public static bool TryToDouble(object value, out double number)
    {
        switch (value)
        {
            case double d: number = d; return true;
            case float f: number = f; return true;
            case Half h: number = (double)h; return true;
            // long to double rounds to nearest, as the hardware conversion does.
            case long l: number = l; return true;
            case int or short or sbyte or byte or ushort or uint:
                number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return true;
            case nint ni: number = ni; return true;
            case ulong u when u <= long.MaxValue: number = (long)u; return true;
            case nuint nu when nu <= long.MaxValue: number = (long)nu; return true;
            case ulong or nuint or decimal or BigInteger or Int128 or UInt128:
                // ToString gives the exact decimal value; double.Parse rounds it correctly.
                number = double.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, NumberStyles.Float, CultureInfo.InvariantCulture);
                return true;
            default:
                number = 0;
                return false;
        }
    }
}
