using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Parameters;
using EventStoreTools.Core.Writes;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Sync-EventStore: makes a destination store an exact mirror of a source store, any engine to any engine,
/// resuming from the destination's own cursor; -Follow keeps it in step, -Cutover freezes the source, drains and
/// verifies (see <see cref="EventStoreMirror"/>).
/// </summary>
[Cmdlet(VerbsData.Sync, "EventStore", SupportsShouldProcess = true)]
[OutputType(typeof(MirrorResult))]
public sealed class SyncEventStoreCommand : EventStoreCmdlet
{
    /// <summary>The source store (a wildcard must match one); -ConnectionString and -Schema name a PostgreSQL source instead.</summary>
    [Parameter(Position = 0)]
    [Alias("Source")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The source store, named exactly; Get-EventStore's and Get-ChildItem's output binds here by PSPath.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    protected override string[]? StorePaths => OnePath(LiteralPath) ?? OnePath(Path);

    protected override bool StorePathsAreLiteral => LiteralPath.Length > 0;

    /// <summary>The destination SQLite file (created when missing; a wildcard must match one file or none).</summary>
    [Parameter(Position = 1)]
    [Alias("Destination")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string DestinationPath { get; set; } = "";

    /// <summary>The destination SQLite file, named exactly.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string DestinationLiteralPath { get; set; } = "";

    /// <summary>A PostgreSQL destination: an Npgsql connection string, with -DestinationSchema.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DestinationConnectionString { get; set; }

    /// <summary>The PostgreSQL schema of the destination (created when missing).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DestinationSchema { get; set; }

    /// <summary>With -DestinationConnectionString: the user name and password to log in with.</summary>
    [Parameter]
    [Credential]
    public PSCredential? DestinationCredential { get; set; }

    private StoreParameters Destination => new("Destination", DestinationPath, DestinationLiteralPath, DestinationConnectionString, DestinationSchema, DestinationCredential);

    /// <summary>Keep copying what the source's writers append until Ctrl+C, -Timeout, or the source is frozen and drained.</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>Catch up, freeze the source with reSolve's marker, drain, verify; the source stays frozen.</summary>
    [Parameter]
    public SwitchParameter Cutover { get; set; }

    /// <summary>With -Cutover: compare every event, not only the counts and each thread's last event.</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    /// <summary>How long to wait between reads of the source once caught up (default 250 ms).</summary>
    [Parameter]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>With -Follow: stop following after this long.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; }

    /// <summary>Events per batch, each batch one transaction on the destination (default 1000).</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Mirror into a frozen destination anyway, with a warning (it stays frozen).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        RefuseConflictingParameters();
        var source = OpenStore();
        var destination = OpenDestination();
        var action = Cutover ? "Mirror the events, then freeze the source and verify (cutover)" : Follow ? "Mirror the events and keep following" : "Mirror the events";
        // The destination only: the source is read (a frozen source is what a cutover leaves, and a resumed run reads it).
        var clearance = CheckWrite(destination, StoreWrite.Mirror, Force);
        if (!ShouldProcess(destination.DisplayName, $"{action} of {source.DisplayName}{clearance.Note}")) return;
        Run(() => Proceed(clearance), destination.DisplayName);
        var options = new MirrorOptions
        {
            BatchSize = BatchSize,
            Follow = Follow,
            Cutover = Cutover,
            FullVerify = Verify,
            PollInterval = PollInterval,
            Deadline = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? DateTimeOffset.UtcNow + Timeout : null,
            WriteIntoFrozenDestination = Force,
        };
        var mirror = new EventStoreMirror(source, destination, options);
        var progress = new ProgressReporter(this, 1, $"Mirroring {source.DisplayName} to {destination.DisplayName}");
        var finished = false;
        try
        {
            using var narration = Narrate();
            Run(() => mirror.Run(step =>
                {
                    progress.Report(step.CopiedCount, step.CopiedCount, step.CopiedCount + step.LagEvents, Describe(step));
                    Tell(step.Poll);
                }, Cancellation),
                source.DisplayName);
            finished = true;
        }
        finally
        {
            if (!finished && mirror.FrozeSource) Unfreeze();
        }
        progress.Complete();
        WriteObject(mirror.Result);
    }

    private static string Describe(MirrorProgress step) =>
        $"{Quantity.Of(step.CopiedCount, "event")} copied, {step.EventsPerSecond:N0} events/s; lag {Quantity.Of(step.LagEvents, "event")}, {step.LagSeconds:N1} s" + (step.CaughtUp ? " (caught up)" : "");

    /// <summary>A cutover that did not end leaves the application's store writable again (without Ctrl+C's token, which is cancelled by now).</summary>
    private void Unfreeze()
    {
        var source = StorePaths is { } paths ? StoreAt(ResolveFilePath(paths[0], StorePathsAreLiteral)) : PostgresStore(ConnectionString!, Schema!, Credential?.GetNetworkCredential());
        try
        {
            source.SetFrozen(false);
            WarnEvenWhenStopped($"The cutover did not finish: the source {source.DisplayName} was unfrozen, and its application can write to it again.");
        }
        catch (EventStoreException ex)
        {
            WarnEvenWhenStopped($"The cutover did not finish and the source {source.DisplayName} could not be unfrozen ({ex.Message}): run Set-EventStore -Frozen:$false on it.");
        }
    }

    /// <summary>After Ctrl+C the pipeline takes no more records: the warning goes to the host then.</summary>
    private void WarnEvenWhenStopped(string message)
    {
        try
        {
            WriteWarning(message);
        }
        catch (PipelineStoppedException)
        {
            Host.UI.WriteWarningLine(message);
        }
    }

    private IEventStore OpenDestination() => OpenStore(Destination, "destination", "DestinationNotSpecified");

    protected override IEnumerable<ParameterRule> ParameterRules =>
    [
        ParameterRule.Needs(nameof(Verify), "it checks the result of a cutover.", nameof(Cutover)),
    ];
}
