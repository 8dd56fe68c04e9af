using System.Security.Cryptography;

namespace EventStoreTools.Core.Backups;

/// <summary>
/// Reads a backup file and hashes (SHA-256) every byte of it exactly once, in file order, so a reader checks the
/// file against its manifest in the same pass that reads the events. Seeks pass through (the NDJSON reader looks
/// ahead for a huge line's end and comes back): bytes read again are not hashed again, and bytes skipped are
/// hashed by <see cref="Describe"/>, which reads what the reader left unread.
/// </summary>
public sealed class HashingReadStream(Stream source) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private long _hashed;

    /// <summary>The manifest entry of the whole file (what is left unread is read to the end first).</summary>
    public BackupManifestFile Describe(string name, string role)
    {
        if (source.CanSeek) source.Position = _hashed;
        _position = _hashed;
        var buffer = new byte[1 << 16];
        while (Read(buffer, 0, buffer.Length) > 0) { }
        return new BackupManifestFile(name, _hashed, Convert.ToHexStringLower(_hash.GetCurrentHash())) { Role = role };
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = source.Read(buffer);
        var end = _position + read;
        if (_position <= _hashed && end > _hashed)
        {
            _hash.AppendData(buffer.Slice((int)(_hashed - _position), (int)(end - _hashed)));
            _hashed = end;
        }
        _position = end;
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => source.CanSeek;
    public override bool CanWrite => false;
    public override long Length => source.Length;

    public override long Position
    {
        get => _position;
        set => _position = source.Position = value;
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = source.Seek(offset, origin);

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            source.Dispose();
        }
        base.Dispose(disposing);
    }
}
