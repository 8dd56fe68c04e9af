using EventStoreTools.Core.Files;

namespace EventStoreTools.Core.Backups;

/// <summary>
/// The files an export writes as one backup, all replaced in one swap (<see cref="AtomicFileOutput"/>): the events,
/// the secrets (a folder always has secrets.db, empty without -IncludeSecrets, as reSolve's importer requires it; a
/// single file has "&lt;name&gt;.secrets&lt;.gz|.zst&gt;" only with -IncludeSecrets) and the manifest, written last. What a
/// former backup left there that this one does not write (another compression's pair in a folder, a single file's
/// secrets file from an export with -IncludeSecrets) is removed in the same swap, so a folder or a name holds one backup.
/// </summary>
public sealed record BackupTarget
{
    public required string EventsFile { get; init; }

    public string? SecretsFile { get; init; }

    public required string ManifestFile { get; init; }

    public required FileCompression Compression { get; init; }

    public required bool IsFolder { get; init; }

    /// <summary>Files to remove in the same swap (symbolic links themselves).</summary>
    public IReadOnlyList<string> Remove { get; init; } = [];

    /// <summary>
    /// The files to write, in order: events, secrets (if any), manifest. Links at the names the module chooses are
    /// replaced, never followed (an export must not write through a link planted in a backup folder); the file the
    /// user names with -OutFile is written through, as every -OutFile is.
    /// </summary>
    public IReadOnlyList<AtomicFileOutput.OutputFile> Files =>
    [
        new(EventsFile, ReplaceLink: IsFolder),
        .. SecretsFile is null ? Array.Empty<AtomicFileOutput.OutputFile>() : [new(SecretsFile, ReplaceLink: true, HoldsSecrets: true)],
        new(ManifestFile, ReplaceLink: true),
    ];

    public static BackupTarget Folder(string directory, FileCompression compression) => new()
    {
        EventsFile = BackupFolder.EventsFile(directory, compression),
        SecretsFile = BackupFolder.SecretsFile(directory, compression),
        ManifestFile = Path.Combine(directory, BackupManifest.FileName),
        Compression = compression,
        IsFolder = true,
        Remove = Directory.Exists(directory) ? BackupFolder.OtherFormats(directory, compression) : [],
    };

    public static BackupTarget SingleFile(string outFile, bool includeSecrets)
    {
        var secrets = BackupSet.SecretsBeside(outFile);
        return new()
        {
            EventsFile = outFile,
            SecretsFile = includeSecrets ? secrets : null,
            ManifestFile = BackupSet.ManifestBeside(outFile),
            Compression = CompressedFile.CompressionForOutput(outFile),
            IsFolder = false,
            Remove = !includeSecrets && (File.Exists(secrets) || new FileInfo(secrets).LinkTarget is not null) ? [secrets] : [],
        };
    }
}
