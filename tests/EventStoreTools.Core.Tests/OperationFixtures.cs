using EventStoreTools.Core.Reporting;
using EventStoreTools.Core.Sqlite;

namespace EventStoreTools.Core.Tests;

/// <summary>Stores of known events for the export and import operations, and a report that keeps what it is told.</summary>
internal static class OperationFixtures
{
    public static ResolveEvent Event(int i) =>
        new() { ThreadId = i % 4, ThreadCounter = i / 4, Timestamp = 1000 + i, AggregateId = $"agg-{i % 5}", AggregateVersion = i / 5 + 1, Type = i % 2 == 0 ? "Even" : "Odd", PayloadJson = $"{{\"i\":{i}}}" };

    /// <summary>A SQLite store of <paramref name="count"/> events (see <see cref="Event"/>) and the given secrets.</summary>
    public static string Store(int count, params ResolveSecret[] secrets)
    {
        var path = Path.Combine(TestFiles.NewDirectory(), "store.db");
        using var import = SqliteEventImport.Begin(path, ImportMode.IntoEmptyStore);
        for (var i = 0; i < count; i++) import.Add(Event(i));
        foreach (var secret in secrets) import.AddSecret(secret);
        import.Commit();
        return path;
    }

    public static List<ResolveEvent> Events(string path)
    {
        using var source = new SqliteEventStore(path).OpenSource();
        return source.ReadEvents(EventFilter.All).ToList();
    }

    public static List<ResolveSecret> Secrets(string path)
    {
        using var source = new SqliteEventStore(path).OpenSource();
        return source.ReadSecrets().ToList();
    }
}

/// <summary>An <see cref="IOperationReport"/> that keeps its lines, to assert on what an operation told.</summary>
internal sealed class RecordingReport : IOperationReport
{
    public List<string> Told { get; } = [];

    public List<string> Warnings { get; } = [];

    public long LastProgress { get; private set; }

    public List<string> Phases { get; } = [];

    public void Tell(string message) => Told.Add(message);

    public void Warn(string message) => Warnings.Add(message);

    public void Progress(long events, long done = 0, long total = 0) => LastProgress = events;

    public void Phase(string status) => Phases.Add(status);
}
