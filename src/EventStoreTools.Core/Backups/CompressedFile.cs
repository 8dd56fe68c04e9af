using System.IO.Compression;
using EventStoreTools.Core.Files;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace EventStoreTools.Core.Backups;

/// <summary>How a backup file is compressed, chosen by its extension.</summary>
public enum FileCompression
{
    None,

    /// <summary>.gz: gzip (RFC 1952), readable by gzip, zcat and every archive tool.</summary>
    GZip,

    /// <summary>.zst: Zstandard, readable by zstd; faster than gzip at a better ratio.</summary>
    Zstandard,
}

/// <summary>
/// Opens backup files (NDJSON exports and the files of a backup folder) for streaming, or the process's standard
/// input and output for the path "-". A file is read as its first bytes say (gzip, zstd or plain), never as its name
/// guesses; a file is written compressed as its extension says, and an extension of a compression the module does
/// not write is refused. Nothing is ever decompressed to a temporary file: the codec sits between the file and the
/// NDJSON reader or writer.
/// </summary>
public static class CompressedFile
{
    /// <summary>The path that stands for standard input (reading) or standard output (writing), as in gzip and tar.</summary>
    public const string StandardStreamPath = "-";

    /// <summary>Extensions of compressions and archives the module does not write: a name ending so must not get plain NDJSON.</summary>
    private static readonly string[] UnwrittenExtensions =
        [".bz2", ".bzip2", ".tbz", ".tbz2", ".xz", ".txz", ".lzma", ".lz", ".lz4", ".zip", ".7z", ".rar", ".tar", ".tgz", ".tzst", ".gzip", ".zstd", ".zstandard", ".br", ".z", ".zz", ".sz"];

    public static bool IsStandardStream(string path) => path == StandardStreamPath;

    /// <summary>The extension of a compression or archive the module neither writes nor reads, or null.</summary>
    private static string? UnreadExtension(string path) =>
        Path.GetExtension(path) is { Length: > 0 } extension && UnwrittenExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase) ? extension : null;

    /// <summary>The compression a file's name promises (.gz, .zst), or none.</summary>
    public static FileCompression CompressionOf(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? FileCompression.GZip
        : path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) ? FileCompression.Zstandard
        : FileCompression.None;

    /// <summary>
    /// The compression to write a file with, by its name; fails with <see cref="EventStoreErrorKind.UnsupportedCompression"/>
    /// for a name that asks for one the module does not write (a.ndjson.bz2 would otherwise hold plain NDJSON).
    /// </summary>
    public static FileCompression CompressionForOutput(string path)
    {
        var compression = CompressionOf(path);
        if (compression != FileCompression.None) return compression;
        if (UnreadExtension(path) is { } extension)
        {
            throw new EventStoreException(EventStoreErrorKind.UnsupportedCompression,
                $"'{path}' ends in '{extension}', a compression this module does not write. Name the file .gz (gzip) or .zst (Zstandard), " +
                $"or give no compression extension (.ndjson) for plain NDJSON; to get {extension}, pipe '-OutFile -' through that tool.");
        }
        return compression;
    }

    /// <summary>
    /// The file's bytes, decompressed as its first bytes say (gzip, zstd, or plain). A damaged compressed file
    /// (truncated, a checksum that does not match, an empty .gz/.zst) fails with <see cref="EventStoreErrorKind.InvalidInput"/>;
    /// a format the module cannot read (bzip2, xz, zip, a SQLite database) with <see cref="EventStoreErrorKind.UnsupportedInputFormat"/>;
    /// a file without a known signature named for a compression it does not read (.br, .lzma, .tar) with <see cref="EventStoreErrorKind.UnsupportedCompression"/>.
    /// </summary>
    public static Stream OpenRead(string path)
    {
        if (IsStandardStream(path)) return Decompress(Console.OpenStandardInput(), "standard input", FileCompression.None);
        if (Directory.Exists(path))
            throw new EventStoreException(EventStoreErrorKind.InputNotFound, $"The input file '{path}' is a directory. To restore a backup folder, use -Directory instead of -InFile.");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new EventStoreException(EventStoreErrorKind.InputNotFound, $"Cannot read the input file '{path}': {ex.Message}", ex);
        }
        try
        {
            return Decompress(file, path, CompressionOf(path));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A reading stream over a file's bytes, decompressed as its first bytes say; owns <paramref name="raw"/>.
    /// <paramref name="named"/> is the compression the file's name promises: a name that promises one is never
    /// read as plain text, nor its empty file as an empty export.
    /// </summary>
    public static Stream Decompress(Stream raw, string displayName, FileCompression named)
    {
        var head = new byte[FileSignature.Length];
        var headLength = raw.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var content = FileSignature.Detect(head.AsSpan(0, headLength));
        Stream whole;
        if (raw.CanSeek)
        {
            raw.Position = 0;
            whole = raw;
        }
        else
        {
            whole = new ReplayedHeadStream(head.AsMemory(0, headLength), raw);
        }
        switch (content)
        {
            case FileContent.GZip:
                return Decompress(whole, FileCompression.GZip, displayName);
            case FileContent.Zstandard:
                return Decompress(whole, FileCompression.Zstandard, displayName);
            case FileContent.Empty when named != FileCompression.None:
                throw Damaged(displayName, $"it is empty (0 bytes), and even an empty export compressed with {Name(named)} has a header. The file is damaged (a failed copy or a full disk?): take the backup again or use another copy");
            case FileContent.Plain when named == FileCompression.None && UnreadExtension(displayName) is { } extension:
                // Brotli, lzma and tar have no magic bytes to tell them by: their name is all there is.
                throw new EventStoreException(EventStoreErrorKind.UnsupportedCompression,
                    $"'{displayName}' ends in '{extension}', a compression or archive this module does not read (it reads plain NDJSON, gzip .gz and zstd .zst). " +
                    $"Decompress it first, or pipe it in: '<tool> -dc {displayName} | pwsh -c \"Import-EventStore <store> -InFile -\"'; if it holds plain NDJSON, rename it to .ndjson.");
            case FileContent.Empty or FileContent.Plain when named == FileCompression.None:
                return whole;
            case FileContent.Plain:
                throw Damaged(displayName, $"its name says {Name(named)}, but it does not begin as {Name(named)} data does, nor as another compression. The file is damaged or misnamed: check it with '{Name(named)} -t'");
            case FileContent.Sqlite:
                throw new EventStoreException(EventStoreErrorKind.UnsupportedInputFormat,
                    $"'{displayName}' is a SQLite database (a store), not an NDJSON export. Read it as a store: 'Export-EventStore -Path {displayName}', or copy it with 'Export-EventStore -Path {displayName} | Import-EventStore -Path <target>'.");
            default:
                var format = FileSignature.Name(content);
                throw new EventStoreException(EventStoreErrorKind.UnsupportedInputFormat,
                    $"'{displayName}' is {format} data, which this module does not read (it reads plain NDJSON, gzip .gz and zstd .zst). Decompress it first, or pipe it in: '{format} -dc {displayName} | pwsh -c \"Import-EventStore <store> -InFile -\"'.");
        }
    }

    private static string Name(FileCompression compression) => compression == FileCompression.GZip ? "gzip" : "zstd";

    private static EventStoreException Damaged(string displayName, string why, Exception? inner = null) =>
        new(EventStoreErrorKind.InvalidInput, $"Cannot read '{displayName}': {why}.", inner);

    /// <summary>A reading stream over compressed bytes; owns <paramref name="compressed"/>.</summary>
    private static Stream Decompress(Stream compressed, FileCompression compression, string displayName)
    {
        var tail = new TailTrackingStream(compressed);
        // zstd verifies a frame's content checksum (XXH64) when the frame has one, as every frame we write does.
        Stream codec = compression == FileCompression.GZip
            ? new GZipStream(tail, CompressionMode.Decompress)
            : new DecompressionStream(tail, leaveOpen: false);
        return new CheckedDecompressionStream(codec, tail, compression, displayName);
    }

    /// <summary>
    /// Creates (or overwrites) <paramref name="path"/> and returns a stream that compresses into it as
    /// <paramref name="compression"/> says. The path may be a temporary name: the compression comes from the
    /// final name, through the caller.
    /// </summary>
    public static Stream Create(string path, FileCompression compression, CompressionLevel level = CompressionLevel.Optimal) =>
        Compress(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), compression, level);

    /// <summary>Standard output, for "-OutFile -": never compressed (pipe it through gzip or zstd).</summary>
    public static Stream OpenStandardOutput() => Console.OpenStandardOutput();

    /// <summary>A writing stream that compresses into <paramref name="target"/> and owns it; disposing it writes the codec's trailer.</summary>
    /// <remarks>ZstdSharp's streams leave their inner stream open unless told otherwise; ours own it.</remarks>
    /// <param name="leaveOpen">Leave <paramref name="target"/> open when the returned stream is disposed (an output its caller commits).</param>
    public static Stream Compress(Stream target, FileCompression compression, CompressionLevel level, bool leaveOpen = false) => compression switch
    {
        FileCompression.GZip => new GZipWriteStream(target, level, leaveOpen),
        FileCompression.Zstandard => ZstandardWriter(target, level, leaveOpen),
        _ => leaveOpen ? new NonClosingStream(target) : target,
    };

    /// <summary>Every frame carries its content checksum (as the zstd tool writes by default), so a flipped bit is found on reading.</summary>
    private static CompressionStream ZstandardWriter(Stream target, CompressionLevel level, bool leaveOpen)
    {
        var stream = new CompressionStream(target, ZstandardLevel(level), leaveOpen: leaveOpen);
        stream.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        return stream;
    }

    /// <summary>zstd's levels for .NET's names: 1 is its fastest, 3 its default, 19 the highest without --ultra's memory.</summary>
    public static int ZstandardLevel(CompressionLevel level) => level switch
    {
        CompressionLevel.Fastest or CompressionLevel.NoCompression => 1,
        CompressionLevel.SmallestSize => 19,
        _ => 3,
    };

    /// <summary>
    /// GZipStream writes nothing at all for empty content (not even a header), and gzip calls a 0-byte file
    /// truncated; an empty export (an empty store, a backup without secrets) must still be a valid .gz, so the
    /// 20 bytes of an empty gzip member are written then.
    /// </summary>
    private sealed class GZipWriteStream(Stream target, CompressionLevel level, bool leaveOpen) : SequentialStream
    {
        private static readonly byte[] EmptyMember = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        private readonly GZipStream _gzip = new(target, level, leaveOpen: true);
        private bool _written;

        public override bool CanRead => false;
        public override bool CanWrite => true;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (buffer.IsEmpty) return;
            _written = true;
            _gzip.Write(buffer);
        }

        public override void Flush()
        {
            if (_written) _gzip.Flush();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gzip.Dispose();
                if (!_written) target.Write(EmptyMember);
                if (!leaveOpen) target.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// Turns the codecs' failures on a damaged file into an input error that names the file, and refuses a stream
    /// that ends before the codec's end mark (a truncated download, a disk that filled up): a truncated backup
    /// must never read as a shorter valid one. .NET's GZipStream ends quietly when its input runs out before the
    /// gzip trailer, so the trailer's length field is checked here against the bytes produced.
    /// </summary>
    private sealed class CheckedDecompressionStream(Stream codec, TailTrackingStream tail, FileCompression compression, string displayName) : ForwardOnlyReadStream
    {
        private long _produced;

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = codec.Read(buffer);
            }
            catch (Exception ex) when (ex is InvalidDataException or ZstdException or IOException)
            {
                throw Damaged($"it is not valid {Format} data ({ex.Message})", ex);
            }
            _produced += read;
            if (read == 0 && buffer.Length > 0 && compression == FileCompression.GZip && !GzipTrailerMatches())
                throw Damaged("the gzip data ends early: the file is truncated");
            // zstd reads a file of skippable frames alone as empty content; an export, even an empty one, is a frame.
            if (read == 0 && buffer.Length > 0 && compression == FileCompression.Zstandard && _produced == 0 && !tail.SawZstandardFrame)
                throw Damaged("it holds no zstd frame, only skippable ones: the file is damaged");
            return read;
        }

        private string Format => compression == FileCompression.GZip ? "gzip" : "zstd";

        /// <summary>The last 4 bytes of a gzip member are the uncompressed length modulo 2^32 (RFC 1952).</summary>
        private bool GzipTrailerMatches() =>
            tail.ReachedEnd && tail.TotalRead >= 18 && tail.LastFourBytesLittleEndian == (uint)_produced;

        protected override void Dispose(bool disposing)
        {
            if (disposing) codec.Dispose();
            base.Dispose(disposing);
        }

        private EventStoreException Damaged(string why, Exception? inner = null) => CompressedFile.Damaged(displayName, why, inner);
    }

    /// <summary>Passes reads through and remembers the last bytes read, so the gzip trailer can be checked at the end.</summary>
    private sealed class TailTrackingStream(Stream inner) : ForwardOnlyReadStream
    {
        private uint _lastFour;

        public long TotalRead { get; private set; }

        public bool ReachedEnd { get; private set; }

        public uint LastFourBytesLittleEndian => _lastFour;

        /// <summary>Whether zstd's frame magic was read (looked for only until it is found: at the start, in every file we write).</summary>
        public bool SawZstandardFrame { get; private set; }

        private uint _window;

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            if (read == 0 && buffer.Length > 0) ReachedEnd = true;
            for (var i = 0; i < read && !SawZstandardFrame; i++)
            {
                _window = (_window >> 8) | ((uint)buffer[i] << 24);
                SawZstandardFrame = TotalRead + i >= 3 && _window == 0xFD2FB528;
            }
            var recent = read >= 4 ? buffer.Slice(read - 4, 4) : buffer[..read];
            foreach (var b in recent)
                _lastFour = (_lastFour >> 8) | ((uint)b << 24);
            TotalRead += read;
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>An uncompressed write that, like the codecs, leaves its target open when asked to.</summary>
    private sealed class NonClosingStream(Stream target) : SequentialStream
    {
        public override bool CanRead => false;
        public override bool CanWrite => true;

        public override void Write(byte[] buffer, int offset, int count) => target.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => target.Write(buffer);

        public override void Flush() => target.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
