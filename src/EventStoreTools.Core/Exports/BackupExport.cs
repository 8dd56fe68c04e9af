using System.IO.Compression;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Files;
using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Reporting;

namespace EventStoreTools.Core.Exports;

/// <summary>
/// A backup, folder or single file: events, secrets and the manifest that describes them (counts, time range,
/// cursor, selection, what became of the store's secrets, size and SHA-256 of each file as written), replacing
/// the old ones together and removing what an older backup left under other names (see <see cref="BackupTarget"/>).
/// </summary>
public sealed class BackupExport(IEventStore store, BackupTarget target, ExportRead read, bool includeSecrets, CompressionLevel compressionLevel)
{
    /// <summary>Writes the backup and puts it in place, unless cancelled first; returns what the events file holds.</summary>
    /// <param name="report">Told each step; its progress counts the events written.</param>
    public ExportedEvents Write(IOperationReport report, CancellationToken cancellation)
    {
        var created = target.IsFolder ? NewFolders.Create(Path.GetDirectoryName(target.ManifestFile)!) : [];
        try
        {
            return WriteFiles(report, cancellation);
        }
        catch
        {
            NewFolders.RemoveEmpty(created);
            throw;
        }
    }

    private ExportedEvents WriteFiles(IOperationReport report, CancellationToken cancellation)
    {
        using var output = BeginOutput(report);
        var (exported, eventsFile) = WriteEvents(output.Stream(0), report, cancellation);
        long secretCount = 0, sourceSecretCount;
        BackupManifestFile? secrets = null;
        using (var reader = store.OpenSource())
        {
            if (target.SecretsFile is not null)
            {
                secrets = WriteCompressed(output.Stream(1), target.SecretsFile, BackupManifestFile.SecretsRole,
                    stream => secretCount = NdjsonSecrets.Write(stream, includeSecrets ? reader.ReadSecrets(cancellation) : []));
            }
            sourceSecretCount = includeSecrets ? secretCount : reader.ReadSecrets(cancellation).LongCount();
        }
        var manifest = new BackupManifest
        {
            ToolVersion = typeof(BackupExport).Assembly.GetName().Version?.ToString() ?? "",
            CreatedAt = DateTimeOffset.UtcNow,
            Store = store.DisplayName,
            EventCount = exported.Count,
            SecretCount = secretCount,
            SecretsIncluded = includeSecrets,
            SourceSecretCount = sourceSecretCount,
            FirstTimestamp = exported.FirstTimestamp,
            LastTimestamp = exported.LastTimestamp,
            Cursor = exported.Cursor.ToString(),
            Filter = BackupFilter.Of(read.Filter, read.Start),
            Files = secrets is null ? [eventsFile] : [eventsFile, secrets],
        };
        manifest.Write(output.Stream(output.Count - 1));
        Commit(output, report, cancellation);
        foreach (var removed in target.Remove) report.Tell($"Removed '{removed}': a file of the backup this one replaces.");
        if (manifest.SecretsLeftOut > 0)
        {
            report.Warn($"The store '{store.DisplayName}' has {Quantity.Of(manifest.SecretsLeftOut, "secret")}, which this backup leaves out (its manifest says so). To keep them, export with -IncludeSecrets.");
        }
        return exported;
    }

    /// <summary>Starts writing the backup's files, each replaced as a whole, after removing what killed exports left in their folders.</summary>
    private AtomicFileOutput BeginOutput(IOperationReport report)
    {
        var output = AtomicFileOutput.Begin(target.Files, target.Remove);
        try
        {
            var folders = target.Files.Select((_, i) => Path.GetDirectoryName(output.TargetPath(i))!).Distinct();
            foreach (var folder in folders) RemovedTemporaryFiles.Tell(report, StaleTemporaryFiles.RemoveIn(folder));
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>The events into the events file, compressed as asked; also the file's manifest entry.</summary>
    private (ExportedEvents Exported, BackupManifestFile File) WriteEvents(Stream file, IOperationReport report, CancellationToken cancellation)
    {
        ExportedEvents? exported = null;
        var described = WriteCompressed(file, target.EventsFile, BackupManifestFile.EventsRole, stream =>
        {
            using var writer = new NdjsonEventWriter(stream, ownsStream: false);
            exported = NdjsonExport.Write(writer, store, read, target.EventsFile, report, cancellation);
        });
        return (exported!, described);
    }

    /// <summary>
    /// Writes one output file through the compression its name asks for, hashing the bytes as they go to the file:
    /// the manifest describes what was written, without reading it back.
    /// </summary>
    private BackupManifestFile WriteCompressed(Stream file, string path, string role, Action<Stream> write)
    {
        using var hashing = new HashingStream(file);
        using (var compressed = CompressedFile.Compress(hashing, target.Compression, compressionLevel, leaveOpen: true))
            write(compressed);
        return hashing.Describe(Path.GetFileName(path)) with { Role = role };
    }

    /// <summary>Puts the written files in place together (see <see cref="AtomicFileOutput"/>), unless cancelled (Ctrl+C) first.</summary>
    private static void Commit(AtomicFileOutput output, IOperationReport report, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        output.Commit();
        for (var i = 0; i < output.Count; i++) report.Tell($"Renamed '{output.TemporaryPath(i)}' to '{output.TargetPath(i)}'.");
    }
}
