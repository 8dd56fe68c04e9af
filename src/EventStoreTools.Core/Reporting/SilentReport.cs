namespace EventStoreTools.Core.Reporting;

/// <summary>A report nobody reads (standard output, which carries only the data).</summary>
public sealed class SilentReport : IOperationReport
{
    public static readonly SilentReport Instance = new();

    public void Tell(string message)
    {
    }

    public void Warn(string message)
    {
    }

    public void Progress(long events, long done = 0, long total = 0)
    {
    }

    public void Phase(string status)
    {
    }
}
