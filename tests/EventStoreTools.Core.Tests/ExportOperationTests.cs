using System.IO.Compression;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Exports;
using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Sqlite;
using Xunit;
using static EventStoreTools.Core.Tests.OperationFixtures;

namespace EventStoreTools.Core.Tests;

/// <summary>
/// Export-EventStore's work without PowerShell: which output the parameters name, backups (folder and single file,
/// compressed, with and without secrets, put in place together), the cursor of a resumed read, the stop of a
/// pipeline and the follow loop, on real SQLite stores.
/// </summary>
public class ExportOperationTests
{
    private static ExportRead WholeStore(ResolveCursor? cursor = null, long? first = null, bool handsOutCursor = false, EventFilter? selection = null) =>
        ExportRead.Of(selection ?? EventFilter.All, cursor ?? ResolveCursor.Start, cursorGiven: cursor is not null, first, handsOutCursor);

    [Theory]
    [InlineData("", "", ExportOutput.Pipeline)]
    [InlineData("-", "", ExportOutput.StandardOutput)]
    [InlineData("out.ndjson", "", ExportOutput.SingleFile)]
    [InlineData("", "backup", ExportOutput.Folder)]
    public void The_parameters_name_one_output(string outFile, string directory, ExportOutput expected)
    {
        Assert.Equal(expected, ExportOutputs.Of(outFile, directory));
        Assert.Equal(expected != ExportOutput.Pipeline, expected.HoldsOneStore());
    }

    [Fact]
    public void A_folder_backup_holds_the_events_secrets_and_a_manifest_that_verifies()
    {
        var path = Store(40, new ResolveSecret("s1", "id1", 1), new ResolveSecret("s2", "id2", 2));
        var folder = Path.Combine(TestFiles.NewDirectory(), "backup");
        var report = new RecordingReport();
        var exported = new BackupExport(new SqliteEventStore(path), BackupTarget.Folder(folder, FileCompression.None), WholeStore(), includeSecrets: true, CompressionLevel.Fastest)
            .Write(report, CancellationToken.None);

        Assert.Equal(40, exported.Count);
        Assert.Equal(1000, exported.FirstTimestamp);
        Assert.Equal(1039, exported.LastTimestamp);
        var manifest = BackupManifest.ReadFile(Path.Combine(folder, BackupManifest.FileName))!;
        Assert.Equal((40L, 2L, exported.Cursor.ToString()), (manifest.EventCount, manifest.SecretCount, manifest.Cursor));
        Assert.Equal(0, manifest.SecretsLeftOut);
        Assert.Empty(report.Warnings);
        Assert.Equal(3, report.Told.Count(line => line.StartsWith("Renamed '", StringComparison.Ordinal)));
        Assert.Contains("Wrote 40 events as NDJSON to '" + BackupFolder.EventsFile(folder, FileCompression.None) + "'.", report.Told);
        Assert.Equal(40, report.LastProgress);
        BackupSet.OfFolder(folder).VerifyByReading();
        Assert.Equal(2, NdjsonSecrets.Read(BackupFolder.SecretsFile(folder, FileCompression.None)).Count());
    }

    [Fact]
    public void A_backup_without_secrets_says_what_it_leaves_out_and_removes_an_older_secrets_file()
    {
        var path = Store(10, new ResolveSecret("s1", "id1", 1));
        var outFile = Path.Combine(TestFiles.NewDirectory(), "events.ndjson");
        var secretsBeside = BackupSet.SecretsBeside(outFile);
        new BackupExport(new SqliteEventStore(path), BackupTarget.SingleFile(outFile, includeSecrets: true), WholeStore(), true, CompressionLevel.Fastest)
            .Write(new RecordingReport(), CancellationToken.None);
        Assert.True(File.Exists(secretsBeside));

        var report = new RecordingReport();
        new BackupExport(new SqliteEventStore(path), BackupTarget.SingleFile(outFile, includeSecrets: false), WholeStore(), false, CompressionLevel.Fastest)
            .Write(report, CancellationToken.None);

        Assert.False(File.Exists(secretsBeside));
        Assert.Contains($"Removed '{secretsBeside}': a file of the backup this one replaces.", report.Told);
        var warning = Assert.Single(report.Warnings);
        Assert.StartsWith($"The store '{new SqliteEventStore(path).DisplayName}' has 1 secret, which this backup leaves out", warning);
        Assert.Equal(1, BackupManifest.ReadFile(BackupSet.ManifestBeside(outFile))!.SecretsLeftOut);
    }

    [Theory]
    [InlineData(".gz")]
    [InlineData(".zst")]
    public void A_compressed_single_file_holds_the_same_NDJSON_as_a_plain_export(string extension)
    {
        var path = Store(25);
        var outFile = Path.Combine(TestFiles.NewDirectory(), "events.ndjson" + extension);
        new BackupExport(new SqliteEventStore(path), BackupTarget.SingleFile(outFile, includeSecrets: false), WholeStore(), false, CompressionLevel.Fastest)
            .Write(new RecordingReport(), CancellationToken.None);

        var plain = new MemoryStream();
        using (var writer = new NdjsonEventWriter(plain, ownsStream: false))
            NdjsonExport.Write(writer, new SqliteEventStore(path), WholeStore(), "memory", new RecordingReport(), CancellationToken.None);
        using var read = CompressedFile.OpenRead(outFile);
        var decompressed = new MemoryStream();
        read.CopyTo(decompressed);
        Assert.Equal(plain.ToArray(), decompressed.ToArray());
        BackupSet.OfFile(outFile).VerifyByReading();
    }

    [Fact]
    public void A_cancelled_backup_puts_nothing_in_place()
    {
        var path = Store(10);
        var folder = Path.Combine(TestFiles.NewDirectory(), "backup");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var export = new BackupExport(new SqliteEventStore(path), BackupTarget.Folder(folder, FileCompression.GZip), WholeStore(), false, CompressionLevel.Fastest);
        Assert.ThrowsAny<OperationCanceledException>(() => export.Write(new RecordingReport(), cancelled.Token));
        // Nor the folder it made for the backup.
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void A_read_resumed_from_the_cursor_of_another_takes_the_events_after_it()
    {
        var path = Store(40);
        var store = new SqliteEventStore(path);
        var first = new MemoryStream();
        ExportedEvents part;
        using (var writer = new NdjsonEventWriter(first, ownsStream: false))
            part = NdjsonExport.Write(writer, store, WholeStore(first: 15), "memory", new RecordingReport(), CancellationToken.None);
        Assert.Equal(15, part.Count);

        var rest = new PipelineExport(store, WholeStore(part.Cursor), handsOutCursor: true);
        var events = rest.Events(CancellationToken.None).ToList();

        Assert.Equal(Events(path).Skip(15).Select(e => e.Timestamp), events.Select(e => e.Timestamp));
        Assert.Equal(ExportRead.Of(EventFilter.All, ResolveCursor.Start, false, null, false).Filter, EventFilter.All);
        // The cursor after the rest is the cursor after the whole store.
        var whole = new PipelineExport(store, WholeStore(), handsOutCursor: false);
        Assert.Equal(40, whole.Events(CancellationToken.None).Count());
        Assert.Equal(whole.Cursor.ToString(), rest.Cursor.ToString());
        Assert.Equal(40, whole.Total);
    }

    [Fact]
    public void A_stop_downstream_is_checked_only_when_the_cursor_is_handed_out()
    {
        var path = Store(40);
        var handed = new PipelineExport(new SqliteEventStore(path), WholeStore(handsOutCursor: true), handsOutCursor: true);
        Assert.Equal(5, handed.Events(CancellationToken.None).Take(5).Count());
        Assert.True(handed.ChecksStop);
        handed.CheckStop(CancellationToken.None);
        Assert.Equal(ResolveCursor.Start.Clone().Also(Events(path).Take(5)).ToString(), handed.Cursor.ToString());

        var whole = new PipelineExport(new SqliteEventStore(path), WholeStore(), handsOutCursor: false);
        Assert.Equal(5, whole.Events(CancellationToken.None).Take(5).Count());
        Assert.False(whole.ChecksStop);
    }

    [Fact]
    public void A_stop_that_would_pass_over_an_event_is_refused()
    {
        var path = Store(40);
        // Thread 1's counter 5 (timestamp 1021) moved before its counters 2, 3 and 4: read order takes it early.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE events SET timestamp = 1006 WHERE threadId = 1 AND threadCounter = 5";
            command.ExecuteNonQuery();
        }
        var export = new PipelineExport(new SqliteEventStore(path), WholeStore(handsOutCursor: true), handsOutCursor: true);
        var taken = export.Events(CancellationToken.None).TakeWhile(e => e.Timestamp <= 1006).Count();
        Assert.True(taken > 0);
        var error = Assert.Throws<EventStoreException>(() => export.CheckStop(CancellationToken.None));
        Assert.Equal(EventStoreErrorKind.ThreadTimestampsDecrease, error.Kind);
        Assert.True(ExportRead.CursorWouldSkip(error));
    }

    [Fact]
    public void A_follow_ends_at_first_at_its_timeout_and_when_a_frozen_store_is_drained()
    {
        var path = Store(30);
        var store = new SqliteEventStore(path);
        Assert.Equal(7, new FollowRead(store, WholeStore(first: 7), TimeSpan.FromMilliseconds(20), null).Events(CancellationToken.None).Count());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var timed = new FollowRead(store, WholeStore(), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(300));
        Assert.Equal(30, timed.Events(CancellationToken.None).Count());
        Assert.InRange(clock.ElapsedMilliseconds, 250, 10_000);

        store.SetFrozen(true);
        var drained = new FollowRead(store, WholeStore(), TimeSpan.FromSeconds(30), null);
        Assert.Equal(30, drained.Events(CancellationToken.None).Count());
        Assert.Equal(timed.Cursor.ToString(), drained.Cursor.ToString());
    }

    [Fact]
    public void A_follow_takes_the_events_appended_while_it_waits()
    {
        var path = Store(10);
        var store = new SqliteEventStore(path);
        var follow = new FollowRead(store, WholeStore(), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(20));
        var seen = new List<ResolveEvent>();
        foreach (var e in follow.Events(CancellationToken.None))
        {
            seen.Add(e);
            if (seen.Count == 10)
            {
                using var import = store.BeginImport(ImportMode.Append);
                for (var i = 10; i < 15; i++) import.Add(Event(i));
                import.Commit();
                store.SetFrozen(true);
            }
        }
        Assert.Equal(Enumerable.Range(0, 15).Select(i => 1000L + i), seen.Select(e => e.Timestamp));
    }
}

internal static class CursorSteps
{
    public static ResolveCursor Also(this ResolveCursor cursor, IEnumerable<ResolveEvent> events)
    {
        foreach (var e in events) cursor.Advance(e);
        return cursor;
    }
}
