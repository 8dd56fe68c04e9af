using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Postgres;
using EventStoreTools.Core.Sqlite;

namespace EventStoreTools.Core.Verification;

/// <summary>
/// Test-EventStore's checks of a store or a backup without restoring it: the engine's own integrity check,
/// the schema against reSolve's DDL, then (unless quick) every event and secret. Nothing is ever written;
/// every finding is a <see cref="StoreCheckProblem"/> or a note, never an exception, so one run reports them all.
/// What breaks reSolve or a reader is a problem; what a store alone cannot tell from a subset (threads and
/// aggregates with gaps) is a note, unless <c>complete</c> says the store must be whole.
/// </summary>
public static class EventStoreVerifier
{
    /// <summary>
    /// What a path holds, by its content rather than its name: a folder is a backup folder, a file starting with
    /// SQLite's header a SQLite store, anything else (plain, .gz, .zst or standard input "-") an NDJSON export.
    /// </summary>
    public static StoreKind KindOf(string path)
    {
        if (Directory.Exists(path)) return StoreKind.BackupFolder;
        if (CompressedFile.IsStandardStream(path) || !File.Exists(path)) return StoreKind.NdjsonFile;
        Span<byte> header = stackalloc byte[FileSignature.Length];
        using var file = File.OpenRead(path);
        var length = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        return FileSignature.Detect(header[..length]) == FileContent.Sqlite ? StoreKind.SqliteFile : StoreKind.NdjsonFile;
    }

    /// <summary>Checks whatever the path holds (see <see cref="KindOf"/>).</summary>
    /// <param name="complete">The store must be whole: threads and aggregates with gaps are problems, not a note.</param>
    public static StoreCheckResult Check(string path, bool quick, bool complete = false, CancellationToken cancellation = default) => KindOf(path) switch
    {
        StoreKind.BackupFolder => CheckBackupFolder(path, quick, complete, cancellation),
        StoreKind.SqliteFile => CheckSqlite(path, quick, complete, cancellation),
        _ => CheckNdjson(path, quick, complete, cancellation),
    };

    public static StoreCheckResult CheckSqlite(string path, bool quick, bool complete = false, CancellationToken cancellation = default)
    {
        var result = NewResult(path, StoreKind.SqliteFile, quick, complete);
        if (!Attempt(result, "Integrity", () => SqliteStoreCheck.Run(path, quick, result))) return result;
        CheckStore(new SqliteEventStore(path, cancellation), result, quick, cancellation);
        return result;
    }

    public static StoreCheckResult CheckPostgres(string connectionString, string schema, bool quick, bool complete = false, CancellationToken cancellation = default)
    {
        var store = new PostgresEventStore(connectionString, schema, cancellation);
        var result = NewResult(store.DisplayName, StoreKind.PostgresSchema, quick, complete);
        if (!Attempt(result, "Catalog", () => PostgresStoreCheck.Run(store, quick, result))) return result;
        CheckStore(store, result, quick, cancellation);
        return result;
    }

    /// <summary>An NDJSON export, plain or compressed, with its manifest and secrets file when it has them. -Quick reads only its first line.</summary>
    public static StoreCheckResult CheckNdjson(string path, bool quick, bool complete = false, CancellationToken cancellation = default)
    {
        var result = NewResult(path, StoreKind.NdjsonFile, quick, complete);
        BackupSet? backup = null;
        if (Attempt(result, "Manifest", () => backup = BackupSet.OfFile(path))) CheckBackup(backup!, result, quick, cancellation, inFolder: false);
        return result;
    }

    /// <summary>A backup folder: its manifest (when it has one) and the files it names, or events.db and secrets.db.</summary>
    public static StoreCheckResult CheckBackupFolder(string directory, bool quick, bool complete = false, CancellationToken cancellation = default)
    {
        var result = NewResult(directory, StoreKind.BackupFolder, quick, complete);
        BackupSet? backup = null;
        if (!Attempt(result, "Manifest", () => backup = BackupSet.OfFolder(directory))) return result;
        if (!File.Exists(backup!.EventsFile))
            result.Add(new StoreCheckProblem("Files", $"The folder has no {Path.GetFileName(backup.EventsFile)}.") { File = Path.GetFileName(backup.EventsFile) });
        if (!File.Exists(backup.SecretsFile))
            result.Add(new StoreCheckProblem("Files", $"The folder has no {Path.GetFileName(backup.SecretsFile)}: reSolve's importer needs it (it may be empty).") { File = Path.GetFileName(backup.SecretsFile) });
        CheckBackup(backup, result, quick, cancellation, inFolder: true);
        return result;
    }

    /// <summary>
    /// The files of a backup, read once: every line and secret, and (with a manifest) the sizes before reading, then
    /// hashes, counts, time range, cursor and selection against the manifest. -Quick checks sizes and the first line.
    /// </summary>
    private static void CheckBackup(BackupSet backup, StoreCheckResult result, bool quick, CancellationToken cancellation, bool inFolder)
    {
        if (backup.NoManifestWarning is { } note) result.Note(note);
        var sizes = backup.CheckSizes();
        foreach (var mismatch in sizes) result.Add(new StoreCheckProblem("Manifest", mismatch));
        var eventsName = inFolder ? Path.GetFileName(backup.EventsFile) : null;
        if (CompressedFile.IsStandardStream(backup.EventsFile) || File.Exists(backup.EventsFile))
            CheckEventsFile(backup, result, quick, cancellation, eventsName);
        if (quick) return;
        if (backup.SecretsFile is { } secrets && File.Exists(secrets))
            CheckSecrets(backup.ReadSecrets, result, cancellation, Path.GetFileName(secrets));
        if (backup.Manifest is not { } manifest || sizes.Count > 0) return;
        var mismatches = backup.Mismatches();
        foreach (var mismatch in mismatches) result.Add(new StoreCheckProblem("Manifest", mismatch));
        if (mismatches.Count == 0)
        {
            var secretsNote = manifest.SecretsLeftOut > 0 ? $"secrets left out ({manifest.SecretsLeftOut:N0} in the source)" : Quantity.Of(manifest.SecretCount, "secret");
            result.Note($"Manifest: {Quantity.Of(manifest.EventCount, "event")}, {secretsNote}, written {manifest.CreatedAt:u} by {manifest.Tool} {manifest.ToolVersion}.");
        }
    }

    /// <summary>A result that says, with -Quick, what was not read and so could not be found.</summary>
    private static StoreCheckResult NewResult(string store, StoreKind kind, bool quick, bool complete)
    {
        var result = new StoreCheckResult(store, kind, quick) { Complete = complete };
        if (!quick) return result;
        result.Note(kind switch
        {
            StoreKind.SqliteFile => "Quick: SQLite's quick_check (which does not match indexes to their table) instead of integrity_check, and no event, payload or secret was read: " +
                "an index out of step with its table, a payload that is not JSON, a removed row or a thread going back in time would not be found.",
            StoreKind.PostgresSchema => "Quick: catalog and schema only, no event, payload or secret was read: " +
                "a removed row or a thread going back in time would not be found.",
            StoreKind.NdjsonFile => "Quick: only the first line was read: a truncated .gz or .zst, a flipped byte, a bad line, lines out of order or a gap further on would not be found.",
            _ => "Quick: the manifest's sizes were compared but not its hashes, only the first line of events.db was read and secrets.db not at all: " +
                "a truncated .gz or .zst, a flipped byte of the same length, a bad line or a gap would not be found.",
        });
        return result;
    }

    private static void CheckStore(IEventStore store, StoreCheckResult result, bool quick, CancellationToken cancellation)
    {
        IEventSource? source = null;
        if (!Attempt(result, "Open", () => source = store.OpenSource())) return;
        using (source)
        {
            Attempt(result, "Describe", () =>
            {
                var description = source!.Describe();
                result.EventCount = description.EventCount;
                result.SecretCount = description.SecretCount;
                result.FirstTimestamp = description.FirstTimestamp;
                result.LastTimestamp = description.LastTimestamp;
                result.IsFrozen = description.IsFrozen;
                result.OpenIncrementalImportId = description.IncrementalImportId;
                if (description.IsFrozen) result.Note("The store is frozen (reSolve's freeze marker): reSolve refuses new events until it is unfrozen.");
                if (description.IncrementalImportId is { } id) result.Note($"An incremental import is open ({id}): complete or undo it.");
            });
            if (quick) return;
            var sequence = new EventSequenceCheck(result, checkReadOrder: false, checkPayloads: true, result.Complete);
            Attempt(result, "Read", () =>
            {
                foreach (var e in source!.ReadEventsByKey(cancellation)) sequence.Add(e);
            }, () => $"Reading the events stopped after {sequence.Count}");
            sequence.Finish();
            CheckSecrets(() => source!.ReadSecrets(cancellation), result, cancellation, file: null);
        }
    }

    private static void CheckEventsFile(BackupSet backup, StoreCheckResult result, bool quick, CancellationToken cancellation, string? file)
    {
        var sequence = new EventSequenceCheck(result, checkReadOrder: true, checkPayloads: false, result.Complete);
        Attempt(result, "Read", () =>
        {
            using var reader = backup.OpenEvents();
            foreach (var (e, error) in reader.ReadEventsOrErrors())
            {
                cancellation.ThrowIfCancellationRequested();
                if (error is not null)
                    result.Add(new StoreCheckProblem("Line", error.Message) { LineNumber = error.LineNumber, File = file });
                else
                {
                    sequence.Add(e!, reader.LineNumber);
                    backup.Tally(e!, reader.LineNumber);
                }
                if (quick) return;
            }
            backup.EndEvents();
        }, () => $"Reading {file ?? "the file"} stopped after {Quantity.Of(sequence.Count, "event")}");
        if (quick) return;
        sequence.Finish();
    }

    private static void CheckSecrets(Func<IEnumerable<ResolveSecret>> read, StoreCheckResult result, CancellationToken cancellation, string? file)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var indexes = new HashSet<long>();
        long count = 0;
        Attempt(result, "Secret", () =>
        {
            foreach (var secret in read())
            {
                cancellation.ThrowIfCancellationRequested();
                count++;
                if (string.IsNullOrEmpty(secret.Id))
                    result.Add(new StoreCheckProblem("Secret", $"The secret with idx {secret.Idx} has an empty id.") { File = file });
                else if (!ids.Add(secret.Id))
                    result.Add(new StoreCheckProblem("Secret", $"The secret id '{secret.Id}' is there twice.") { File = file });
                if (!indexes.Add(secret.Idx))
                    result.Add(new StoreCheckProblem("Secret", $"The secret idx {secret.Idx} is there twice.") { File = file });
            }
        });
        result.SecretCount = count;
    }

    /// <summary>Runs one check; a failure becomes a problem of that check, and false tells the caller to stop.</summary>
    private static bool Attempt(StoreCheckResult result, string check, Action action, Func<string>? context = null)
    {
        try
        {
            action();
            return true;
        }
        catch (EventStoreException ex)
        {
            var message = context is null ? ex.Message : $"{context()}: {ex.Message}";
            // A stored event the reader cannot carry (a payload that is not JSON, a key out of range) is named by its key.
            var key = ex.Event as StoredEventKey;
            var named = ex.Kind == EventStoreErrorKind.CorruptPayload ? "Payload" : ex.Kind == EventStoreErrorKind.UnsupportedStoredValue ? "StoredValue" : check;
            result.Add(new StoreCheckProblem(key is null ? check : named, message) { LineNumber = ex.LineNumber, ThreadId = key?.ThreadId, ThreadCounter = key?.ThreadCounter });
            return false;
        }
        catch (IOException ex)
        {
            result.Add(new StoreCheckProblem(check, ex.Message));
            return false;
        }
    }
}
