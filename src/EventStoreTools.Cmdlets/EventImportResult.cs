namespace EventStoreTools.Cmdlets;

/// <summary>What Import-EventStore did.</summary>
public sealed record EventImportResult(string Path, string Mode, long ImportedCount, long PreviousCount, TimeSpan Elapsed);
