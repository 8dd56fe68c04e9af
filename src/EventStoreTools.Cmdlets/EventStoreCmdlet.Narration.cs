using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>-Verbose and -Debug: the cmdlet's own lines and the core's, told from any thread.</summary>
public abstract partial class EventStoreCmdlet
{
    private readonly ConcurrentQueue<(bool Debug, string Message)> _told = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>
    /// Tells the steps the core takes until the scope ends, as -Verbose (and the statements it runs, as -Debug). The
    /// core may tell from worker threads, where WriteVerbose is not allowed: its lines wait in a queue that the
    /// cmdlet's thread empties when the scope ends and before each line of its own.
    /// </summary>
    protected IDisposable Narrate() => new Narration(this, EventStoreLog.Use(
        message => _told.Enqueue((false, Stamped(message))),
        message => _told.Enqueue((true, Stamped(message)))));

    private Action<string>? _warn;

    /// <summary>WriteWarning as a delegate made once, for the per-event conversion.</summary>
    protected Action<string> Warn => _warn ??= WriteWarning;

    /// <summary>A -Verbose line of the cmdlet itself (on the cmdlet's thread).</summary>
    protected internal void Tell(string message)
    {
        WriteTold();
        if (!Untold) WriteVerbose(Stamped(message));
    }

    /// <summary>
    /// Whether -Verbose and -Debug lines are dropped: when the command's data goes to the process's standard output,
    /// where pwsh -c would print them too.
    /// </summary>
    protected virtual bool Untold => false;

    private string Stamped(string message) => $"[{_clock.Elapsed:mm\\:ss\\.fff}] {message}";

    private void WriteTold()
    {
        while (_told.TryDequeue(out var line))
        {
            if (Untold) continue;
            if (line.Debug) WriteDebug(line.Message);
            else WriteVerbose(line.Message);
        }
    }

    private sealed class Narration(EventStoreCmdlet cmdlet, IDisposable scope) : IDisposable
    {
        public void Dispose()
        {
            scope.Dispose();
            // A stopped pipeline takes no more output; the lines are dropped with it.
            if (cmdlet.Cancellation.IsCancellationRequested) return;
            try
            {
                cmdlet.WriteTold();
            }
            catch (PipelineStoppedException)
            {
            }
        }
    }
}
