using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

public abstract partial class EventStoreCmdlet
{
    private HashSet<string>? _givenOnCommandLine;

    /// <summary>Notes which parameters the command line gave, so that those a pipeline object binds can be told apart.</summary>
    protected override void BeginProcessing() => _givenOnCommandLine = new(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the parameter's value came from the current pipeline object rather than the command line.</summary>
    protected bool BoundFromPipeline(string parameter) =>
        MyInvocation.BoundParameters.ContainsKey(parameter) && _givenOnCommandLine is not null && !_givenOnCommandLine.Contains(parameter);

    /// <summary>
    /// A PostgreSQL store object piped to a cmdlet whose -Path takes piped strings: its ConnectionString and Schema bind
    /// by property name, and the binder then also binds the object's text to -Path, which names nothing.
    /// </summary>
    protected bool PipedObjectNamesPostgresStore => BoundFromPipeline("ConnectionString") && BoundFromPipeline("Path");
}
