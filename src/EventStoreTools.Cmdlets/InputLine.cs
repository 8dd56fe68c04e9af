namespace EventStoreTools.Cmdlets;

/// <summary>The target of an error about one line of an NDJSON input.</summary>
public sealed record InputLine(long LineNumber, string Text);
