using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// A cmdlet that reads each of a list of stores: -Path with wildcards (piped path strings bind here) or -LiteralPath
/// (a store object from Get-EventStore, or Get-ChildItem's output, binds here by PSPath or FullName).
/// </summary>
public abstract class StoreListCmdlet : EventStoreCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [Alias("Store")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    protected override string[]? StorePaths => LiteralPath ?? (PipedObjectNamesPostgresStore ? null : Path);

    protected override bool StorePathsAreLiteral => LiteralPath is not null;
}
