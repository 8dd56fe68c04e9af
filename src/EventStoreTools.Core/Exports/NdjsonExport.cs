using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Reporting;

namespace EventStoreTools.Core.Exports;

/// <summary>The events of one store as reSolve's NDJSON export, into a file's stream or the process's standard output.</summary>
public static class NdjsonExport
{
    /// <param name="outName">The output as the user knows it, for the report.</param>
    public static ExportedEvents Write(NdjsonEventWriter writer, IEventStore store, ExportRead read, string outName, IOperationReport report, CancellationToken cancellation)
    {
        using var reader = store.OpenSource();
        var total = read.ProgressTotal(reader);
        var advanced = read.Start.Clone();
        long? first = null, last = null;
        foreach (var e in read.Events(reader, cancellation).Ahead(e => e, eventsStayInside: true, cancellation))
        {
            writer.Write(e);
            advanced.Advance(e);
            first ??= e.Timestamp;
            last = e.Timestamp;
            report.Progress(writer.EventCount, writer.EventCount, total);
        }
        writer.Flush();
        report.Tell($"Wrote {Quantity.Of(writer.EventCount, "event")} as NDJSON to '{outName}'.");
        return new ExportedEvents(advanced, writer.EventCount, first, last);
    }

    /// <summary>-OutFile -: NDJSON on the process's standard output, which then carries nothing else (no report either).</summary>
    public static ExportedEvents ToStandardOutput(IEventStore store, ExportRead read, CancellationToken cancellation)
    {
        using var writer = new NdjsonEventWriter(CompressedFile.OpenStandardOutput(), ownsStream: false);
        return Write(writer, store, read, "standard output", SilentReport.Instance, cancellation);
    }
}
