namespace EventStoreTools.Core;

/// <summary>
/// One secret as reSolve exports it (spec 7.1): its text, its id and its index. A deleted secret (null text)
/// is not exported.
/// </summary>
public sealed record ResolveSecret(string? Secret, string Id, long Idx);
