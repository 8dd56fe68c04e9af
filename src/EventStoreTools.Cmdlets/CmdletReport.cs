using EventStoreTools.Core.Reporting;

namespace EventStoreTools.Cmdlets;

/// <summary>What a core operation tells, shown as a cmdlet shows it: -Verbose, warnings and its progress bar (if it has one).</summary>
internal sealed class CmdletReport(EventStoreCmdlet cmdlet, ProgressReporter? progress = null) : IOperationReport
{
    public void Tell(string message) => cmdlet.Tell(message);

    public void Warn(string message) => cmdlet.WriteWarning(message);

    public void Progress(long events, long done = 0, long total = 0) => progress?.Report(events, done, total);

    public void Phase(string status) => progress?.Phase(status);
}
