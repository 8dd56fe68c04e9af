using System.Runtime.InteropServices;

namespace EventStoreTools.Core.Files;

/// <summary>
/// A file that replaces another keeps its owner and group (Linux): root's nightly export over alice's 0600 file must
/// not leave alice locked out of it, nor hand the file to root's group. Only root may give a file away; a user
/// may still keep the group when a member of it. What cannot be kept is left as created, which the mode (never
/// wider than the old file's) already keeps private.
/// </summary>
internal static class FileOwner
{
    private const uint Unchanged = uint.MaxValue;

    [DllImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static extern int Fchown(SafeHandle file, uint owner, uint group);

    public static void CopyTo(string existing, FileStream created)
    {
        if (!FileIdentity.TryOwner(existing, out var owner, out var group)) return;
        if (!FileIdentity.TryOwner(created.Name, out var newOwner, out var newGroup)) return;
        if (owner == newOwner && group == newGroup) return;
        try
        {
            if (Fchown(created.SafeFileHandle, owner, group) == 0) return;
            if (group != newGroup) Fchown(created.SafeFileHandle, Unchanged, group);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
        }
    }
}
