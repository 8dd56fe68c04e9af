using System.Collections;
using System.Management.Automation;
using EventStoreTools.Core.Parameters;
using EventStoreTools.Core;
using EventStoreTools.Core.Endpoints;
using EventStoreTools.Core.Ndjson;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Send-EventStoreEvent: posts events to a running reSolve application's import handler, which passes them to its
/// adapter's incrementalImport. A cmdlet of its own, not a parameter set of Import-EventStore: no store is opened,
/// claimed or guarded here, and each batch is its own incrementalImport, so none of Import-EventStore's
/// all-or-nothing guarantees hold. Derives from PSCmdlet, not EventStoreCmdlet, whose -ConnectionString and
/// -Schema name a store this cmdlet never opens.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "EventStoreEvent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(EndpointImportResult))]
public sealed class SendEventStoreEventCommand : PSCmdlet, IDisposable
{
    private const string ErrorIdPrefix = "SendEventStoreEvent";

    private readonly CancellationTokenSource _stopping = new();
    private EndpointImportOptions? _options;
    private EndpointImport? _import;
    private ProgressReporter? _progress;
    private bool _dryRun;
    private bool _skipped;
    private long _dryRunCount;

    /// <summary>The address of the application's import handler.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public Uri Uri { get; set; } = null!;

    /// <summary>An event: one of ours, a PSCustomObject or a hashtable (timestamp, aggregateId, type, payload).</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Read reSolve's NDJSON export format (or a JSON array of events) from this file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string InFile { get; set; } = "";

    private bool FromFile => InFile.Length > 0;

    private IEnumerable<ParameterRule> ParameterRules =>
        [ParameterRule.OneOf("the events come from one place: the pipeline or -InFile.", nameof(InputObject), nameof(InFile))];

    private void RefuseConflictingParameters() => ConflictingParameters.Refuse(this, ErrorIdPrefix, ParameterRules);

    /// <summary>Events per request.</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>The charset of the request bodies, named in their Content-Type (UTF-8 by default).</summary>
    [Parameter]
    [InputEncodingTransformation]
    [ArgumentCompleter(typeof(InputEncodingCompleter))]
    public System.Text.Encoding? Encoding { get; set; }

    /// <summary>Request headers, such as an Authorization header with a token.</summary>
    [Parameter]
    public IDictionary? Headers { get; set; }

    /// <summary>A user name and password sent as HTTP Basic authentication.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Seconds one request may take before it is given up (and retried).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 100;

    /// <summary>Tries after the first on a timeout, a lost connection or a 5xx, 408 or 429 answer.</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int MaximumRetryCount { get; set; } = 3;

    /// <summary>Seconds before the first retry; the wait doubles with each further one.</summary>
    [Parameter]
    [ValidateRange(0, 60)]
    public int RetryIntervalSec { get; set; } = 1;

    protected override void BeginProcessing()
    {
        RefuseConflictingParameters();
        if (!FromFile && !MyInvocation.ExpectingInput && !MyInvocation.BoundParameters.ContainsKey(nameof(InputObject)))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give the events to send: pipe them in (Export-EventStore a.db | Send-EventStoreEvent <uri>), or name an NDJSON or JSON file with -InFile."),
                ErrorIdPrefix + "InputNotSpecified", ErrorCategory.InvalidArgument, null));
        }
        _options = new EndpointImportOptions
        {
            Uri = Uri,
            BatchSize = BatchSize,
            Encoding = Encoding ?? new System.Text.UTF8Encoding(false),
            Headers = HeaderValues(),
            Basic = Credential is null ? null : (Credential.UserName, Credential.GetNetworkCredential().Password),
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            MaximumRetryCount = MaximumRetryCount,
            RetryInterval = TimeSpan.FromSeconds(RetryIntervalSec),
        };
        _progress = new ProgressReporter(this, 1, $"Sending events to {_options.DisplayUri}");
        // -WhatIf reads the input to say how many batches would go; the line is written at the end, with the counts.
        var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given) ? ((SwitchParameter)given).IsPresent : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
        if (whatIf)
        {
            _dryRun = true;
            return;
        }
        if (!ShouldProcess(_options.DisplayUri, "Send events to the application's import handler (incrementalImport, batch by batch)"))
        {
            _skipped = true;
            return;
        }
        Run(() => _import = new EndpointImport(_options, _stopping.Token)
        {
            BatchSent = (batches, events) => _progress.Report(events, status: $"{Quantity.Of(events, "event")} in {Quantity.Of(batches, "batch", "batches")} sent"),
            Retrying = WriteVerbose,
        });
    }

    protected override void ProcessRecord()
    {
        if (FromFile && MyInvocation.BoundParameters.ContainsKey(nameof(InputObject))) RefuseConflictingParameters();
        if (_skipped || FromFile) return;
        if (InputObject is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentNullException(nameof(InputObject), "A null event cannot be sent."),
                ErrorIdPrefix + "NullEvent", ErrorCategory.InvalidData, null));
        }
        Run(() => Add(EventInputConverter.Convert(InputObject!, versionless: true, WriteWarning)), InputObject);
        InputObject = null;
    }

    protected override void EndProcessing()
    {
        if (_skipped) return;
        if (FromFile)
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(InFile);
            Run(() =>
            {
                using var reader = NdjsonEventReader.Open(path);
                foreach (var e in reader.ReadEvents(versionless: true)) Add(e);
            }, path);
        }
        if (_dryRun)
        {
            var batches = _options!.BatchesFor(_dryRunCount);
            ShouldProcess(_options.DisplayUri, $"Send {Quantity.Of(_dryRunCount, "event")} in {Quantity.Of(batches, "batch", "batches")} (up to {BatchSize:N0} each) to the application's import handler");
            WriteObject(new EndpointImportResult { Uri = _options.DisplayUri, SentCount = _dryRunCount, BatchCount = batches, WhatIf = true });
            return;
        }
        EndpointImportResult? result = null;
        Run(() => result = _import!.Complete(), _options!.DisplayUri);
        _progress!.Complete();
        WriteVerbose($"Sent {Quantity.Of(result!.SentCount, "event")} in {Quantity.Of(result.BatchCount, "batch", "batches")} to {result.Uri} ({Quantity.Of(result.RetryCount, "retry", "retries")}) in {result.Elapsed.TotalSeconds:0.000} s.");
        WriteObject(result);
    }

    private void Add(ResolveEvent e)
    {
        _stopping.Token.ThrowIfCancellationRequested();
        if (_dryRun) _dryRunCount++;
        else _import!.Add(e);
    }

    /// <summary>-Headers as names and values; a value is never shown, a bad name is reported by name only.</summary>
    private Dictionary<string, string> HeaderValues()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Headers is null) return headers;
        foreach (DictionaryEntry entry in Headers)
        {
            var value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
            headers[entry.Key?.ToString() ?? ""] = value is System.Security.SecureString secure ? new System.Net.NetworkCredential("", secure).Password : value?.ToString() ?? "";
        }
        return headers;
    }

    /// <summary>Runs an action, turning core failures into a terminating error (Ctrl+C into the stop it is).</summary>
    private void Run(Action action, object? target = null)
    {
        try
        {
            action();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (EventStoreException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIdPrefix + ex.Kind, EventStoreCmdlet.CategoryOf(ex), ex.Event ?? target));
        }
        catch (IOException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIdPrefix + "IOError", ErrorCategory.ReadError, target));
        }
    }

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        _import?.Dispose();
        _stopping.Dispose();
    }
}
