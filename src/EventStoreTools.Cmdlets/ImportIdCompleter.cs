using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace EventStoreTools.Cmdlets;

/// <summary>Tab completion of -ImportId: the open incremental import of the store named by -Path, -LiteralPath or -ConnectionString and -Schema.</summary>
public sealed class ImportIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        try
        {
            // A store that does not exist is not opened: opening would create its file.
            if (CompletionStore.Named(fakeBoundParameters) is not { } store || !store.Exists()) return [];
            return store.OpenIncrementalImportId() is { } id && id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                ? [CompletionStore.Result(id)]
                : [];
        }
        catch (Exception ex) when (CompletionStore.IsUnreadable(ex))
        {
            return [];
        }
    }
}
