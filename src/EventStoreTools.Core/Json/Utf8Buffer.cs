using System.Buffers;
using System.Text;

namespace EventStoreTools.Core.Json;

/// <summary>
/// A growable UTF-8 byte buffer that can be reused line after line without allocating. It can also compare
/// instead of keep (<see cref="StartComparing"/>): what is appended is checked against given bytes at the same
/// positions, so that a writer can tell whether it would write exactly those bytes without holding a copy.
/// </summary>
internal sealed class Utf8Buffer
{
    private byte[] _bytes;
    private ReadOnlyMemory<byte> _expected;
    private bool _comparing;
    private bool _differs;

    public Utf8Buffer(int capacity = 4096) => _bytes = new byte[capacity];

    /// <summary>Bytes appended so far (while comparing: bytes compared so far).</summary>
    public int Length { get; private set; }

    public int Capacity => _bytes.Length;

    public ReadOnlySpan<byte> Span => _comparing ? throw new InvalidOperationException("A comparing buffer keeps no bytes.") : _bytes.AsSpan(0, Length);

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

    /// <summary>
    /// Empties the buffer and from now on compares what is appended with <paramref name="expected"/> rather than
    /// keeping it; <see cref="StopComparing"/> tells whether the two were the same.
    /// </summary>
    public void StartComparing(ReadOnlyMemory<byte> expected)
    {
        Length = 0;
        _expected = expected;
        _comparing = true;
        _differs = false;
    }

    /// <summary>Ends the comparison (the buffer is empty again): true when exactly the expected bytes were appended.</summary>
    public bool StopComparing()
    {
        var same = _comparing && !_differs && Length == _expected.Length;
        _comparing = false;
        _expected = default;
        Length = 0;
        return same;
    }

    /// <summary>Makes room for this many more bytes at once, so that a huge value is not grown into by doubling (each step a copy).</summary>
    public void Reserve(int additional)
    {
        if (!_comparing && Length + additional > _bytes.Length) Array.Resize(ref _bytes, Length + additional);
    }

    public void Append(byte b)
    {
        if (_comparing)
        {
            Compare([b]);
            return;
        }
        if (Length == _bytes.Length) Grow(1);
        _bytes[Length++] = b;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_comparing)
        {
            Compare(bytes);
            return;
        }
        bytes.CopyTo(Room(bytes.Length));
        Length += bytes.Length;
    }

    /// <summary>Appends characters that are all ASCII (JSON punctuation, numbers, escapes).</summary>
    public void AppendAscii(ReadOnlySpan<char> ascii)
    {
        var target = Room(ascii.Length);
        for (var i = 0; i < ascii.Length; i++) target[i] = (byte)ascii[i];
        Commit(ascii.Length);
    }

    public void AppendUtf8(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty) return;
        var max = chars.Length > MeasureAboveChars ? Encoding.UTF8.GetByteCount(chars) : Encoding.UTF8.GetMaxByteCount(chars.Length);
        Commit(Encoding.UTF8.GetBytes(chars, Room(max)));
    }

    /// <summary>
    /// Appends text as UTF-8 unless it holds a lone surrogate, which UTF-8 cannot carry (the encoder would
    /// replace it with U+FFFD); returns false and appends nothing then.
    /// </summary>
    public bool TryAppendUtf8Exactly(ReadOnlySpan<char> chars)
    {
        // Measured above the threshold, as in AppendUtf8 (a lone surrogate counts as U+FFFD's 3 bytes, more than enough).
        var max = chars.Length > MeasureAboveChars ? Encoding.UTF8.GetByteCount(chars) : Encoding.UTF8.GetMaxByteCount(chars.Length);
        var status = System.Text.Unicode.Utf8.FromUtf16(chars, Room(max), out _, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done) return false;
        Commit(written);
        return true;
    }

    public void AppendInt64(long value)
    {
        value.TryFormat(Room(20), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        Commit(written);
    }

    /// <summary>The bytes appended, as their own array of exactly that size.</summary>
    public byte[] ToArray() => Span.ToArray();

    public override string ToString() => Encoding.UTF8.GetString(Span);

    /// <summary>Where the next <paramref name="size"/> bytes are written: after the kept bytes, or while comparing at the start of the buffer, then compared by <see cref="Commit"/>.</summary>
    private Span<byte> Room(int size)
    {
        if (_comparing)
        {
            if (size > _bytes.Length) _bytes = new byte[size];
            return _bytes.AsSpan(0, size);
        }
        if (Length + size > _bytes.Length) Grow(size);
        return _bytes.AsSpan(Length, size);
    }

    private void Commit(int written)
    {
        if (_comparing) Compare(_bytes.AsSpan(0, written));
        else Length += written;
    }

    private void Compare(ReadOnlySpan<byte> bytes)
    {
        var expected = _expected.Span;
        if (!_differs && (Length + bytes.Length > expected.Length || !expected.Slice(Length, bytes.Length).SequenceEqual(bytes)))
            _differs = true;
        Length += bytes.Length;
    }

    private void Grow(int needed)
    {
        var size = Math.Max(_bytes.Length * 2, Length + needed);
        Array.Resize(ref _bytes, size);
    }
}
