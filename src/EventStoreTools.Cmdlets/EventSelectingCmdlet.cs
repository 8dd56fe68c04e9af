using System.Management.Automation;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// A cmdlet that can take a selection of the events it moves: -EventType, -AggregateId, -Since and -Until,
/// which Export-EventStore applies in the store's query and Import-EventStore to its input.
/// </summary>
public abstract class EventSelectingCmdlet : EventStoreCmdlet
{
    /// <summary>Only events of these types; * and ? are wildcards.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(EventTypeCompleter))]
    [SupportsWildcards]
    public string[]? EventType { get; set; }

    /// <summary>Only events of these aggregates; * and ? are wildcards.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(AggregateIdCompleter))]
    [SupportsWildcards]
    public string[]? AggregateId { get; set; }

    /// <summary>Only events at or after this time (DateTime, DateTimeOffset, ISO-8601 string or ms since epoch; see <see cref="EventTimeAttribute"/>).</summary>
    [Parameter]
    [EventTime]
    public DateTimeOffset Since { get; set; }

    /// <summary>Only events at or before this time (as <see cref="Since"/>).</summary>
    [Parameter]
    [EventTime]
    public DateTimeOffset Until { get; set; }

    /// <summary>The filter of the selection parameters; -Since and -Until count only when given (1970-01-01 is a valid time).</summary>
    protected EventFilter SelectionFilter()
    {
        var bound = MyInvocation.BoundParameters;
        return new EventFilter
        {
            EventTypes = EventType,
            AggregateIds = AggregateId,
            Since = bound.ContainsKey(nameof(Since)) ? Since.ToUnixTimeMilliseconds() : null,
            Until = bound.ContainsKey(nameof(Until)) ? Until.ToUnixTimeMilliseconds() : null,
        };
    }
}
