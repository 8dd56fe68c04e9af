using System.Management.Automation;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>Set-EventStore: sets or removes reSolve's freeze marker (-Frozen), as reSolve's freeze() and unfreeze() do.</summary>
[Cmdlet(VerbsCommon.Set, "EventStore", SupportsShouldProcess = true)]
[OutputType(typeof(EventStoreDescription))]
public sealed class SetEventStoreCommand : OneStoreCmdlet
{
    /// <summary>-Frozen freezes the store (reSolve's saveEvent then fails), -Frozen:$false unfreezes it.</summary>
    [Parameter(Mandatory = true)]
    public SwitchParameter Frozen { get; set; }

    /// <summary>Write the store's description afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        if (!ShouldProcess(store.DisplayName, Frozen ? "Freeze the store (reSolve refuses new events)" : "Unfreeze the store")) return;
        // Stores piped in by property name are several inputs: one that fails does not stop the others.
        RunOnListedStore(() =>
        {
            if (!store.SetFrozen(Frozen.IsPresent)) WriteVerbose($"The store {store.DisplayName} was already {(Frozen ? "frozen" : "unfrozen")}.");
            if (!PassThru) return;
            using var source = store.OpenSource();
            WriteStoreObject(source.Describe(), store);
        }, store.DisplayName);
    }
}
