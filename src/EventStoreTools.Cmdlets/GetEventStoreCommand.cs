using System.Management.Automation;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>Get-EventStore: what a store holds (counts, time range, freeze flag, open incremental import, latest cursor).</summary>
[Cmdlet(VerbsCommon.Get, "EventStore", DefaultParameterSetName = PathSet)]
[OutputType(typeof(EventStoreDescription))]
public sealed class GetEventStoreCommand : EventStoreCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("Store")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Store files named exactly, wildcard characters included; Get-ChildItem's output binds here by PSPath.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    protected override string[]? StorePaths => LiteralPath ?? Path;

    protected override bool StorePathsAreLiteral => LiteralPath is not null;

    protected override void ProcessRecord()
    {
        using var narration = Narrate();
        foreach (var store in OpenStores())
        {
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
}
