namespace EventStoreTools.Core.Files;

/// <summary>
/// Writes one or more files so that each is replaced as a whole and a set of them (a backup folder's events.db
/// and secrets.db) together: every file is written under its own unique temporary name beside its target
/// (<see cref="OwnedTemporaryFile"/>) and moved into place only by <see cref="Commit"/>. Until then, and after
/// any failure (disk full, Ctrl+C, an error), the targets are untouched and <see cref="Dispose"/> removes the
/// temporaries.
/// <para>
/// A symbolic link as a target is followed by default: the file it points to is replaced and the link stays (the
/// rule for a file the user names, as of most tools that write through a link). A file whose name the module
/// chooses (a backup folder's files, a manifest) is given as <see cref="OutputFile.ReplaceLink"/>: a link there is
/// replaced by the file, and what it pointed to is left alone.
/// </para>
/// <para>
/// Files to remove (another backup's files in the same folder) go in the same swap: moved aside with the old
/// files, deleted with them, and put back by a failure.
/// </para>
/// <para>
/// Nothing is overwritten that changed while the output was written: the state of each target (absent, or its
/// identity, length and last write) is taken at the start, and a target that appeared, was replaced or was
/// written since fails the commit with <see cref="EventStoreErrorKind.OutputChanged"/>, leaving it as the other
/// writer left it. What is checked is the moment before the rename; a write in the microseconds between check
/// and rename is not seen.
/// </para>
/// <para>
/// A set of files is swapped in two steps: every existing target is first renamed aside
/// (".&lt;name&gt;.&lt;id&gt;.replaced"), then every new file is renamed in, then the old ones are deleted; a failure
/// on the way moves everything back. So the folder never holds a mix of old and new files. A process killed
/// (kill -9) between the renames leaves the folder with some of the files missing (a restore then refuses it, as
/// it needs all of them); the old files are kept as ".&lt;name&gt;.&lt;id&gt;.replaced" beside it, for the user to
/// rename back; they are never deleted automatically.
/// </para>
/// </summary>
public sealed class AtomicFileOutput : IDisposable
{
    /// <summary>A file to write: a symbolic link at <paramref name="Path"/> is followed unless <paramref name="ReplaceLink"/>.</summary>
    public sealed record OutputFile(string Path, bool ReplaceLink = false, bool HoldsSecrets = false);

    public const string ReplacedSuffix = ".replaced";

    private readonly Target[] _targets;

    private AtomicFileOutput(Target[] targets) => _targets = targets;

    /// <summary>Tests: a failure between the renames of a set, at rename number n (1-based).</summary>
    internal Action<int>? BeforeRename { get; set; }

    /// <summary>Starts writing the files; each <see cref="Stream"/> is the temporary standing in for one of them.</summary>
    public static AtomicFileOutput Begin(params IReadOnlyList<string> paths) => Begin(paths.Select(path => new OutputFile(path)).ToList(), []);

    /// <summary>
    /// Starts writing <paramref name="files"/>; <paramref name="remove"/> are deleted in the same swap (links themselves,
    /// never followed). Each file is created as readable as the file it replaces at most (a 0600 export stays 0600: the
    /// rename would otherwise give the umask's 0644), and those that hold secrets by their owner only.
    /// </summary>
    public static AtomicFileOutput Begin(IReadOnlyList<OutputFile> files, IReadOnlyList<string> remove)
    {
        var targets = new List<Target>();
        try
        {
            foreach (var file in files) targets.Add(Target.Begin(file.Path, !file.ReplaceLink, file.HoldsSecrets));
            foreach (var path in remove) targets.Add(Target.BeginRemoval(path));
            return new AtomicFileOutput([.. targets]) { Count = files.Count };
        }
        catch
        {
            foreach (var target in targets) target.Temporary?.Dispose();
            throw;
        }
    }

    /// <summary>The file that will be replaced for the path given at <paramref name="index"/> (symbolic links followed unless replaced).</summary>
    public string TargetPath(int index) => _targets[index].Path;

    /// <summary>How many files this output writes.</summary>
    public int Count { get; private init; }

    /// <summary>Where to write the file given at <paramref name="index"/>.</summary>
    public Stream Stream(int index) => _targets[index].Temporary!.Stream;

    /// <summary>The temporary file the output is written to until <see cref="Commit"/>.</summary>
    public string TemporaryPath(int index) => _targets[index].Temporary!.Path;

    /// <summary>Moves every file into place and the files to remove out, all or none.</summary>
    public void Commit()
    {
        foreach (var target in _targets) target.Temporary?.Stream.Flush(flushToDisk: true);
        // The check and the renames of one output are one step for the exports of this process (runspaces of one
        // pwsh): two exports to one path that both passed the check before either renamed could otherwise both go on
        // with their swaps of several files and leave neither.
        lock (CommitGates.GetOrAdd(_targets[0].Path, _ => new object()))
        {
            foreach (var target in _targets) target.RequireUnchanged();
            if (_targets.Length == 1) _targets[0].MoveIn();
            else SwapAll();
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> CommitGates = new(StringComparer.Ordinal);

    private void SwapAll()
    {
        var renames = 0;
        try
        {
            foreach (var target in _targets)
            {
                BeforeRename?.Invoke(++renames);
                target.MoveAside();
            }
            foreach (var target in _targets)
            {
                BeforeRename?.Invoke(++renames);
                target.MoveIn();
            }
        }
        catch
        {
            RollBack();
            throw;
        }
        foreach (var target in _targets) target.DeleteAside();
    }

    private void RollBack()
    {
        var failures = new List<Exception>();
        foreach (var target in _targets.Reverse())
        {
            try
            {
                target.MoveBack();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures.Add(ex);
            }
        }
        if (failures.Count > 0)
        {
            var kept = string.Join(", ", _targets.Where(t => t.AsidePath is not null && File.Exists(t.AsidePath)).Select(t => $"'{t.AsidePath}'"));
            throw new IOException($"Replacing the files failed and so did putting the old ones back; they are kept as {kept}.", new AggregateException(failures));
        }
    }

    /// <summary>Removes the temporaries of an output that was not committed; the targets stay as they were.</summary>
    public void Dispose()
    {
        foreach (var target in _targets) target.Temporary?.Dispose();
    }

    private sealed class Target
    {
        private Target(string path, FileIdentity? before, OwnedTemporaryFile? temporary, bool followLinks)
        {
            Path = path;
            Before = before;
            Temporary = temporary;
            _followLinks = followLinks;
        }

        public string Path { get; }

        private FileIdentity? Before { get; }

        /// <summary>The new file; null for a file to remove.</summary>
        public OwnedTemporaryFile? Temporary { get; }

        public string? AsidePath { get; private set; }

        private readonly bool _followLinks;
        private bool _movedIn;

        public static Target Begin(string path, bool followLinks, bool holdsSecrets)
        {
            var real = followLinks ? FollowLinks(path) : System.IO.Path.GetFullPath(path);
            if (Directory.Exists(real) && (followLinks || new FileInfo(real).LinkTarget is null))
                throw new IOException($"Cannot write the file '{path}': it is a directory.");
            var folder = System.IO.Path.GetDirectoryName(real)!;
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Cannot write the file '{path}': the folder '{folder}' does not exist.");
            var before = FileIdentity.Of(real, followLinks);
            var access = holdsSecrets ? NewFileAccess.Private : NewFileAccess.NoWiderThan(real);
            var temporary = OwnedTemporaryFile.Create(real, OwnedTemporaryFile.ExportSuffix, access: access);
            try
            {
                if (before is not null) FileOwner.CopyTo(real, temporary.Stream);
            }
            catch
            {
                temporary.Dispose();
                throw;
            }
            return new Target(real, before, temporary, followLinks);
        }

        public static Target BeginRemoval(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            return new Target(full, FileIdentity.Of(full, followLinks: false), null, followLinks: false);
        }

        /// <summary>The file a chain of symbolic links ends at (which need not exist yet), or the path itself.</summary>
        private static string FollowLinks(string path)
        {
            var fullPath = System.IO.Path.GetFullPath(path);
            var info = new FileInfo(fullPath);
            return info.LinkTarget is null ? fullPath : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? fullPath;
        }

        public void RequireUnchanged()
        {
            var now = FileIdentity.Of(Path, _followLinks);
            // A file to remove that is gone already needs no removing.
            if (Temporary is null && now is null) return;
            var unchanged = Before is null ? now is null : Before.IsUnchangedIn(now);
            if (!unchanged)
            {
                throw new EventStoreException(EventStoreErrorKind.OutputChanged, now is null
                    ? $"The file '{Path}' was deleted by another process while this export wrote it; nothing was written."
                    : $"The file '{Path}' was written by another process (another export?) while this export wrote it; it was left as that process wrote it. Run the export again to replace it.");
            }
        }

        public void MoveAside()
        {
            if (Before is null || (Temporary is null && FileIdentity.Of(Path, followLinks: false) is null)) return;
            var aside = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!,
                OwnedTemporaryFile.HiddenName(System.IO.Path.GetFileName(Path), Temporary?.Id ?? Guid.NewGuid().ToString("N"), ReplacedSuffix));
            File.Move(Path, aside, overwrite: false);
            AsidePath = aside;
        }

        /// <summary>Never over a file: a target that appeared since the check is not clobbered.</summary>
        public void MoveIn()
        {
            if (Temporary is null) return;
            try
            {
                File.Move(Temporary.Path, Path, overwrite: Before is not null && AsidePath is null);
            }
            catch (IOException ex) when (File.Exists(Path) && (Before is null || AsidePath is not null))
            {
                throw new EventStoreException(EventStoreErrorKind.OutputChanged,
                    $"The file '{Path}' was created by another process while this export wrote it; it was left as that process wrote it.", ex);
            }
            _movedIn = true;
        }

        public void MoveBack()
        {
            if (_movedIn)
            {
                File.Move(Path, Temporary!.Path, overwrite: false);
                _movedIn = false;
            }
            if (AsidePath is not null)
            {
                File.Move(AsidePath, Path, overwrite: false);
                AsidePath = null;
            }
        }

        public void DeleteAside()
        {
            if (AsidePath is not null) File.Delete(AsidePath);
        }
    }
}
