using System.Management.Automation;
using EventStoreTools.Core.Incremental;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Complete-IncrementalImport: commits an incremental import in one transaction and writes its summary. On
/// failure the store is unchanged and the pushed events stay, so it can be run again.
/// </summary>
[Cmdlet(VerbsLifecycle.Complete, "IncrementalImport", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(IncrementalImportSummary))]
public sealed class CompleteIncrementalImportCommand : OneStoreCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string ImportId { get; set; } = "";

    protected override void ProcessRecord()
    {
        using var narration = Narrate();
        var store = OpenStore();
        if (!ShouldProcess(store.DisplayName, $"Commit the incremental import '{ImportId}'")) return;
        RunOnStore(store, () => IncrementalImportOutput.Write(this, store.CompleteIncrementalImport(ImportId)));
    }
}
