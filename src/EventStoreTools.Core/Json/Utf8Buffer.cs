using System.Buffers;
using System.Text;

namespace EventStoreTools.Core.Json;

/// <summary>A growable UTF-8 byte buffer that can be reused line after line without allocating.</summary>
internal sealed class Utf8Buffer
{
    private byte[] _bytes;

    public Utf8Buffer(int capacity = 4096) => _bytes = new byte[capacity];

    public int Length { get; private set; }

    public int Capacity => _bytes.Length;

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    /// <summary>
    /// Above this many characters a string is measured before it is encoded, rather than given room for the worst
    /// case of 3 bytes a character: a 100 MB payload would otherwise take a 300 MB buffer.
    /// </summary>
    private const int MeasureAboveChars = 1 << 20;

    public void Clear() => Length = 0;

    /// <summary>Drops what was appended after <paramref name="length"/>.</summary>
    public void Truncate(int length) => Length = length;
    /// <summary>Empties the buffer and lets go of what one huge value made it grow to, so that it is not held for the rest of a run.</summary>
    public void Clear(int keepCapacity)
    {
        Length = 0;
        if (_bytes.Length > keepCapacity) _bytes = new byte[keepCapacity];
    }

    /// <summary>Makes room for this many more bytes at once, so that a huge value is not grown into by doubling (each step a copy).</summary>
    public void Reserve(int additional)
    {
        if (Length + additional > _bytes.Length) Array.Resize(ref _bytes, Length + additional);
    }

    public void Append(byte b)
    {
        if (Length == _bytes.Length) Grow(1);
        _bytes[Length++] = b;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > _bytes.Length) Grow(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Appends characters that are all ASCII (JSON punctuation, numbers, escapes).</summary>
    public void AppendAscii(ReadOnlySpan<char> ascii)
    {
        if (Length + ascii.Length > _bytes.Length) Grow(ascii.Length);
        var target = _bytes.AsSpan(Length);
        for (var i = 0; i < ascii.Length; i++) target[i] = (byte)ascii[i];
        Length += ascii.Length;
    }

    public void AppendUtf8(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty) return;
        var max = chars.Length > MeasureAboveChars ? Encoding.UTF8.GetByteCount(chars) : Encoding.UTF8.GetMaxByteCount(chars.Length);
        if (Length + max > _bytes.Length) Grow(max);
        Length += Encoding.UTF8.GetBytes(chars, _bytes.AsSpan(Length));
    }

    /// <summary>
    /// Appends text as UTF-8 unless it holds a lone surrogate, which UTF-8 cannot carry (the encoder would
    /// replace it with U+FFFD); returns false and appends nothing then.
    /// </summary>
    public bool TryAppendUtf8Exactly(ReadOnlySpan<char> chars)
    {
        // Measured above the threshold, as in AppendUtf8 (a lone surrogate counts as U+FFFD's 3 bytes, more than enough).
        var max = chars.Length > MeasureAboveChars ? Encoding.UTF8.GetByteCount(chars) : Encoding.UTF8.GetMaxByteCount(chars.Length);
        if (Length + max > _bytes.Length) Grow(max);
        var status = System.Text.Unicode.Utf8.FromUtf16(chars, _bytes.AsSpan(Length), out _, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done) return false;
        Length += written;
        return true;
    }

    public void AppendInt64(long value)
    {
        if (Length + 20 > _bytes.Length) Grow(20);
        value.TryFormat(_bytes.AsSpan(Length), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        Length += written;
    }

    public override string ToString() => Encoding.UTF8.GetString(Span);

    private void Grow(int needed)
    {
        var size = Math.Max(_bytes.Length * 2, Length + needed);
        Array.Resize(ref _bytes, size);
    }
}
