using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace EventStoreTools.Core.Postgres;

/// <summary>
/// Writes events into an eventstore-postgresql schema with one binary COPY in one transaction, keeping thread
/// ids, counters, versions and timestamps as given, and moving events-threads forward at the end. Until
/// <see cref="Commit"/> nothing is visible; disposing without a commit rolls everything back, tables created
/// or dropped by this import included (PostgreSQL's DDL is transactional). reSolve instead freezes the store,
/// drops it before the first batch and inserts 200-event batches, so an error leaves it wiped, half-filled or
/// frozen.
/// </summary>
public sealed class PostgresEventImport : IEventImport
{
    /// <summary>reSolve's RESERVED_EVENT_SIZE: "3 reserved BIGINT fields with commas".</summary>
    internal const int ReservedEventSize = 66;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly PostgresSchema _schema;
    private readonly string _displayName;
    private NpgsqlBinaryImporter? _copy;
    private bool _rebuildIndexes;
    private bool _committed;

    private PostgresEventImport(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresSchema schema, string displayName)
    {
        _connection = connection;
        _transaction = transaction;
        _schema = schema;
        _displayName = displayName;
    }

    public long EventCount { get; private set; }

    public long ExistingEventCount { get; private set; }

    public static PostgresEventImport Begin(string connectionString, string schemaName, string displayName, ImportMode mode)
    {
        var connection = PostgresConnections.Open(connectionString, displayName);
        PostgresEventImport? import = null;
        try
        {
            import = new PostgresEventImport(connection, connection.BeginTransaction(), new PostgresSchema(schemaName), displayName);
            import.Prepare(mode);
            return import;
        }
        catch (Exception ex)
        {
            if (import is not null) import.Dispose();
            else connection.Dispose();
            if (ex is NpgsqlException npgsql) throw PostgresConnections.Translate(npgsql, displayName);
            throw;
        }
    }

    private void Prepare(ImportMode mode)
    {
        PostgresConnections.LockImports(_connection, _schema);
        if (!PostgresConnections.EventsTableExists(_connection, _schema))
        {
            PostgresConnections.Execute(_connection, $"CREATE SCHEMA IF NOT EXISTS {_schema.Quoted}");
            CreateEventStore();
        }
        else if (mode == ImportMode.Replace)
        {
            foreach (var sql in _schema.DropEvents()) PostgresConnections.Execute(_connection, sql);
            CreateEventStore();
        }
        else
        {
            ExistingEventCount = (long)PostgresConnections.Scalar(_connection, $"SELECT count(*) FROM {_schema.Events}")!;
            if (ExistingEventCount > 0 && mode == ImportMode.FailIfNotEmpty)
                throw new EventStoreException(EventStoreErrorKind.TargetNotEmpty,
                    $"The store {_displayName} already holds {ExistingEventCount} events. Use -Append to add to them or -Replace to replace them.");
            if (ExistingEventCount == 0)
            {
                // Building the indexes once after the load is much faster than keeping them up to date.
                foreach (var sql in _schema.DropEventIndexes()) PostgresConnections.Execute(_connection, sql);
                _rebuildIndexes = true;
            }
        }
    }

    /// <summary>The COPY of events, begun at the first event (and again after secrets, which need the connection).</summary>
    private NpgsqlBinaryImporter Copy => _copy ??= _connection.BeginBinaryImport($"""
        COPY {_schema.Events}("threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload", "eventSize")
        FROM STDIN (FORMAT BINARY)
        """);

    /// <summary>Sends the rows of the COPY in progress; its constraint and JSON errors surface here.</summary>
    private void EndCopy()
    {
        if (_copy is null) return;
        _copy.Complete();
        _copy.Dispose();
        _copy = null;
    }

    private void CreateEventStore()
    {
        try
        {
            foreach (var sql in _schema.CreateEventStore(withEventIndexes: false)) PostgresConnections.Execute(_connection, sql);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateTable)
        {
            throw new EventStoreException(EventStoreErrorKind.NotAnEventStore,
                $"The schema \"{_schema.Name}\" of {_displayName} holds tables of another kind but no \"events\" table ({ex.MessageText}). Import into another schema instead.", ex);
        }
        _rebuildIndexes = true;
    }

    public void Add(ResolveEvent e)
    {
        EventValidation.RequireStorable(e);
        try
        {
            var copy = Copy;
            copy.StartRow();
            copy.Write((long)e.ThreadId, NpgsqlDbType.Bigint);
            copy.Write(e.ThreadCounter, NpgsqlDbType.Bigint);
            copy.Write(e.Timestamp, NpgsqlDbType.Bigint);
            copy.Write(e.AggregateId, NpgsqlDbType.Varchar);
            copy.Write(e.AggregateVersion, NpgsqlDbType.Bigint);
            copy.Write(e.Type, NpgsqlDbType.Varchar);
            copy.Write(e.PayloadJson, NpgsqlDbType.Jsonb);
            copy.Write(EventSize(e), NpgsqlDbType.Bigint);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnections.Translate(ex, _displayName, e);
        }
        EventCount++;
    }

    /// <summary>
    /// reSolve's eventSize: the UTF-8 length of the SQL fragment its injectEvents inlines
    /// (<c>'aggregateId',version,'type','payload'</c>, quotes doubled) plus <see cref="ReservedEventSize"/>.
    /// </summary>
    internal static long EventSize(ResolveEvent e) =>
        ReservedEventSize + Encoding.UTF8.GetByteCount($"{Quote(e.AggregateId)},{e.AggregateVersion.ToString(CultureInfo.InvariantCulture)},{Quote(e.Type)},{Quote(e.PayloadJson)}");

    /// <summary>reSolve's escape(): a string literal with single quotes doubled.</summary>
    internal static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    public long SecretCount { get; private set; }

    public void DropSecrets()
    {
        Run(() =>
        {
            EndCopy();
            PostgresConnections.Execute(_connection, $"""DELETE FROM {_schema.Quoted}."secrets" """);
        });
    }

    /// <summary>Inserts a secret keeping its idx, as the restore of a backup needs, in the events' transaction.</summary>
    public void AddSecret(ResolveSecret secret)
    {
        Run(() =>
        {
            EndCopy();
            using var command = new NpgsqlCommand($"""INSERT INTO {_schema.Quoted}."secrets"("idx", "id", "secret") VALUES (@idx, @id, @secret)""", _connection);
            command.Parameters.AddWithValue("idx", secret.Idx);
            command.Parameters.AddWithValue("id", secret.Id);
            command.Parameters.AddWithValue("secret", NpgsqlDbType.Text, (object?)secret.Secret ?? DBNull.Value);
            try
            {
                command.ExecuteNonQuery();
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new EventStoreException(EventStoreErrorKind.DuplicateSecret,
                    $"A secret with id '{secret.Id}' or idx {secret.Idx} is already in the store or earlier in the input.", ex) { Event = secret };
            }
        });
        SecretCount++;
    }

    private void Run(Action action)
    {
        try
        {
            action();
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnections.Translate(ex, _displayName);
        }
    }

    public void Commit()
    {
        try
        {
            EndCopy();
            if (SecretCount > 0) PostgresConnections.Execute(_connection, _schema.MoveSecretsSequenceForward);
            if (_rebuildIndexes)
            {
                foreach (var (_, sql) in _schema.EventIndexes) PostgresConnections.Execute(_connection, sql);
            }
            PostgresConnections.Execute(_connection, _schema.MoveThreadsForward);
            _transaction.Commit();
            _committed = true;
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnections.Translate(ex, _displayName);
        }
    }

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
        _connection.Dispose();
    }
}
