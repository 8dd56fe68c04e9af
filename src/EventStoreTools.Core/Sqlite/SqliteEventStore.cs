using EventStoreTools.Core.Incremental;

namespace EventStoreTools.Core.Sqlite;

/// <summary>A reSolve eventstore-lite store: one SQLite file with reSolve's default table names.</summary>
public sealed class SqliteEventStore : IEventStore
{
    public SqliteEventStore(string path) => Path = path;

    public string Path { get; }

    public string DisplayName => Path;

    public bool Exists() => File.Exists(Path);

    public IEventSource OpenSource() => SqliteEventReader.Open(Path);

    public IEventImport BeginImport(ImportMode mode) => SqliteEventImport.Begin(Path, mode);

    public string? OpenIncrementalImportId() => SqliteIncrementalImport.OpenImportId(Path);

    public string StartIncrementalImport() => SqliteIncrementalImport.Start(Path);

    public IIncrementalImportPush BeginIncrementalImportPush(string importId) => SqliteIncrementalImport.BeginPush(Path, importId);

    public IncrementalImportSummary CompleteIncrementalImport(string importId) => SqliteIncrementalImport.Complete(Path, importId);

    public IncrementalImportUndo? UndoIncrementalImport(string? importId = null) => SqliteIncrementalImport.Undo(Path, importId);
}
