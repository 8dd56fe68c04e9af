namespace EventStoreTools.Core;

/// <summary>
/// reSolve's export cursor: for each of the 256 threads, the next threadCounter to read (spec 4.4). Its text
/// form is 256 unsigned 48-bit big-endian counters, base64-encoded to 2048 characters, so a cursor written
/// by reSolve resumes here and ours resumes in reSolve. Engine-neutral: every store engine reads with it.
/// </summary>
public sealed class ResolveCursor
{
    public const int TextLength = 2048;
    private const int CounterBytes = 6;
    private const int BufferLength = EventValidation.ThreadCount * CounterBytes;
    public const long MaxCounter = (1L << 48) - 1;

    private readonly long[] _counters;

    private ResolveCursor(long[] counters) => _counters = counters;

    /// <summary>A cursor that reads from the start (reSolve's null cursor).</summary>
    public static ResolveCursor Start => new(new long[EventValidation.ThreadCount]);

    /// <summary>The next threadCounter to read in each thread: a snapshot, which a later Advance does not change.</summary>
    public IReadOnlyList<long> Counters => (long[])_counters.Clone();

    public static ResolveCursor FromCounters(IReadOnlyList<long> counters)
    {
        if (counters.Count != EventValidation.ThreadCount)
            throw Malformed("Cursor must be represented by array of 256 numbers.");
        foreach (var counter in counters)
        {
            if (counter is < 0 or > MaxCounter)
                throw Malformed($"A cursor counter must be from 0 to 2^48-1, not {counter}.");
        }
        return new ResolveCursor(counters.ToArray());
    }

    /// <summary>Reads reSolve's text form; null or empty reads from the start.</summary>
    public static ResolveCursor Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return Start;
        byte[] buffer;
        try
        {
            buffer = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw Malformed($"Wrong size of cursor buffer: a cursor is {TextLength} base64 characters, and this one ({Describe(text)}) is not valid base64.");
        }
        if (buffer.Length != BufferLength)
            throw Malformed($"Wrong size of cursor buffer: a cursor is {TextLength} base64 characters ({BufferLength} bytes), this one is {Quantity.Of(text.Length, "character")} ({Quantity.Of(buffer.Length, "byte")}).");
        // Node's decoder skips stray characters; a cursor that does not re-encode to itself was damaged
        // (wrapped, padded, pasted with spaces), and resuming from a guess could skip events.
        if (Convert.ToBase64String(buffer) != text)
            throw Malformed($"The cursor is not in canonical base64 ({Describe(text)}): it holds characters that are not part of a reSolve cursor.");
        var counters = new long[EventValidation.ThreadCount];
        for (var thread = 0; thread < counters.Length; thread++)
        {
            long value = 0;
            for (var b = 0; b < CounterBytes; b++) value = (value << 8) | buffer[thread * CounterBytes + b];
            counters[thread] = value;
        }
        return new ResolveCursor(counters);
    }

    /// <summary>The cursor after an event: cursor[threadId] = max(cursor[threadId], threadCounter + 1), as in reSolve.</summary>
    public void Advance(ResolveEvent e)
    {
        if (e.ThreadId is < 0 or >= EventValidation.ThreadCount) return;
        var next = e.ThreadCounter + 1;
        if (next > _counters[e.ThreadId]) _counters[e.ThreadId] = Math.Min(next, MaxCounter);
    }

    public ResolveCursor Clone() => new((long[])_counters.Clone());

    public bool IsStart => Array.TrueForAll(_counters, c => c == 0);

    public override string ToString()
    {
        var buffer = new byte[BufferLength];
        for (var thread = 0; thread < _counters.Length; thread++)
        {
            var value = _counters[thread];
            for (var b = CounterBytes - 1; b >= 0; b--)
            {
                buffer[thread * CounterBytes + b] = (byte)value;
                value >>= 8;
            }
        }
        return Convert.ToBase64String(buffer);
    }

    private static string Describe(string text) => text.Length > 40 ? $"{text.Length} characters, starting '{text[..40]}'" : $"'{text}'";

    private static EventStoreException Malformed(string message) => new(EventStoreErrorKind.InvalidCursor, message);
}
