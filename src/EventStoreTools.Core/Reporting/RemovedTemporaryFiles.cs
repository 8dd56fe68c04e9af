namespace EventStoreTools.Core.Reporting;

/// <summary>How the removal of what killed imports and exports left behind is told.</summary>
public static class RemovedTemporaryFiles
{
    public static void Tell(IOperationReport report, IReadOnlyList<string> removed)
    {
        foreach (var file in removed) report.Tell($"Removed '{file}': a temporary file of an import or export that was killed (no process held it).");
    }
}
