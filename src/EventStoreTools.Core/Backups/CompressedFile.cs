using System.IO.Compression;
using ZstdSharp;

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
/// Opens backup files (NDJSON exports and the files of a backup folder) for streaming, compressed by their
/// extension, or the process's standard input and output for the path "-". Nothing is ever decompressed to a
/// temporary file: the codec sits between the file and the NDJSON reader or writer.
/// </summary>
public static class CompressedFile
{
    /// <summary>The path that stands for standard input (reading) or standard output (writing), as in gzip and tar.</summary>
    public const string StandardStreamPath = "-";

    public static bool IsStandardStream(string path) => path == StandardStreamPath;

    public static FileCompression CompressionOf(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? FileCompression.GZip
        : path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) ? FileCompression.Zstandard
        : FileCompression.None;

    /// <summary>The file's bytes, decompressed as its extension says; a truncated or corrupt file fails with <see cref="EventStoreErrorKind.InvalidInput"/>.</summary>
    public static Stream OpenRead(string path)
    {
        if (IsStandardStream(path)) return Console.OpenStandardInput();
        if (Directory.Exists(path))
            throw new EventStoreException(EventStoreErrorKind.InputNotFound, $"The input file '{path}' is a directory.");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new EventStoreException(EventStoreErrorKind.InputNotFound, $"Cannot read the input file '{path}': {ex.Message}", ex);
        }
        return Decompress(file, CompressionOf(path), path);
    }

    /// <summary>A reading stream over compressed bytes; owns <paramref name="compressed"/>.</summary>
    public static Stream Decompress(Stream compressed, FileCompression compression, string displayName)
    {
        if (compression == FileCompression.None) return compressed;
        var tail = new TailTrackingStream(compressed);
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
        FileCompression.Zstandard => new CompressionStream(target, ZstandardLevel(level), leaveOpen: leaveOpen),
        _ => leaveOpen ? new NonClosingStream(target) : target,
    };

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

        private EventStoreException Damaged(string why, Exception? inner = null) =>
            new(EventStoreErrorKind.InvalidInput, $"Cannot read '{displayName}': {why}.", inner);
    }

    /// <summary>Passes reads through and remembers the last bytes read, so the gzip trailer can be checked at the end.</summary>
    private sealed class TailTrackingStream(Stream inner) : ForwardOnlyReadStream
    {
        private uint _lastFour;

        public long TotalRead { get; private set; }

        public bool ReachedEnd { get; private set; }

        public uint LastFourBytesLittleEndian => _lastFour;

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            if (read == 0 && buffer.Length > 0) ReachedEnd = true;
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

    /// <summary>What the wrappers above share: a stream gone through once, front to back, without length or position.</summary>
    private abstract class SequentialStream : Stream
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>A stream that is only read.</summary>
    private abstract class ForwardOnlyReadStream : SequentialStream
    {
        public override bool CanRead => true;
        public override bool CanWrite => false;

        public abstract override int Read(Span<byte> buffer);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
