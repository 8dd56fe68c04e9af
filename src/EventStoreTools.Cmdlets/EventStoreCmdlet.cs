using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Files;
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
    protected IEventStore OpenStore() =>
        OpenStore(StorePath, ConnectionString, Schema, new StoreParameterNames("store", "a store path", "-ConnectionString", "-Schema"), "StoreNotSpecified");

    /// <summary>
    /// A store given by a path (SQLite) or a connection string and schema (PostgreSQL), exactly one of the two; the
    /// names say which parameters these are in messages (a cmdlet with a second store has a second set).
    /// </summary>
    protected IEventStore OpenStore(string? path, string? connectionString, string? schema, StoreParameterNames names, string failure)
    {
        var hasPath = !string.IsNullOrEmpty(path);
        string? problem = (hasPath, connectionString is not null, schema is not null) switch
        {
            (true, true, _) => $"Give either {names.Path} (SQLite) or {names.ConnectionString} (PostgreSQL), not both.",
            (false, false, _) => $"Give the {names.Store}: {names.Path} for a SQLite file, or {names.ConnectionString} and {names.Schema} for PostgreSQL.",
            (false, true, false) => $"{names.ConnectionString} needs {names.Schema}: the PostgreSQL schema that holds the {names.Store} (reSolve's databaseName).",
            (true, false, true) => $"{names.Schema} applies only to a PostgreSQL {names.Store} given with {names.ConnectionString}.",
            _ => null,
        };
        if (problem is not null)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(problem), ErrorIdPrefix + failure, ErrorCategory.InvalidArgument, null));
        try
        {
            return hasPath ? OpenStore(path!) : PostgresStore(connectionString!, schema!, Cancellation);
        }
        catch (EventStoreException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            throw;
        }
    }

    /// <summary>
    /// Records how this command uses the store until the result is disposed; fails (an
    /// <see cref="EventStoreException"/>, for <see cref="Run"/>) when another command of this session's pipelines
    /// uses it so that the two would wait for each other (see <see cref="StoreClaims"/>).
    /// </summary>
    protected static IDisposable ClaimStore(IEventStore store, StoreUse use) =>
        StoreClaims.Take(System.Management.Automation.Runspaces.Runspace.DefaultRunspace, store, use);

    /// <summary>Runs one step of work on a store (see <see cref="Run"/>), with a <see cref="StoreUse.Step"/> claim on it.</summary>
    protected void RunOnStore(IEventStore store, Action action) => Run(() =>
    {
        using var claim = ClaimStore(store, StoreUse.Step);
        action();
    }, store.DisplayName);

    /// <summary>The -Path parameter of the cmdlet (empty when the store is given with -ConnectionString).</summary>
    protected abstract string StorePath { get; }

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// Refuses, before anything is written, a file that is the store itself (through links, "..", letter case):
    /// an export to it or an import from it would overwrite what is read.
    /// </summary>
    protected void RefuseSameFileAsStore(IEventStore store, string file)
    {
        var same = false;
        Run(() => same = store.IsSameFileAs(file), file);
        if (!same) return;
        var error = new EventStoreException(EventStoreErrorKind.OutputIsInput,
            $"'{file}' is the store '{store.DisplayName}' itself (the same file, however the paths are spelled): writing one would destroy the other. Use another path.");
        ThrowTerminatingError(ToErrorRecord(error, file));
    }

    /// <summary>Starts writing output files, each replaced as a whole, after removing what killed exports left in their folders.</summary>
    protected AtomicFileOutput BeginOutput(params string[] files)
    {
        var output = AtomicFileOutput.Begin(files);
        try
        {
            var folders = files.Select((_, i) => System.IO.Path.GetDirectoryName(output.TargetPath(i))!).Distinct();
            foreach (var folder in folders) WriteRemovedTemporaryFiles(StaleTemporaryFiles.RemoveIn(folder));
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    protected void WriteRemovedTemporaryFiles(IReadOnlyList<string> removed)
    {
        foreach (var file in removed) WriteVerbose($"Removed '{file}': a temporary file of an import or export that was killed (no process held it).");
    }

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
            EventStoreErrorKind.CorruptPayload => ErrorCategory.InvalidData,
            EventStoreErrorKind.UnsupportedStoredValue => ErrorCategory.InvalidData,
            EventStoreErrorKind.InvalidConnectionString => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.InvalidStoreName => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.StoreInUseByPipeline => ErrorCategory.ResourceBusy,
            EventStoreErrorKind.OutputIsInput => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.OutputChanged => ErrorCategory.ResourceExists,
            EventStoreErrorKind.DestinationDiverged => ErrorCategory.InvalidData,
            EventStoreErrorKind.MirrorMismatch => ErrorCategory.InvalidResult,
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

/// <summary>How a cmdlet's parameters for one store are called, for messages.</summary>
public sealed record StoreParameterNames(string Store, string Path, string ConnectionString, string Schema);

/// <summary>The target of an error about one line of an NDJSON input.</summary>
public sealed record InputLine(long LineNumber, string Text);
