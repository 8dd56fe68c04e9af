using System.Collections.Concurrent;
using EventStoreTools.Core.Sqlite;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class EventStoreLogTests
{
    [Fact]
    public void Tells_the_steps_of_a_replace_with_the_dropped_count_also_from_the_read_ahead_thread_and_nothing_after_the_scope()
    {
        var store = TestFiles.CopyFixture("resolve-lite-600.db");
        var target = TestFiles.CopyFixture("resolve-lite-600.db");
        var verbose = new ConcurrentQueue<string>();
        var debug = new ConcurrentQueue<string>();
        long previous;
        using (EventStoreLog.Use(verbose.Enqueue, debug.Enqueue))
        {
            using var reader = SqliteEventReader.Open(store);
            using var import = SqliteEventImport.Begin(target, ImportMode.Replace);
            foreach (var e in reader.ReadEvents().Ahead()) import.Add(e);
            import.Commit();
            previous = import.ExistingEventCount;
        }
        Assert.Equal(600, previous);
        var lines = verbose.ToArray();
        Assert.Contains($"Opened the SQLite store '{store}' (read-only).", lines);
        Assert.Contains("Replacing: dropping the stored 600 events and re-creating the events table.", lines);
        Assert.Contains(lines, line => line.StartsWith($"Read 600 events from '{store}' in ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Built the secondary indexes in ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Committed in ", StringComparison.Ordinal));
        Assert.Contains(debug, line => line.StartsWith("Query: SELECT", StringComparison.Ordinal));

        var count = verbose.Count;
        using (var reader = SqliteEventReader.Open(store)) _ = reader.ReadEvents().Count();
        Assert.Equal(count, verbose.Count);
    }
}
