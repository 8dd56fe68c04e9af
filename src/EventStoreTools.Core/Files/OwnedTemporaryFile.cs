namespace EventStoreTools.Core.Files;

/// <summary>
/// A hidden temporary file beside a target, named ".&lt;name&gt;.&lt;id&gt;&lt;suffix&gt;" (unique, in the same folder so that
/// moving it into place is a rename), held open with an OS lock for as long as its owner lives: an exclusive
/// flock on Unix, a handle that denies others exclusive access on Windows. <see cref="StaleTemporaryFiles"/>
/// takes that lock to tell a leftover of a killed process from a file in use; the OS drops the lock when the
/// process dies, however it dies.
/// </summary>
public sealed class OwnedTemporaryFile : IDisposable
{
    /// <summary>A new store being imported, until it is moved into place.</summary>
    public const string ImportSuffix = ".importing";

    /// <summary>An export being written, until it is moved into place.</summary>
    public const string ExportSuffix = ".exporting";

    private readonly FileStream? _stream;

    private OwnedTemporaryFile(string path, string id, FileStream? stream)
    {
        Path = path;
        Id = id;
        _stream = stream;
    }

    /// <summary>
    /// Whether a file that SQLite opens can carry our lock too. Linux keeps flock apart from SQLite's fcntl locks
    /// and Windows shares by mode; on macOS and the BSDs the two kinds of lock meet, so a held flock would block
    /// SQLite. There such a temporary is not held, and <see cref="StaleTemporaryFiles"/> leaves it alone.
    /// </summary>
    internal static bool CanHoldWhileOpenedByPath => OperatingSystem.IsLinux() || OperatingSystem.IsWindows();

    public string Path { get; }

    /// <summary>The unique part of the name.</summary>
    public string Id { get; }

    /// <summary>The open file (not for one that another library opens by its path).</summary>
    public FileStream Stream => _stream ?? throw new InvalidOperationException($"'{Path}' is opened by its path, not through this object.");

    /// <param name="target">The file this one stands in for (its folder and name give the temporary's).</param>
    /// <param name="suffix"><see cref="ImportSuffix"/> or <see cref="ExportSuffix"/>.</param>
    /// <param name="openedByPath">
    /// Another library (SQLite) opens the file by its path while it is held: Windows must let it, and this
    /// handle is then only the lock. Otherwise the file is written through <see cref="Stream"/>.
    /// </param>
    /// <param name="access">Who may read it (it becomes the target when moved into place): set as it is created, before any byte is written.</param>
    public static OwnedTemporaryFile Create(string target, string suffix, bool openedByPath = false, NewFileAccess? access = null)
    {
        access ??= NewFileAccess.Default;
        var fullPath = System.IO.Path.GetFullPath(target);
        var folder = System.IO.Path.GetDirectoryName(fullPath)!;
        var name = System.IO.Path.GetFileName(fullPath);
        // Unix: FileShare.None is what makes .NET take flock(LOCK_EX) (always, also where it skips shared locks).
        // Windows: share what the other library and the final rename need, deny the exclusive open of a cleaner.
        var share = !OperatingSystem.IsWindows() ? FileShare.None
            : openedByPath ? FileShare.ReadWrite | FileShare.Delete : FileShare.Delete;
        for (var attempt = 1; ; attempt++)
        {
            var id = Guid.NewGuid().ToString("N");
            var path = System.IO.Path.Combine(folder, HiddenName(name, id, suffix));
            FileStream stream;
            try
            {
                stream = access.Create(path, FileMode.CreateNew, FileAccess.ReadWrite, share, bufferSize: 1 << 16);
            }
            // On Unix the file is created before it is locked: a cleaner may take it in between. Another name then.
            catch (IOException ex) when (attempt < 3 && ex is not DirectoryNotFoundException)
            {
                continue;
            }
            if (!File.Exists(path))
            {
                stream.Dispose();
                continue;
            }
            if (openedByPath && !CanHoldWhileOpenedByPath)
            {
                stream.Dispose();
                return new OwnedTemporaryFile(path, id, null);
            }
            return new OwnedTemporaryFile(path, id, stream);
        }
    }

    /// <summary>
    /// The hidden name of a file that stands in for <paramref name="name"/>: ".name.id.suffix". A file name holds at
    /// most 255 bytes on the usual file systems, and SQLite adds "-journal" to a store's, so a long legal name is cut
    /// (at a character, never inside one) until the whole fits; the id keeps it unique.
    /// </summary>
    internal static string HiddenName(string name, string id, string suffix)
    {
        const int MaxNameBytes = 255 - 8;
        var budget = MaxNameBytes - (2 + id.Length + suffix.Length);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > budget)
        {
            var kept = new System.Text.StringBuilder();
            var bytes = 0;
            foreach (var rune in name.EnumerateRunes())
            {
                if (bytes + rune.Utf8SequenceLength > budget) break;
                kept.Append(rune.ToString());
                bytes += rune.Utf8SequenceLength;
            }
            name = kept.ToString();
        }
        return $".{name}.{id}{suffix}";
    }

    /// <summary>Deletes the file (if it was not moved into place) and lets go of the lock.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        finally
        {
            // What is still buffered belongs to a file that was not moved into place (a commit flushes first): a
            // write failing here (disk full) must not hide the error that ended the work.
            try { _stream?.Dispose(); }
            catch (IOException) { }
        }
    }
}
