using EventStoreTools.Core.Backups;

namespace EventStoreTools.Core.Exports;

/// <summary>Where an export's events go.</summary>
public enum ExportOutput
{
    /// <summary>As objects, to whoever reads them (a pipeline).</summary>
    Pipeline,

    /// <summary>reSolve's NDJSON on the process's standard output (-OutFile -), which then carries nothing else.</summary>
    StandardOutput,

    /// <summary>One NDJSON file with a manifest beside it (and a secrets file, when asked).</summary>
    SingleFile,

    /// <summary>reSolve's backup folder: events.db, secrets.db and a manifest.</summary>
    Folder,
}

/// <summary>Which output an export's parameters name.</summary>
public static class ExportOutputs
{
    /// <param name="outFile">The file to write ("" for none; "-" for standard output).</param>
    /// <param name="directory">The backup folder to write ("" for none).</param>
    public static ExportOutput Of(string outFile, string directory) =>
        outFile.Length > 0 ? (CompressedFile.IsStandardStream(outFile) ? ExportOutput.StandardOutput : ExportOutput.SingleFile)
        : directory.Length > 0 ? ExportOutput.Folder
        : ExportOutput.Pipeline;

    /// <summary>Whether the export writes bytes (a file, a folder, standard output), which hold the events of one store.</summary>
    public static bool HoldsOneStore(this ExportOutput output) => output is ExportOutput.SingleFile or ExportOutput.Folder or ExportOutput.StandardOutput;
}
