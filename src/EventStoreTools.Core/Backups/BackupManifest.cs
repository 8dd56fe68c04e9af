using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventStoreTools.Core.Backups;

/// <summary>One file of a backup folder as the manifest records it.</summary>
public sealed record BackupManifestFile(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256);

/// <summary>
/// What Export-EventStore -Directory wrote, beside events.db and secrets.db: counts, time range, the cursor
/// after the last event and a SHA-256 of each file, so a truncated or edited backup is caught before a
/// restore writes anything. reSolve's importer reads only events.db and secrets.db and ignores this file; a
/// folder without one (reSolve's own backups) is still restored, unverified.
/// </summary>
public sealed record BackupManifest
{
    public const string FileName = "eventstoretools-manifest.json";

    [JsonPropertyName("format")] public int Format { get; init; } = 1;
    [JsonPropertyName("tool")] public string Tool { get; init; } = "EventStoreTools";
    [JsonPropertyName("toolVersion")] public string ToolVersion { get; init; } = "";
    [JsonPropertyName("createdAt")] public DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("store")] public string Store { get; init; } = "";
    [JsonPropertyName("eventCount")] public long EventCount { get; init; }
    [JsonPropertyName("secretCount")] public long SecretCount { get; init; }
    [JsonPropertyName("firstTimestamp")] public long? FirstTimestamp { get; init; }
    [JsonPropertyName("lastTimestamp")] public long? LastTimestamp { get; init; }
    [JsonPropertyName("cursor")] public string Cursor { get; init; } = "";
    [JsonPropertyName("files")] public IReadOnlyList<BackupManifestFile> Files { get; init; } = [];

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>Describes a written file (its size and SHA-256, read back from disk).</summary>
    public static BackupManifestFile Describe(string path, string name)
    {
        using var file = File.OpenRead(path);
        var hash = SHA256.HashData(file);
        return new BackupManifestFile(name, file.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>Writes the manifest to a file (a temporary name the caller moves into place).</summary>
    public void Write(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        Write(file);
    }

    /// <summary>Writes the manifest to a stream, which stays open.</summary>
    public void Write(Stream stream) => stream.Write(System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Options) + "\n"));

    /// <summary>The manifest of a backup folder, or null when it has none.</summary>
    public static BackupManifest? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(path))
                ?? throw new JsonException("The manifest is empty.");
        }
        catch (JsonException ex)
        {
            throw new EventStoreException(EventStoreErrorKind.InvalidInput, $"The backup manifest '{path}' is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// What does not match between the folder and the manifest: a missing file, another size, another SHA-256.
    /// With <paramref name="sizesOnly"/> the files are not read (Test-EventStore -Quick).
    /// </summary>
    public IReadOnlyList<string> Mismatches(string directory, bool sizesOnly = false, CancellationToken cancellation = default)
    {
        var mismatches = new List<string>();
        foreach (var expected in Files)
        {
            cancellation.ThrowIfCancellationRequested();
            var path = Path.Combine(directory, expected.Name);
            if (expected.Name.IndexOfAny(['/', '\\']) >= 0 || !File.Exists(path))
            {
                mismatches.Add($"{expected.Name}: the file is missing.");
                continue;
            }
            var size = new FileInfo(path).Length;
            if (size != expected.Size)
            {
                mismatches.Add($"{expected.Name}: {size} bytes where the manifest says {expected.Size} (truncated or changed).");
                continue;
            }
            if (sizesOnly) continue;
            var actual = Describe(path, expected.Name);
            if (!string.Equals(actual.Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase))
                mismatches.Add($"{expected.Name}: its SHA-256 is {actual.Sha256} where the manifest says {expected.Sha256} (the file was changed).");
        }
        return mismatches;
    }

    /// <summary>Fails with <see cref="EventStoreErrorKind.InvalidInput"/> when the folder's files do not match its manifest.</summary>
    public static void Verify(string directory, CancellationToken cancellation = default)
    {
        var manifest = Read(directory);
        if (manifest is null) return;
        var mismatches = manifest.Mismatches(directory, cancellation: cancellation);
        if (mismatches.Count > 0)
        {
            throw new EventStoreException(EventStoreErrorKind.InvalidInput,
                $"The backup folder '{directory}' does not match its manifest ({FileName}): {string.Join(" ", mismatches)}");
        }
    }
}
