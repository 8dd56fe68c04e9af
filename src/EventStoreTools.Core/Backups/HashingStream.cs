using System.Security.Cryptography;

namespace EventStoreTools.Core.Backups;

/// <summary>
/// Passes writes through to a stream it does not own, counting the bytes and hashing them (SHA-256), so a
/// backup file's manifest entry comes from the bytes as written, without reading the file back.
/// </summary>
public sealed class HashingStream(Stream target) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Size { get; private set; }

    /// <summary>The manifest entry of the bytes written so far, under a file name.</summary>
    public BackupManifestFile Describe(string name) => new(name, Size, Convert.ToHexStringLower(_hash.GetCurrentHash()));

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Size;

    public override long Position
    {
        get => Size;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        target.Write(buffer);
        _hash.AppendData(buffer);
        Size += buffer.Length;
    }

    public override void Flush() => target.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
