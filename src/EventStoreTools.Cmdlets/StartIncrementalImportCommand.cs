using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Incremental;
using EventStoreTools.Core.Writes;

namespace EventStoreTools.Cmdlets;

/// <summary>Start-IncrementalImport: opens an incremental import in a store and writes it as a session object (its text is the import id).</summary>
[Cmdlet(VerbsLifecycle.Start, "IncrementalImport", SupportsShouldProcess = true)]
[OutputType(typeof(IncrementalImportSession))]
public sealed class StartIncrementalImportCommand : OneStoreCmdlet
{
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
        string? importId = null;
        RunOnListedStore(store, () =>
        {
            Proceed(clearance);
            importId = store.StartIncrementalImport();
        });
        // Written once the store is let go: the next command of the pipeline (Add-IncrementalImport) writes to it.
        if (importId is not null) WriteStoreObject(new IncrementalImportSession(store.DisplayName, importId), store);
    }
}
