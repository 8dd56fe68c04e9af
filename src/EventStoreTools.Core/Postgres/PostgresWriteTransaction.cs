using Npgsql;
using NpgsqlTypes;

namespace EventStoreTools.Core.Postgres;

/// <summary>
/// One write transaction on a store's schema, holding the schema's import lock
/// (<see cref="PostgresConnections.LockImports"/>), with at most one binary COPY in flight: what an import,
/// a push into an incremental import and the other incremental-import steps share. Disposing it without
/// <see cref="Commit"/> rolls everything back, tables created or dropped in it included (PostgreSQL's DDL is
/// transactional).
/// </summary>
internal sealed class PostgresWriteTransaction : IDisposable
{
    private readonly NpgsqlTransaction _transaction;
    private NpgsqlBinaryImporter? _copy;
    private bool _committed;

    private PostgresWriteTransaction(NpgsqlConnection connection, PostgresSchema schema, string displayName, CancellationToken cancellation)
    {
        Connection = connection;
        Schema = schema;
        DisplayName = displayName;
        Cancellation = cancellation;
        _transaction = connection.BeginTransaction();
    }

    public NpgsqlConnection Connection { get; }

    public PostgresSchema Schema { get; }

    /// <summary>Ctrl+C: cancels the statement running on the server (see <see cref="RunLong"/>).</summary>
    public CancellationToken Cancellation { get; }

    public string DisplayName { get; }

    /// <summary>
    /// Opens the transaction, takes the lock (waiting for another writer of the schema), then runs
    /// <paramref name="start"/>, which makes the object that owns the transaction. On any failure everything is
    /// rolled back and closed, and PostgreSQL's errors are translated.
    /// </summary>
    public static T Begin<T>(string connectionString, string schemaName, string displayName, CancellationToken cancellation, Func<PostgresWriteTransaction, T> start)
    {
        var connection = PostgresConnections.Open(connectionString, displayName);
        PostgresWriteTransaction? write = null;
        try
        {
            write = new PostgresWriteTransaction(connection, new PostgresSchema(schemaName), displayName, cancellation);
            PostgresConnections.LockImports(connection, write.Schema);
            return start(write);
        }
        catch (Exception ex)
        {
            if (write is not null) write.Dispose();
            else connection.Dispose();
            if (ex is NpgsqlException npgsql) throw PostgresConnections.Translate(npgsql, displayName);
            throw;
        }
    }

    /// <summary>Runs work in one transaction of its own and commits it.</summary>
    public static T Run<T>(string connectionString, string schemaName, string displayName, CancellationToken cancellation, Func<PostgresWriteTransaction, T> work)
    {
        using var write = Begin(connectionString, schemaName, displayName, cancellation, write => write);
        var result = write.Translated(() => work(write));
        write.Commit();
        return result;
    }

    /// <summary>Runs a statement (after the rows of a COPY in progress, which holds the connection until it ends).</summary>
    public void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, Connection);
        RunLong(command, command => command.ExecuteNonQuery());
    }

    /// <summary>
    /// Runs a statement of the transaction (after the rows of a COPY in progress) with no command timeout: an
    /// index build or an incremental commit on millions of events outlasts Npgsql's default 30 s. Ctrl+C cancels
    /// it on the server instead, and the transaction rolls back.
    /// </summary>
    public T RunLong<T>(NpgsqlCommand command, Func<NpgsqlCommand, T> run)
    {
        EndCopy();
        command.CommandTimeout = 0;
        Cancellation.ThrowIfCancellationRequested();
        using (Cancellation.Register(command.Cancel))
        {
            try
            {
                return run(command);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.QueryCanceled && Cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException($"Cancelled on {DisplayName}; the transaction is rolled back.", ex, Cancellation);
            }
        }
    }

    /// <summary>The columns every COPY of events ends with, in the order <see cref="AddEvent"/> writes them.</summary>
    public const string EventColumns = "\"timestamp\", \"aggregateId\", \"type\", \"payload\", \"eventSize\"";

    /// <summary>
    /// Writes one event into the COPY given by <paramref name="copySql"/>, begun at its first row (and again after
    /// other statements): <paramref name="leadingColumns"/> writes the columns the COPY names before
    /// <see cref="EventColumns"/>, if any, then come those. Errors name the event.
    /// </summary>
    public void AddEvent(string copySql, ResolveEvent e, long eventSize, Action<NpgsqlBinaryImporter, ResolveEvent>? leadingColumns = null)
    {
        try
        {
            _copy ??= Connection.BeginBinaryImport(copySql);
            _copy.StartRow();
            leadingColumns?.Invoke(_copy, e);
            _copy.Write(e.Timestamp, NpgsqlDbType.Bigint);
            _copy.Write(e.AggregateId, NpgsqlDbType.Varchar);
            _copy.Write(e.Type, NpgsqlDbType.Varchar);
            _copy.Write(e.PayloadJson, NpgsqlDbType.Jsonb);
            _copy.Write(eventSize, NpgsqlDbType.Bigint);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnections.Translate(ex, DisplayName, e);
        }
    }

    /// <summary>Sends the rows of the COPY in progress; its constraint and JSON errors surface here.</summary>
    public void EndCopy()
    {
        if (_copy is null) return;
        _copy.Complete();
        _copy.Dispose();
        _copy = null;
    }

    public void Translated(Action action) => Translated(() =>
    {
        action();
        return true;
    });

    public T Translated<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnections.Translate(ex, DisplayName);
        }
    }

    public void Commit() => Translated(() =>
    {
        EndCopy();
        _transaction.Commit();
        _committed = true;
    });

    public void Dispose()
    {
        try
        {
            // Without Complete() the COPY is cancelled.
            _copy?.Dispose();
        }
        catch (NpgsqlException)
        {
            // The COPY already failed; the rollback below undoes it all the same.
        }
        if (!_committed)
        {
            try { _transaction.Rollback(); }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException) { /* the connection is broken: the server rolls back */ }
        }
        _transaction.Dispose();
        Connection.Dispose();
    }
}
