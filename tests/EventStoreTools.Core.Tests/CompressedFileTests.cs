using System.IO.Compression;
using System.Text;
using EventStoreTools.Core.Backups;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>Compression is told by a file's magic bytes, never guessed from its name, and always checked.</summary>
public class CompressedFileTests
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 3000).Select(i => $"{{\"line\":{i},\"text\":\"row {i * 7919 % 1000}\"}}\n")));

    private static byte[] Compressed(FileCompression compression, byte[] content)
    {
        using var memory = new MemoryStream();
        using (var stream = CompressedFile.Compress(memory, compression, CompressionLevel.Fastest, leaveOpen: true))
            stream.Write(content);
        return memory.ToArray();
    }

    private static string WriteFile(string name, byte[] bytes)
    {
        var path = Path.Combine(TestFiles.NewDirectory(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] ReadAll(string path)
    {
        using var stream = CompressedFile.OpenRead(path);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static TheoryData<byte[], FileContent> Signatures => new()
    {
        { [], FileContent.Empty },
        { "{\"threadId\":0}"u8.ToArray(), FileContent.Plain },
        { [0xef, 0xbb, 0xbf, (byte)'{'], FileContent.Plain },
        { [0x1f], FileContent.Plain },
        { [0x1f, 0x8b, 8, 0], FileContent.GZip },
        { [0x28, 0xb5, 0x2f, 0xfd, 0x24], FileContent.Zstandard },
        { [0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0], FileContent.Zstandard },
        { [0x5f, 0x2a, 0x4d, 0x18, 0, 0, 0, 0], FileContent.Zstandard },
        { "BZh91AY&SY"u8.ToArray(), FileContent.BZip2 },
        { [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04], FileContent.Xz },
        { [0xfd, 0x37, 0x7a, 0x58, 0x5a], FileContent.Plain },
        { "PK\x03\x04\x14\x00"u8.ToArray(), FileContent.Zip },
        { "PK\x05\x06"u8.ToArray(), FileContent.Zip },
        { [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4], FileContent.SevenZip },
        { [0x04, 0x22, 0x4d, 0x18, 0x64], FileContent.Lz4 },
        { "SQLite format 3\0\x10\x00"u8.ToArray(), FileContent.Sqlite },
        { "SQLite format 3"u8.ToArray(), FileContent.Plain },
    };

    [Theory]
    [MemberData(nameof(Signatures))]
    public void The_format_is_told_by_the_magic_bytes(byte[] head, FileContent expected) =>
        Assert.Equal(expected, FileSignature.Detect(head));

    [Theory]
    [InlineData(FileCompression.GZip, "export.ndjson")]
    [InlineData(FileCompression.GZip, "export.ndjson.zst")]
    [InlineData(FileCompression.Zstandard, "export.ndjson")]
    [InlineData(FileCompression.Zstandard, "export.db")]
    [InlineData(FileCompression.None, "export.ndjson")]
    public void A_file_is_read_as_its_bytes_say_whatever_its_name(FileCompression compression, string name) =>
        Assert.Equal(Content, ReadAll(WriteFile(name, Compressed(compression, Content))));

    [Theory]
    [InlineData("empty.ndjson.zst")]
    [InlineData("empty.ndjson.gz")]
    [InlineData("events.db.zst")]
    public void An_empty_file_named_compressed_is_damaged_not_an_empty_export(string name)
    {
        var error = Assert.Throws<EventStoreException>(() => ReadAll(WriteFile(name, [])));
        Assert.Equal(EventStoreErrorKind.InvalidInput, error.Kind);
        Assert.Contains("empty (0 bytes)", error.Message);
    }

    /// <summary>A zstd file holds at least one frame (an empty export is one empty frame); bytes that are none are damaged.</summary>
    [Theory]
    [InlineData(new byte[] { 0x28, 0xb5, 0x2f, 0xfd })]
    [InlineData(new byte[] { 0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00 })]
    [InlineData(new byte[] { 0x50, 0x2a, 0x4d, 0x18, 0x00, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x50, 0x2a, 0x4d, 0x18, 0x02, 0x00, 0x00, 0x00, 0x41, 0x42 })]
    [InlineData(new byte[] { 0x1f, 0x8b })]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03 })]
    public void A_compressed_file_without_a_whole_frame_is_damaged(byte[] bytes)
    {
        foreach (var name in new[] { "x.ndjson.zst", "x.ndjson" })
        {
            var error = Assert.Throws<EventStoreException>(() => ReadAll(WriteFile(name, bytes)));
            Assert.Equal(EventStoreErrorKind.InvalidInput, error.Kind);
        }
    }

    [Fact]
    public void An_empty_plain_file_is_an_empty_export() =>
        Assert.Empty(ReadAll(WriteFile("empty.ndjson", [])));

    [Theory]
    [InlineData("plain.ndjson.gz")]
    [InlineData("plain.ndjson.zst")]
    public void Plain_text_named_compressed_is_refused(string name)
    {
        var error = Assert.Throws<EventStoreException>(() => ReadAll(WriteFile(name, Content)));
        Assert.Equal(EventStoreErrorKind.InvalidInput, error.Kind);
    }

    [Theory]
    [InlineData(new byte[] { 0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26 }, "bzip2")]
    [InlineData(new byte[] { 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04 }, "xz")]
    [InlineData(new byte[] { 0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00 }, "zip")]
    public void A_compression_the_module_cannot_read_is_named(byte[] head, string format)
    {
        foreach (var name in new[] { "x.ndjson", "x.ndjson.gz" })
        {
            var error = Assert.Throws<EventStoreException>(() => ReadAll(WriteFile(name, [.. head, .. Content])));
            Assert.Equal(EventStoreErrorKind.UnsupportedInputFormat, error.Kind);
            Assert.Contains($"is {format} data", error.Message);
        }
    }

    [Fact]
    public void A_sqlite_database_as_an_export_says_to_read_it_as_a_store()
    {
        var error = Assert.Throws<EventStoreException>(() => ReadAll(TestFiles.CopyFixture("resolve-lite-600.db")));
        Assert.Equal(EventStoreErrorKind.UnsupportedInputFormat, error.Kind);
        Assert.Contains("Export-EventStore -Path", error.Message);
    }

    [Theory]
    [InlineData("a.ndjson.bz2")]
    [InlineData("a.ndjson.xz")]
    [InlineData("a.ndjson.gzip")]
    [InlineData("a.ndjson.zstd")]
    [InlineData("a.tgz")]
    [InlineData("a.ZIP")]
    public void An_output_name_of_a_compression_the_module_does_not_write_is_refused(string name)
    {
        var error = Assert.Throws<EventStoreException>(() => CompressedFile.CompressionForOutput(name));
        Assert.Equal(EventStoreErrorKind.UnsupportedCompression, error.Kind);
        Assert.Contains(".gz", error.Message);
        Assert.Contains(".zst", error.Message);
    }

    [Theory]
    [InlineData("a.ndjson", FileCompression.None)]
    [InlineData("events.db", FileCompression.None)]
    [InlineData("a.ndjson.GZ", FileCompression.GZip)]
    [InlineData("a.ndjson.zst", FileCompression.Zstandard)]
    public void Output_names_of_plain_gzip_and_zstd_are_taken(string name, FileCompression expected) =>
        Assert.Equal(expected, CompressedFile.CompressionForOutput(name));

    [Fact]
    public void Zstandard_frames_carry_their_content_checksum()
    {
        var bytes = Compressed(FileCompression.Zstandard, Content);
        // Frame header descriptor (RFC 8878 3.1.1.1.1): bit 2 is Content_Checksum_flag.
        Assert.NotEqual(0, bytes[4] & 0x04);
    }

    /// <summary>
    /// Every byte flipped in turn: each flip is refused, or (where the bit carries nothing, such as the low bit of
    /// zstd's window size, or gzip's header time, flags and OS, which its CRC does not cover) reads exactly the same
    /// content; a flip never reads as other content. Without zstd's checksum some flips do.
    /// </summary>
    [Theory]
    [InlineData(FileCompression.Zstandard)]
    [InlineData(FileCompression.GZip)]
    public void A_flipped_bit_is_refused_never_read_as_other_content(FileCompression compression)
    {
        var content = Content[..4000];
        var changed = ReadFlipped(Compressed(compression, content), content, compression, out var unnoticed);
        Assert.Empty(changed);
        if (compression == FileCompression.GZip) Assert.All(unnoticed, i => Assert.InRange(i, 3, 9));
        else Assert.InRange(unnoticed.Count, 0, 4);

        if (compression != FileCompression.Zstandard) return;
        using var memory = new MemoryStream();
        using (var unchecksummed = new ZstdSharp.CompressionStream(memory, 1, leaveOpen: true))
            unchecksummed.Write(content);
        Assert.NotEmpty(ReadFlipped(memory.ToArray(), content, compression, out _));
    }

    /// <summary>The positions whose flip read as other content; <paramref name="unnoticed"/>: those that read the same.</summary>
    private static List<int> ReadFlipped(byte[] bytes, byte[] content, FileCompression compression, out List<int> unnoticed)
    {
        var path = WriteFile("flipped" + BackupFolder.Extension(compression), bytes);
        var changed = new List<int>();
        unnoticed = [];
        for (var i = 0; i < bytes.Length; i++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 0x01;
            File.WriteAllBytes(path, flipped);
            byte[]? read = null;
            var error = Record.Exception(() => read = ReadAll(path));
            if (error is not null)
            {
                Assert.IsType<EventStoreException>(error);
                continue;
            }
            (read.AsSpan().SequenceEqual(content) ? unnoticed : changed).Add(i);
        }
        return changed;
    }
}
