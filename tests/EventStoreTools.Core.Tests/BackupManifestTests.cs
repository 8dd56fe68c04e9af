using System.Text;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Files;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>A backup against its manifest: the comparison, reading exactly the named files, and the swap that writes one backup.</summary>
public class BackupManifestTests
{
    private static ResolveEvent Event(int thread, long counter, long timestamp, string type = "T", string aggregate = "a") =>
        new() { ThreadId = thread, ThreadCounter = counter, Timestamp = timestamp, AggregateId = aggregate, AggregateVersion = counter + 1, Type = type, PayloadJson = "{}" };

    private static readonly ResolveEvent[] Events = [Event(0, 0, 100), Event(1, 0, 200), Event(0, 1, 300)];

    private static BackupManifestFile File(string name = "events.db", long size = 10, string sha = "ab") =>
        new(name, size, sha) { Role = BackupManifestFile.EventsRole };

    /// <summary>What an export of <see cref="Events"/> from <paramref name="start"/> would record.</summary>
    private static BackupManifest ManifestOf(IEnumerable<ResolveEvent> events, ResolveCursor? start = null, EventFilter? filter = null)
    {
        var cursor = (start ?? ResolveCursor.Start).Clone();
        var list = events.ToList();
        foreach (var e in list) cursor.Advance(e);
        return new BackupManifest
        {
            EventCount = list.Count,
            FirstTimestamp = list.FirstOrDefault()?.Timestamp,
            LastTimestamp = list.LastOrDefault()?.Timestamp,
            Cursor = cursor.ToString(),
            Filter = BackupFilter.Of(filter ?? EventFilter.All, start ?? ResolveCursor.Start),
            Files = [File()],
        };
    }

    private static BackupContent Read(BackupManifest manifest, IEnumerable<ResolveEvent> events, params BackupManifestFile[] files)
    {
        var content = BackupContent.For(manifest);
        var line = 0;
        foreach (var e in events) content.AddEvent(e, ++line);
        foreach (var file in files.Length == 0 ? [File()] : files) content.AddFile(file);
        return content;
    }

    [Fact]
    public void What_was_written_matches()
    {
        var manifest = ManifestOf(Events);
        Assert.Empty(manifest.Compare(Read(manifest, Events)));
        var start = ResolveCursor.FromCounters([.. Enumerable.Repeat(5L, 256)]);
        var resumed = new[] { Event(0, 5, 100), Event(1, 7, 200) };
        var fromCursor = ManifestOf(resumed, start);
        Assert.Empty(fromCursor.Compare(Read(fromCursor, resumed)));
    }

    [Fact]
    public void Another_count_is_a_mismatch_even_when_every_file_matches()
    {
        var manifest = ManifestOf(Events) with { EventCount = 4 };
        Assert.Contains(manifest.Compare(Read(manifest, Events)), m => m.Contains("3 events were read where the manifest says 4"));
    }

    [Fact]
    public void An_event_missing_in_the_middle_of_a_thread_is_caught_by_the_count_and_the_last_of_a_thread_by_the_cursor_too()
    {
        var manifest = ManifestOf(Events);
        var middle = manifest.Compare(Read(manifest, [Events[0], Events[2]]));
        Assert.Contains(middle, m => m.Contains("2 events were read"));
        var last = manifest.Compare(Read(manifest, Events[..2]));
        Assert.Contains(last, m => m.Contains("cursor"));
        Assert.Contains(last, m => m.Contains("The events run from"));
    }

    [Fact]
    public void A_file_read_that_the_manifest_does_not_name_is_a_mismatch()
    {
        var manifest = ManifestOf(Events) with { Files = [] };
        Assert.Contains(manifest.Compare(Read(manifest, Events)), m => m.Contains("does not name this file"));
        Assert.Contains(manifest.CheckSizes(TestFiles.NewDirectory(), requireSecrets: true), m => m.Contains("names no events file"));
    }

    [Fact]
    public void Another_size_or_hash_or_role_is_a_mismatch()
    {
        var manifest = ManifestOf(Events);
        Assert.Contains(manifest.Compare(Read(manifest, Events, File(size: 9))), m => m.Contains("9 bytes where the manifest says 10"));
        Assert.Contains(manifest.Compare(Read(manifest, Events, File(sha: "cd"))), m => m.Contains("SHA-256"));
        Assert.Contains(manifest.Compare(Read(manifest, Events, File() with { Role = BackupManifestFile.SecretsRole })), m => m.Contains("read as the secrets"));
    }

    [Fact]
    public void An_event_outside_the_export_selection_or_beyond_its_limit_is_a_mismatch()
    {
        var filter = new EventFilter { Since = 200, First = 2 };
        var selected = Events.Where(filter.Matches).ToList();
        var manifest = ManifestOf(selected, filter: filter);
        Assert.Empty(manifest.Compare(Read(manifest, selected)));
        var widened = manifest with { EventCount = 3, FirstTimestamp = 100, Cursor = ManifestOf(Events).Cursor };
        var mismatches = widened.Compare(Read(widened, Events));
        Assert.Contains(mismatches, m => m.Contains("1 event (the first at line 1) is outside the selection"));
        Assert.Contains(mismatches, m => m.Contains("limited to 2"));
    }

    [Fact]
    public void Secrets_left_out_are_told_apart_from_no_secrets()
    {
        Assert.Equal(3, new BackupManifest { SecretsIncluded = false, SourceSecretCount = 3 }.SecretsLeftOut);
        Assert.Equal(0, new BackupManifest { SecretsIncluded = false, SourceSecretCount = 0 }.SecretsLeftOut);
        Assert.Equal(0, new BackupManifest { SecretsIncluded = true, SourceSecretCount = 3, SecretCount = 3 }.SecretsLeftOut);
        var manifest = ManifestOf(Events) with { SecretCount = 2 };
        var content = Read(manifest, Events);
        content.SecretCount = 1;
        Assert.Contains(manifest.Compare(content), m => m.Contains("1 secret was read where the manifest says 2"));
    }

    [Fact]
    public void A_format_1_manifest_is_read_with_roles_from_its_names_and_a_newer_format_is_refused()
    {
        var folder = TestFiles.NewDirectory();
        var path = Path.Combine(folder, BackupManifest.FileName);
        System.IO.File.WriteAllText(path, """{"format":1,"eventCount":0,"files":[{"name":"events.db.gz","size":1,"sha256":"a"},{"name":"secrets.db.gz","size":1,"sha256":"b"}]}""");
        var old = BackupManifest.ReadFile(path)!;
        Assert.Equal("events.db.gz", old.FileOf(BackupManifestFile.EventsRole)!.Name);
        Assert.Equal("secrets.db.gz", old.FileOf(BackupManifestFile.SecretsRole)!.Name);
        System.IO.File.WriteAllText(path, """{"format":3}""");
        Assert.Equal(EventStoreErrorKind.BackupManifestMismatch, Assert.Throws<EventStoreException>(() => BackupManifest.ReadFile(path)).Kind);
    }

    [Fact]
    public void A_folder_without_a_manifest_and_two_candidate_files_is_ambiguous()
    {
        var folder = TestFiles.NewDirectory();
        System.IO.File.WriteAllText(Path.Combine(folder, "events.db"), "");
        System.IO.File.WriteAllText(Path.Combine(folder, "secrets.db"), "");
        Assert.Equal(Path.Combine(folder, "events.db"), BackupSet.OfFolder(folder).EventsFile);
        System.IO.File.WriteAllText(Path.Combine(folder, "events.db.zst"), "");
        Assert.Equal(EventStoreErrorKind.BackupAmbiguous, Assert.Throws<EventStoreException>(() => BackupSet.OfFolder(folder)).Kind);
    }

    [Fact]
    public void Single_file_names_keep_the_compression_extension_last()
    {
        Assert.Equal("/b/app.ndjson.zst.manifest.json", BackupSet.ManifestBeside("/b/app.ndjson.zst"));
        Assert.Equal("/b/app.ndjson.secrets.zst", BackupSet.SecretsBeside("/b/app.ndjson.zst"));
        Assert.Equal("/b/app.ndjson.secrets", BackupSet.SecretsBeside("/b/app.ndjson"));
    }

    [Fact]
    public void Reading_hashes_every_byte_once_also_when_the_reader_seeks_back_and_leaves_bytes_unread()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i}\n")));
        var path = Path.Combine(TestFiles.NewDirectory(), "f");
        System.IO.File.WriteAllBytes(path, bytes);
        using var stream = new HashingReadStream(System.IO.File.OpenRead(path));
        var buffer = new byte[1000];
        stream.ReadExactly(buffer);
        stream.Position = 500;
        stream.ReadExactly(buffer);
        stream.Position = 20000;
        stream.ReadExactly(buffer);
        var described = stream.Describe("f", BackupManifestFile.EventsRole);
        Assert.Equal(bytes.Length, described.Size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), described.Sha256);
    }

    /// <summary>A folder of two events and its manifest, as an export writes them.</summary>
    private static string NewFolderBackup(string events)
    {
        var folder = TestFiles.NewDirectory();
        System.IO.File.WriteAllText(Path.Combine(folder, "events.db"), events);
        System.IO.File.WriteAllText(Path.Combine(folder, "secrets.db"), "");
        var read = BackupContent.For(null);
        using (var reader = new Ndjson.NdjsonEventReader(System.IO.File.OpenRead(Path.Combine(folder, "events.db"))))
            foreach (var e in reader.ReadEvents()) read.AddEvent(e, reader.LineNumber);
        using var manifest = System.IO.File.Create(Path.Combine(folder, BackupManifest.FileName));
        new BackupManifest
        {
            EventCount = read.EventCount,
            FirstTimestamp = read.FirstTimestamp,
            LastTimestamp = read.LastTimestamp,
            Cursor = read.Cursor,
            Filter = new BackupFilter(),
            Files =
            [
                BackupManifest.Describe(Path.Combine(folder, "events.db"), "events.db", BackupManifestFile.EventsRole),
                BackupManifest.Describe(Path.Combine(folder, "secrets.db"), "secrets.db", BackupManifestFile.SecretsRole),
            ],
        }.Write(manifest);
        return folder;
    }

    private const string TwoEvents = """
        {"threadCounter":0,"threadId":0,"type":"T","timestamp":1,"aggregateId":"a","aggregateVersion":1,"payload":{}}
        {"threadCounter":1,"threadId":0,"type":"T","timestamp":2,"aggregateId":"a","aggregateVersion":2,"payload":{}}

        """;

    private static void ReadAll(BackupSet backup)
    {
        using (var reader = backup.OpenEvents())
        {
            foreach (var e in reader.ReadEvents()) backup.Tally(e, reader.LineNumber);
            backup.EndEvents();
        }
        foreach (var _ in backup.ReadSecrets()) { }
    }

    [Fact]
    public void A_backup_replaced_while_it_is_read_fails_against_the_manifest_the_reader_began_with()
    {
        var folder = NewFolderBackup(TwoEvents);
        var intact = BackupSet.OfFolder(folder);
        ReadAll(intact);
        intact.Verify();

        var replaced = BackupSet.OfFolder(folder);
        // Another export swaps in a backup of the same size after the manifest was read.
        System.IO.File.WriteAllText(Path.Combine(folder, "events.db"), TwoEvents.Replace("\"timestamp\":2", "\"timestamp\":3"));
        ReadAll(replaced);
        Assert.Equal(EventStoreErrorKind.BackupManifestMismatch, Assert.Throws<EventStoreException>(replaced.Verify).Kind);

        var removed = BackupSet.OfFolder(NewFolderBackup(TwoEvents));
        System.IO.File.Delete(removed.SecretsFile!);
        var gone = Assert.Throws<EventStoreException>(() => ReadAll(removed));
        Assert.Equal(EventStoreErrorKind.BackupManifestMismatch, gone.Kind);
        Assert.Contains("changed while it was read", gone.Message);
    }

    [Fact]
    public void A_swap_removes_the_files_named_for_removal_and_a_failure_puts_them_back()
    {
        var folder = TestFiles.NewDirectory();
        var events = Path.Combine(folder, "events.db.gz");
        var old = Path.Combine(folder, "events.db");
        System.IO.File.WriteAllText(old, "yesterday");
        using (var output = AtomicFileOutput.Begin([new AtomicFileOutput.OutputFile(events)], [old]))
        {
            output.Stream(0).Write("today"u8);
            output.BeforeRename = n => { if (n == 2) throw new IOException("rename failed"); };
            Assert.Throws<IOException>(output.Commit);
        }
        Assert.Equal("yesterday", System.IO.File.ReadAllText(old));
        Assert.False(System.IO.File.Exists(events));
        using (var output = AtomicFileOutput.Begin([new AtomicFileOutput.OutputFile(events)], [old]))
        {
            output.Stream(0).Write("today"u8);
            output.Commit();
        }
        Assert.False(System.IO.File.Exists(old));
        Assert.Equal("today", System.IO.File.ReadAllText(events));
        Assert.Single(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void A_link_to_replace_is_replaced_and_its_target_left_alone()
    {
        var folder = TestFiles.NewDirectory();
        var victim = Path.Combine(folder, "victim");
        var link = Path.Combine(folder, "events.db");
        System.IO.File.WriteAllText(victim, "precious");
        System.IO.File.CreateSymbolicLink(link, victim);
        using (var output = AtomicFileOutput.Begin([new AtomicFileOutput.OutputFile(link, ReplaceLink: true)], []))
        {
            output.Stream(0).Write("events"u8);
            output.Commit();
        }
        Assert.Null(new FileInfo(link).LinkTarget);
        Assert.Equal("events", System.IO.File.ReadAllText(link));
        Assert.Equal("precious", System.IO.File.ReadAllText(victim));
    }
}
