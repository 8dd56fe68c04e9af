namespace EventStoreTools.Core.Reporting;

/// <summary>
/// What a long operation (an export, an import) tells its caller as it goes; the caller decides where it shows
/// (the cmdlets: -Verbose, warnings, Write-Progress). Called on the caller's thread only.
/// </summary>
public interface IOperationReport
{
    /// <summary>A step taken (a file renamed, lines read).</summary>
    void Tell(string message);

    /// <summary>Something the user should know although the operation goes on.</summary>
    void Warn(string message);

    /// <param name="events">Events done so far.</param>
    /// <param name="done">Work done so far, in the unit of <paramref name="total"/> (events or bytes).</param>
    /// <param name="total">Total work, when known (0 when not).</param>
    void Progress(long events, long done = 0, long total = 0);

    /// <summary>A step that takes a while without counting events (committing).</summary>
    void Phase(string status);
}
