using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Sqlite;

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

    /// <summary>Write reSolve's NDJSON export (byte-identical to exportEvents()) to this file instead of the pipeline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ToFileSet)]
    [ValidateNotNullOrEmpty]
    public string OutFile { get; set; } = "";

    /// <summary>Fail rather than overwrite an existing -OutFile.</summary>
    [Parameter(ParameterSetName = ToFileSet)]
    public SwitchParameter NoClobber { get; set; }

    protected override void ProcessRecord()
    {
        var storePath = ResolveFilePath(Path);
        if (ParameterSetName == ToFileSet)
        {
            var outFile = ResolveFilePath(OutFile);
            if (NoClobber && File.Exists(outFile))
            {
                ThrowTerminatingError(new ErrorRecord(new IOException($"The file '{outFile}' already exists."),
                    ErrorIdPrefix + "OutFileExists", ErrorCategory.ResourceExists, outFile));
            }
            if (!ShouldProcess(outFile, $"Export the events of '{storePath}' as NDJSON")) return;
            Run(() => ExportToFile(storePath, outFile), storePath);
        }
        else
        {
            Run(() => ExportToPipeline(storePath), storePath);
        }
    }

    private void ExportToPipeline(string storePath)
    {
        using var reader = SqliteEventReader.Open(storePath);
        var progress = new ProgressReporter(this, 1, $"Exporting events from {storePath}");
        var total = reader.CountEvents();
        long count = 0;
        foreach (var e in reader.ReadEvents(Cancellation))
        {
            WriteObject(e);
            progress.Report(++count, count, total);
        }
        progress.Complete();
    }

    private void ExportToFile(string storePath, string outFile)
    {
        using var reader = SqliteEventReader.Open(storePath);
        var progress = new ProgressReporter(this, 1, $"Exporting events from {storePath} to {outFile}");
        var total = reader.CountEvents();
        // Write beside the target and rename at the end, so a failed export never leaves a truncated file
        // where a good one was.
        var partial = outFile + ".partial";
        try
        {
            using (var writer = NdjsonEventWriter.Create(partial))
            {
                foreach (var e in reader.ReadEvents(Cancellation))
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
