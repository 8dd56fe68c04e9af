using System.Collections;
using System.Management.Automation;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// The store a command line being completed names, by its already bound -Path, -LiteralPath, or -ConnectionString
/// and -Schema (with -Credential): what argument completers read their values from.
/// </summary>
internal static class CompletionStore
{
    /// <summary>The store named so far, or null when the line names none yet.</summary>
    public static IEventStore? Named(IDictionary fakeBoundParameters)
    {
        var literal = fakeBoundParameters["LiteralPath"] is not null;
        if ((fakeBoundParameters["Path"] ?? fakeBoundParameters["LiteralPath"]) is { } pathValue)
            return EventStoreCmdlet.StoreAt(ResolveInCurrentRunspace(FirstText(pathValue), literal));
        if (fakeBoundParameters["ConnectionString"] is { } connectionString && fakeBoundParameters["Schema"] is { } schema)
            return EventStoreCmdlet.PostgresStore(Text(connectionString), Text(schema),
                (fakeBoundParameters["Credential"] as PSCredential ?? (fakeBoundParameters["Credential"] as PSObject)?.BaseObject as PSCredential)?.GetNetworkCredential());
        return null;
    }

    /// <summary>Whether a failure reading the store is one completion passes over (it has no place to show an error).</summary>
    public static bool IsUnreadable(Exception ex) => ex is EventStoreException or IOException or SessionStateException or NotSupportedException;

    /// <summary>A completion of a value, quoted when it holds more than letters, digits, '_', '-' and '.'.</summary>
    public static CompletionResult Result(string value) =>
        new(Quote(value), value, CompletionResultType.ParameterValue, value);

    /// <summary>
    /// Completion runs on the pipeline thread of the runspace that asks, where only a nested pipeline may
    /// use its session state (to resolve a relative path against the current location).
    /// </summary>
    private static string ResolveInCurrentRunspace(string path, bool literal)
    {
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddScript("""
            param($path, $literal)
            $paths = $ExecutionContext.SessionState.Path
            if (-not $literal -and [WildcardPattern]::ContainsWildcardCharacters($path)) { @($paths.GetResolvedProviderPathFromPSPath($path, [ref]$null))[0] }
            else { $paths.GetUnresolvedProviderPathFromPSPath($path) }
            """).AddArgument(path).AddArgument(literal);
        var resolved = shell.Invoke();
        return resolved.Count == 1 && resolved[0]?.BaseObject is string text ? text : path;
    }

    /// <summary>The first of the store paths being typed (-Path takes several).</summary>
    private static string FirstText(object value) =>
        Text((value is PSObject ps ? ps.BaseObject : value) is IList { Count: > 0 } list ? list[0]! : value);

    private static string Text(object value) => value is PSObject ps ? ps.BaseObject.ToString()! : value.ToString()!;

    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.')
            ? value
            : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
