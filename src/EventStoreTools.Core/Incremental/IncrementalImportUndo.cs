namespace EventStoreTools.Core.Incremental;

/// <summary>An incremental import that was dropped, and how many pushed events it held.</summary>
public sealed record IncrementalImportUndo(string Store, string ImportId, long DroppedCount);
