using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

/// <summary>A cmdlet that writes one store given by -Path (a wildcard must match one file) or -LiteralPath, not from the pipeline.</summary>
public abstract class OneStoreCmdlet : EventStoreCmdlet
{
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";

    /// <summary>The one store; a wildcard must match one file.</summary>
    [Parameter(Position = 0, ParameterSetName = PathSet)]
    [Alias("Store")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The one store, named exactly (wildcard characters included).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    protected override string[]? StorePaths => OnePath(LiteralPath) ?? OnePath(Path);

    protected override bool StorePathsAreLiteral => LiteralPath.Length > 0;
}
