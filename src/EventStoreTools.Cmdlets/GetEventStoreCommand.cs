using System.Management.Automation;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>Get-EventStore: what a store holds (counts, time range, freeze flag, open incremental import, latest cursor).</summary>
[Cmdlet(VerbsCommon.Get, "EventStore", DefaultParameterSetName = PathSet)]
[OutputType(typeof(EventStoreDescription))]
public sealed class GetEventStoreCommand : StoreListCmdlet
{
    protected override void ProcessRecord()
    {
        using var narration = Narrate();
        foreach (var store in OpenStores())
        {
            try
            {
                using var claim = ClaimStore(store, StoreUse.Step);
                using var source = store.OpenSource();
                WriteStoreObject(source.Describe(), store);
            }
            catch (EventStoreException ex)
            {
                // One unreadable store among many piped in should not stop the others.
                WriteError(ToErrorRecord(ex, store.DisplayName));
            }
        }
    }
}
