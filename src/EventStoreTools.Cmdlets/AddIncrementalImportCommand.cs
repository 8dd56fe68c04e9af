using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Incremental;
using EventStoreTools.Core.Writes;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Add-IncrementalImport: pushes the events of the pipeline into an open incremental import, in one
/// transaction, so they are stored durably and all together, or not at all.
/// </summary>
[Cmdlet(VerbsCommon.Add, "IncrementalImport", SupportsShouldProcess = true)]
[OutputType(typeof(IncrementalImportPushResult))]
public sealed class AddIncrementalImportCommand : OneStoreCmdlet
{
    private IEventStore? _store;
    private IIncrementalImportPush? _push;
    private ProgressReporter? _progress;
    private IDisposable? _claim;

    /// <summary>The open import: its id, or the session object of Start-IncrementalImport (bound from the pipeline by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ImportIdCompleter))]
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

    private bool _begun;
    private string _importId = "";

    /// <summary>
    /// Opens the push when the first event comes (or at the end, for no events): a session piped in binds the store
    /// and the import id only then.
    /// </summary>
    private void Begin()
    {
        _begun = true;
        _importId = ImportId;
        using var narration = Narrate();
        _store = OpenStore();
        var clearance = CheckWrite(_store, StoreWrite.PushIncrementalImport, Force);
        if (!ShouldProcess(_store.DisplayName, $"Add events to the incremental import '{_importId}'" + clearance.Note)) return;
        _progress = new ProgressReporter(this, 1, $"Pushing events into the incremental import of {_store.DisplayName}");
        Run(() =>
        {
            // The push's transaction stays open until the input ends: its input must not be an export of the same store.
            _claim = ClaimStore(_store, StoreUse.PipelineTransaction);
            Proceed(clearance);
            _push = _store.BeginIncrementalImportPush(_importId);
        }, _store.DisplayName);
    }

    protected override void ProcessRecord()
    {
        if (!_begun) Begin();
        if (_push is null) return;
        if (InputObject is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentNullException(nameof(InputObject), "A null event cannot be imported."),
                ErrorIdPrefix + "NullEvent", ErrorCategory.InvalidData, null));
        }
        // -InputObject given on the command line (when a session is piped in) holds all the events at once; the pipeline
        // hands events one by one.
        var events = InputObject!.BaseObject is System.Collections.IEnumerable list and not string and not System.Collections.IDictionary
            ? list.Cast<object>().Select(PSObject.AsPSObject)
            : [InputObject!];
        foreach (var input in events)
        {
            Run(() =>
            {
                _push.Add(EventInputConverter.Convert(input, versionless: true, Warn));
                _progress!.Report(_push.EventCount);
            }, input);
        }
    }

    protected override void EndProcessing()
    {
        if (!_begun) Begin();
        using var narration = Narrate();
        if (_push is null) return;
        Run(() =>
        {
            Cancellation.ThrowIfCancellationRequested();
            _push.Commit();
        }, _store!.DisplayName);
        Tell($"Pushed {Quantity.Of(_push.EventCount, "event")} into the incremental import {_importId} of {_store.DisplayName} in {_progress!.Elapsed.TotalSeconds:0.000} s.");
        _progress!.Complete();
        // The store is let go before the result goes on: the next command of the pipeline (Complete-IncrementalImport) writes to it.
        _claim?.Dispose();
        _claim = null;
        if (PassThru) WriteStoreObject(new IncrementalImportPushResult(_store.DisplayName, _importId, _push.EventCount), _store);
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
