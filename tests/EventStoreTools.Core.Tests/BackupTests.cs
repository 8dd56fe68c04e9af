using System.IO.Compression;
using System.Text;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Sqlite;
using EventStoreTools.Core.Verification;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class BackupTests
{
    private static byte[] Compressed(FileCompression compression, byte[] content, string directory)
    {
        var path = Path.Combine(directory, "file" + BackupFolder.Extension(compression));
        using (var stream = CompressedFile.Create(path, compression, CompressionLevel.Fastest))
            stream.Write(content);
        return File.ReadAllBytes(path);
    }

    private static byte[] ReadAll(string path)
    {
        using var stream = CompressedFile.OpenRead(path);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Theory]
    [InlineData(FileCompression.GZip)]
    [InlineData(FileCompression.Zstandard)]
    public void Compressed_files_round_trip_and_a_truncated_one_fails(FileCompression compression)
    {
        var directory = TestFiles.NewDirectory();
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20000).Select(i => $"{{\"line\":{i}}}\n")));
        var bytes = Compressed(compression, content, directory);
        var path = Path.Combine(directory, "copy" + BackupFolder.Extension(compression));
        File.WriteAllBytes(path, bytes);
        Assert.Equal(content, ReadAll(path));
        foreach (var cut in new[] { 1, 4, 8, bytes.Length / 2 })
        {
            File.WriteAllBytes(path, bytes[..^cut]);
            var error = Assert.Throws<EventStoreException>(() => ReadAll(path));
            Assert.Equal(EventStoreErrorKind.InvalidInput, error.Kind);
        }
    }

    [Theory]
    [InlineData(FileCompression.GZip)]
    [InlineData(FileCompression.Zstandard)]
    public void Empty_content_compresses_to_a_valid_file(FileCompression compression)
    {
        var directory = TestFiles.NewDirectory();
        var bytes = Compressed(compression, [], directory);
        Assert.NotEmpty(bytes);
        var path = Path.Combine(directory, "empty" + BackupFolder.Extension(compression));
        File.WriteAllBytes(path, bytes);
        Assert.Empty(ReadAll(path));
    }

    [Fact]
    public void Contiguous_sequences_find_repeats_and_the_first_gap_in_any_order()
    {
        var inOrder = new ContiguousSequence(0);
        Assert.All(new long[] { 0, 1, 2, 3 }, value => Assert.True(inOrder.Add(value)));
        Assert.Null(inOrder.FirstMissing);
        var shuffled = new ContiguousSequence(1);
        Assert.All(new long[] { 3, 1, 2 }, value => Assert.True(shuffled.Add(value)));
        Assert.Null(shuffled.FirstMissing);
        Assert.False(shuffled.Add(2));
        var gap = new ContiguousSequence(1);
        Assert.All(new long[] { 1, 4, 2, 6 }, value => Assert.True(gap.Add(value)));
        Assert.Equal(3, gap.FirstMissing);
        Assert.Equal(6, gap.Max);
        Assert.False(gap.Add(0));
    }

    [Fact]
    public void The_verifier_finds_the_fixture_valid_and_a_removed_event_as_gaps()
    {
        var store = TestFiles.CopyFixture("resolve-lite-600.db");
        Assert.True(EventStoreVerifier.CheckSqlite(store, quick: false).IsValid);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM events WHERE rowid = (SELECT rowid FROM events WHERE threadCounter = 0 LIMIT 1)";
            command.ExecuteNonQuery();
        }
        var result = EventStoreVerifier.CheckSqlite(store, quick: false, complete: true);
        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, problem => problem.Check == "ThreadCounter" && problem.ThreadCounter == 0);
        Assert.Equal(StoreKind.SqliteFile, EventStoreVerifier.KindOf(store));
    }

    [Fact]
    public void Filters_match_in_memory_as_in_the_store_query()
    {
        var store = TestFiles.CopyFixture("resolve-lite-600.db");
        using var reader = SqliteEventReader.Open(store);
        var all = reader.ReadEvents().ToList();
        var filter = new EventFilter
        {
            EventTypes = [all[3].Type[..2] + "*"],
            Since = all[100].Timestamp,
            Until = all[400].Timestamp,
        };
        var keys = (IEnumerable<ResolveEvent> events) => string.Join(",", events.Select(e => $"{e.ThreadId}:{e.ThreadCounter}"));
        Assert.Equal(keys(reader.ReadEvents(filter)), keys(all.Where(filter.Matches)));
    }
}
