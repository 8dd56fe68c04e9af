using System.IO.Compression;
using System.Text;
using EventStoreTools.Core.Backups;
using Microsoft.Data.Sqlite;
using Xunit;
using Role = EventStoreTools.Core.Backups.ExistingOutput.Role;

namespace EventStoreTools.Core.Tests;

/// <summary>An export replaces an earlier export of ours without a question, and nothing else.</summary>
public class ExistingOutputTests
{
    private const string EventLine = """{"threadId":0,"threadCounter":0,"aggregateId":"a","aggregateVersion":1,"type":"T","timestamp":1,"payload":{}}""";

    private static string Write(string name, byte[] content)
    {
        var path = Path.Combine(TestFiles.NewDirectory(), name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string Write(string name, string content) => Write(name, Encoding.UTF8.GetBytes(content));

    private static string SqliteDatabase(string name, string table)
    {
        var path = Path.Combine(TestFiles.NewDirectory(), name);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE {table} (x); INSERT INTO {table} VALUES (1);";
        command.ExecuteNonQuery();
        return path;
    }

    [Fact]
    public void A_reSolve_store_and_any_other_SQLite_database_are_not_ours()
    {
        var store = TestFiles.CopyFixture("resolve-lite-600.db");
        Assert.Equal("a SQLite database", ExistingOutput.Describe(store, Role.Events));
        Assert.Equal("a SQLite database", ExistingOutput.Describe(SqliteDatabase("notes.db", "notes"), Role.Events));
        Assert.Equal("a SQLite database", ExistingOutput.Describe(store, Role.Secrets));
    }

    [Fact]
    public void Our_exports_are_ours_in_every_form()
    {
        Assert.Null(ExistingOutput.Describe(TestFiles.CopyFixture("resolve-lite-600.export.ndjson"), Role.Events));
        Assert.Null(ExistingOutput.Describe(Write("events.db", EventLine + "\n"), Role.Events));
        Assert.Null(ExistingOutput.Describe(Write("bom.ndjson", "\uFEFF" + EventLine + "\r\n"), Role.Events));
        Assert.Null(ExistingOutput.Describe(Write("empty.ndjson", ""), Role.Events));
        Assert.Null(ExistingOutput.Describe(Write("secrets.db", """{"secret":"s","id":"i","idx":0}""" + "\n"), Role.Secrets));
        Assert.Null(ExistingOutput.Describe(Path.Combine(TestFiles.NewDirectory(), "missing.ndjson"), Role.Events));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(Encoding.UTF8.GetBytes(EventLine + "\n"));
        Assert.Null(ExistingOutput.Describe(Write("x.ndjson.gz", compressed.ToArray()), Role.Events));
    }

    [Fact]
    public void Other_files_are_named_for_what_they_are()
    {
        Assert.Equal("a file whose first line is not an event of reSolve's NDJSON", ExistingOutput.Describe(Write("notes.txt", "dear diary\n"), Role.Events));
        Assert.Equal("a file whose first line is not an event of reSolve's NDJSON", ExistingOutput.Describe(Write("other.json", """{"name":"Ann"}""" + "\n"), Role.Events));
        Assert.Equal("a file whose first line is not an event of reSolve's NDJSON", ExistingOutput.Describe(Write("array.json", "[" + EventLine + "]"), Role.Events));
        Assert.Equal("a file whose first line is not a secret of reSolve's NDJSON", ExistingOutput.Describe(Write("secrets.db", EventLine.Replace("\"aggregateId\"", "\"x\"") + "\n"), Role.Secrets));
        Assert.Equal("a zip file", ExistingOutput.Describe(Write("x.ndjson", "PK\x03\x04rest"), Role.Events));
        Assert.Equal("a file that is not a backup manifest", ExistingOutput.Describe(Write("x.manifest.json", """{"name":"Ann"""), Role.Manifest));
    }

    [Fact]
    public void A_target_lists_every_file_it_would_replace_or_remove_that_is_not_ours()
    {
        var directory = TestFiles.NewDirectory();
        File.Copy(TestFiles.Fixture("resolve-lite-600.db"), Path.Combine(directory, "events.db"));
        File.WriteAllText(Path.Combine(directory, "secrets.db"), "");
        var plain = ExistingOutput.NotOurs(BackupTarget.Folder(directory, FileCompression.None));
        Assert.Equal([Path.Combine(directory, "events.db")], plain.Select(f => f.Path));
        // A backup of another compression removes the plain pair: the store would be deleted just the same.
        var gzip = ExistingOutput.NotOurs(BackupTarget.Folder(directory, FileCompression.GZip));
        Assert.Equal([Path.Combine(directory, "events.db")], gzip.Select(f => f.Path));

        var ours = TestFiles.NewDirectory();
        File.WriteAllText(Path.Combine(ours, "events.db"), EventLine + "\n");
        File.WriteAllText(Path.Combine(ours, "secrets.db"), "");
        Assert.Empty(ExistingOutput.NotOurs(BackupTarget.Folder(ours, FileCompression.None)));
    }

    [Fact]
    public void A_link_at_a_name_the_module_chooses_is_replaced_and_not_judged_by_what_it_points_to()
    {
        var directory = TestFiles.NewDirectory();
        var store = TestFiles.CopyFixture("resolve-lite-600.db");
        File.CreateSymbolicLink(Path.Combine(directory, "events.db"), store);
        Assert.Empty(ExistingOutput.NotOurs(BackupTarget.Folder(directory, FileCompression.None)));
        // -OutFile is written through its link, so the file it points to is what would be replaced.
        var outFile = Path.Combine(directory, "out.ndjson");
        File.CreateSymbolicLink(outFile, store);
        Assert.Equal([outFile], ExistingOutput.NotOurs(BackupTarget.SingleFile(outFile, includeSecrets: false)).Select(f => f.Path));
    }
}
