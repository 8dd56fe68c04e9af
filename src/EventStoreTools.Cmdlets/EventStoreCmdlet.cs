using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using EventStoreTools.Core;
using EventStoreTools.Core.Files;
using EventStoreTools.Core.Parameters;
using EventStoreTools.Core.Postgres;
using EventStoreTools.Core.Sqlite;
using EventStoreTools.Core.Writes;
using Microsoft.PowerShell.Commands;
using WildcardPattern = System.Management.Automation.WildcardPattern;

namespace EventStoreTools.Cmdlets;

/// <summary>What every EventStoreTools cmdlet does: resolve store paths, report errors, cancel on Ctrl+C.</summary>
public abstract class EventStoreCmdlet : PSCmdlet, IDisposable
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

    /// <summary>
    /// The one file or folder a parameter names (a store to write, -InFile, -OutFile, -Directory): ~, relative paths
    /// and PSDrives work; wildcards are expanded and must match one item (several are an error); a pattern that
    /// matches nothing names a file to create, taken literally, as Out-File does. A path to write to whose pattern
    /// matches an item of another name is refused: 'st[1].db' would otherwise replace st1.db, which the user did not name.
    /// </summary>
    protected string ResolveFilePath(string path, bool literal = false, bool forReading = false)
    {
        var paths = ResolvePaths(path, literal, out var pattern);
        if (paths.Count > 1)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"The path '{path}' matches {Quantity.Of(paths.Count, "item")} ({string.Join(", ", paths.Take(3))}{(paths.Count > 3 ? ", ..." : "")}); it must name one. Use -LiteralPath or escape wildcard characters with `."),
                ErrorIdPrefix + "AmbiguousPath", ErrorCategory.InvalidArgument, path));
        }
        if (pattern is null) return paths[0];
        var named = WildcardPattern.Unescape(pattern);
        var namedPath = UnresolvedPath(named, path);
        if (paths.Count == 0) return namedPath;
        if (!forReading && !string.Equals(paths[0], namedPath, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"The path '{path}' is a wildcard pattern that matches '{paths[0]}', another name: nothing is written to a file that was not named. " +
                    $"To write to '{named}' itself, escape its wildcard characters with a backtick ('{WildcardPattern.Escape(named)}') or give a store with -LiteralPath; to write to '{System.IO.Path.GetFileName(paths[0])}', name it."),
                ErrorIdPrefix + "WildcardMatchedOtherName", ErrorCategory.InvalidArgument, path));
        }
        return paths[0];
    }

    /// <summary>
    /// The files a reading cmdlet's -Path (wildcards expanded) or -LiteralPath names. A pattern that matches nothing
    /// is reported as a non-terminating error, as Get-Item does; a plain path is kept even when missing, so the
    /// store reports it as not found.
    /// </summary>
    protected IReadOnlyList<string> ResolveReadPaths(string path, bool literal)
    {
        var paths = ResolvePaths(path, literal, out var pattern);
        if (pattern is not null && paths.Count == 0)
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"No store matches '{path}'. Check the path: a wildcard pattern matches only files that exist."),
                ErrorIdPrefix + "StoreNotFound", ErrorCategory.ObjectNotFound, path));
        }
        return paths;
    }

    /// <summary>Paths a wildcard pattern matches (set in <paramref name="pattern"/>), or the one path a plain or literal path names.</summary>
    private List<string> ResolvePaths(string path, bool literal, out string? pattern)
    {
        pattern = null;
        RequireUsablePath(path);
        if (literal) return [UnresolvedPath(path, path)];
        // Escaped wildcard characters (`[) name themselves, as in every cmdlet's -Path.
        if (!WildcardPattern.ContainsWildcardCharacters(path)) return [UnresolvedPath(WildcardPattern.Unescape(path), path)];
        pattern = path;
        Collection<string> matches;
        ProviderInfo provider;
        try
        {
            matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
        }
        catch (ItemNotFoundException)
        {
            return [];
        }
        catch (SessionStateException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIdPrefix + "InvalidPath", ErrorCategory.ObjectNotFound, path));
            throw;
        }
        RequireFileSystem(provider, path);
        Tell($"'{path}' matches {Quantity.Of(matches.Count, "item")}: {string.Join(", ", matches)}.");
        return [.. matches];
    }

    private string UnresolvedPath(string path, string given)
    {
        string resolved;
        ProviderInfo provider;
        try
        {
            resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (SessionStateException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIdPrefix + "InvalidPath", ErrorCategory.ObjectNotFound, given));
            throw;
        }
        RequireFileSystem(provider, given);
        if (string.IsNullOrWhiteSpace(System.IO.Path.GetFileName(resolved.TrimEnd('/', '\\'))))
            ThrowInvalidPath($"The path '{given}' names a blank file name: give the file a name.", given);
        return resolved;
    }

    /// <summary>A NUL would reach the file system APIs as a bare ArgumentException; a blank path would create a file named ' '.</summary>
    private void RequireUsablePath(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
            ThrowInvalidPath("The path contains a NUL character (\\0), which no file name may hold.", path.Replace("\0", "\\0", StringComparison.Ordinal));
        if (string.IsNullOrWhiteSpace(path))
            ThrowInvalidPath("The path is blank: give the file a name.", path);
    }

    /// <summary>Stores and files live on the file system: Env:, Variable: and other providers would silently get a plain file of that name.</summary>
    private void RequireFileSystem(ProviderInfo provider, string path)
    {
        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"The path '{path}' is on the {provider.Name} provider: stores and files must be file system paths."),
                ErrorIdPrefix + "NotAFileSystemPath", ErrorCategory.InvalidArgument, path));
        }
    }

    private void ThrowInvalidPath(string message, string path) =>
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), ErrorIdPrefix + "InvalidPath", ErrorCategory.InvalidArgument, path));

    /// <summary>The SQLite store at a path given by the user (one store: wildcards must match one).</summary>
    protected IEventStore OpenStore(string path, bool literal = false) => StoreAt(ResolveFilePath(path, literal, forReading: !WritesStore), Cancellation);

    /// <summary>Whether the store of -Path is written to (most one-store cmdlets), so that a wildcard must not match another name.</summary>
    protected virtual bool WritesStore => true;

    /// <summary>The SQLite store at a resolved provider path.</summary>
    internal static IEventStore StoreAt(string providerPath, CancellationToken cancellation = default) => new SqliteEventStore(providerPath, cancellation);

    /// <summary>The PostgreSQL store of a connection string and schema; a credential's user and password replace the connection string's.</summary>
    internal static IEventStore PostgresStore(string connectionString, string schema, NetworkCredential? credential = null, CancellationToken cancellation = default) =>
        new PostgresEventStore(connectionString, schema, cancellation, credential);

    /// <summary>
    /// A PostgreSQL store instead of a SQLite file: an Npgsql connection string, with <see cref="Schema"/>.
    /// Declared here, not in each cmdlet, so every cmdlet takes either engine and none branches on it; bound from a
    /// store object's properties too (Get-EventStore's, Start-IncrementalImport's).
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ConnectionString { get; set; }

    /// <summary>The PostgreSQL schema holding the store (reSolve's databaseName); with -ConnectionString.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Schema { get; set; }

    /// <summary>With -ConnectionString: the user name and password to log in with (Get-Credential, Get-Secret).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The parameters of the store a cmdlet works on (no prefix: -Path, -LiteralPath, -ConnectionString, -Schema, -Credential).</summary>
    private StoreParameters Store => new("", null, null, ConnectionString, Schema, Credential);

    /// <summary>
    /// The store a cmdlet works on: the SQLite file of its -Path or -LiteralPath, or the PostgreSQL schema of
    /// -ConnectionString and -Schema. The paths are optional in the cmdlets (rather than a parameter set per engine,
    /// which would double every cmdlet's sets); exactly one of the two is required, checked here. Wildcards must
    /// match one store.
    /// </summary>
    protected IEventStore OpenStore()
    {
        var paths = StorePaths;
        if (RequireOneEngine(paths) && paths!.Length > 1)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"Give one store, not {paths.Length}: {ErrorIdPrefix} writes to one store at a time."),
                ErrorIdPrefix + "SeveralStores", ErrorCategory.InvalidArgument, paths));
        }
        return paths is null ? OpenPostgresStore(Store) : OpenStore(paths[0], StorePathsAreLiteral);
    }

    /// <summary>The stores a reading cmdlet reads, in the order given: each path with its wildcards expanded, or the PostgreSQL store.</summary>
    protected IEnumerable<IEventStore> OpenStores()
    {
        var paths = StorePaths;
        if (!RequireOneEngine(paths)) return [OpenPostgresStore(Store)];
        return paths!.SelectMany(path => ResolveReadPaths(path, StorePathsAreLiteral)).Select(path => StoreAt(path, Cancellation)).ToList();
    }

    /// <summary>Whether the store is a SQLite file (else PostgreSQL); fails unless exactly one engine is given completely.</summary>
    protected bool RequireOneEngine(string[]? paths)
    {
        RefuseConflictingParameters();
        var given = Store with { Path = paths is { Length: > 0 } ? paths[0] : null };
        if (given.Problem("store") is { } problem)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(problem), ErrorIdPrefix + "StoreNotSpecified", ErrorCategory.InvalidArgument, null));
        return given.Path is not null;
    }

    private IEventStore OpenPostgresStore(StoreParameters store)
    {
        try
        {
            return PostgresStore(store.ConnectionString!, store.Schema!, store.Credential?.GetNetworkCredential(), Cancellation);
        }
        catch (EventStoreException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            throw;
        }
    }

    /// <summary>
    /// The other store of a cmdlet with two (a mirror's destination, a comparison's difference), named by the same
    /// parameters with a prefix: exactly one engine, and on SQLite one store however many a wildcard matches.
    /// </summary>
    protected IEventStore OpenStore(StoreParameters store, string storeWord, string failure)
    {
        RefuseUnclearStore(store, storeWord, failure);
        return store.IsSqlite ? OpenStore(string.IsNullOrEmpty(store.LiteralPath) ? store.Path! : store.LiteralPath, !string.IsNullOrEmpty(store.LiteralPath)) : OpenPostgresStore(store);
    }

    /// <summary>Refuses a store not named completely, or named two ways.</summary>
    protected void RefuseUnclearStore(StoreParameters store, string storeWord, string failure)
    {
        if (store.Problem(storeWord) is { } problem)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(problem), ErrorIdPrefix + failure, ErrorCategory.InvalidArgument, null));
    }

    /// <summary>
    /// Combinations of this cmdlet's parameters that make no sense (every parameter binds with every other, so these
    /// rules say what is wrong, rather than the binder's "Parameter set cannot be resolved").
    /// </summary>
    protected virtual IEnumerable<ParameterRule> ParameterRules => [];

    private static readonly ParameterRule[] StoreRules =
    [
        ParameterRule.OneOf("give the store one way: -Path takes wildcards, -LiteralPath takes the name as it is.", "Path", "LiteralPath"),
    ];

    /// <summary>Refuses, with ConflictingParameters, the parameters given together that make no sense (see <see cref="ParameterRules"/>).</summary>
    protected void RefuseConflictingParameters()
    {
        ConflictingParameters.Refuse(this, ErrorIdPrefix, StoreRules.Concat(ParameterRules));
    }

    /// <summary>Writes an object that describes a store, named so that the next cmdlet binds the store from it (see <see cref="StoreObject"/>).</summary>
    protected void WriteStoreObject(object output, IEventStore store) => WriteObject(StoreObject.Of(output, store, Credential));

    /// <summary>The -Path (wildcards) or -LiteralPath of the cmdlet's store; null when the store is given with -ConnectionString.</summary>
    protected abstract string[]? StorePaths { get; }

    /// <summary>The one path of a cmdlet that takes one store, as <see cref="StorePaths"/> gives it.</summary>
    protected static string[]? OnePath(string? path) => string.IsNullOrEmpty(path) ? null : [path];

    /// <summary>Whether <see cref="StorePaths"/> came from -LiteralPath.</summary>
    protected abstract bool StorePathsAreLiteral { get; }

    protected override void StopProcessing() => _stopping.Cancel();

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
    protected AtomicFileOutput BeginOutput(params string[] files) => BeginOutput(files.Select(file => new AtomicFileOutput.OutputFile(file)).ToList(), []);

    /// <summary>
    /// As <see cref="BeginOutput(string[])"/>, with links to replace rather than follow, files that hold secrets (created
    /// readable by their owner only) and files to remove in the same swap.
    /// </summary>
    protected AtomicFileOutput BeginOutput(IReadOnlyList<AtomicFileOutput.OutputFile> files, IReadOnlyList<string> remove)
    {
        var output = AtomicFileOutput.Begin(files, remove);
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
        foreach (var file in removed) Tell($"Removed '{file}': a temporary file of an import or export that was killed (no process held it).");
    }

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

    /// <summary>
    /// <see cref="RunOnListedStore(Action, object?)"/> with a <see cref="StoreUse.Step"/> claim on the store. A store on
    /// both sides of one pipeline is a mistake of the whole command, so that refusal ends it.
    /// </summary>
    protected bool RunOnListedStore(IEventStore store, Action action)
    {
        IDisposable? claim = null;
        Run(() => claim = ClaimStore(store, StoreUse.Step), store.DisplayName);
        using (claim) return RunOnListedStore(action, store.DisplayName);
    }

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

    /// <summary>
    /// What the one guard of every write (<see cref="StoreWriteGuard"/>) says of writing into a store: read before
    /// ShouldProcess, so that -WhatIf and -Confirm can say it (its <see cref="StoreWriteClearance.Note"/>).
    /// </summary>
    protected StoreWriteClearance CheckWrite(IEventStore store, StoreWrite write, bool force)
    {
        StoreWriteClearance? clearance = null;
        Run(() => clearance = StoreWriteGuard.Check(store, write, force), store.DisplayName);
        return clearance!;
    }

    /// <summary>Once the write is confirmed: refuses it (an <see cref="EventStoreException"/>, for Run), or warns what -Force overrides.</summary>
    protected void Proceed(StoreWriteClearance clearance)
    {
        clearance.ThrowIfRefused();
        foreach (var warning in clearance.Warnings) WriteWarning(warning);
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

    /// <summary>The error category of a core failure.</summary>
    internal static ErrorCategory CategoryOf(EventStoreException ex) =>
        ex switch
        {
            Core.Endpoints.EndpointException { StatusCode: 401 or 403 } => ErrorCategory.AuthenticationError,
            Core.Endpoints.EndpointException { StatusCode: null } => ErrorCategory.ConnectionError,
            Core.Endpoints.EndpointException => ErrorCategory.InvalidResult,
            _ => CategoryOf(ex.Kind),
        };

    private static ErrorCategory CategoryOf(EventStoreErrorKind kind) =>
        kind switch
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
            // Not ResourceUnavailable or ResourceBusy: waiting does not help, the freeze stays until someone lifts it (or -Force).
            EventStoreErrorKind.StoreFrozen => ErrorCategory.PermissionDenied,
            EventStoreErrorKind.InputNotFound => ErrorCategory.ObjectNotFound,
            EventStoreErrorKind.CorruptPayload => ErrorCategory.InvalidData,
            EventStoreErrorKind.UnsupportedStoredValue => ErrorCategory.InvalidData,
            EventStoreErrorKind.ThreadTimestampsDecrease => ErrorCategory.InvalidData,
            EventStoreErrorKind.InvalidConnectionString => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.InvalidStoreName => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.StoreInUseByPipeline => ErrorCategory.ResourceBusy,
            EventStoreErrorKind.OutputIsInput => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.OutputChanged => ErrorCategory.ResourceExists,
            EventStoreErrorKind.DestinationDiverged => ErrorCategory.InvalidData,
            EventStoreErrorKind.MirrorMismatch => ErrorCategory.InvalidResult,
            EventStoreErrorKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
            EventStoreErrorKind.ConnectionFailed => ErrorCategory.ConnectionError,
            EventStoreErrorKind.StoreExists => ErrorCategory.ResourceExists,
            EventStoreErrorKind.UnsupportedCompression => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.UnsupportedInputFormat => ErrorCategory.InvalidType,
            EventStoreErrorKind.BackupManifestMismatch => ErrorCategory.InvalidData,
            EventStoreErrorKind.BackupAmbiguous => ErrorCategory.InvalidData,
            _ => ErrorCategory.NotSpecified,
        };

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
