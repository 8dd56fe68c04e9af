using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Sqlite;

namespace EventStoreTools.Cmdlets;

/// <summary>What every EventStoreTools cmdlet does: resolve store paths, report errors, cancel on Ctrl+C.</summary>
public abstract class EventStoreCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
    protected CancellationToken Cancellation => _stopping.Token;

    /// <summary>The error id prefix, e.g. "ImportEventStore".</summary>
    protected string ErrorIdPrefix => GetType().Name.Replace("Command", "", StringComparison.Ordinal);

    /// <summary>A provider path for a file that may not exist yet: ~, relative paths and PSDrives work.</summary>
    protected string ResolveFilePath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>The store a cmdlet works on, from its -Path parameter.</summary>
    protected IEventStore OpenStore() => OpenStore(StorePath);

    /// <summary>The store at a path given by the user (the one place that picks the engine).</summary>
    protected IEventStore OpenStore(string path) => StoreAt(ResolveFilePath(path), Cancellation);

    /// <summary>The store at a resolved provider path: the one place that picks the engine.</summary>
    internal static IEventStore StoreAt(string providerPath, CancellationToken cancellation = default) => new SqliteEventStore(providerPath, cancellation);

    /// <summary>The -Path parameter of the cmdlet.</summary>
    protected abstract string StorePath { get; }

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Runs an action, turning core failures into a terminating PowerShell error.</summary>
    protected void Run(Action action, object? target = null)
    {
        try
        {
            action();
        }
        // A wait for a lock that Ctrl+C ended surfaces as "busy": it is the stop, not an error.
        catch (Exception ex) when (Cancellation.IsCancellationRequested && ex is OperationCanceledException or EventStoreException)
        {
            throw new PipelineStoppedException();
        }
        catch (EventStoreException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex, target));
        }
        catch (IOException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIdPrefix + "IOError", ErrorCategory.WriteError, target));
        }
        catch (UnauthorizedAccessException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIdPrefix + "AccessDenied", ErrorCategory.PermissionDenied, target));
        }
    }

    protected ErrorRecord ToErrorRecord(EventStoreException ex, object? target = null)
    {
        var category = ex.Kind switch
        {
            EventStoreErrorKind.InvalidInput => ErrorCategory.InvalidData,
            EventStoreErrorKind.InvalidCursor => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.StoreNotFound => ErrorCategory.ObjectNotFound,
            EventStoreErrorKind.NotAnEventStore => ErrorCategory.InvalidType,
            EventStoreErrorKind.TargetNotEmpty => ErrorCategory.ResourceExists,
            EventStoreErrorKind.DuplicateEvent => ErrorCategory.ResourceExists,
            EventStoreErrorKind.DuplicateSecret => ErrorCategory.ResourceExists,
            EventStoreErrorKind.ImportNotFound => ErrorCategory.ObjectNotFound,
            EventStoreErrorKind.ImportAlreadyOpen => ErrorCategory.ResourceBusy,
            EventStoreErrorKind.StoreBusy => ErrorCategory.ResourceBusy,
            EventStoreErrorKind.InvalidStorePath => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.StoreReadOnly => ErrorCategory.PermissionDenied,
            EventStoreErrorKind.InputNotFound => ErrorCategory.ObjectNotFound,
            _ => ErrorCategory.NotSpecified,
        };
        object? errorTarget = ex.LineNumber is { } line
            ? new InputLine(line, ex.Line ?? "")
            : ex.Event ?? target;
        return new ErrorRecord(ex, ErrorIdPrefix + ex.Kind, category, errorTarget);
    }

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

/// <summary>The target of an error about one line of an NDJSON input.</summary>
public sealed record InputLine(long LineNumber, string Text);
