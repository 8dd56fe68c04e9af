namespace EventStoreTools.Cmdlets;

/// <summary>What Add-IncrementalImport -PassThru reports: events pushed by this command.</summary>
public sealed record IncrementalImportPushResult(string Store, string ImportId, long PushedCount);
