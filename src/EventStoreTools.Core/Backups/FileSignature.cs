namespace EventStoreTools.Core.Backups;

/// <summary>What a file holds, by its first bytes.</summary>
public enum FileContent
{
    /// <summary>No bytes at all.</summary>
    Empty,

    /// <summary>Anything without a signature below: plain NDJSON, or text that fails as NDJSON with its line.</summary>
    Plain,

    GZip,

    /// <summary>A Zstandard frame, or a skippable frame (which zstd reads past).</summary>
    Zstandard,

    BZip2,

    Xz,

    Zip,

    SevenZip,

    Lz4,

    /// <summary>A SQLite database (a store given where an export belongs).</summary>
    Sqlite,
}

/// <summary>
/// Tells a file's format from its magic bytes, never from its name: a gzip file named x.ndjson is gzip, and a
/// .zst that is not zstd is damaged rather than read as plain text.
/// </summary>
public static class FileSignature
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs (SQLite's header is the longest).</summary>
    public const int Length = 16;

    private static ReadOnlySpan<byte> GZipMagic => [0x1f, 0x8b];
    private static ReadOnlySpan<byte> ZstandardMagic => [0x28, 0xb5, 0x2f, 0xfd];
    private static ReadOnlySpan<byte> BZip2Magic => "BZh"u8;
    private static ReadOnlySpan<byte> XzMagic => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
    private static ReadOnlySpan<byte> ZipMagic => "PK\x03\x04"u8;
    private static ReadOnlySpan<byte> EmptyZipMagic => "PK\x05\x06"u8;
    private static ReadOnlySpan<byte> SevenZipMagic => [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
    private static ReadOnlySpan<byte> Lz4Magic => [0x04, 0x22, 0x4d, 0x18];
    private static ReadOnlySpan<byte> SqliteHeader => "SQLite format 3\0"u8;

    public static FileContent Detect(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty) return FileContent.Empty;
        if (head.StartsWith(GZipMagic)) return FileContent.GZip;
        if (head.StartsWith(ZstandardMagic) || IsSkippableFrame(head)) return FileContent.Zstandard;
        if (head.StartsWith(BZip2Magic)) return FileContent.BZip2;
        if (head.StartsWith(XzMagic)) return FileContent.Xz;
        if (head.StartsWith(ZipMagic) || head.StartsWith(EmptyZipMagic)) return FileContent.Zip;
        if (head.StartsWith(SevenZipMagic)) return FileContent.SevenZip;
        if (head.StartsWith(Lz4Magic)) return FileContent.Lz4;
        if (head.StartsWith(SqliteHeader)) return FileContent.Sqlite;
        return FileContent.Plain;
    }

    /// <summary>Zstandard's skippable frames: 0x184D2A50 to 0x184D2A5F, little-endian.</summary>
    private static bool IsSkippableFrame(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && (head[0] & 0xf0) == 0x50 && head[1] == 0x2a && head[2] == 0x4d && head[3] == 0x18;

    /// <summary>How a format is called in messages.</summary>
    public static string Name(FileContent content) => content switch
    {
        FileContent.GZip => "gzip",
        FileContent.Zstandard => "zstd",
        FileContent.BZip2 => "bzip2",
        FileContent.Xz => "xz",
        FileContent.Zip => "zip",
        FileContent.SevenZip => "7-Zip",
        FileContent.Lz4 => "lz4",
        FileContent.Sqlite => "a SQLite database",
        FileContent.Empty => "empty",
        _ => "plain",
    };
}
