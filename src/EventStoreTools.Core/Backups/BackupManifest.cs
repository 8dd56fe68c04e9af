using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventStoreTools.Core.Backups;

/// <summary>One file of a backup as the manifest records it; <see cref="Role"/> says what it holds.</summary>
public sealed record BackupManifestFile(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256)
{
    public const string EventsRole = "events";
    public const string SecretsRole = "secrets";

    /// <summary><see cref="EventsRole"/> or <see cref="SecretsRole"/>; format 1 manifests had none (the name tells).</summary>
    [JsonPropertyName("role")] public string? Role { get; init; }

    /// <summary>The role, also for a format 1 entry, whose files were events.db* and secrets.db*.</summary>
    [JsonIgnore]
    public string? EffectiveRole => Role ?? (Name.StartsWith(BackupFolder.EventsFileName, StringComparison.Ordinal) ? EventsRole
        : Name.StartsWith(BackupFolder.SecretsFileName, StringComparison.Ordinal) ? SecretsRole : null);
}

/// <summary>The selection an export was made with (its -Cursor and filters), so a reader can hold every event to it.</summary>
public sealed record BackupFilter
{
    /// <summary>The cursor the export resumed from; the manifest's cursor is this one advanced by every event.</summary>
    [JsonPropertyName("cursor")] public string? Cursor { get; init; }
    [JsonPropertyName("eventTypes")] public IReadOnlyList<string>? EventTypes { get; init; }
    [JsonPropertyName("aggregateIds")] public IReadOnlyList<string>? AggregateIds { get; init; }
    [JsonPropertyName("since")] public long? Since { get; init; }
    [JsonPropertyName("until")] public long? Until { get; init; }
    [JsonPropertyName("first")] public long? First { get; init; }

    public static BackupFilter Of(EventFilter filter, ResolveCursor start) => new()
    {
        Cursor = start.IsStart ? null : start.ToString(),
        EventTypes = filter.EventTypes,
        AggregateIds = filter.AggregateIds,
        Since = filter.Since,
        Until = filter.Until,
        First = filter.First,
    };

    public ResolveCursor StartCursor => Cursor is null ? ResolveCursor.Start : ResolveCursor.Parse(Cursor);

    public EventFilter ToEventFilter() => new()
    {
        ThreadCounters = Cursor is null ? null : StartCursor.Counters,
        EventTypes = EventTypes,
        AggregateIds = AggregateIds,
        Since = Since,
        Until = Until,
    };
}

/// <summary>
/// What an export wrote, beside its events: counts, time range, the cursor after the last event, the selection
/// it was made with, what became of the store's secrets, and the size and SHA-256 of each file. A reader
/// (<see cref="BackupSet"/>) holds all of it against what it reads and refuses a backup that does not match.
/// reSolve's importer reads only events.db and secrets.db and ignores this file.
/// </summary>
public sealed record BackupManifest
{
    /// <summary>The manifest of a backup folder.</summary>
    public const string FileName = "eventstoretools-manifest.json";

    /// <summary>The manifest of a single-file export is the file's name with this appended (app.ndjson.zst.manifest.json).</summary>
    public const string SingleFileSuffix = ".manifest.json";

    public const int CurrentFormat = 2;

    [JsonPropertyName("format")] public int Format { get; init; } = CurrentFormat;
    [JsonPropertyName("tool")] public string Tool { get; init; } = "EventStoreTools";
    [JsonPropertyName("toolVersion")] public string ToolVersion { get; init; } = "";
    [JsonPropertyName("createdAt")] public DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("store")] public string Store { get; init; } = "";
    [JsonPropertyName("eventCount")] public long EventCount { get; init; }
    /// <summary>Secrets in the backup.</summary>
    [JsonPropertyName("secretCount")] public long SecretCount { get; init; }
    /// <summary>Whether the export was asked to carry the secrets (-IncludeSecrets); null in format 1.</summary>
    [JsonPropertyName("secretsIncluded")] public bool? SecretsIncluded { get; init; }
    /// <summary>The store's secrets (deleted ones not counted) when it was exported; null in format 1.</summary>
    [JsonPropertyName("sourceSecretCount")] public long? SourceSecretCount { get; init; }
    [JsonPropertyName("firstTimestamp")] public long? FirstTimestamp { get; init; }
    [JsonPropertyName("lastTimestamp")] public long? LastTimestamp { get; init; }
    [JsonPropertyName("cursor")] public string Cursor { get; init; } = "";
    /// <summary>The selection; null in format 1, whose start cursor is unknown (its cursor is then not compared).</summary>
    [JsonPropertyName("filter")] public BackupFilter? Filter { get; init; }
    [JsonPropertyName("files")] public IReadOnlyList<BackupManifestFile> Files { get; init; } = [];

    /// <summary>The store had secrets that the backup does not carry (exported without -IncludeSecrets).</summary>
    [JsonIgnore]
    public long SecretsLeftOut => SecretsIncluded == false ? SourceSecretCount ?? 0 : 0;

    public BackupManifestFile? FileOf(string role) => Files.FirstOrDefault(f => f.EffectiveRole == role);

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Describes a file on disk (its size and SHA-256, read back).</summary>
    public static BackupManifestFile Describe(string path, string name, string role)
    {
        using var file = File.OpenRead(path);
        var hash = SHA256.HashData(file);
        return new BackupManifestFile(name, file.Length, Convert.ToHexStringLower(hash)) { Role = role };
    }

    /// <summary>Writes the manifest to a stream, which stays open.</summary>
    public void Write(Stream stream) => stream.Write(System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Options) + "\n"));

    /// <summary>The manifest in a file, or null when there is none.</summary>
    public static BackupManifest? ReadFile(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var manifest = JsonSerializer.Deserialize<BackupManifest>(EventStoreTools.Core.Files.SharedFile.ReadAllText(path))
                ?? throw new JsonException("The manifest is empty.");
            if (manifest.Format is < 1 or > CurrentFormat)
                throw new JsonException($"Its format is {manifest.Format}; this version reads formats 1 to {CurrentFormat}: use a newer EventStoreTools.");
            return manifest;
        }
        catch (JsonException ex)
        {
            throw new EventStoreException(EventStoreErrorKind.BackupManifestMismatch, $"The backup manifest '{path}' is not valid: {ex.Message}", ex);
        }
        // Another export swapping its files in moves the old manifest aside an instant before the new one takes its name:
        // a manifest seen and then gone was being replaced, as one that refuses its open is.
        catch (IOException ex) when (EventStoreTools.Core.Files.SharedFile.IsSharingViolation(ex) || ex is FileNotFoundException)
        {
            throw new EventStoreException(EventStoreErrorKind.BackupManifestMismatch,
                $"The backup manifest '{path}' changed while it was read (another export was replacing it). Nothing was written. Run this again.", ex);
        }
    }

    /// <summary>
    /// What does not match between the manifest and what was read: a file read that the manifest does not name, a
    /// file of another size or SHA-256, other counts, time range or cursor, events outside the recorded selection.
    /// </summary>
    public IReadOnlyList<string> Compare(BackupContent read)
    {
        var mismatches = new List<string>();
        foreach (var file in read.Files)
        {
            var expected = Files.FirstOrDefault(f => f.Name == file.Name);
            if (expected is null)
                mismatches.Add($"{file.Name}: the manifest does not name this file, so nothing proves it complete.");
            else if (expected.EffectiveRole != file.Role)
                mismatches.Add($"{file.Name}: the manifest lists it as {expected.EffectiveRole ?? "an unknown file"}, but it was read as the {file.Role}.");
            else if (expected.Size != file.Size)
                mismatches.Add($"{file.Name}: {Quantity.Of(file.Size, "byte")} where the manifest says {expected.Size:N0} (truncated or changed).");
            else if (!string.Equals(expected.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
                mismatches.Add($"{file.Name}: its SHA-256 is {file.Sha256} where the manifest says {expected.Sha256} (the file was changed).");
        }
        if (read.EventCount != EventCount)
            mismatches.Add($"{Quantity.Of(read.EventCount, "event was", "events were")} read where the manifest says {EventCount:N0}.");
        if (read.SecretCount is { } secrets && secrets != SecretCount)
            mismatches.Add($"{Quantity.Of(secrets, "secret was", "secrets were")} read where the manifest says {SecretCount:N0}.");
        if (read.FirstTimestamp != FirstTimestamp || read.LastTimestamp != LastTimestamp)
            mismatches.Add($"The events run from {Show(read.FirstTimestamp)} to {Show(read.LastTimestamp)} where the manifest says {Show(FirstTimestamp)} to {Show(LastTimestamp)}.");
        if (Filter is not null && read.Cursor != Cursor)
            mismatches.Add("The cursor after the events read is not the manifest's cursor (events are missing, added or renumbered).");
        if (read.OutsideFilter > 0)
            mismatches.Add($"{Quantity.Of(read.OutsideFilter, "event")} (the first at line {read.FirstOutsideFilterLine}) {Quantity.Noun(read.OutsideFilter, "is", "are")} outside the selection the export was made with.");
        if (Filter?.First is { } first && read.EventCount > first)
            mismatches.Add($"{Quantity.Of(read.EventCount, "event was", "events were")} read where the export was limited to {first:N0}.");
        return mismatches;

        static string Show(long? timestamp) => timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss.fff'Z'") + $" ({ms})" : "(none)";
    }

    /// <summary>What files the manifest names that are missing or of another size, before anything is read (and all -Quick checks).</summary>
    public IReadOnlyList<string> CheckSizes(string directory, bool requireSecrets)
    {
        var mismatches = new List<string>();
        if (FileOf(BackupManifestFile.EventsRole) is null) mismatches.Add("The manifest names no events file.");
        if (requireSecrets && FileOf(BackupManifestFile.SecretsRole) is null) mismatches.Add("The manifest names no secrets file.");
        foreach (var expected in Files)
        {
            var path = Path.Combine(directory, expected.Name);
            // Read once: a file that another export swaps out between a check and a read is missing, not an I/O error.
            var size = expected.Name.IndexOfAny(['/', '\\']) >= 0 || expected.Name is "." or ".." ? null : SizeOf(path);
            if (size is null)
                mismatches.Add($"{expected.Name}: the file is missing.");
            else if (size != expected.Size)
                mismatches.Add($"{expected.Name}: {Quantity.Of(size.Value, "byte")} where the manifest says {expected.Size:N0} (truncated or changed).");
        }
        return mismatches;
    }

    private static long? SizeOf(string path)
    {
        try
        {
            var file = new FileInfo(path);
            return file.Exists ? file.Length : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
