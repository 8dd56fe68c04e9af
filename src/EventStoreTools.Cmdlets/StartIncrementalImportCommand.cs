using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

/// <summary>Start-IncrementalImport: opens an incremental import in a store and writes its id.</summary>
[Cmdlet(VerbsLifecycle.Start, "IncrementalImport", SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class StartIncrementalImportCommand : EventStoreCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Store")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override string StorePath => Path;

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        if (!ShouldProcess(store.DisplayName, "Start an incremental import")) return;
        RunOnStore(store, () => WriteObject(store.StartIncrementalImport()));
    }
}
