using EventStoreTools.Core.Files;
using EventStoreTools.Core.Ndjson;

namespace EventStoreTools.Core.Backups;

/// <summary>
/// One backup to read, in either form: a folder (events.db and secrets.db, plain or compressed, and
/// <see cref="BackupManifest.FileName"/>) or a single NDJSON export (with its manifest beside it as
/// "&lt;file&gt;.manifest.json" and, when it carries secrets, the secrets file the manifest names). It reads exactly
/// the files the manifest names, hashes every byte as it reads them, tallies the events and secrets, and
/// <see cref="Verify"/> holds all of that against the manifest it began with: a caller that verifies before it
/// commits writes nothing from a backup that is not what its manifest says (also one re-exported while it was read).
/// </summary>
public sealed class BackupSet
{
    private HashingReadStream? _eventsHash;
    private string? _eventsName;

    private BackupSet(string location, bool isFolder, string manifestPath, BackupManifest? manifest, string eventsFile, string? secretsFile)
    {
        Location = location;
        IsFolder = isFolder;
        ManifestPath = manifestPath;
        Manifest = manifest;
        EventsFile = eventsFile;
        SecretsFile = secretsFile;
        Content = BackupContent.For(manifest);
    }

    /// <summary>The folder, or the events file of a single-file backup.</summary>
    public string Location { get; }

    public bool IsFolder { get; }

    public string ManifestPath { get; }

    /// <summary>Null for a backup without one (reSolve's own, an older export, standard input).</summary>
    public BackupManifest? Manifest { get; }

    public string EventsFile { get; }

    /// <summary>The secrets file: always in a folder (reSolve's layout requires it), in a single-file backup only when its manifest names one.</summary>
    public string? SecretsFile { get; }

    /// <summary>What was read so far.</summary>
    public BackupContent Content { get; }

    /// <summary>Why a backup without a manifest cannot be proved complete, for a note or a warning; null when it has one.</summary>
    public string? NoManifestWarning => Manifest is not null || CompressedFile.IsStandardStream(Location) ? null
        : $"'{Location}' has no manifest ({Path.GetFileName(ManifestPath)}): its completeness cannot be proved (a line or a file cut off would go unnoticed). Backups written by Export-EventStore -OutFile or -Directory carry one.";

    /// <summary>The manifest of a single-file export: the file's name with <see cref="BackupManifest.SingleFileSuffix"/> appended.</summary>
    public static string ManifestBeside(string eventsFile) => eventsFile + BackupManifest.SingleFileSuffix;

    /// <summary>The secrets file of a single-file export: ".secrets" before the compression extension (app.ndjson.zst: app.ndjson.secrets.zst).</summary>
    public static string SecretsBeside(string eventsFile)
    {
        var extension = BackupFolder.Extension(CompressedFile.CompressionOf(eventsFile));
        return eventsFile[..^extension.Length] + ".secrets" + extension;
    }

    /// <summary>
    /// A backup folder. With a manifest, its files are the ones it names; without, events.db and secrets.db found by
    /// extension, and two of a kind (events.db beside events.db.gz) are refused: which one is the backup cannot be told.
    /// </summary>
    public static BackupSet OfFolder(string directory)
    {
        var manifestPath = Path.Combine(directory, BackupManifest.FileName);
        var manifest = BackupManifest.ReadFile(manifestPath);
        if (manifest is null && ManifestBeingWritten(directory))
        {
            throw new EventStoreException(EventStoreErrorKind.BackupManifestMismatch,
                $"The backup folder '{directory}' is being written by another export (its manifest is being put in place). Nothing was written. Run this again once that export has ended.");
        }
        if (manifest is not null)
        {
            var named = (string role, string fallback) => Path.Combine(directory, manifest.FileOf(role)?.Name ?? fallback);
            return new BackupSet(directory, true, manifestPath, manifest,
                named(BackupManifestFile.EventsRole, BackupFolder.EventsFileName), named(BackupManifestFile.SecretsRole, BackupFolder.SecretsFileName));
        }
        return new BackupSet(directory, true, manifestPath, null,
            OnlyCandidate(directory, BackupFolder.EventsFileName), OnlyCandidate(directory, BackupFolder.SecretsFileName));
    }

    /// <summary>
    /// Whether an export is putting a manifest into the folder now: its new manifest is being written, or the old one
    /// was moved aside an instant before the new one takes its name. The folder then looks, for that instant, like a
    /// backup without a manifest, whose files are being swapped too.
    /// </summary>
    private static bool ManifestBeingWritten(string directory)
    {
        try
        {
            return Directory.EnumerateFiles(directory, $".{BackupManifest.FileName}.*")
                .Any(file => file.EndsWith(OwnedTemporaryFile.ExportSuffix, StringComparison.Ordinal) || file.EndsWith(AtomicFileOutput.ReplacedSuffix, StringComparison.Ordinal));
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    private static string OnlyCandidate(string directory, string name)
    {
        var found = BackupFolder.Candidates(directory, name).Where(File.Exists).ToList();
        if (found.Count > 1)
        {
            throw new EventStoreException(EventStoreErrorKind.BackupAmbiguous,
                $"The backup folder '{directory}' holds {string.Join(" and ", found.Select(Path.GetFileName))} and no {BackupManifest.FileName} naming one of them, so which is the backup cannot be told. Move the other out of the folder, or export into it again.");
        }
        return found.FirstOrDefault() ?? Path.Combine(directory, name);
    }

    /// <summary>A single NDJSON export (plain, .gz, .zst) with the manifest beside it, if any; standard input ("-") has none.</summary>
    public static BackupSet OfFile(string path)
    {
        if (CompressedFile.IsStandardStream(path)) return new BackupSet(path, false, path, null, path, null);
        var manifestPath = ManifestBeside(path);
        var manifest = BackupManifest.ReadFile(manifestPath);
        var secrets = manifest?.FileOf(BackupManifestFile.SecretsRole) is { } file ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, file.Name) : null;
        return new BackupSet(path, false, manifestPath, manifest, path, secrets);
    }

    /// <summary>What can be told without reading: files the manifest names missing or of another size, a manifest naming no events (or, in a folder, no secrets) file.</summary>
    public IReadOnlyList<string> CheckSizes() =>
        Manifest?.CheckSizes(Path.GetDirectoryName(Path.GetFullPath(EventsFile))!, requireSecrets: IsFolder) ?? [];

    /// <summary>Fails before anything is read when <see cref="CheckSizes"/> finds a mismatch.</summary>
    public void VerifySizes() => Fail(CheckSizes());

    /// <summary>The events file, hashed as it is read; call <see cref="Tally"/> for each event and <see cref="EndEvents"/> after the last.</summary>
    /// <param name="encoding">The charset of the events file (UTF-8 when null; a byte-order mark wins over it).</param>
    public NdjsonEventReader OpenEvents(System.Text.Encoding? encoding = null)
    {
        // Without a manifest there is nothing to hold the bytes against: read as any NDJSON file.
        if (Manifest is null)
        {
            try
            {
                return NdjsonEventReader.Open(EventsFile, encoding);
            }
            catch (Exception ex) when (ReplacedMeanwhile(ex) is { } replaced)
            {
                throw replaced;
            }
        }
        _eventsHash = OpenHashed(EventsFile);
        _eventsName = Path.GetFileName(EventsFile);
        // Told by its magic bytes, as every reader of the module tells compression, whatever the name says.
        return new NdjsonEventReader(InputEncoding.AsUtf8(CompressedFile.Decompress(_eventsHash, EventsFile, CompressedFile.CompressionOf(EventsFile)), encoding));
    }

    public void Tally(ResolveEvent e, long lineNumber) => Content.AddEvent(e, lineNumber);

    /// <summary>Hashes what the reader left unread and records the events file; before the reader is disposed.</summary>
    public void EndEvents()
    {
        if (_eventsHash is null) return;
        Content.AddFile(_eventsHash.Describe(_eventsName!, BackupManifestFile.EventsRole));
        _eventsHash = null;
    }

    /// <summary>The secrets (none when the backup has no secrets file), hashed and counted as they are read.</summary>
    public IEnumerable<ResolveSecret> ReadSecrets()
    {
        if (SecretsFile is null) yield break;
        if (Manifest is null)
        {
            foreach (var secret in Guarded(NdjsonSecrets.Read(SecretsFile))) yield return secret;
            yield break;
        }
        var hashed = OpenHashed(SecretsFile);
        long count = 0;
        try
        {
            using var decompressed = CompressedFile.Decompress(hashed, SecretsFile, CompressedFile.CompressionOf(SecretsFile));
            foreach (var secret in NdjsonSecrets.Read(new NotClosing(decompressed), SecretsFile))
            {
                count++;
                yield return secret;
            }
            Content.AddFile(hashed.Describe(Path.GetFileName(SecretsFile), BackupManifestFile.SecretsRole));
            Content.SecretCount = count;
        }
        finally
        {
            hashed.Dispose();
        }
    }

    /// <summary>Reads every event and secret only to check them against the manifest (no store written).</summary>
    public void VerifyByReading(CancellationToken cancellation = default)
    {
        VerifySizes();
        using (var reader = OpenEvents())
        {
            foreach (var e in reader.ReadEvents())
            {
                cancellation.ThrowIfCancellationRequested();
                Tally(e, reader.LineNumber);
            }
            EndEvents();
        }
        foreach (var _ in ReadSecrets()) cancellation.ThrowIfCancellationRequested();
        Verify();
    }

    /// <summary>What does not match the manifest, after reading (nothing for a backup without one).</summary>
    public IReadOnlyList<string> Mismatches() => Manifest?.Compare(Content) ?? [];

    /// <summary>
    /// Fails with <see cref="EventStoreErrorKind.BackupManifestMismatch"/> when what was read does not match the manifest,
    /// or, for a folder read without one, when an export put a manifest into it meanwhile (what was read may then mix two backups).
    /// </summary>
    public void Verify()
    {
        if (Manifest is null && ManifestAppeared) throw ReplacedWhileRead(null);
        Fail(Mismatches());
    }

    /// <summary>Whether a folder read without a manifest has one now, or is being given one: an export is writing it.</summary>
    private bool ManifestAppeared => IsFolder && (File.Exists(ManifestPath) || ManifestBeingWritten(Location));

    private EventStoreException ReplacedWhileRead(Exception? cause) =>
        new(EventStoreErrorKind.BackupManifestMismatch,
            $"The backup folder '{Location}' changed while it was read: another export was writing it. Nothing was written. Run this again once that export has ended.", cause);

    /// <summary>
    /// A failure to read a file of a folder read without a manifest that comes from another export replacing the
    /// folder (a file it holds locked, or one gone while an export puts its manifest in place), as the refusal it is.
    /// </summary>
    private EventStoreException? ReplacedMeanwhile(Exception ex) =>
        (ex is IOException io && SharedFile.IsSharingViolation(io)) || (ex is EventStoreException { Kind: EventStoreErrorKind.InputNotFound or EventStoreErrorKind.StoreNotFound } && ManifestAppeared)
            ? ReplacedWhileRead(ex)
            : null;

    private IEnumerable<ResolveSecret> Guarded(IEnumerable<ResolveSecret> secrets)
    {
        using var enumerator = secrets.GetEnumerator();
        while (true)
        {
            bool more;
            try
            {
                more = enumerator.MoveNext();
            }
            catch (Exception ex) when (ReplacedMeanwhile(ex) is { } replaced)
            {
                throw replaced;
            }
            if (!more) yield break;
            yield return enumerator.Current;
        }
    }

    private void Fail(IReadOnlyList<string> mismatches)
    {
        if (mismatches.Count == 0) return;
        throw new EventStoreException(EventStoreErrorKind.BackupManifestMismatch,
            $"The backup '{Location}' does not match its manifest ({Path.GetFileName(ManifestPath)}): {string.Join(" ", mismatches)} Nothing was written. Take another backup, or (if it was re-exported while this ran) run this again.");
    }

    private HashingReadStream OpenHashed(string path)
    {
        try
        {
            return new HashingReadStream(SharedFile.OpenRead(path, 1 << 16, FileOptions.SequentialScan));
        }
        // Another process holds the file to write it (SharedFile waited for it): an export is replacing the backup now,
        // whether the manifest was seen or was itself being swapped when it was looked for.
        catch (IOException ex) when (SharedFile.IsSharingViolation(ex))
        {
            throw new EventStoreException(EventStoreErrorKind.BackupManifestMismatch,
                $"The backup '{Location}' changed while it was read: '{Path.GetFileName(path)}' was being replaced by another export. Nothing was written. Run this again.", ex);
        }
        // The manifest read at the start named it and its size matched: another export replaced the backup since.
        catch (FileNotFoundException ex) when (Manifest is not null)
        {
            throw new EventStoreException(EventStoreErrorKind.BackupManifestMismatch,
                $"The backup '{Location}' changed while it was read: '{Path.GetFileName(path)}', which its manifest named, is gone (another export replaced the backup). Nothing was written. Run this again.", ex);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new EventStoreException(EventStoreErrorKind.InputNotFound, $"Cannot read the backup file '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Keeps the hashing stream open after the secrets reader ends, so the rest of the file can be hashed.</summary>
    private sealed class NotClosing(Stream inner) : ForwardOnlyReadStream
    {
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
    }
}
