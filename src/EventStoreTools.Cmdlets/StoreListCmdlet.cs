using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// A cmdlet that reads each of a list of stores: -Path with wildcards (piped paths bind here) or -LiteralPath
/// (Get-ChildItem's output binds here by PSPath or FullName).
/// </summary>
public abstract class StoreListCmdlet : EventStoreCmdlet
{
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("Store")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    protected override string[]? StorePaths => LiteralPath ?? Path;

    protected override bool StorePathsAreLiteral => LiteralPath is not null;
}
