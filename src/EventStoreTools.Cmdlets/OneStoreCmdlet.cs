using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// A cmdlet that works on one store: -Path (a wildcard must match one file) or -LiteralPath, which a store object
/// (Get-EventStore's, Start-IncrementalImport's, Get-ChildItem's) binds from the pipeline by its PSPath.
/// </summary>
public abstract class OneStoreCmdlet : EventStoreCmdlet
{
    /// <summary>The one store; a wildcard must match one file.</summary>
    [Parameter(Position = 0)]
    [Alias("Store")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The one store, named exactly (wildcard characters included).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    protected override string[]? StorePaths => OnePath(LiteralPath) ?? OnePath(Path);

    protected override bool StorePathsAreLiteral => LiteralPath.Length > 0;
}
