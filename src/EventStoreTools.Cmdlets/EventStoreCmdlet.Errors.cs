using System.Management.Automation;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>Core failures as PowerShell errors: terminating, or non-terminating for one store of several.</summary>
public abstract partial class EventStoreCmdlet
{
    /// <summary>Runs an action, turning core failures into a terminating PowerShell error.</summary>
    protected void Run(Action action, object? target = null)
    {
        if (Attempt(action, target) is { } error) ThrowTerminatingError(error);
    }

    /// <summary>
    /// Runs the work on one of several inputs (a store among those given): a core failure is written as a
    /// non-terminating error and the cmdlet goes on with the next, honouring -ErrorAction as Get-Content does.
    /// Returns whether the work succeeded.
    /// </summary>
    protected bool RunOrWriteError(Action action, object? target = null)
    {
        if (Attempt(action, target) is not { } error) return true;
        // A failure of what the command as a whole asked for (its cursor, a store on both sides of its pipeline)
        // ends it, whichever store it came from.
        if (error.Exception is EventStoreException { Kind: EventStoreErrorKind.ThreadTimestampsDecrease or EventStoreErrorKind.InvalidCursor or EventStoreErrorKind.StoreInUseByPipeline })
            ThrowTerminatingError(error);
        WriteError(error);
        return false;
    }

    /// <summary>
    /// Runs the work on one store of those the cmdlet was given by path (several, or piped in): its failure is
    /// non-terminating (see <see cref="RunOrWriteError"/>). A PostgreSQL store (-ConnectionString) is the only store
    /// of the command, so its failure ends it.
    /// </summary>
    protected bool RunOnListedStore(Action action, object? target) =>
        StorePaths is null ? RunOrThrow(action, target) : RunOrWriteError(action, target);

    private bool RunOrThrow(Action action, object? target)
    {
        Run(action, target);
        return true;
    }

    /// <summary>Runs an action; a core failure comes back as its error record, Ctrl+C as the stop it is.</summary>
    private ErrorRecord? Attempt(Action action, object? target)
    {
        try
        {
            action();
            return null;
        }
        // A wait for a lock that Ctrl+C ended surfaces as "busy": it is the stop, not an error.
        catch (Exception ex) when (Cancellation.IsCancellationRequested && ex is OperationCanceledException or EventStoreException)
        {
            throw new PipelineStoppedException();
        }
        catch (EventStoreException ex)
        {
            return ToErrorRecord(ex, target);
        }
        catch (IOException ex)
        {
            return new ErrorRecord(ex, ErrorIdPrefix + "IOError", ErrorCategory.WriteError, target);
        }
        catch (UnauthorizedAccessException ex)
        {
            return new ErrorRecord(ex, ErrorIdPrefix + "AccessDenied", ErrorCategory.PermissionDenied, target);
        }
    }

    /// <summary>What to do instead, when a core failure's way on depends on how this cmdlet was called; null when its message says it.</summary>
    protected virtual string? NextStep(EventStoreException ex) => null;

    protected ErrorRecord ToErrorRecord(EventStoreException ex, object? target = null)
    {
        if (NextStep(ex) is { } step)
            ex = new EventStoreException(ex.Kind, $"{ex.Message} {step}", ex) { Event = ex.Event, LineNumber = ex.LineNumber, Line = ex.Line };
        object? errorTarget = ex.LineNumber is { } line
            ? new InputLine(line, ex.Line ?? "")
            : ex.Event ?? target;
        return new ErrorRecord(ex, ErrorIdPrefix + ex.Kind, CategoryOf(ex), errorTarget);
    }
}
