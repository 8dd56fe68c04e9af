using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

/// <summary>Start-IncrementalImport: opens an incremental import in a store and writes its id.</summary>
[Cmdlet(VerbsLifecycle.Start, "IncrementalImport", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class StartIncrementalImportCommand : EventStoreCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>The one store; a wildcard must match one file.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("Store")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The one store, named exactly (Get-ChildItem's output binds here by PSPath).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    protected override string[]? StorePaths => OnePath(LiteralPath) ?? OnePath(Path);

    protected override bool StorePathsAreLiteral => LiteralPath.Length > 0;

    protected override void ProcessRecord()
    {
        using var narration = Narrate();
        var store = OpenStore();
        if (!ShouldProcess(store.DisplayName, "Start an incremental import")) return;
        RunOnStore(store, () => WriteObject(store.StartIncrementalImport()));
    }
}
