using System.Globalization;
using System.Management.Automation;
using EventStoreTools.Core.Incremental;

namespace EventStoreTools.Cmdlets;

/// <summary>How Complete-IncrementalImport and Import-EventStore -Incremental report a commit.</summary>
internal static class IncrementalImportOutput
{
    /// <summary>One warning for every skipped older event together (count and the newest stored timestamp), then the summary.</summary>
    public static void Write(EventStoreCmdlet cmdlet, IncrementalImportSummary summary)
    {
        cmdlet.Tell($"Committed the incremental import {summary.ImportId} into {summary.Store}: {summary.Pushed:N0} pushed, {summary.Imported:N0} imported, "
            + $"{summary.SkippedDuplicates:N0} duplicates and {summary.SkippedOlder:N0} older events skipped, in {summary.Elapsed.TotalSeconds:0.000} s.");
        if (summary.SkippedOlder > 0)
        {
            var newest = summary.NewestStoredTime is { } time
                ? $"{summary.NewestStoredTimestamp} ({time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)} UTC)"
                : summary.NewestStoredTimestamp?.ToString(CultureInfo.InvariantCulture);
            cmdlet.WriteWarning($"{summary.SkippedOlder} events were skipped because they are older than the newest stored event, timestamp {newest}.");
        }
        cmdlet.WriteObject(summary);
    }
}
