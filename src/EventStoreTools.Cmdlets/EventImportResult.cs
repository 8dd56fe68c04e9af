namespace EventStoreTools.Cmdlets;

/// <summary>What Import-EventStore did.</summary>
public sealed record EventImportResult(string Path, string Mode, long ImportedCount, long PreviousCount, TimeSpan Elapsed)
{
    /// <summary>Secrets restored from a backup folder (-Directory).</summary>
    public long ImportedSecretCount { get; init; }
}
