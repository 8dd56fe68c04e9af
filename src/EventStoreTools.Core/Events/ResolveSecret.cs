namespace EventStoreTools.Core;

/// <summary>
/// One secret as reSolve exports it (spec 7.1): its text, its id and its index. A deleted secret (null text)
/// is not exported.
/// </summary>
public sealed record ResolveSecret(string? Secret, string Id, long Idx)
{
    /// <summary>The secret named without its text: what an error about it carries as its target.</summary>
    public SecretKey Key => new(Id, Idx);

    /// <summary>Without the text, so that a secret printed by mistake (a log, an error's target) shows none.</summary>
    public override string ToString() => $"{Key} (secret text not shown)";
}

/// <summary>A secret's id and idx, without its text.</summary>
public sealed record SecretKey(string Id, long Idx)
{
    public override string ToString() => $"secret id '{Id}', idx {Idx}";
}
