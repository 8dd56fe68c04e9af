namespace EventStoreTools.Core.Imports;

/// <summary>
/// What a dry run found an import would do to its store: <see cref="Action"/> is Created, Appended, Replaced or Refused;
/// <see cref="Description"/> says it with the counts.
/// </summary>
public sealed record ImportPreview(ImportAction Action, string Description, long ExistingEventCount);
