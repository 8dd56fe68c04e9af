using System.Text.RegularExpressions;
using EventStoreTools.Core.Postgres;
using EventStoreTools.Core.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>
/// A poller's page seeks to the first event past its cursor (found by index lookups per thread) instead of walking
/// the read order from the start: pages joined are still exactly reSolve's read order, on both engines, when a page
/// ends inside a run of one timestamp shared by every thread, and an event that arrives late with a position before
/// the last page's end is still read.
/// </summary>
public class CursorSeekTests : IClassFixture<PostgresServerFixture>
{
    private const int Threads = 256;

    /// <summary>Events per thread: each timestamp is shared by 3 counters of every thread (768 events), so pages of 1,000 end inside one.</summary>
    private const int CountersPerThread = 12;

    private readonly PostgresServerFixture _server;

    public CursorSeekTests(PostgresServerFixture server) => _server = server;

    public static TheoryData<string> Engines => new() { "sqlite", "postgres" };

    private static ResolveEvent Event(int thread, long counter, long timestamp) => new()
    {
        ThreadId = thread,
        ThreadCounter = counter,
        Timestamp = timestamp,
        AggregateId = $"agg-{thread}",
        AggregateVersion = counter + 1,
        Type = "T",
        PayloadJson = $$"""{"t":{{thread}},"c":{{counter}}}""",
    };

    private IEventStore NewStore(string engine, IEnumerable<ResolveEvent> events)
    {
        IEventStore store = engine == "sqlite"
            ? new SqliteEventStore(System.IO.Path.Combine(TestFiles.NewDirectory(), "seek.db"))
            : new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        using var import = store.BeginImport(ImportMode.IntoEmptyStore);
        foreach (var e in events) import.Add(e);
        import.Commit();
        return store;
    }

    private static IEnumerable<ResolveEvent> SharedTimestamps() =>
        from counter in Enumerable.Range(0, CountersPerThread)
        from thread in Enumerable.Range(0, Threads)
        select Event(thread, counter, 1000 + counter / 3);

    private static void Append(IEventStore store, params ResolveEvent[] events)
    {
        using var import = store.BeginImport(ImportMode.Append);
        foreach (var e in events) import.Add(e);
        import.Commit();
    }

    private static string Key(ResolveEvent e) => $"{e.ThreadId}:{e.ThreadCounter}@{e.Timestamp}";

    private static List<string> ReadOrdered(IEventStore store)
    {
        using var source = store.OpenSource();
        return source.ReadEvents().Select(Key).ToList();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Pages_that_end_inside_one_timestamp_join_to_the_read_order(string engine)
    {
        var store = NewStore(engine, SharedTimestamps());
        var poller = new EventStorePoller(store, ResolveCursor.Start, 1000);
        var pages = new List<IReadOnlyList<ResolveEvent>>();
        do pages.Add(poller.NextPage());
        while (!poller.CaughtUp);

        Assert.Equal(ReadOrdered(store), pages.SelectMany(page => page).Select(Key).ToList());
        Assert.Equal([1000, 1000, 1000, 72], pages.Select(page => page.Count));
        // The first page ends inside the 768 events of timestamp 1001: its second page starts inside it too.
        Assert.Equal(1001, pages[0][^1].Timestamp);
        Assert.Equal(1001, pages[1][0].Timestamp);
        Assert.Equal(0, poller.EventsBehind);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void An_event_that_arrives_late_before_the_last_page_end_is_read_by_the_next_page(string engine)
    {
        var store = NewStore(engine, SharedTimestamps().Where(e => e.ThreadId != 255));
        var poller = new EventStorePoller(store, ResolveCursor.Start, 1000);
        var first = poller.NextPage();
        Assert.Equal(new ReadPosition(1001, 3, 234), ReadPosition.Of(first[^1]));
        // Thread 255's first event shares the last read timestamp with a lower counter: its position is before the
        // page's end, so a seek on what the page ended with would pass it over for good.
        Append(store, Event(255, 0, 1001));
        var rest = new List<ResolveEvent>();
        do rest.AddRange(poller.NextPage());
        while (!poller.CaughtUp);

        Assert.Equal("255:0@1001", Key(rest[0]));
        Assert.Equal(ReadOrdered(store).Count, first.Count + rest.Count);
        Assert.Equal(ReadOrdered(store).Order(), first.Concat(rest).Select(Key).Order());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_backlog_is_the_first_event_past_the_cursor_and_the_events_past_it(string engine)
    {
        var store = NewStore(engine, SharedTimestamps());
        var counters = new long[Threads];
        Array.Fill(counters, CountersPerThread);
        using (var source = store.OpenSource()) Assert.Equal(CursorBacklog.Empty, source.ReadBacklog(counters));

        counters[3] = 5;
        counters[200] = 4;
        using (var source = store.OpenSource())
        {
            // Thread 200 at counter 4 (timestamp 1001) comes before thread 3 at counter 5 (also 1001): by counter.
            Assert.Equal(new CursorBacklog(new ReadPosition(1001, 4, 200), (CountersPerThread - 5) + (CountersPerThread - 4)), source.ReadBacklog(counters));
            Assert.Equal(new CursorBacklog(new ReadPosition(1000, 0, 0), Threads * CountersPerThread), source.ReadBacklog(new long[Threads]));
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_last_event_per_thread_below_a_cursor(string engine)
    {
        var store = NewStore(engine, SharedTimestamps().Where(e => e.ThreadId is 0 or 9));
        var below = new long[Threads];
        Array.Fill(below, long.MaxValue);
        below[9] = 5;
        using var source = store.OpenSource();
        Assert.Equal(["0:11@1003", "9:11@1003"], source.ReadLastEventPerThread().Select(Key));
        Assert.Equal(["0:11@1003", "9:4@1001"], source.ReadLastEventPerThread(below: below).Select(Key));
        Assert.Contains("\"c\":4", source.ReadLastEventPerThread(below: below)[1].PayloadJson);
    }

    [Fact]
    public void An_idle_poll_reads_no_events()
    {
        var store = NewStore("sqlite", SharedTimestamps());
        var poller = new EventStorePoller(store, ResolveCursor.Start, 10_000);
        poller.NextPage();
        var told = new List<string>();
        using (EventStoreLog.Use(told.Add, told.Add)) Assert.Empty(poller.NextPage());
        Assert.True(poller.CaughtUp);
        Assert.DoesNotContain(told, line => line.StartsWith("Read ", StringComparison.Ordinal) || line.Contains("ORDER BY \"timestamp\"", StringComparison.Ordinal));
    }

    [Fact]
    public void On_SQLite_a_page_past_the_cursor_searches_the_timestamp_index_from_its_first_event()
    {
        var store = NewStore("sqlite", SharedTimestamps());
        var poller = new EventStorePoller(store, ResolveCursor.Start, 1000);
        poller.NextPage();
        var queries = Queries(() => poller.NextPage());

        var plan = Plan(Path(store), Assert.Single(queries, query => query.Contains("ORDER BY \"timestamp\"", StringComparison.Ordinal)));
        Assert.Contains("USING INDEX timestamp-idx (timestamp>?)", plan);
        Assert.DoesNotContain("SCAN events", plan);
    }

    [Fact]
    public void On_SQLite_the_lookups_per_thread_search_the_primary_key_and_scan_no_events()
    {
        var path = Path(NewStore("sqlite", SharedTimestamps()));
        using var source = SqliteEventReader.Open(path);
        var queries = Queries(() =>
        {
            source.ReadBacklog(new long[Threads]);
            source.ReadLastEventPerThread();
        });
        Assert.Equal(2, queries.Count);
        foreach (var query in queries)
        {
            var plan = Plan(path, query);
            Assert.Contains("USING INDEX sqlite_autoindex_events_1 (threadId=? AND threadCounter", plan);
            Assert.DoesNotContain("SCAN events", plan);
        }
    }

    private static string Path(IEventStore store) => ((SqliteEventStore)store).Path;

    /// <summary>The statements a call runs, as the engine tells them to -Debug.</summary>
    private static List<string> Queries(Action action)
    {
        var queries = new List<string>();
        using (EventStoreLog.Use(_ => { }, line => { if (line.StartsWith("Query: ", StringComparison.Ordinal)) queries.Add(line["Query: ".Length..]); }))
            action();
        return queries;
    }

    /// <summary>SQLite's query plan of a statement, its parameters bound to 0, as one line per step.</summary>
    private static string Plan(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in Regex.Matches(sql, @"\$\w+").Select(m => m.Value).Distinct()) command.Parameters.AddWithValue(name, 0);
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read()) steps.Add(reader.GetString(3));
        return string.Join("\n", steps);
    }
}
