using EventStoreTools.Core.Files;
using EventStoreTools.Core.Incremental;

namespace EventStoreTools.Core.Sqlite;

/// <summary>A reSolve eventstore-lite store: one SQLite file with reSolve's default table names.</summary>
public sealed class SqliteEventStore : IEventStore
{
    private readonly CancellationToken _cancellation;

    /// <param name="path">The store file.</param>
    /// <param name="cancellation">Ends waits for other processes' locks (Ctrl+C), which SQLite would otherwise sit out.</param>
    public SqliteEventStore(string path, CancellationToken cancellation = default)
    {
        Path = path;
        _cancellation = cancellation;
    }

    public string Path { get; }

    public string DisplayName => Path;

    public string Identity
    {
        get
        {
            var full = System.IO.Path.GetFullPath(Path);
            var target = File.Exists(full) ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full : full;
            // Windows and macOS name a file in any letter case.
            return OperatingSystem.IsLinux() ? target : target.ToUpperInvariant();
        }
    }
    public bool KeepsPayloadText => true;

    public bool Exists() => File.Exists(Path);

    public IEventSource OpenSource() => SqliteEventReader.Open(Path, _cancellation);

    public IEventImport BeginImport(ImportMode mode, NewFileAccess? newStoreAccess = null) => SqliteEventImport.Begin(Path, mode, _cancellation, newStoreAccess);

    public bool IsSameFileAs(string path) => FileIdentity.AreSameFile(Path, path);

    public IReadOnlyList<string> RemoveStaleTemporaryFiles() =>
        StaleTemporaryFiles.RemoveIn(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
    public bool SetFrozen(bool frozen)
    {
        using var connection = SqliteConnections.OpenExistingForWrite(Path, _cancellation);
        try
        {
            // IMMEDIATE: the write lock, which reSolve's writer holds while it saves, so no save is half done.
            SqliteConnections.ScalarWhenNotBusy(connection, "BEGIN IMMEDIATE", _cancellation);
            if (SqliteConnections.TableExists(connection, SqliteSchema.FreezeTable) == frozen)
            {
                SqliteConnections.Execute(connection, "ROLLBACK");
                return false;
            }
            SqliteConnections.Execute(connection, frozen ? SqliteSchema.CreateFreezeTable : SqliteSchema.DropFreezeTable);
            SqliteConnections.ScalarWhenNotBusy(connection, "COMMIT", _cancellation);
            return true;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw SqliteConnections.Translate(ex, Path);
        }
    }

    public string? OpenIncrementalImportId() => SqliteIncrementalImport.OpenImportId(Path);

    public string StartIncrementalImport() => SqliteIncrementalImport.Start(Path, _cancellation);

    public IIncrementalImportPush BeginIncrementalImportPush(string importId) => SqliteIncrementalImport.BeginPush(Path, importId, _cancellation);

    public IIncrementalImportSession BeginIncrementalImport() => SqliteIncrementalImport.BeginSession(Path, _cancellation);

    public IncrementalImportSummary CompleteIncrementalImport(string importId) => SqliteIncrementalImport.Complete(Path, importId, _cancellation);

    public IncrementalImportUndo? UndoIncrementalImport(string? importId = null) => SqliteIncrementalImport.Undo(Path, importId, _cancellation);
}
