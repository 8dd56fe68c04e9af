using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Postgres;
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

    /// <summary>The SQLite store at a path given by the user.</summary>
    protected IEventStore OpenStore(string path) => StoreAt(ResolveFilePath(path), Cancellation);

    /// <summary>The SQLite store at a resolved provider path.</summary>
    internal static IEventStore StoreAt(string providerPath, CancellationToken cancellation = default) => new SqliteEventStore(providerPath, cancellation);

    /// <summary>The PostgreSQL store of a connection string and schema.</summary>
    internal static IEventStore PostgresStore(string connectionString, string schema, CancellationToken cancellation = default) =>
        new PostgresEventStore(connectionString, schema, cancellation);

    /// <summary>
    /// A PostgreSQL store instead of a SQLite file: an Npgsql connection string, with <see cref="Schema"/>.
    /// Declared here, not in each cmdlet, so every cmdlet takes either engine and none branches on it.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConnectionString { get; set; }

    /// <summary>The PostgreSQL schema holding the store (reSolve's databaseName); with -ConnectionString.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Schema { get; set; }

    /// <summary>
    /// The store a cmdlet works on: the SQLite file of its -Path, or the PostgreSQL schema of -ConnectionString
    /// and -Schema. -Path is optional in the cmdlets (rather than a parameter set per engine, which would
    /// double every cmdlet's sets); exactly one of the two is required, checked here.
    /// </summary>
    protected IEventStore OpenStore()
    {
        var hasPath = !string.IsNullOrEmpty(StorePath);
        string? problem = (hasPath, ConnectionString is not null, Schema is not null) switch
        {
            (true, true, _) => "Give either a store path (SQLite) or -ConnectionString (PostgreSQL), not both.",
            (false, false, _) => "Give the store: a path for a SQLite file, or -ConnectionString and -Schema for PostgreSQL.",
            (false, true, false) => "-ConnectionString needs -Schema: the PostgreSQL schema that holds the store (reSolve's databaseName).",
            (true, false, true) => "-Schema applies only to a PostgreSQL store given with -ConnectionString.",
            _ => null,
        };
        if (problem is not null)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(problem), ErrorIdPrefix + "StoreNotSpecified", ErrorCategory.InvalidArgument, null));
        try
        {
            return hasPath ? OpenStore(StorePath) : PostgresStore(ConnectionString!, Schema!, Cancellation);
        }
        catch (EventStoreException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            throw;
        }
    }

    /// <summary>
    /// The filter of the -EventType, -AggregateId, -Since and -Until parameters, which Export-EventStore and
    /// Import-EventStore share; -Since and -Until count only when given (0 is a valid time).
    /// </summary>
    protected EventFilter SelectionFilter(string[]? eventTypes, string[]? aggregateIds, long since, long until)
    {
        var bound = MyInvocation.BoundParameters;
        return new EventFilter
        {
            EventTypes = eventTypes,
            AggregateIds = aggregateIds,
            Since = bound.ContainsKey("Since") ? since : null,
            Until = bound.ContainsKey("Until") ? until : null,
        };
    }

    /// <summary>The -Path parameter of the cmdlet (empty when the store is given with -ConnectionString).</summary>
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
