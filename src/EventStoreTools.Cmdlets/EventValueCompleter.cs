using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>Tab completion of event types or aggregate ids, read from the store named by -Path or -ConnectionString and -Schema.</summary>
public abstract class EventValueCompleter : IArgumentCompleter
{
    private const int MaxCompletions = 200;

    protected abstract EventField Field { get; }

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        try
        {
            IEventStore store;
            var literal = fakeBoundParameters["LiteralPath"] is not null;
            if ((fakeBoundParameters["Path"] ?? fakeBoundParameters["LiteralPath"]) is { } pathValue)
                store = EventStoreCmdlet.StoreAt(ResolveInCurrentRunspace(FirstText(pathValue), literal));
            else if (fakeBoundParameters["ConnectionString"] is { } connectionString && fakeBoundParameters["Schema"] is { } schema)
                store = EventStoreCmdlet.PostgresStore(Text(connectionString), Text(schema),
                    (fakeBoundParameters["Credential"] as PSCredential ?? (fakeBoundParameters["Credential"] as PSObject)?.BaseObject as PSCredential)?.GetNetworkCredential());
            else
                return [];
            using var source = store.OpenSource();
            return source.ListValues(Field, prefix, MaxCompletions)
                .Select(value => new CompletionResult(Quote(value), value, CompletionResultType.ParameterValue, value))
                .ToList();
        }
        catch (Exception ex) when (ex is EventStoreException or IOException or SessionStateException or NotSupportedException)
        {
            // Completion has no place to show an error: a missing or unreadable store completes nothing.
            return [];
        }
    }

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

public sealed class EventTypeCompleter : EventValueCompleter
{
    protected override EventField Field => EventField.Type;
}

public sealed class AggregateIdCompleter : EventValueCompleter
{
    protected override EventField Field => EventField.AggregateId;
}
