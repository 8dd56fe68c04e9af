namespace EventStoreTools.Core.Backups;

/// <summary>
/// reSolve's backup layout: a folder with events.db and secrets.db (both NDJSON). Ours may compress them
/// (events.db.gz, secrets.db.zst), which reSolve's importer does not read; plain files stay the default.
/// </summary>
public static class BackupFolder
{
    public const string EventsFileName = "events.db";
    public const string SecretsFileName = "secrets.db";

    /// <summary>The events file of a backup to write, with the extension of the compression asked for.</summary>
    public static string EventsFile(string directory, FileCompression compression) => Path.Combine(directory, EventsFileName + Extension(compression));

    /// <summary>The secrets file of a backup to write; compressed like the events file.</summary>
    public static string SecretsFile(string directory, FileCompression compression) => Path.Combine(directory, SecretsFileName + Extension(compression));

    public static string Extension(FileCompression compression) => compression switch
    {
        FileCompression.GZip => ".gz",
        FileCompression.Zstandard => ".zst",
        _ => "",
    };

    /// <summary>
    /// The file of a backup to read: plain first (reSolve's), then .gz, then .zst; null when none exists.
    /// </summary>
    public static string? FindFile(string directory, string name) =>
        new[] { FileCompression.None, FileCompression.GZip, FileCompression.Zstandard }
            .Select(compression => Path.Combine(directory, name + Extension(compression)))
            .FirstOrDefault(File.Exists);
}
