using System.Globalization;
using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Incremental;

namespace EventStoreTools.Cmdlets;

/// <summary>How Complete-IncrementalImport and Import-EventStore -Incremental report a commit.</summary>
internal static class IncrementalImportOutput
{
    /// <summary>
    /// One warning for every skipped older event together (count and the newest stored timestamp), one for the
    /// repeats collapsed into a stored event (count and the first), then the summary.
    /// </summary>
    public static void Write(EventStoreCmdlet cmdlet, IncrementalImportSummary summary)
    {
        cmdlet.Tell($"Committed the incremental import {summary.ImportId} into {summary.Store}: {Quantity.Of(summary.PushedCount, "event")} pushed, "
            + $"{Quantity.Of(summary.ImportedCount, "event")} imported, {Quantity.Of(summary.SkippedDuplicateCount, "duplicate")} and {Quantity.Of(summary.SkippedOlderCount, "older event")} skipped, in {summary.Elapsed.TotalSeconds:0.000} s.");
        if (summary.SkippedOlderCount > 0)
        {
            var newest = summary.NewestStoredTime is { } time
                ? $"{summary.NewestStoredTimestamp} ({time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)} UTC)"
                : summary.NewestStoredTimestamp?.ToString(CultureInfo.InvariantCulture);
            cmdlet.WriteWarning($"{Quantity.Of(summary.SkippedOlderCount, "event was", "events were")} skipped because {Quantity.Noun(summary.SkippedOlderCount, "it is", "they are")} older than the newest stored event, timestamp {newest}.");
        }
        if (summary.FirstCollapsedRepeat is { } repeat)
        {
            var payload = repeat.PayloadJson.Length > 100 ? repeat.PayloadJson[..100] + "…" : repeat.PayloadJson;
            var count = summary.CollapsedRepeatCount;
            cmdlet.WriteWarning($"{Quantity.Of(count, "event was", "events were")} skipped as {Quantity.Noun(count, "a duplicate", "duplicates")} though the store holds {Quantity.Noun(count, "it", "them")} fewer times than the input: reSolve's duplicate rule "
                + "(same timestamp, aggregateId, type and payload) ignores the version, so an aggregate's identical events of one millisecond collapse into the stored one. "
                + $"First: aggregate '{repeat.AggregateId}', type '{repeat.Type}', timestamp {repeat.Timestamp}, payload {payload}. "
                + "If they are distinct events, add them with Import-EventStore -Append, which keeps their versions.");
        }
        cmdlet.WriteObject(summary);
    }
}
