using System.Text.RegularExpressions;

namespace EventStoreTools.Core.Files;

/// <summary>
/// Removes what killed imports and exports of this module left in a folder: only files named as
/// <see cref="OwnedTemporaryFile"/> names them (".&lt;name&gt;.&lt;32 hex digits&gt;.importing" or ".exporting", and
/// SQLite's "-journal" beside an ".importing"), and only those whose lock no process holds. Anything else, even a
/// similar name, is left alone.
/// </summary>
public static partial class StaleTemporaryFiles
{
    private static readonly EnumerationOptions HiddenFilesToo = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        MatchType = MatchType.Simple,
        RecurseSubdirectories = false,
    };

    /// <summary>Removes the stale temporaries in the folder; returns the paths it removed.</summary>
    public static IReadOnlyList<string> RemoveIn(string folder)
    {
        // Without .NET's file locks (DOTNET_SYSTEM_IO_DISABLEFILELOCKING) a live owner could not be told from a dead one.
        if (FileLockingDisabled() || !Directory.Exists(folder)) return [];
        var removed = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, ".*", HiddenFilesToo).ToList())
        {
            var match = OwnedName().Match(System.IO.Path.GetFileName(file));
            if (!match.Success) continue;
            if (match.Groups["kind"].Value == "importing" && !OwnedTemporaryFile.CanHoldWhileOpenedByPath) continue;
            if (match.Groups["journal"].Success) RemoveOrphanJournal(file, match.Groups["owner"].Value, removed);
            else RemoveIfNotHeld(file, removed);
        }
        return removed;
    }

    private static void RemoveIfNotHeld(string file, List<string> removed)
    {
        try
        {
            // This open fails while the owner holds the file (see OwnedTemporaryFile). Deleted while held, so no
            // owner can come between. Not with FileOptions.DeleteOnClose: an open that fails on the lock would
            // still delete the file on Unix when the half-opened handle is released.
            using var held = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, ExclusiveShare, 1);
            File.Delete(file);
            removed.Add(file);
            var journal = file + "-journal";
            if (File.Exists(journal))
            {
                File.Delete(journal);
                removed.Add(journal);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // In use, gone meanwhile, or not ours to delete: leave it.
        }
    }

    /// <summary>A journal is only ever written while its store file exists and is held; without that file it is a leftover.</summary>
    private static void RemoveOrphanJournal(string journal, string ownerName, List<string> removed)
    {
        var owner = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(journal)!, ownerName);
        if (File.Exists(owner) || !File.Exists(journal)) return;
        try
        {
            File.Delete(journal);
            removed.Add(journal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Unix: FileShare.None takes flock(LOCK_EX). Windows: sharing only deletion lets the file be deleted while held.</summary>
    private static FileShare ExclusiveShare => OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None;

    private static bool FileLockingDisabled()
    {
        if (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled) return true;
        var variable = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
        return variable is not null && (variable == "1" || variable.Equals("true", StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"^(?<owner>\..+\.[0-9a-f]{32}\.(?<kind>importing|exporting))(?<journal>(?<=importing)-journal)?$")]
    private static partial Regex OwnedName();
}
