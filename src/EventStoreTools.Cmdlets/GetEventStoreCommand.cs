using System.Management.Automation;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>Get-EventStore: what a store holds (counts, time range, freeze flag, open incremental import, latest cursor).</summary>
[Cmdlet(VerbsCommon.Get, "EventStore")]
[OutputType(typeof(EventStoreDescription))]
public sealed class GetEventStoreCommand : EventStoreCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Store")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override string StorePath => Path;

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        try
        {
            using var claim = ClaimStore(store, StoreUse.Step);
            using var source = store.OpenSource();
            WriteObject(source.Describe());
        }
        catch (EventStoreException ex)
        {
            // One unreadable store among many piped in should not stop the others.
            WriteError(ToErrorRecord(ex, store.DisplayName));
        }
    }
}
