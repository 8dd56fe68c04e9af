namespace EventStoreTools.Core.Imports;

/// <summary>
/// What a dry run found an import would do to its store: <see cref="Action"/> is Create, Append, Replace or Refuse;
/// <see cref="Description"/> says it with the counts.
/// </summary>
public sealed record ImportPreview(string Action, string Description, long ExistingEventCount);
