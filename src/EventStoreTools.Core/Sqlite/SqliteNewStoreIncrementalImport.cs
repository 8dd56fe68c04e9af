using EventStoreTools.Core.Files;
using EventStoreTools.Core.Incremental;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// An incremental import into a SQLite file that does not exist yet (reSolve's incrementalImport into an empty store
/// imports everything): reSolve's tables and the whole import are built in a temporary file beside the path, which is
/// moved into place when the import completes, as a plain import's new store is, and deleted otherwise. The path
/// then holds the whole result or nothing, never an empty store left by a failed import.
/// </summary>
internal sealed class SqliteNewStoreIncrementalImport : IIncrementalImportSession
{
    private readonly string _path;
    private readonly OwnedTemporaryFile _workFile;
    private readonly IIncrementalImportSession _inner;
    private bool _published;

    private SqliteNewStoreIncrementalImport(string path, OwnedTemporaryFile workFile, IIncrementalImportSession inner)
    {
        _path = path;
        _workFile = workFile;
        _inner = inner;
    }

    public static IIncrementalImportSession Begin(string path, CancellationToken cancellation)
    {
        var workFile = SqliteEventImport.NewStoreWorkFile(path, access: null);
        try
        {
            using (var schema = SqliteEventImport.Begin(workFile.Path, ImportMode.IntoEmptyStore, cancellation)) schema.Commit();
            EventStoreLog.Write($"Created reSolve's tables in '{workFile.Path}', which becomes '{path}' when the incremental import completes.");
            return new SqliteNewStoreIncrementalImport(path, workFile, SqliteIncrementalImportPush.BeginWithNewImport(workFile.Path, cancellation));
        }
        catch
        {
            DeleteWork(workFile);
            throw;
        }
    }

    public string ImportId => _inner.ImportId;

    public long EventCount => _inner.EventCount;

    public void Add(ResolveEvent e) => _inner.Add(e);

    public IncrementalImportSummary Complete()
    {
        var summary = _inner.Complete();
        _inner.Dispose();
        try
        {
            File.Move(_workFile.Path, _path, overwrite: false);
            _published = true;
            EventStoreLog.Write($"Renamed '{_workFile.Path}' to '{_path}'.");
        }
        catch (IOException ex) when (File.Exists(_path) || Directory.Exists(_path))
        {
            throw new EventStoreException(EventStoreErrorKind.TargetNotEmpty,
                $"The store '{_path}' was created by another process while this import ran; nothing was imported into it. Run the incremental import again: it adds what that store lacks.", ex);
        }
        return summary with { Store = _path };
    }

    /// <summary>The dry run: worked out in the temporary file, which is then deleted; the path is never created.</summary>
    public IncrementalImportSummary Preview() => _inner.Preview() with { Store = _path };

    public void Dispose()
    {
        _inner.Dispose();
        if (!_published) DeleteWork(_workFile);
        else _workFile.Dispose();
    }

    private static void DeleteWork(OwnedTemporaryFile workFile)
    {
        File.Delete(workFile.Path + "-journal");
        workFile.Dispose();
    }
}
