using System.Diagnostics;
using EventStoreTools.Core.Incremental;
using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// One push into lite's "events-incremental-import" table: one BEGIN IMMEDIATE transaction with a reused
/// prepared bulk INSERT, as reSolve's pushIncrementalImport writes the rows (threadId = timestamp % 256, payload as
/// its JSON text). reSolve sends an empty push as "VALUES ;" and fails; here it is a no-op.
/// The same transaction can also hold the start and the commit of the import (<see cref="BeginWithNewImport"/>
/// and <see cref="Complete"/>): the one-shot import, which leaves nothing behind when it does not complete.
/// </summary>
internal sealed class SqliteIncrementalImportPush : IIncrementalImportPush, IIncrementalImportSession
{
    private const string InsertSql = """
        INSERT INTO "events-incremental-import"("timestamp", "aggregateId", "type", "payload", "threadId")
        VALUES ($timestamp, $aggregateId, $type, $payload, $threadId)
        """;

    private readonly string _path;
    private readonly CancellationToken _cancellation;
    private readonly SqliteConnection _connection;
    private readonly CancellationTokenRegistration _interrupt;
    private SqliteBulkInsert? _insert;
    private int _timestamp, _aggregateId, _type, _payload, _threadId;
    private bool _startedImport;
    private int _largestPayloadBytes;
    private bool _finished;

    private SqliteIncrementalImportPush(string path, SqliteConnection connection, CancellationToken cancellation)
    {
        _path = path;
        _cancellation = cancellation;
        _connection = connection;
        _interrupt = SqliteConnections.InterruptOnCancel(connection, cancellation);
    }

    /// <summary>Prepared once the import table is known to exist.</summary>
    private void PrepareInsert()
    {
        var insert = _insert = new SqliteBulkInsert(_connection, InsertSql);
        (_timestamp, _aggregateId, _type, _payload, _threadId) = (insert.Parameter("$timestamp"),
            insert.Parameter("$aggregateId"), insert.Parameter("$type"), insert.Parameter("$payload"), insert.Parameter("$threadId"));
    }

    public string ImportId { get; private set; } = "";

    public long EventCount { get; private set; }

    /// <summary>A push into the open import with this id (Add-IncrementalImport).</summary>
    public static SqliteIncrementalImportPush Begin(string path, string importId, CancellationToken cancellation = default) =>
        Open(path, cancellation, connection =>
        {
            SqliteIncrementalImport.RequireOwnedBy(connection, importId);
            return importId;
        });

    /// <summary>A push into a new import, started in the push's own transaction (Import-EventStore -Incremental).</summary>
    public static SqliteIncrementalImportPush BeginWithNewImport(string path, CancellationToken cancellation = default) =>
        Open(path, cancellation, connection => SqliteIncrementalImport.StartOn(connection, path), startsImport: true);

    /// <param name="openImport">Runs first in the transaction and gives the id of the import pushed into.</param>
    private static SqliteIncrementalImportPush Open(string path, CancellationToken cancellation, Func<SqliteConnection, string> openImport, bool startsImport = false)
    {
        var connection = SqliteConnections.OpenExistingForWrite(path, cancellation);
        SqliteIncrementalImportPush push;
        try
        {
            push = new SqliteIncrementalImportPush(path, connection, cancellation) { _startedImport = startsImport };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        try
        {
            return SqliteIncrementalImport.Translated(path, () =>
            {
                SqliteIncrementalImport.BeginWrite(connection, cancellation);
                push.ImportId = openImport(connection);
                push.PrepareInsert();
                return push;
            }, cancellation);
        }
        catch
        {
            push.Dispose();
            throw;
        }
    }

    public void Add(ResolveEvent e)
    {
        EventValidation.RequireImportable(e);
        var insert = _insert!;
        insert.Bind(_timestamp, e.Timestamp);
        insert.Bind(_aggregateId, e.AggregateId);
        insert.Bind(_type, e.Type);
        var payload = e.PayloadUtf8;
        _largestPayloadBytes = Math.Max(_largestPayloadBytes, payload.Length);
        insert.BindPayload(_payload, payload);
        insert.Bind(_threadId, e.Timestamp % EventValidation.ThreadCount);
        try
        {
            insert.Execute();
        }
        catch (SqliteException ex) when (_cancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException($"The push into '{_path}' was cancelled and rolled back.", ex, _cancellation);
        }
        catch (SqliteException ex)
        {
            var translated = SqliteConnections.Translate(ex, _path);
            throw new EventStoreException(translated.Kind, translated.Message, ex) { Event = e };
        }
        EventCount++;
    }

    /// <summary>Stores the pushed events durably, all together.</summary>
    public void Commit() => SqliteIncrementalImport.Translated(_path, () =>
    {
        SqliteIncrementalImport.CommitWrite(_connection, _cancellation);
        return _finished = true;
    }, _cancellation);

    /// <summary>Imports the pushed events (of this and earlier pushes) and closes the import, in this push's transaction.</summary>
    public IncrementalImportSummary Complete() => Finish(commit: true);

    /// <summary>Runs the commit's statements, then rolls everything back: the store is left as it was.</summary>
    public IncrementalImportSummary Preview() => Finish(commit: false);

    private IncrementalImportSummary Finish(bool commit)
    {
        var clock = Stopwatch.StartNew();
        _insert?.Dispose();
        _insert = null;
        return SqliteIncrementalImport.Translated(_path, () =>
        {
            var summary = SqliteIncrementalImport.CompleteOn(_connection, _path, ImportId, clock, _cancellation, _largestPayloadBytes);
            // An import begun in this transaction that adds nothing leaves its store byte for byte as it was.
            if (!commit || summary.ImportedCount == 0 && _startedImport) SqliteConnections.RollBack(_connection);
            else SqliteIncrementalImport.CommitWrite(_connection, _cancellation);
            _finished = true;
            return summary;
        }, _cancellation);
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _insert?.Dispose();
        if (!_finished) SqliteConnections.RollBack(_connection);
        _connection.Dispose();
    }
}
