using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Incremental;
using EventStoreTools.Core.Writes;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Add-IncrementalImport: pushes the events of the pipeline into an open incremental import, in one
/// transaction, so they are stored durably and all together, or not at all.
/// </summary>
[Cmdlet(VerbsCommon.Add, "IncrementalImport", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(IncrementalImportPushResult))]
public sealed class AddIncrementalImportCommand : OneStoreCmdlet
{
    private IEventStore? _store;
    private IIncrementalImportPush? _push;
    private ProgressReporter? _progress;
    private IDisposable? _claim;

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string ImportId { get; set; } = "";

    /// <summary>An event: one of ours, a PSCustomObject or a hashtable; only timestamp, aggregateId, type and payload are used.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Push into a frozen store anyway, with a warning (it stays frozen).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write what was pushed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        using var narration = Narrate();
        _store = OpenStore();
        var clearance = CheckWrite(_store, StoreWrite.PushIncrementalImport, Force);
        if (!ShouldProcess(_store.DisplayName, $"Add events to the incremental import '{ImportId}'" + clearance.Note)) return;
        _progress = new ProgressReporter(this, 1, $"Pushing events into the incremental import of {_store.DisplayName}");
        Run(() =>
        {
            // The push's transaction stays open until the input ends: its input must not be an export of the same store.
            _claim = ClaimStore(_store, StoreUse.PipelineTransaction);
            Proceed(clearance);
            _push = _store.BeginIncrementalImportPush(ImportId);
        }, _store.DisplayName);
    }

    protected override void ProcessRecord()
    {
        if (_push is null) return;
        if (InputObject is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentNullException(nameof(InputObject), "A null event cannot be imported."),
                ErrorIdPrefix + "NullEvent", ErrorCategory.InvalidData, null));
        }
        Run(() =>
        {
            _push.Add(EventInputConverter.Convert(InputObject!, versionless: true, Warn));
            _progress!.Report(_push.EventCount);
        }, InputObject);
    }

    protected override void EndProcessing()
    {
        using var narration = Narrate();
        if (_push is null) return;
        Run(() =>
        {
            Cancellation.ThrowIfCancellationRequested();
            _push.Commit();
        }, _store!.DisplayName);
        Tell($"Pushed {Quantity.Of(_push.EventCount, "event")} into the incremental import {ImportId} of {_store.DisplayName} in {_progress!.Elapsed.TotalSeconds:0.000} s.");
        _progress!.Complete();
        if (PassThru) WriteObject(new IncrementalImportPushResult(_store.DisplayName, ImportId, _push.EventCount));
    }

    protected override void Dispose(bool disposing)
    {
        // Without a commit this rolls back: none of this push's events are kept.
        _push?.Dispose();
        _push = null;
        _claim?.Dispose();
        _claim = null;
    }
}
