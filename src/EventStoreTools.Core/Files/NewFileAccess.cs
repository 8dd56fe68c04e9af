using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;

namespace EventStoreTools.Core.Files;

/// <summary>
/// Who may read a file the module creates, decided before its first byte is written: a file holding secrets (a
/// backup's secrets.db, a store restored from a backup folder, a scratch copy of a backup) is its owner's only,
/// whatever the umask; a file that replaces one, or a store restored from an export, is never more readable than
/// that file; any other file gets the default (0666 less the umask, or the folder's inherited ACL on Windows).
/// </summary>
public sealed record NewFileAccess
{
    private const UnixFileMode ReadWriteBits =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private NewFileAccess(UnixFileMode? unixMode, bool ownerOnly)
    {
        UnixMode = unixMode;
        OwnerOnly = ownerOnly;
    }

    /// <summary>The mode the file is created with on Unix (the umask can only narrow it); null for the default.</summary>
    public UnixFileMode? UnixMode { get; }

    /// <summary>Readable and writable by its owner only (0600 on Unix, one owner-only entry in a protected ACL on Windows).</summary>
    public bool OwnerOnly { get; }

    /// <summary>The default of the system: 0666 less the umask; on Windows the folder's inherited ACL.</summary>
    public static NewFileAccess Default { get; } = new(null, false);

    /// <summary>A file that holds secrets.</summary>
    public static NewFileAccess Private { get; } = new(UnixFileMode.UserRead | UnixFileMode.UserWrite, true);

    /// <summary>
    /// At most as readable as an existing file (the file replaced, the export restored), read and write bits only
    /// (execute, setuid and the like are not carried over); the default when there is no such file. On Windows,
    /// where ACLs are not compared, the default.
    /// </summary>
    public static NewFileAccess NoWiderThan(string? existing)
    {
        if (existing is null || OperatingSystem.IsWindows() || !File.Exists(existing)) return Default;
        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(existing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Default;
        }
        return From(mode);
    }

    /// <summary>
    /// A store an import creates: from a backup folder (whose secrets.db it takes in) its owner's only; from an export
    /// file no more readable than that file; from the pipeline or standard input ("-") the default.
    /// </summary>
    public static NewFileAccess ForNewStore(bool fromBackupFolder, string? inputFile) =>
        fromBackupFolder ? Private : NoWiderThan(inputFile is null || Backups.CompressedFile.IsStandardStream(inputFile) ? null : inputFile);

    /// <summary>The access a new file gets beside (or instead of) a file with this mode: its read and write bits, never the owner's less than read and write.</summary>
    public static NewFileAccess From(UnixFileMode existing)
    {
        var mode = (existing & ReadWriteBits) | UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var ownerOnly = (mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) == 0;
        return ownerOnly ? Private : new NewFileAccess(mode, false);
    }

    /// <summary>
    /// An owner-only security descriptor in SDDL: the owner, and a protected DACL (nothing inherited from the folder)
    /// with one entry giving that owner full access. Administrators and SYSTEM get no entry, as a 0600 file gives root
    /// nothing either but what its privileges take.
    /// </summary>
    public static string OwnerOnlySddl(string ownerSid) => $"O:{ownerSid}D:P(A;;FA;;;{ownerSid})";

    /// <summary>Creates the file with this access (<paramref name="mode"/> must create: CreateNew or Create).</summary>
    public FileStream Create(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize)
    {
        if (OperatingSystem.IsWindows() && OwnerOnly) return CreateOwnerOnlyOnWindows(path, mode, access, share, bufferSize);
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows() && UnixMode is { } unixMode) options.UnixCreateMode = unixMode;
        return new FileStream(path, options);
    }

    [SupportedOSPlatform("windows")]
    private static FileStream CreateOwnerOnlyOnWindows(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize)
    {
        var security = new FileSecurity();
        security.SetSecurityDescriptorSddlForm(OwnerOnlySddl(WindowsIdentity.GetCurrent().User!.Value));
        var rights = (access.HasFlag(FileAccess.Read) ? FileSystemRights.Read : 0) | (access.HasFlag(FileAccess.Write) ? FileSystemRights.Write : 0);
        return new FileInfo(path).Create(mode, rights, share, bufferSize, FileOptions.None, security);
    }
}
