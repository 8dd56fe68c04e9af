using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Reporting;

namespace EventStoreTools.Core.Imports;

/// <summary>
/// The backup an import reads (a folder, or a file with or without a manifest beside it), and what is checked and said
/// of it before anything is read; the rest (hashes, counts, time range, cursor, selection) is checked as the files are
/// read, before the commit (<see cref="EventImportOperation.ImportInput"/>).
/// </summary>
public static class BackupInput
{
    /// <summary>Whether the input is read as a backup: a folder, or a file other than standard input.</summary>
    public static bool IsBackup(ImportSource source, string inFile) =>
        source == ImportSource.Folder || (source == ImportSource.File && !CompressedFile.IsStandardStream(inFile));

    /// <param name="location">The folder or file, resolved.</param>
    public static BackupSet Open(ImportSource source, string location) =>
        source == ImportSource.Folder ? BackupSet.OfFolder(location) : BackupSet.OfFile(location);

    /// <summary>
    /// The files its manifest names are there with their sizes; a folder without a manifest, or a backup made without
    /// its store's secrets (or holding secrets an incremental import leaves out), is said to the user; batches, which
    /// are committed as they fill, have the whole backup checked before the first, by reading it once more.
    /// </summary>
    public static void Check(BackupSet backup, ImportOptions options, IOperationReport report, CancellationToken cancellation)
    {
        var location = backup.Location;
        backup.VerifySizes();
        // -InFile also takes any NDJSON (reSolve's exportEvents(), files made by hand): only a folder, which is a
        // backup by its layout, warns; a file without a manifest is told with -Verbose (Test-EventStore notes both).
        if (backup.NoManifestWarning is { } noManifest)
        {
            if (backup.IsFolder) report.Warn(noManifest);
            else report.Tell(noManifest);
        }
        if (backup.Manifest is not { } manifest) return;
        if (manifest.SecretsLeftOut > 0)
            report.Warn($"The backup '{location}' was made without the {Quantity.Of(manifest.SecretsLeftOut, "secret")} its store had: this import restores the events only. To keep secrets, back up with Export-EventStore -IncludeSecrets.");
        else if (options.Incremental && manifest.SecretCount > 0)
            report.Warn($"The backup '{location}' holds {Quantity.Of(manifest.SecretCount, "secret")}, which -Incremental does not restore (it imports events only). To restore them, import the backup without -Incremental into a new store.");
        if (options.Batched) BackupSet.OfFile(location).VerifyByReading(cancellation);
    }
}
