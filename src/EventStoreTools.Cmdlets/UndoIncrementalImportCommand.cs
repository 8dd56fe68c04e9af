using System.Management.Automation;
using EventStoreTools.Core.Incremental;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Undo-IncrementalImport: drops an open incremental import and the events pushed into it. Stored events are
/// never touched, and the import is named by its id, so it does not ask by default (ConfirmImpact Medium):
/// it runs in catch blocks of unattended scripts, where a prompt would fail.
/// </summary>
[Cmdlet(VerbsCommon.Undo, "IncrementalImport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IncrementalImportUndo))]
public sealed class UndoIncrementalImportCommand : OneStoreCmdlet
{
    /// <summary>The import to drop: its id, or the session object of Start-IncrementalImport or Get-EventStore; without it, whatever import is open (reSolve's rollback).</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImportIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ImportId { get; set; }

    /// <summary>Write what was dropped.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        using var narration = Narrate();
        var store = OpenStore();
        var what = ImportId is null ? "Drop the open incremental import and its pushed events" : $"Drop the incremental import '{ImportId}' and its pushed events";
        if (!ShouldProcess(store.DisplayName, what)) return;
        RunOnStore(store, () =>
        {
            var undone = store.UndoIncrementalImport(ImportId);
            if (undone is null) WriteWarning($"No incremental import is open in '{store.DisplayName}'.");
            else if (PassThru) WriteObject(undone);
        });
    }
}
