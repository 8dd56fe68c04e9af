using EventStoreTools.Core.Sqlite;
using EventStoreTools.Core.Verification;
using Microsoft.Data.Sqlite;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>
/// reSolve's cursor invariant (timestamps never decrease within a thread) checked, not assumed: by Test-EventStore's
/// sequence check, and by every read that hands out a cursor (<see cref="CursorRead"/>); and the verdict on gaps,
/// a note for a store that may be a subset, a problem for one that must be whole.
/// </summary>
public class CursorInvariantTests
{
    private static ResolveEvent Event(int thread, long counter, long timestamp, string aggregate = "a", long version = 1) =>
        new() { ThreadId = thread, ThreadCounter = counter, Timestamp = timestamp, AggregateId = aggregate, AggregateVersion = version, Type = "T" };

    /// <summary>
    /// A store of 40 events: thread t = i % 4, counter i / 4, timestamp 1000 + i, aggregates by i % 5; then thread 1's
    /// counter 5 (timestamp 1021) is moved to 1006, before its counters 2, 3 and 4 (1009, 1013, 1017).
    /// </summary>
    private static string BackwardsStore(bool backwards = true)
    {
        var path = Path.Combine(TestFiles.NewDirectory(), "store.db");
        using (var import = SqliteEventImport.Begin(path, ImportMode.IntoEmptyStore))
        {
            for (var i = 0; i < 40; i++) import.Add(Event(i % 4, i / 4, 1000 + i, $"agg-{i % 5}", i / 5 + 1));
            import.Commit();
        }
        if (backwards) Execute(path, """UPDATE events SET timestamp = 1006 WHERE threadId = 1 AND threadCounter = 5""");
        return path;
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void The_order_check_finds_a_decrease_in_key_order_and_in_read_order()
    {
        var byKey = new ThreadTimestampOrder();
        Assert.Null(byKey.Add(Event(1, 0, 1001)));
        Assert.Null(byKey.Add(Event(1, 1, 1001)));
        Assert.Equal(new ThreadTimestampDecrease(1, 1, 1001, 2, 1000), byKey.Add(Event(1, 2, 1000)));
        Assert.Null(byKey.Add(Event(2, 0, 500)));

        var byTime = new ThreadTimestampOrder();
        Assert.Null(byTime.Add(Event(1, 0, 1000)));
        Assert.Null(byTime.Add(Event(1, 5, 1006)));
        Assert.Equal(new ThreadTimestampDecrease(1, 2, 1009, 5, 1006), byTime.Add(Event(1, 2, 1009)));
        Assert.Equal("thread 1: threadCounter 5 has timestamp 1006, earlier than threadCounter 3's timestamp 1013", byTime.Add(Event(1, 3, 1013))!.ToString());
    }

    [Fact]
    public void A_read_that_stops_at_its_limit_past_an_unread_event_of_its_thread_fails_naming_it()
    {
        using var reader = SqliteEventReader.Open(BackwardsStore());
        // Read order: 1000..1005, then thread 1's counter 5 at 1006, then 1006 (thread 2, counter 1) ...: eight events end at 1007.
        var error = Assert.Throws<EventStoreException>(() => CursorRead.Checked(reader, new EventFilter { First = 8 }, start: null).ToList());
        Assert.Equal(EventStoreErrorKind.ThreadTimestampsDecrease, error.Kind);
        Assert.Equal(new ThreadTimestampDecrease(1, 2, 1009, 5, 1006), error.Event);
        Assert.Contains("a cursor after this read would skip threadCounter 2", error.Message);
    }

    [Fact]
    public void A_read_that_meets_the_thread_out_of_counter_order_fails_and_a_whole_plain_read_does_not()
    {
        using var reader = SqliteEventReader.Open(BackwardsStore());
        var error = Assert.Throws<EventStoreException>(() => CursorRead.Checked(reader, EventFilter.All, start: null).ToList());
        Assert.Equal(new ThreadTimestampDecrease(1, 2, 1009, 5, 1006), error.Event);
        Assert.Equal(40, reader.ReadEvents().Count());
    }

    [Fact]
    public void A_filtered_read_fails_only_for_an_event_its_filter_selects()
    {
        using var reader = SqliteEventReader.Open(BackwardsStore());
        // Thread 1 holds i = 1, 5, 9, 13, 17, 21 (moved to 1006), ...: aggregates agg-1, agg-0, agg-4, agg-3, agg-2, agg-1.
        // agg-1 in read order: thread 1 counter 0 (1001), thread 2 counter 1 (1006), thread 1 counter 5 (1006): the
        // counters passed over (1-4) are not agg-1's, so nothing is skipped.
        var aggregate = CursorRead.Checked(reader, new EventFilter { AggregateIds = ["agg-1"], First = 3 }, start: null).ToList();
        Assert.Equal([(1, 0L), (2, 1L), (1, 5L)], aggregate.Select(e => (e.ThreadId, e.ThreadCounter)));
        // With agg-2, thread 1's counter 4 (1017) is selected, and a read stopping after counter 5 would pass it.
        var error = Assert.Throws<EventStoreException>(() =>
            CursorRead.Checked(reader, new EventFilter { AggregateIds = ["agg-2", "agg-1"], First = 4 }, start: null).ToList());
        Assert.Equal(new ThreadTimestampDecrease(1, 4, 1017, 5, 1006), error.Event);
    }

    [Fact]
    public void Pages_of_a_healthy_store_and_a_resumed_read_pass_and_join_to_the_whole()
    {
        var store = new SqliteEventStore(BackwardsStore(backwards: false));
        var poller = new EventStorePoller(store, ResolveCursor.Start, pageSize: 7);
        Assert.Equal(40, poller.ReadToEnd().Count());
        using var reader = store.OpenSource();
        var cursor = ResolveCursor.Start;
        foreach (var e in CursorRead.Checked(reader, new EventFilter { First = 13 }, cursor.Counters)) cursor.Advance(e);
        Assert.Equal(27, CursorRead.Checked(reader, new EventFilter { ThreadCounters = cursor.Counters }, cursor.Counters).Count());
    }

    [Fact]
    public void The_poller_stops_at_the_page_that_would_skip_and_keeps_its_cursor_before_it()
    {
        var poller = new EventStorePoller(new SqliteEventStore(BackwardsStore()), ResolveCursor.Start, pageSize: 4);
        Assert.Equal(4, poller.NextPage().Count);
        var before = poller.Cursor.ToString();
        var error = Assert.Throws<EventStoreException>(() => poller.NextPage());
        Assert.Equal(EventStoreErrorKind.ThreadTimestampsDecrease, error.Kind);
        Assert.Equal(before, poller.Cursor.ToString());
    }

    [Fact]
    public void The_verifier_reports_the_thread_as_a_problem_and_gaps_as_a_note_unless_complete()
    {
        var backwards = EventStoreVerifier.CheckSqlite(BackwardsStore(), quick: false);
        var problem = Assert.Single(backwards.Problems);
        Assert.Equal(("ThreadTimestamps", 1, 5L), (problem.Check, problem.ThreadId, problem.ThreadCounter));
        Assert.StartsWith("The timestamps of thread 1: threadCounter 5 has timestamp 1006, earlier than threadCounter 4's timestamp 1017", problem.Message);

        var path = BackwardsStore(backwards: false);
        Execute(path, "DELETE FROM events WHERE threadId = 2 AND threadCounter = 3");
        var subset = EventStoreVerifier.CheckSqlite(path, quick: false);
        Assert.True(subset.IsValid);
        Assert.Equal((1L, 1L), (subset.IncompleteThreadCount, subset.IncompleteAggregateCount));
        Assert.Contains(subset.Notes, note => note.StartsWith("1 thread does not start at 0 or have gaps (first: thread 2, threadCounter 3 missing): a subset"));
        var whole = EventStoreVerifier.CheckSqlite(path, quick: false, complete: true);
        Assert.False(whole.IsValid);
        Assert.Contains(whole.Problems, p => (p.Check, p.ThreadId, p.ThreadCounter) == ("ThreadCounter", 2, 3));
        Assert.Contains(whole.Problems, p => p.Check == "AggregateVersion");
        Assert.DoesNotContain(whole.Notes, note => note.Contains("gaps"));

        var quick = EventStoreVerifier.CheckSqlite(path, quick: true, complete: true);
        Assert.True(quick.IsValid);
        Assert.StartsWith("Quick: ", Assert.Single(quick.Notes));
    }
}
