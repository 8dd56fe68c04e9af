namespace EventStoreTools.Core.Files;

/// <summary>
/// Opens a file for reading that another process may just have moved into place: a writer holds its lock on the new
/// file (an exclusive flock on Unix, which a cleaner needs) from before the rename until just after it, and a reader that
/// comes in that instant is refused with a sharing violation. The open is tried again for a moment.
/// </summary>
public static class SharedFile
{
    private const int Tries = 100;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(10);

    public static FileStream OpenRead(string path, int bufferSize = 1 << 16, FileOptions options = FileOptions.None)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize, options);
            }
            catch (IOException ex) when (IsSharingViolation(ex) && attempt < Tries)
            {
                Thread.Sleep(Pause);
            }
        }
    }

    public static string ReadAllText(string path)
    {
        using var reader = new StreamReader(OpenRead(path, 4096));
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Whether the open failed only because another handle holds the file: ERROR_SHARING_VIOLATION on Windows; on Unix
    /// .NET reports the refused flock with its errno, EWOULDBLOCK (11 on Linux, 35 on macOS and the BSDs).
    /// </summary>
    public static bool IsSharingViolation(IOException ex) =>
        ex is not (FileNotFoundException or DirectoryNotFoundException) &&
        (OperatingSystem.IsWindows() ? (ex.HResult & 0xFFFF) == 32 : ex.HResult == (OperatingSystem.IsLinux() ? 11 : 35));
}
