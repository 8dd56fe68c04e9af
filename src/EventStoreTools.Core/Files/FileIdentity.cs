using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EventStoreTools.Core.Files;

/// <summary>
/// Which file a path names, as the file system sees it, and its state (length, last write). Two paths are one
/// file when they name the same file however they are spelled: through symbolic links, hard links, "..", or
/// another letter case on a case-insensitive file system. Compared by device and inode on Linux (statx) and by
/// volume serial and file index on Windows; elsewhere (or where those calls fail) by the full path with links
/// resolved, ignoring case on macOS and Windows.
/// </summary>
public sealed record FileIdentity
{
    private FileIdentity(string key, long length, long lastWriteTicks)
    {
        Key = key;
        Length = length;
        LastWriteTicks = lastWriteTicks;
    }

    /// <summary>What makes two paths one file ("dev:ino", or the resolved path).</summary>
    private string Key { get; }

    public long Length { get; }

    /// <summary>The last write time, as fine as the file system keeps it (nanoseconds on Linux).</summary>
    private long LastWriteTicks { get; }

    /// <summary>The file a path names (links followed), or null when there is none.</summary>
    public static FileIdentity? Of(string path) => Of(path, followLinks: true);

    /// <summary>The file a path names; without <paramref name="followLinks"/> a symbolic link is itself the file.</summary>
    public static FileIdentity? Of(string path, bool followLinks)
    {
        if (OperatingSystem.IsLinux() && TryStatx(path, followLinks, out var identity)) return identity;
        if (!followLinks && new FileInfo(path) is { LinkTarget: not null } link)
            return new FileIdentity("link:" + link.FullName + "->" + link.LinkTarget, 0, link.LastWriteTimeUtc.Ticks);
        if (OperatingSystem.IsWindows() && TryWindowsFileInformation(path, out identity)) return identity;
        return ByResolvedPath(path);
    }

    /// <summary>Whether two paths name one existing file.</summary>
    public static bool AreSameFile(string first, string second) =>
        Of(first) is { } a && Of(second) is { } b && a.IsSameFileAs(b);

    public bool IsSameFileAs(FileIdentity other) => Key == other.Key;

    /// <summary>The same file, neither written nor replaced since this identity was taken.</summary>
    public bool IsUnchangedIn(FileIdentity? now) => now is not null && this == now;

    private static FileIdentity? ByResolvedPath(string path)
    {
        var info = new FileInfo(path);
        var target = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        target.Refresh();
        if (!target.Exists) return Directory.Exists(target.FullName) ? new FileIdentity(Canonical(target.FullName), 0, 0) : null;
        return new FileIdentity(Canonical(target.FullName), target.Length, target.LastWriteTimeUtc.Ticks);

        static string Canonical(string fullPath) =>
            OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? fullPath.ToUpperInvariant() : fullPath;
    }

    // statx: one struct layout on every Linux architecture (unlike struct stat). Offsets from linux/stat.h.
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    /// <summary>False when statx is unavailable (an old C library) or fails for another reason than a missing file.</summary>
    private static bool TryStatx(string path, bool followLinks, out FileIdentity? identity)
    {
        identity = null;
        var buffer = new byte[StatxSize];
        int result;
        try
        {
            result = Statx(AtCurrentDirectory, Path.GetFullPath(path), followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
        if (result != 0) return Marshal.GetLastPInvokeError() is NoSuchFile or NotADirectory;
        var inode = BitConverter.ToUInt64(buffer, 32);
        var length = BitConverter.ToInt64(buffer, 40);
        var modifiedSeconds = BitConverter.ToInt64(buffer, 112);
        var modifiedNanoseconds = BitConverter.ToUInt32(buffer, 120);
        var deviceMajor = BitConverter.ToUInt32(buffer, 136);
        var deviceMinor = BitConverter.ToUInt32(buffer, 140);
        identity = new FileIdentity($"{deviceMajor}:{deviceMinor}:{inode}", length, modifiedSeconds * 1_000_000_000 + modifiedNanoseconds);
        return true;
    }

    /// <summary>The owner and group of a file on Linux (links followed); false elsewhere or when it cannot be asked.</summary>
    internal static bool TryOwner(string path, out uint owner, out uint group)
    {
        owner = group = 0;
        if (!OperatingSystem.IsLinux()) return false;
        var buffer = new byte[StatxSize];
        try
        {
            if (Statx(AtCurrentDirectory, Path.GetFullPath(path), 0, StatxBasicStats, buffer) != 0) return false;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
        owner = BitConverter.ToUInt32(buffer, 20);
        group = BitConverter.ToUInt32(buffer, 24);
        return true;
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct ByHandleFileInformation
    {
        public uint FileAttributes;
        public long CreationTime, LastAccessTime, LastWriteTime;
        public uint VolumeSerialNumber, FileSizeHigh, FileSizeLow, NumberOfLinks, FileIndexHigh, FileIndexLow;
    }

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern bool GetFileInformationByHandle(SafeFileHandle file, out ByHandleFileInformation information);

    /// <summary>False when the file cannot be opened to ask (a directory, no access): then the resolved path decides.</summary>
    private static bool TryWindowsFileInformation(string path, out FileIdentity? identity)
    {
        identity = null;
        if (!File.Exists(path)) return !Directory.Exists(path);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (!GetFileInformationByHandle(handle, out var info)) return false;
            identity = new FileIdentity($"{info.VolumeSerialNumber}:{info.FileIndexHigh}:{info.FileIndexLow}",
                ((long)info.FileSizeHigh << 32) | info.FileSizeLow, info.LastWriteTime);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
