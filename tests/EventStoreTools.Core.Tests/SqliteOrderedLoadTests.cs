using EventStoreTools.Core.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>
/// A new store's events are staged and moved in key order (SqliteOrderedLoad), except those with a huge payload,
/// which go into the events table at once: the stored rows are the same either way, and a key repeated across the
/// two is still found and named.
/// </summary>
public class SqliteOrderedLoadTests
{
    private static ResolveEvent Event(int thread, long counter, string aggregate, long version, string payloadJson) => new()
    {
        ThreadId = thread,
        ThreadCounter = counter,
        Timestamp = 1700000000000 + counter,
        AggregateId = aggregate,
        AggregateVersion = version,
        Type = "T",
        PayloadJson = payloadJson,
    };

    private static readonly string HugePayload = "{\"text\":\"" + new string('h', SqliteOrderedLoad.HugePayloadBytes + 10) + "\"}";

    private static List<string> Rows(string store)
    {
        using var connection = new SqliteConnection($"Data Source={store};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT "threadId","threadCounter","timestamp","aggregateId","aggregateVersion","type", typeof("payload"), "payload" FROM "events" ORDER BY 1, 2""";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    private static List<ResolveEvent> Events() =>
    [
        Event(0, 0, "z-aggregate", 1, "{\"a\":1}"),
        Event(1, 0, "zz-huge", 1, HugePayload),
        Event(2, 0, "m-aggregate", 1, "42"),
        Event(0, 1, "a-aggregate", 1, "[1,\"two\",null]"),
    ];

    [Fact]
    public void A_huge_payload_goes_in_at_once_and_the_rows_are_those_of_an_event_by_event_load()
    {
        var folder = TestFiles.NewDirectory();
        var ordered = Path.Combine(folder, "ordered.db");
        using (var import = SqliteEventImport.Begin(ordered, ImportMode.FailIfNotEmpty))
        {
            foreach (var e in Events()) import.Add(e);
            import.Commit();
        }
        // Event by event: appended to a store that holds an event already, which is then removed.
        var byEvent = Path.Combine(folder, "by-event.db");
        using (var import = SqliteEventImport.Begin(byEvent, ImportMode.FailIfNotEmpty))
        {
            import.Add(Event(255, 99, "placeholder", 1, "null"));
            import.Commit();
        }
        using (var import = SqliteEventImport.Begin(byEvent, ImportMode.Append))
        {
            foreach (var e in Events()) import.Add(e);
            import.Commit();
        }
        using (var connection = new SqliteConnection($"Data Source={byEvent};Pooling=False"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = """DELETE FROM "events" WHERE "aggregateId" = 'placeholder'""";
            delete.ExecuteNonQuery();
        }
        var rows = Rows(ordered);
        Assert.Equal(4, rows.Count);
        Assert.Equal(Rows(byEvent), rows);
        Assert.Contains(rows, row => row.EndsWith(HugePayload, StringComparison.Ordinal));
        // The huge event was inserted at once: first, though its key sorts last.
        using var orderedStore = new SqliteConnection($"Data Source={ordered};Pooling=False;Mode=ReadOnly");
        orderedStore.Open();
        using var command = orderedStore.CreateCommand();
        command.CommandText = """SELECT "aggregateId" FROM "events" ORDER BY rowid""";
        using var reader = command.ExecuteReader();
        var order = new List<string>();
        while (reader.Read()) order.Add(reader.GetString(0));
        Assert.Equal(["zz-huge", "a-aggregate", "m-aggregate", "z-aggregate"], order);
    }

    [Fact]
    public void A_staged_event_that_repeats_the_key_of_a_huge_one_is_named()
    {
        var store = Path.Combine(TestFiles.NewDirectory(), "dup.db");
        using var import = SqliteEventImport.Begin(store, ImportMode.FailIfNotEmpty);
        foreach (var e in Events()) import.Add(e);
        import.Add(Event(1, 0, "other", 1, "{}"), inputLine: 5);
        var ex = Assert.Throws<EventStoreException>(import.Commit);
        Assert.Equal(EventStoreErrorKind.DuplicateEvent, ex.Kind);
        Assert.Equal(5, ex.LineNumber);
        Assert.StartsWith("Line 5: An event with threadId 1 and threadCounter 0 ", ex.Message, StringComparison.Ordinal);
        Assert.Equal("other", Assert.IsType<ResolveEvent>(ex.Event).AggregateId);
    }
}
