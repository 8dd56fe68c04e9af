using System.Diagnostics;
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
    private readonly PostgresWriteTransaction _write;
    private readonly PostgresSchema _schema;
    private readonly string _copyEvents;
    private bool _rebuildIndexes;
    private bool _rebuildPrimaryKey;
    private bool _deferIndexBuild;

    private PostgresEventImport(PostgresWriteTransaction write)
    {
        _write = write;
        _schema = write.Schema;
        _copyEvents = $"""
            COPY {_schema.Events}("threadId", "threadCounter", "aggregateVersion", {PostgresWriteTransaction.EventColumns})
            FROM STDIN (FORMAT BINARY)
            """;
    }

    /// <summary>The server memory each index build of a load may sort in (the server's own, not this process's).</summary>
    private const string IndexBuildMemory = "256MB";

    public long EventCount { get; private set; }

    public long ExistingEventCount { get; private set; }

    public static PostgresEventImport Begin(string connectionString, string schemaName, string displayName, ImportMode mode, CancellationToken cancellation = default) =>
        PostgresWriteTransaction.Begin(connectionString, schemaName, displayName, cancellation, write =>
        {
            var import = new PostgresEventImport(write);
            import.Prepare(mode);
            return import;
        });

    private void Prepare(ImportMode mode)
    {
        var connection = _write.Connection;
        var hasEvents = PostgresConnections.EventsTableExists(connection, _schema);
        // Before anything is dropped or written: -Replace of another application's "events" table must not drop it.
        if (hasEvents) PostgresConnections.RequireResolveTables(connection, _schema, _write.DisplayName);
        if (!hasEvents)
        {
            _write.Execute($"CREATE SCHEMA IF NOT EXISTS {_schema.Quoted}");
            CreateEventStore();
            EventStoreLog.Write($"Created reSolve's tables in schema \"{_schema.Name}\"; the primary key and the indexes are built after the load.");
        }
        else if (mode == ImportMode.Replace)
        {
            // Reported, so that a replace says what it dropped.
            ExistingEventCount = (long)PostgresConnections.Scalar(connection, $"SELECT count(*) FROM {_schema.Events}")!;
            EventStoreLog.Write($"Replacing: dropping the stored {Quantity.Of(ExistingEventCount, "event")} and re-creating the tables.");
            // reSolve's dropEvents drops the freeze marker too; a frozen store must come out of a replace frozen.
            var frozen = PostgresConnections.TableExists(connection, _schema, PostgresSchema.FreezeTable);
            foreach (var sql in _schema.DropEvents()) _write.Execute(sql);
            CreateEventStore();
            if (frozen)
                foreach (var sql in _schema.CreateFreezeTable()) _write.Execute(sql);
        }
        else
        {
            ExistingEventCount = (long)PostgresConnections.Scalar(connection, $"SELECT count(*) FROM {_schema.Events}")!;
            if (ExistingEventCount > 0 && mode == ImportMode.IntoEmptyStore)
                throw new EventStoreException(EventStoreErrorKind.TargetNotEmpty,
                    $"The store {_write.DisplayName} already holds {Quantity.Of(ExistingEventCount, "event")}. Use -Append to add to them or -Replace to replace them.");
            EventStoreLog.Write($"{(mode == ImportMode.Append ? "Appending" : "Importing into an empty store")}: the store holds {Quantity.Of(ExistingEventCount, "event")}.");
            // Building the indexes once after the load is much faster than keeping them up to date; a store that a
            // deferred commit left without them gets them at this commit (see DeferIndexBuild).
            if (ExistingEventCount == 0 || !_schema.EventIndexes.All(index => PostgresConnections.TableExists(connection, _schema, index.Name)))
            {
                foreach (var sql in _schema.DropEventIndexes()) _write.Execute(sql);
                _rebuildIndexes = true;
            }
        }
    }

    private void CreateEventStore()
    {
        try
        {
            foreach (var sql in _schema.CreateEventStore(withEventIndexes: false)) _write.Execute(sql);
            _write.Execute(_schema.DropEventsPrimaryKey);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateTable)
        {
            throw new EventStoreException(EventStoreErrorKind.NotAnEventStore,
                $"The schema \"{_schema.Name}\" of {_write.DisplayName} holds tables of another kind but no \"events\" table ({ex.MessageText}). Import into another schema instead.", ex);
        }
        _rebuildIndexes = true;
        _rebuildPrimaryKey = true;
    }

    public void Add(ResolveEvent e)
    {
        EventValidation.RequireStorable(e);
        _write.AddEvent(_copyEvents, e, PostgresEventSize.OfInjected(e), static (copy, e) =>
        {
            copy.Write((long)e.ThreadId, NpgsqlDbType.Bigint);
            copy.Write(e.ThreadCounter, NpgsqlDbType.Bigint);
            copy.Write(e.AggregateVersion, NpgsqlDbType.Bigint);
        });
        EventCount++;
    }

    public long SecretCount { get; private set; }

    public void DropSecrets() => _write.Translated(() => _write.Execute($"""DELETE FROM {_schema.Quoted}."secrets" """));

    /// <summary>Inserts a secret keeping its idx, as the restore of a backup needs, in the events' transaction.</summary>
    public void AddSecret(ResolveSecret secret)
    {
        _write.Translated(() =>
        {
            _write.EndCopy();
            using var command = new NpgsqlCommand($"""INSERT INTO {_schema.Quoted}."secrets"("idx", "id", "secret") VALUES (@idx, @id, @secret)""", _write.Connection);
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
                    $"A secret with id '{secret.Id}' or idx {secret.Idx} is already in the store or earlier in the input.", ex) { Event = secret.Key };
            }
        });
        SecretCount++;
    }

    public void DeferIndexBuild() => _deferIndexBuild = true;

    public void Commit()
    {
        _write.Translated(() =>
        {
            EventStoreLog.Write($"Wrote {Quantity.Of(EventCount, "event")} and {Quantity.Of(SecretCount, "secret")} into {_write.DisplayName}.");
            if (SecretCount > 0) _write.Execute(_schema.MoveSecretsSequenceForward);
            if (_rebuildIndexes && _deferIndexBuild)
            {
                // The primary key is never left out: reads by key (a mirror's resumption) need it.
                if (_rebuildPrimaryKey) _write.Execute(_schema.AddEventsPrimaryKey);
            }
            else if (_rebuildIndexes)
            {
                var clock = Stopwatch.StartNew();
                // For this transaction only: the sorts of the index builds stay in memory (the default 64 MB
                // spills a million events to disk).
                _write.Execute($"SET LOCAL maintenance_work_mem = '{IndexBuildMemory}'");
                if (_rebuildPrimaryKey) _write.Execute(_schema.AddEventsPrimaryKey);
                foreach (var (_, sql) in _schema.EventIndexes) _write.Execute(sql);
                EventStoreLog.Write($"Built the indexes in {EventStoreLog.Seconds(clock)}.");
            }
            _write.Execute(_schema.MoveThreadsForward);
        });
        var commit = Stopwatch.StartNew();
        _write.Commit();
        EventStoreLog.Write($"Committed in {EventStoreLog.Seconds(commit)}.");
    }

    public void Dispose() => _write.Dispose();
}
