namespace EventStoreTools.Core.Backups;

/// <summary>
/// reSolve's backup layout: a folder with events.db and secrets.db (both NDJSON). Ours may compress them
/// (events.db.gz, secrets.db.zst), which reSolve's importer does not read; plain files stay the default. A folder
/// holds one backup: an export removes the files of another compression in the same swap that writes its own.
/// </summary>
public static class BackupFolder
{
    public const string EventsFileName = "events.db";
    public const string SecretsFileName = "secrets.db";

    private static readonly FileCompression[] Compressions = [FileCompression.None, FileCompression.GZip, FileCompression.Zstandard];

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

    /// <summary>Every name a backup file of this kind may have in the folder: plain (reSolve's), .gz, .zst.</summary>
    public static IEnumerable<string> Candidates(string directory, string name) =>
        Compressions.Select(compression => Path.Combine(directory, name + Extension(compression)));

    /// <summary>
    /// The backup files of other compressions present in the folder (yesterday's plain pair beside today's .gz),
    /// symbolic links included (never followed), which an export of <paramref name="compression"/> removes.
    /// </summary>
    public static IReadOnlyList<string> OtherFormats(string directory, FileCompression compression) =>
        Compressions.Where(other => other != compression)
            .SelectMany(other => new[] { EventsFile(directory, other), SecretsFile(directory, other) })
            .Where(path => File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            .ToList();
}
