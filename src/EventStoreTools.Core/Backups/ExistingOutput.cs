using EventStoreTools.Core.Ndjson;

namespace EventStoreTools.Core.Backups;

/// <summary>A file an export would replace or remove that is not an export of ours, and what it is.</summary>
public sealed record ForeignOutput(string Path, string Description);

/// <summary>
/// Whether the files an export would replace are an earlier export or backup of ours. Those are replaced without a
/// question, as every run of a daily backup does; anything else (a SQLite store above all, named by mistake as
/// -OutFile or sitting in a -Directory as events.db) is only replaced when the user says so (-Force).
/// </summary>
public static class ExistingOutput
{
    /// <summary>What an export writes at a name, which decides what an earlier one left there looks like.</summary>
    public enum Role { Events, Secrets, Manifest }

    /// <summary>The files of <paramref name="target"/> (written or removed) that exist and are not ours.</summary>
    public static IReadOnlyList<ForeignOutput> NotOurs(BackupTarget target)
    {
        var found = new List<ForeignOutput>();
        foreach (var file in target.Files)
        {
            // A link at a name the module chooses is replaced itself; the file it points to is not touched.
            if (file.ReplaceLink && IsLink(file.Path)) continue;
            var role = file.Path == target.ManifestFile ? Role.Manifest : file.Path == target.SecretsFile ? Role.Secrets : Role.Events;
            if (Describe(file.Path, role) is { } what) found.Add(new ForeignOutput(file.Path, what));
        }
        foreach (var removed in target.Remove)
        {
            if (IsLink(removed)) continue;
            var name = System.IO.Path.GetFileName(removed);
            var role = target.IsFolder && name.StartsWith(BackupFolder.EventsFileName, StringComparison.Ordinal) ? Role.Events : Role.Secrets;
            if (Describe(removed, role) is { } what) found.Add(new ForeignOutput(removed, what));
        }
        return found;
    }

    /// <summary>
    /// Null when nothing is at <paramref name="path"/> or it holds what an export of ours writes in that role (empty,
    /// gzip or zstd, NDJSON whose first line is an event or a secret, a manifest we can read); otherwise what it is,
    /// for a message ("a SQLite database", "a file whose first line is not an event").
    /// </summary>
    public static string? Describe(string path, Role role)
    {
        if (!File.Exists(path)) return null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var head = new byte[FileSignature.Length];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var content = FileSignature.Detect(head.AsSpan(0, length));
        switch (content)
        {
            case FileContent.Empty:
                return null;
            case FileContent.GZip or FileContent.Zstandard when role != Role.Manifest:
                // Taken as ours (the module writes these): looking inside would decompress up to the whole file.
                return null;
            case FileContent.Plain:
                break;
            case FileContent.Sqlite:
                return "a SQLite database";
            default:
                return $"a {FileSignature.Name(content)} file";
        }
        // Every file of ours starts with a JSON object (not an array); anything else is not read further (a huge file
        // without line ends would otherwise be read whole as one line).
        var text = head.AsSpan(0, length);
        if (text is [0xEF, 0xBB, 0xBF, ..]) text = text[3..];
        if (text.TrimStart(" \t\r\n"u8) is not [(byte)'{', ..]) return NotA(role);
        stream.Position = 0;
        try
        {
            return role switch
            {
                Role.Events => FirstLineIsEvent(stream) ? null : NotA(role),
                Role.Secrets => FirstLineIsSecret(stream, path) ? null : NotA(role),
                _ => BackupManifest.ReadFile(path) is not null ? null : NotA(role),
            };
        }
        catch (Exception ex) when (ex is EventStoreException or System.Text.Json.JsonException or System.Text.DecoderFallbackException)
        {
            return NotA(role);
        }
    }

    private static bool FirstLineIsEvent(Stream stream)
    {
        using var reader = new NdjsonEventReader(stream, ownsStream: false);
        foreach (var (e, _) in reader.ReadEventsOrErrors())
            return e is not null;
        return true;
    }

    /// <summary>Reading the first secret throws when its line is not one.</summary>
    private static bool FirstLineIsSecret(Stream stream, string path)
    {
        _ = NdjsonSecrets.Read(stream, path).FirstOrDefault();
        return true;
    }

    private static string NotA(Role role) => role switch
    {
        Role.Events => "a file whose first line is not an event of reSolve's NDJSON",
        Role.Secrets => "a file whose first line is not a secret of reSolve's NDJSON",
        _ => "a file that is not a backup manifest",
    };

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;
}
