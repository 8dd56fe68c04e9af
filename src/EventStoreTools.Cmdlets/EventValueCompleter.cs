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
            if (CompletionStore.Named(fakeBoundParameters) is not { } store) return [];
            using var source = store.OpenSource();
            return source.ListValues(Field, prefix, MaxCompletions).Select(CompletionStore.Result).ToList();
        }
        catch (Exception ex) when (CompletionStore.IsUnreadable(ex))
        {
            // Completion has no place to show an error: a missing or unreadable store completes nothing.
            return [];
        }
    }
}

public sealed class EventTypeCompleter : EventValueCompleter
{
    protected override EventField Field => EventField.Type;
}

public sealed class AggregateIdCompleter : EventValueCompleter
{
    protected override EventField Field => EventField.AggregateId;
}
