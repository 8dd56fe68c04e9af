using System.Management.Automation;
using EventStoreTools.Core.Incremental;
using EventStoreTools.Core.Writes;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Complete-IncrementalImport: commits an incremental import in one transaction and writes its summary. On
/// failure the store is unchanged and the pushed events stay, so it can be run again.
/// </summary>
[Cmdlet(VerbsLifecycle.Complete, "IncrementalImport", SupportsShouldProcess = true)]
[OutputType(typeof(IncrementalImportSummary))]
public sealed class CompleteIncrementalImportCommand : OneStoreCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImportIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string ImportId { get; set; } = "";

    /// <summary>Write into a frozen store anyway, with a warning (it stays frozen).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        using var narration = Narrate();
        var store = OpenStore();
        var clearance = CheckWrite(store, StoreWrite.CompleteIncrementalImport, Force);
        if (!ShouldProcess(store.DisplayName, $"Commit the incremental import '{ImportId}'" + clearance.Note)) return;
        RunOnStore(store, () =>
        {
            Proceed(clearance);
            IncrementalImportOutput.Write(this, store.CompleteIncrementalImport(ImportId));
        });
    }
}
