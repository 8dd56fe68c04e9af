using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// One store as a cmdlet's parameters name it, the same way on every side: -{Prefix}Path (wildcards) or
/// -{Prefix}LiteralPath for a SQLite file, or -{Prefix}ConnectionString, -{Prefix}Schema and -{Prefix}Credential for
/// a PostgreSQL schema. The prefix is empty for the store a cmdlet works on, Destination or Difference for the other.
/// </summary>
public sealed record StoreParameters(string Prefix, string? Path, string? LiteralPath, string? ConnectionString, string? Schema, PSCredential? Credential)
{
    public bool IsSqlite => !string.IsNullOrEmpty(Path) || !string.IsNullOrEmpty(LiteralPath);

    private string Named(string parameter) => $"-{Prefix}{parameter}";

    /// <summary>Why the store is not named completely, or is named two ways; null when it is named once.</summary>
    public string? Problem(string storeWord)
    {
        var hasPath = !string.IsNullOrEmpty(Path);
        var hasLiteralPath = !string.IsNullOrEmpty(LiteralPath);
        var hasConnectionString = ConnectionString is not null;
        var path = Prefix.Length == 0 ? "a store path" : Named("Path");
        if (hasPath && hasLiteralPath)
            return $"Give the {storeWord} one way: {Named("Path")} takes wildcards, {Named("LiteralPath")} takes the name as it is.";
        if ((hasPath || hasLiteralPath) && hasConnectionString)
            return $"Give either {path} (SQLite) or {Named("ConnectionString")} (PostgreSQL), not both.";
        if (!hasPath && !hasLiteralPath && !hasConnectionString)
            return $"Give the {storeWord}: {path} for a SQLite file, or {Named("ConnectionString")} and {Named("Schema")} for PostgreSQL.";
        if (hasConnectionString && Schema is null)
            return $"{Named("ConnectionString")} needs {Named("Schema")}: the PostgreSQL schema that holds the {storeWord} (reSolve's databaseName).";
        if (!hasConnectionString && Schema is not null)
            return $"{Named("Schema")} applies only to a PostgreSQL {storeWord} given with {Named("ConnectionString")}.";
        if (!hasConnectionString && Credential is not null)
            return $"{Named("Credential")} applies only to a PostgreSQL {storeWord} given with {Named("ConnectionString")}.";
        return null;
    }
}
