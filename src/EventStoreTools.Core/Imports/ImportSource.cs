namespace EventStoreTools.Core.Imports;

/// <summary>Where an import's events come from.</summary>
public enum ImportSource
{
    /// <summary>Events handed in one at a time (a pipeline).</summary>
    Pipeline,

    /// <summary>An NDJSON file or JSON array (-InFile), standard input for "-", with a manifest beside it when it is a backup.</summary>
    File,

    /// <summary>reSolve's backup folder (-Directory): events.db and secrets.db.</summary>
    Folder,
}

/// <summary>Which input an import's parameters name.</summary>
public static class ImportSources
{
    /// <param name="inFile">The file to read ("" for none).</param>
    /// <param name="directory">The backup folder to read ("" for none).</param>
    public static ImportSource Of(string inFile, string directory) =>
        inFile.Length > 0 ? ImportSource.File : directory.Length > 0 ? ImportSource.Folder : ImportSource.Pipeline;
}
