using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Writes;

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

    /// <summary>Write into a frozen store anyway, with a warning (it stays frozen).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        using var narration = Narrate();
        var store = OpenStore();
        // Stores piped in by property name are several inputs: one that fails does not stop the others.
        StoreWriteClearance? clearance = null;
        if (!RunOnListedStore(() => clearance = StoreWriteGuard.Check(store, StoreWrite.StartIncrementalImport, Force), store.DisplayName)) return;
        if (!ShouldProcess(store.DisplayName, "Start an incremental import" + clearance!.Note)) return;
        RunOnListedStore(store, () =>
        {
            Proceed(clearance);
            WriteObject(store.StartIncrementalImport());
        });
    }
}
