using System.Text;
using EventStoreTools.Core.Files;

namespace EventStoreTools.Core.Ndjson;

/// <summary>
/// The charset an input file of events is written in, as an application's import handler decodes a request body
/// (its content type's charset, UTF-8 by default). Names are PowerShell's -Encoding names (as Get-Content takes
/// them), a charset name ("iso-8859-1", "windows-1252", "utf-16") or a code page number.
/// </summary>
public static class InputEncoding
{
    static InputEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>PowerShell's names of encodings, for completion and for <see cref="Resolve"/>.</summary>
    public static IReadOnlyList<string> PowerShellNames { get; } =
        ["ascii", "ansi", "bigendianunicode", "bigendianutf32", "latin1", "oem", "unicode", "utf32", "utf8", "utf8BOM", "utf8NoBOM"];

    /// <summary>The encoding a name stands for, decoding strictly (an invalid byte is an error, never a replacement character).</summary>
    public static Encoding Resolve(string name)
    {
        var encoding = name.ToLowerInvariant() switch
        {
            "ascii" => Encoding.ASCII,
            "ansi" => Encoding.GetEncoding(OperatingSystem.IsWindows() ? System.Globalization.CultureInfo.CurrentCulture.TextInfo.ANSICodePage : 1252),
            "oem" => Encoding.GetEncoding(OperatingSystem.IsWindows() ? System.Globalization.CultureInfo.CurrentCulture.TextInfo.OEMCodePage : 437),
            "bigendianunicode" => Encoding.BigEndianUnicode,
            "bigendianutf32" => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
            "latin1" => Encoding.Latin1,
            "unicode" => Encoding.Unicode,
            "utf32" => Encoding.UTF32,
            "utf8" or "utf8bom" or "utf8nobom" or "utf-8" => Encoding.UTF8,
            _ when int.TryParse(name, out var codePage) => Encoding.GetEncoding(codePage),
            _ => Encoding.GetEncoding(name),
        };
        return Strict(encoding);
    }

    /// <summary>Whether text in this encoding is UTF-8 already (the reader then takes the bytes as they are).</summary>
    public static bool IsUtf8(Encoding encoding) => encoding.CodePage == Encoding.UTF8.CodePage;

    /// <summary>
    /// The encoding a byte-order mark at the start of the input names (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE), or null.
    /// A mark wins over a declared encoding, as a browser's decoder does.
    /// </summary>
    public static Encoding? FromByteOrderMark(ReadOnlySpan<byte> start) => start switch
    {
        [0xEF, 0xBB, 0xBF, ..] => Encoding.UTF8,
        [0xFF, 0xFE, 0x00, 0x00, ..] => Strict(Encoding.UTF32),
        [0xFF, 0xFE, ..] => Strict(Encoding.Unicode),
        [0xFE, 0xFF, ..] => Strict(Encoding.BigEndianUnicode),
        [0x00, 0x00, 0xFE, 0xFF, ..] => Strict(new UTF32Encoding(bigEndian: true, byteOrderMark: true)),
        _ => null,
    };

    /// <summary>
    /// The input as UTF-8: as it is when its byte-order mark, or else the declared encoding (UTF-8 when none), says
    /// UTF-8 (a seekable stream stays seekable then); otherwise decoded from that charset as it is read.
    /// </summary>
    public static Stream AsUtf8(Stream input, Encoding? declared)
    {
        var head = new byte[4];
        var count = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        Stream whole;
        if (input.CanSeek)
        {
            input.Seek(-count, SeekOrigin.Current);
            whole = input;
        }
        else whole = new ReplayedHeadStream(head.AsMemory(0, count), input);
        var encoding = FromByteOrderMark(head.AsSpan(0, count)) ?? declared;
        return encoding is null || IsUtf8(encoding) ? whole : new TranscodingToUtf8Stream(whole, encoding);
    }

    private static Encoding Strict(Encoding encoding) =>
        Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
}

/// <summary>
/// Reads a stream in another charset as UTF-8, streaming (constant memory), and names the offset of the first byte
/// that is not valid in that charset. Its byte-order mark, if any, is dropped.
/// </summary>
internal sealed class TranscodingToUtf8Stream : ForwardOnlyReadStream
{
    private readonly Stream _inner;
    private readonly Decoder _decoder;
    private readonly string _encodingName;
    private readonly byte[] _raw = new byte[1 << 16];
    private readonly char[] _chars;
    private byte[] _utf8;
    private int _utf8Start;
    private int _utf8End;
    private long _rawOffset;
    private bool _eof;
    private bool _preambleChecked;
    private readonly int _preambleLength;

    public TranscodingToUtf8Stream(Stream inner, Encoding encoding)
    {
        _inner = inner;
        _decoder = encoding.GetDecoder();
        _encodingName = encoding.WebName;
        _chars = new char[encoding.GetMaxCharCount(_raw.Length)];
        _utf8 = new byte[Encoding.UTF8.GetMaxByteCount(_chars.Length)];
        _preambleLength = encoding.GetPreamble().Length;
    }

    public override int Read(Span<byte> buffer)
    {
        while (_utf8Start == _utf8End)
        {
            if (_eof) return 0;
            Decode();
        }
        var n = Math.Min(buffer.Length, _utf8End - _utf8Start);
        _utf8.AsSpan(_utf8Start, n).CopyTo(buffer);
        _utf8Start += n;
        return n;
    }

    private void Decode()
    {
        var read = _inner.Read(_raw, 0, _raw.Length);
        var skip = 0;
        if (!_preambleChecked && read > 0)
        {
            _preambleChecked = true;
            if (_preambleLength > 0 && InputEncoding.FromByteOrderMark(_raw.AsSpan(0, read)) is not null) skip = _preambleLength;
        }
        if (read == 0) _eof = true;
        int charCount;
        try
        {
            charCount = _decoder.GetChars(_raw, skip, read - skip, _chars, 0, flush: _eof);
        }
        catch (DecoderFallbackException ex)
        {
            var at = _rawOffset + skip + Math.Max(0, ex.Index);
            throw new EventStoreException(EventStoreErrorKind.InvalidInput,
                $"Byte {at + 1} (offset {at}) is not valid {_encodingName}; give the file's charset with -Encoding.", ex);
        }
        _rawOffset += read;
        _utf8Start = 0;
        _utf8End = Encoding.UTF8.GetBytes(_chars, 0, charCount, _utf8, 0);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
