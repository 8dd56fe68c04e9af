using System.IO.Compression;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Exports;
using EventStoreTools.Core.Files;
using EventStoreTools.Core.Imports;
using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Sqlite;
using EventStoreTools.Core.Writes;
using Xunit;
using static EventStoreTools.Core.Tests.OperationFixtures;

namespace EventStoreTools.Core.Tests;

/// <summary>
/// Import-EventStore's work without PowerShell: which input the parameters name, and one import in each mode (create,
/// append, replace, incremental, batched commits, a dry run) from events handed in, a file and a backup, on real
/// SQLite stores.
/// </summary>
public class ImportOperationTests
{
    private static NewFileAccess NewStore() => NewFileAccess.ForNewStore(false, null);

    private static EventImportOperation Begin(string path, ImportOptions options, BackupSet? backup = null, RecordingReport? report = null)
    {
        var operation = new EventImportOperation(new SqliteEventStore(path), options, backup, NewStore, report ?? new RecordingReport(), CancellationToken.None);
        operation.Begin();
        return operation;
    }

    private static string NewPath() => Path.Combine(TestFiles.NewDirectory(), "target.db");

    [Theory]
    [InlineData("", "", ImportSource.Pipeline)]
    [InlineData("events.ndjson", "", ImportSource.File)]
    [InlineData("-", "", ImportSource.File)]
    [InlineData("", "backup", ImportSource.Folder)]
    public void The_parameters_name_one_input(string inFile, string directory, ImportSource expected) =>
        Assert.Equal(expected, ImportSources.Of(inFile, directory));

    [Fact]
    public void Events_handed_in_create_a_store_and_the_filter_counts_what_it_leaves_out()
    {
        var path = NewPath();
        using (var import = Begin(path, new ImportOptions { Filter = new EventFilter { EventTypes = ["Even"] } }))
        {
            for (var i = 0; i < 20; i++) import.Add(Event(i));
            Assert.Equal((10L, 10L), (import.AddedCount, import.FilteredOutCount));
            Assert.False(import.WouldEmptyStore);
            import.Commit();
        }
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 1000L + 2 * i), Events(path).Select(e => e.Timestamp));
    }

    [Fact]
    public void Without_a_commit_nothing_is_written()
    {
        var path = Store(5);
        using (var import = Begin(path, new ImportOptions { Mode = ImportMode.Append }))
            for (var i = 5; i < 10; i++) import.Add(Event(i));
        Assert.Equal(5, Events(path).Count);
    }

    [Fact]
    public void A_replace_with_no_events_would_empty_the_store()
    {
        var path = Store(5);
        using var import = Begin(path, new ImportOptions { Mode = ImportMode.Replace });
        Assert.True(import.WouldEmptyStore);
        Assert.Equal(5, import.ExistingEventCount);
        import.Add(Event(7));
        Assert.False(import.WouldEmptyStore);
    }

    [Fact]
    public void Batches_are_committed_as_they_fill_and_the_last_at_the_end()
    {
        var path = Store(2);
        using var import = Begin(path, new ImportOptions { Mode = ImportMode.Append, CommitEvery = 3 });
        for (var i = 2; i < 9; i++) import.Add(Event(i));
        // Two batches of three are in the store; the seventh event waits for its batch.
        Assert.Equal(8, Events(path).Count);
        import.EndBatches();
        Assert.Equal(9, Events(path).Count);
        Assert.Equal((7L, 2L), (import.AddedCount, import.PreviousCount));
    }

    [Fact]
    public void A_batch_interval_commits_sparse_input_while_no_event_comes()
    {
        var path = Store(1);
        using var import = Begin(path, new ImportOptions { Mode = ImportMode.Append, CommitInterval = TimeSpan.FromMilliseconds(100) });
        import.Add(Event(1));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Events(path).Count < 2 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.Equal(2, Events(path).Count);
        import.EndBatches();
    }

    [Fact]
    public void A_dry_run_writes_nothing_and_says_what_the_import_would_do()
    {
        var path = Store(5);
        var store = new SqliteEventStore(path);
        EventImportOperation DryRun(ImportMode mode, int events, bool force = false)
        {
            var import = Begin(path, new ImportOptions { Mode = mode, DryRun = true, Force = force });
            for (var i = 0; i < events; i++) import.Add(Event(10 + i));
            return import;
        }
        var clearance = StoreWriteGuard.Check(store, StoreWrite.Import, force: false);

        using (var append = DryRun(ImportMode.Append, 3))
            Assert.Equal(new ImportPreview(ImportAction.Appended, "Append 3 events to its 5 events", 5), append.Preview(clearance));
        using (var refuse = DryRun(ImportMode.IntoEmptyStore, 3))
            Assert.Equal(new ImportPreview(ImportAction.Refused, "Refuse: it holds 5 events (use -Append or -Replace); 3 events were read", 5), refuse.Preview(clearance));
        using (var empties = DryRun(ImportMode.Replace, 0))
            Assert.Equal(ImportAction.Refused, empties.Preview(clearance).Action);
        using (var forced = DryRun(ImportMode.Replace, 0, force: true))
            Assert.Equal(new ImportPreview(ImportAction.Replaced, "Replace its 5 events with 0 events", 5), forced.Preview(clearance));
        using (var create = Begin(NewPath(), new ImportOptions { DryRun = true }))
        {
            create.Add(Event(0));
            Assert.Equal("Create the store and write 1 event", create.Preview(clearance).Description);
        }
        Assert.Equal(5, Events(path).Count);
        // The store's checks run on each event, so a dry run fails where the import would.
        using var invalid = Begin(path, new ImportOptions { DryRun = true });
        Assert.Throws<EventStoreException>(() => invalid.Add(new ResolveEvent { ThreadId = 999, Type = "T", AggregateId = "a" }));
    }

    [Fact]
    public void A_backup_folder_is_restored_with_its_secrets_and_checked_against_its_manifest()
    {
        var source = Store(40, new ResolveSecret("s1", "id1", 1), new ResolveSecret("s2", "id2", 2));
        var folder = Path.Combine(TestFiles.NewDirectory(), "backup");
        new BackupExport(new SqliteEventStore(source), BackupTarget.Folder(folder, FileCompression.Zstandard),
            ExportRead.Of(EventFilter.All, ResolveCursor.Start, false, null, false), includeSecrets: true, CompressionLevel.Fastest).Write(new RecordingReport(), CancellationToken.None);

        var target = NewPath();
        var report = new RecordingReport();
        using (var import = Begin(target, new ImportOptions(), BackupSet.OfFolder(folder), report))
        {
            import.OpenInput("", null);
            import.ImportInput();
            Assert.Equal((40L, 2L), (import.AddedCount, import.SecretCount));
            import.Commit();
        }
        Assert.Contains("Read 40 lines from the input file.", report.Told);
        Assert.Equal(Events(source).Select(e => e.ToString()), Events(target).Select(e => e.ToString()));
        Assert.Equal(Secrets(source), Secrets(target));
    }

    [Fact]
    public void A_backup_file_that_does_not_match_its_manifest_is_refused_before_the_commit()
    {
        var source = Store(10);
        var file = Path.Combine(TestFiles.NewDirectory(), "events.ndjson");
        new BackupExport(new SqliteEventStore(source), BackupTarget.SingleFile(file, includeSecrets: false),
            ExportRead.Of(EventFilter.All, ResolveCursor.Start, false, null, false), false, CompressionLevel.Fastest).Write(new RecordingReport(), CancellationToken.None);
        var lines = File.ReadAllLines(file);
        File.WriteAllLines(file, lines[..^1].Append(lines[^1].Replace("\"i\":9", "\"i\":8", StringComparison.Ordinal)));

        var target = NewPath();
        using (var import = Begin(target, new ImportOptions(), BackupSet.OfFile(file)))
        {
            import.OpenInput(file, null);
            var error = Assert.Throws<EventStoreException>(import.ImportInput);
            Assert.Equal(EventStoreErrorKind.BackupManifestMismatch, error.Kind);
        }
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void A_bad_line_of_a_file_is_reported_with_its_number()
    {
        var file = Path.Combine(TestFiles.NewDirectory(), "events.ndjson");
        using (var writer = new NdjsonEventWriter(File.Create(file)))
        {
            writer.Write(Event(0));
            // Thread 0's counter 0 again: the store refuses it as a duplicate, at the line it was read from.
            writer.Write(Event(0));
            writer.Write(Event(1));
        }
        using var import = Begin(NewPath(), new ImportOptions());
        import.OpenInput(file, null);
        var error = Assert.Throws<EventStoreException>(import.ImportInput);
        Assert.Equal(EventStoreErrorKind.DuplicateEvent, error.Kind);
        Assert.Equal(2, error.LineNumber);
        Assert.StartsWith("Line 2: ", error.Message);
    }

    [Fact]
    public void An_incremental_import_adds_only_what_the_store_lacks_and_its_dry_run_only_says_so()
    {
        var path = Store(10);
        var input = Enumerable.Range(5, 10).Select(Event).ToList();

        using (var preview = Begin(path, new ImportOptions { Incremental = true, DryRun = true }))
        {
            foreach (var e in input) preview.Add(e);
            var summary = preview.CompleteIncremental();
            Assert.True(summary.WhatIf);
            Assert.Equal((5L, 5L), (summary.ImportedCount, summary.SkippedDuplicateCount));
        }
        Assert.Equal(10, Events(path).Count);

        var report = new RecordingReport();
        using (var import = Begin(path, new ImportOptions { Incremental = true }, report: report))
        {
            foreach (var e in input) import.Add(e);
            Assert.Equal(10, import.AddedCount);
            var summary = import.CompleteIncremental();
            Assert.False(summary.WhatIf);
            Assert.Equal((5L, 5L), (summary.ImportedCount, summary.SkippedDuplicateCount));
        }
        Assert.Equal(["Committing 10 events"], report.Phases);
        Assert.Equal(15, Events(path).Count);
    }

    [Fact]
    public void A_replace_asks_with_what_it_drops()
    {
        var path = Store(12, new ResolveSecret("s", "id", 1));
        Assert.Contains("12", EventImportOperation.DescribeDrop(new SqliteEventStore(path), dropsSecrets: true), StringComparison.Ordinal);
        Assert.Equal("all events", EventImportOperation.DescribeDrop(new SqliteEventStore(Path.Combine(TestFiles.NewDirectory(), "none.db")), dropsSecrets: false));
    }

    [Fact]
    public void What_a_backup_lacks_is_said_before_it_is_read()
    {
        var source = Store(6, new ResolveSecret("s1", "id1", 1));
        var folder = Path.Combine(TestFiles.NewDirectory(), "backup");
        new BackupExport(new SqliteEventStore(source), BackupTarget.Folder(folder, FileCompression.None),
            ExportRead.Of(EventFilter.All, ResolveCursor.Start, false, null, false), includeSecrets: false, CompressionLevel.Fastest).Write(new RecordingReport(), CancellationToken.None);
        Assert.True(BackupInput.IsBackup(ImportSource.Folder, ""));
        Assert.False(BackupInput.IsBackup(ImportSource.File, "-"));
        Assert.False(BackupInput.IsBackup(ImportSource.Pipeline, ""));

        var report = new RecordingReport();
        BackupInput.Check(BackupInput.Open(ImportSource.Folder, folder), new ImportOptions(), report, CancellationToken.None);
        Assert.Equal([$"The backup '{folder}' was made without the 1 secret its store had: this import restores the events only. To keep secrets, back up with Export-EventStore -IncludeSecrets."], report.Warnings);

        new BackupExport(new SqliteEventStore(source), BackupTarget.Folder(folder, FileCompression.None),
            ExportRead.Of(EventFilter.All, ResolveCursor.Start, false, null, false), includeSecrets: true, CompressionLevel.Fastest).Write(new RecordingReport(), CancellationToken.None);
        var incremental = new RecordingReport();
        BackupInput.Check(BackupInput.Open(ImportSource.Folder, folder), new ImportOptions { Incremental = true }, incremental, CancellationToken.None);
        Assert.StartsWith($"The backup '{folder}' holds 1 secret, which -Incremental does not restore", Assert.Single(incremental.Warnings));

        File.Delete(Path.Combine(folder, BackupManifest.FileName));
        var bare = new RecordingReport();
        BackupInput.Check(BackupInput.Open(ImportSource.Folder, folder), new ImportOptions(), bare, CancellationToken.None);
        Assert.Single(bare.Warnings);
        Assert.Empty(bare.Told);

        // A file's manifest names sizes: a file cut short is refused before it is read.
        var file = Path.Combine(TestFiles.NewDirectory(), "events.ndjson");
        new BackupExport(new SqliteEventStore(source), BackupTarget.SingleFile(file, includeSecrets: false),
            ExportRead.Of(EventFilter.All, ResolveCursor.Start, false, null, false), false, CompressionLevel.Fastest).Write(new RecordingReport(), CancellationToken.None);
        File.WriteAllLines(file, File.ReadAllLines(file)[..^1]);
        var error = Assert.Throws<EventStoreException>(() => BackupInput.Check(BackupInput.Open(ImportSource.File, file), new ImportOptions(), new RecordingReport(), CancellationToken.None));
        Assert.Equal(EventStoreErrorKind.BackupManifestMismatch, error.Kind);
    }
}
