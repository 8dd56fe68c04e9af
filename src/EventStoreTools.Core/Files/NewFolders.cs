namespace EventStoreTools.Core.Files;

/// <summary>
/// Folders made for an output, taken back when the output fails: a backup folder that could not be written (a
/// source that is not a store, say) leaves no empty folder, nor the parents made for it.
/// </summary>
public static class NewFolders
{
    /// <summary>Creates the folder and its missing parents; returns those it created, deepest first.</summary>
    public static IReadOnlyList<string> Create(string folder)
    {
        var missing = new List<string>();
        for (var current = Path.GetFullPath(folder); !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
        {
            missing.Add(current);
            if (Path.GetDirectoryName(current) is null) break;
        }
        Directory.CreateDirectory(folder);
        return missing;
    }

    /// <summary>Removes the folders given (deepest first) while they are empty; one that holds anything stays, with its parents.</summary>
    public static void RemoveEmpty(IReadOnlyList<string> created)
    {
        foreach (var folder in created)
        {
            try
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
                else return;
            }
            catch (IOException)
            {
                return;
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }
}
