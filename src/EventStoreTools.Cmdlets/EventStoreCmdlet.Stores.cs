using System.Management.Automation;
using System.Net;
using EventStoreTools.Core;
using EventStoreTools.Core.Postgres;
using EventStoreTools.Core.Sqlite;

namespace EventStoreTools.Cmdlets;

/// <summary>Opening the stores a cmdlet names: a SQLite file by path, a PostgreSQL schema by connection, either side of a cmdlet with two.</summary>
public abstract partial class EventStoreCmdlet
{
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

    /// <summary>Writes an object that describes a store, named so that the next cmdlet binds the store from it (see <see cref="StoreObject"/>).</summary>
    protected void WriteStoreObject(object output, IEventStore store) => WriteObject(StoreObject.Of(output, store, Credential));
}
