using EventStoreTools.Core.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>
/// The export reads in pages (short read transactions, keyset-resumed): the pages joined must be exactly what one
/// ordered query gives, across ties of timestamp and counter at page ends, with filters, -First and huge payloads.
/// </summary>
public class SqlitePagedReadTests
{
    private const string OrderedQuery = """
        SELECT "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload" FROM "events" {0}
        ORDER BY "timestamp", "threadCounter", "threadId"
        """;

    /// <summary>20,000 events over 40 timestamps, so that every page ends inside a run of equal timestamps (and equal counters).</summary>
    private static string NewStoreWithTies()
    {
        var path = Path.Combine(TestFiles.NewDirectory(), "ties.db");
        using (var import = SqliteEventImport.Begin(path, ImportMode.IntoEmptyStore)) import.Commit();
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)
            INSERT INTO "events" SELECT i % 256, i / 256, 1000 + (i * 7919) % 40, 'agg-' || (i % 100), i / 100 + 1,
              CASE i % 3 WHEN 0 THEN 'A' WHEN 1 THEN 'B' ELSE 'C' END, json_object('i', i) FROM n
            """;
        command.ExecuteNonQuery();
        return path;
    }

    private static List<string> Expected(string path, string where = "")
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = string.Format(OrderedQuery, where);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add($"{reader.GetInt64(0)}|{reader.GetInt64(1)}|{reader.GetInt64(2)}|{reader.GetString(3)}|{reader.GetInt64(4)}|{reader.GetString(5)}|{reader.GetString(6)}");
        return rows;
    }

    private static List<string> Paged(string path, EventFilter? filter = null)
    {
        using var source = SqliteEventReader.Open(path);
        return source.ReadEvents(filter).Select(e => $"{e.ThreadId}|{e.ThreadCounter}|{e.Timestamp}|{e.AggregateId}|{e.AggregateVersion}|{e.Type}|{e.PayloadJson}").ToList();
    }

    [Fact]
    public void Pages_joined_are_the_one_ordered_query_across_ties_at_page_ends()
    {
        var path = NewStoreWithTies();
        var expected = Expected(path);
        Assert.Equal(20000, expected.Count);
        Assert.Equal(expected, Paged(path));
    }

    [Fact]
    public void Pages_keep_filters_and_First()
    {
        var path = NewStoreWithTies();
        Assert.Equal(Expected(path, "WHERE \"type\" = 'B'"), Paged(path, new EventFilter { EventTypes = ["B"] }));
        Assert.Equal(Expected(path, "WHERE \"aggregateId\" = 'agg-7'"), Paged(path, new EventFilter { AggregateIds = ["agg-7"] }));
        Assert.Equal(Expected(path).Take(9000), Paged(path, new EventFilter { First = 9000 }));
        Assert.Equal(Expected(path, "WHERE \"type\" IN ('A', 'C')").Take(4097), Paged(path, new EventFilter { EventTypes = ["A", "C*"], First = 4097 }));
        Assert.Empty(Paged(path, new EventFilter { First = 0 }));
    }

    [Fact]
    public void A_payload_too_large_for_the_sorted_row_is_read_by_key_in_its_place()
    {
        var path = NewStoreWithTies();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """UPDATE "events" SET "payload" = json_object('big', printf('%.*c', 3000000, 'x')) WHERE "threadId" = 5 AND "threadCounter" IN (3, 40)""";
            Assert.Equal(2, command.ExecuteNonQuery());
        }
        var paged = Paged(path);
        Assert.Equal(Expected(path), paged);
        Assert.Equal(2, paged.Count(row => row.Length > 3000000));
    }
}

/// <summary>reSolve's tables are recognised by columns, keys and types as sets, not by their DDL's text.</summary>
public class TableShapeTests
{
    private static readonly TableShape Shape = new("t", StringComparer.OrdinalIgnoreCase,
        [new("a", "BIGINT", true), new("b", "BIG INT", true), new("c", "JSON", false)], primaryKey: ["a", "b"], uniqueKey: ["b", "c"]);

    private static IReadOnlyCollection<string>[] Unique(params string[] columns) => [columns];

    [Fact]
    public void Accepts_the_same_table_in_another_order_case_and_spacing()
    {
        Assert.Null(Shape.Difference([new("C", "json", false), new("B", "bigint", true), new("A", "big int", true)], ["B", "A"], Unique("c", "b")));
    }

    [Theory]
    [InlineData("missing column", "it has no column \"c\"")]
    [InlineData("other type", "its column \"c\" TEXT is not reSolve's \"c\" JSON")]
    [InlineData("nullable", "its column \"a\" BIGINT is not reSolve's \"a\" BIGINT NOT NULL")]
    [InlineData("extra column", "it has a column \"d\" TEXT that reSolve's does not")]
    [InlineData("other key", "its primary key is (\"a\"), not reSolve's (\"a\", \"b\")")]
    [InlineData("no unique key", "it has no unique key on (\"b\", \"c\")")]
    public void Names_what_differs(string change, string difference)
    {
        List<ColumnShape> columns = [new("a", "BIGINT", true), new("b", "BIG INT", true), new("c", "JSON", false)];
        List<string> primaryKey = ["a", "b"];
        var unique = Unique("b", "c");
        switch (change)
        {
            case "missing column": columns.RemoveAt(2); break;
            case "other type": columns[2] = new("c", "TEXT", false); break;
            case "nullable": columns[0] = new("a", "BIGINT", false); break;
            case "extra column": columns.Add(new("d", "TEXT", false)); break;
            case "other key": primaryKey = ["a"]; break;
            case "no unique key": unique = Unique("b"); break;
        }
        Assert.Equal(difference, Shape.Difference(columns, primaryKey, unique));
    }
}
