using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

/// <summary>What every EventStoreTools cmdlet shares: its store, cancelling on Ctrl+C and the error id prefix; the rest is one concern a file (EventStoreCmdlet.*.cs).</summary>
public abstract partial class EventStoreCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// The two parameter sets of a cmdlet whose -Path takes piped strings: -LiteralPath binds store objects by PSPath,
    /// and in one set the binder would also bind the object's text to -Path. Every other parameter is in both.
    /// </summary>
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
    protected CancellationToken Cancellation => _stopping.Token;

    /// <summary>The error id prefix, e.g. "ImportEventStore".</summary>
    protected string ErrorIdPrefix => GetType().Name.Replace("Command", "", StringComparison.Ordinal);

    /// <summary>The -Path (wildcards) or -LiteralPath of the cmdlet's store; null when the store is given with -ConnectionString.</summary>
    protected abstract string[]? StorePaths { get; }

    /// <summary>The one path of a cmdlet that takes one store, as <see cref="StorePaths"/> gives it.</summary>
    protected static string[]? OnePath(string? path) => string.IsNullOrEmpty(path) ? null : [path];

    /// <summary>Whether <see cref="StorePaths"/> came from -LiteralPath.</summary>
    protected abstract bool StorePathsAreLiteral { get; }

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        Dispose(true);
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
