using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Ndjson;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Export-EventStore: streams the events of a store in reSolve's read order, as objects or as reSolve's
/// NDJSON export.
/// </summary>
[Cmdlet(VerbsData.Export, "EventStore", DefaultParameterSetName = ToPipelineSet, SupportsShouldProcess = true)]
[OutputType(typeof(ResolveEvent), ParameterSetName = [ToPipelineSet])]
public sealed class ExportEventStoreCommand : EventStoreCmdlet
{
    private const string ToPipelineSet = "ToPipeline";
    private const string ToFileSet = "ToFile";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Store")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override string StorePath => Path;

    /// <summary>Write reSolve's NDJSON export (byte-identical to exportEvents()) to this file instead of the pipeline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ToFileSet)]
    [ValidateNotNullOrEmpty]
    public string OutFile { get; set; } = "";

    /// <summary>Fail rather than overwrite an existing -OutFile.</summary>
    [Parameter(ParameterSetName = ToFileSet)]
    public SwitchParameter NoClobber { get; set; }

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        if (ParameterSetName == ToFileSet)
        {
            var outFile = ResolveFilePath(OutFile);
            if (NoClobber && File.Exists(outFile))
            {
                ThrowTerminatingError(new ErrorRecord(new IOException($"The file '{outFile}' already exists."),
                    ErrorIdPrefix + "OutFileExists", ErrorCategory.ResourceExists, outFile));
            }
            if (!ShouldProcess(outFile, $"Export the events of '{store.DisplayName}' as NDJSON")) return;
            Run(() => ExportToFile(store, outFile), store.DisplayName);
        }
        else
        {
            Run(() => ExportToPipeline(store), store.DisplayName);
        }
    }

    private void ExportToPipeline(IEventStore store)
    {
        using var reader = store.OpenSource();
        var progress = new ProgressReporter(this, 1, $"Exporting events from {store.DisplayName}");
        var total = reader.CountEvents();
        long count = 0;
        foreach (var e in reader.ReadEvents(null, Cancellation))
        {
            WriteObject(e);
            progress.Report(++count, count, total);
        }
        progress.Complete();
    }

    private void ExportToFile(IEventStore store, string outFile)
    {
        using var reader = store.OpenSource();
        var progress = new ProgressReporter(this, 1, $"Exporting events from {store.DisplayName} to {outFile}");
        var total = reader.CountEvents();
        // Write beside the target and rename at the end, so a failed export never leaves a truncated file
        // where a good one was.
        var partial = outFile + ".partial";
        try
        {
            using (var writer = NdjsonEventWriter.Create(partial))
            {
                foreach (var e in reader.ReadEvents(null, Cancellation))
                {
                    writer.Write(e);
                    progress.Report(writer.EventCount, writer.EventCount, total);
                }
            }
            File.Move(partial, outFile, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        progress.Complete();
    }
}
