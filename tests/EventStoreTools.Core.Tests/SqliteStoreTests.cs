using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class SqliteStoreTests
{
    private static string ExportToString(string store)
    {
        var stream = new MemoryStream();
        using (var reader = SqliteEventReader.Open(store))
        using (var writer = new NdjsonEventWriter(stream, ownsStream: false))
            foreach (var e in reader.ReadEvents()) writer.Write(e);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static List<object[]> Rows(string store)
    {
        using var connection = new SqliteConnection($"Data Source={store};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT "threadId","threadCounter","timestamp","aggregateId","aggregateVersion","type","payload", typeof("payload") FROM "events" ORDER BY 1, 2""";
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    private static void Copy(string source, string target, ImportMode mode = ImportMode.IntoEmptyStore)
    {
        using var reader = SqliteEventReader.Open(source);
        using var import = SqliteEventImport.Begin(target, mode);
        foreach (var e in reader.ReadEvents()) import.Add(e);
        import.Commit();
    }

    [Fact]
    public void Export_of_reSolve_store_is_byte_identical_to_reSolve_export()
    {
        var store = TestFiles.CopyFixture("resolve-lite-600.db");
        Assert.Equal(File.ReadAllText(TestFiles.Fixture("resolve-lite-600.export.ndjson")), ExportToString(store));
    }

    [Fact]
    public void Copy_keeps_every_column_byte_for_byte()
    {
        var source = TestFiles.CopyFixture("resolve-lite-600.db");
        var target = Path.Combine(TestFiles.NewDirectory(), "copy.db");
        Copy(source, target);
        Assert.Equal(Rows(source), Rows(target));
    }

    [Fact]
    public void Import_from_reSolve_ndjson_gives_reSolve_store()
    {
        var source = TestFiles.CopyFixture("resolve-lite-600.db");
        var target = Path.Combine(TestFiles.NewDirectory(), "imported.db");
        using (var reader = NdjsonEventReader.Open(TestFiles.Fixture("resolve-lite-600.export.ndjson")))
        using (var import = SqliteEventImport.Begin(target, ImportMode.IntoEmptyStore))
        {
            foreach (var e in reader.ReadEvents()) import.Add(e);
            import.Commit();
        }
        Assert.Equal(Rows(source), Rows(target));
    }

    [Fact]
    public void Creates_reSolve_schema_with_all_tables_and_indexes()
    {
        var target = Path.Combine(TestFiles.NewDirectory(), "new.db");
        using (var import = SqliteEventImport.Begin(target, ImportMode.IntoEmptyStore))
            import.Commit();
        using var connection = new SqliteConnection($"Data Source={target};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY name";
        var names = new List<string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) names.Add(reader.GetString(0));
        Assert.Equal(["aggregateId-idx", "aggregateIdAndVersion-idx", "aggregateVersion-idx", "events", "idx-index", "secrets", "snapshots", "subscribers", "timestamp-idx", "type-idx"], names);
    }

    private static bool HasSecondaryIndexes(string store)
    {
        using var connection = new SqliteConnection($"Data Source={store};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return SqliteStoreSchema.HasEventIndexes(connection);
    }

    [Fact]
    public void A_deferred_commit_leaves_the_secondary_indexes_to_the_next_commit_that_is_not()
    {
        var source = TestFiles.CopyFixture("resolve-lite-600.db");
        var target = Path.Combine(TestFiles.NewDirectory(), "mirror.db");
        var events = new List<ResolveEvent>();
        using (var reader = SqliteEventReader.Open(source))
            events.AddRange(reader.ReadEvents());
        foreach (var (part, deferred) in new[] { (0, true), (1, true), (2, false) })
        {
            using var import = SqliteEventImport.Begin(target, ImportMode.Append);
            foreach (var e in events.Skip(part * 200).Take(200)) import.Add(e);
            if (deferred) import.DeferIndexBuild();
            import.Commit();
            Assert.Equal(!deferred, HasSecondaryIndexes(target));
        }
        Assert.Equal(Rows(source), Rows(target));
    }

    [Fact]
    public void Top_level_numbers_are_stored_as_numbers_and_read_back_exactly()
    {
        var target = Path.Combine(TestFiles.NewDirectory(), "numbers.db");
        using (var import = SqliteEventImport.Begin(target, ImportMode.IntoEmptyStore))
        {
            var payloads = new[] { "123", "0.30000000000000004", "1e+21", "\"text\"", "null", "{\"a\":[]}" };
            for (var i = 0; i < payloads.Length; i++)
                import.Add(new ResolveEvent { ThreadId = 1, ThreadCounter = i, Timestamp = i, AggregateId = "n", AggregateVersion = i + 1, Type = "T", PayloadJson = payloads[i] });
            import.Commit();
        }
        Assert.Equal(["integer", "real", "real", "text", "text", "text"], Rows(target).Select(r => (string)r[7]));
        Assert.Contains("\"payload\":0.30000000000000004}", ExportToString(target));
        Assert.Contains("\"payload\":1e+21}", ExportToString(target));
    }

    [Fact]
    public void Text_columns_keep_empty_and_non_ascii_strings_and_bad_payloads_are_refused()
    {
        var target = Path.Combine(TestFiles.NewDirectory(), "text.db");
        using (var import = SqliteEventImport.Begin(target, ImportMode.IntoEmptyStore))
        {
            import.Add(new ResolveEvent { ThreadId = 0, ThreadCounter = 0, Timestamp = 1, AggregateId = "", AggregateVersion = 1, Type = "Überweisung ✓", PayloadJson = "\"\"" });
            import.Add(new ResolveEvent { ThreadId = 0, ThreadCounter = 1, Timestamp = 2, AggregateId = "№" + new string('x', 5000), AggregateVersion = 1, Type = "T", PayloadJson = "{\"a\":\"😀\"}" });
            Assert.ThrowsAny<System.Text.Json.JsonException>(() => new ResolveEvent { PayloadJson = "{oops" });
            var deep = new ResolveEvent { ThreadId = 0, ThreadCounter = 2, Timestamp = 3, AggregateId = "b", AggregateVersion = 1, Type = "T", PayloadJson = new string('[', 1001) + new string(']', 1001) };
            var ex = Assert.Throws<EventStoreException>(() => import.Add(deep));
            Assert.Equal(EventStoreErrorKind.InvalidInput, ex.Kind);
            Assert.Contains("1000", ex.Message, StringComparison.Ordinal);
            import.Commit();
        }
        var rows = Rows(target);
        Assert.Equal(2, rows.Count);
        Assert.Equal(["", "Überweisung ✓", "\"\"", "text"], new[] { rows[0][3], rows[0][5], rows[0][6], rows[0][7] });
        Assert.Equal(["№" + new string('x', 5000), "{\"a\":\"😀\"}"], new[] { rows[1][3], rows[1][6] });
    }

    // The second value is Node's JSON.stringify(JSON.parse(payload)), null where JSON.parse throws.
    [Theory]
    [InlineData("{\"a\":1,\"b\":{\"c\":[true,false,null]}}", "{\"a\":1,\"b\":{\"c\":[true,false,null]}}")]
    [InlineData("[1,2.5,-0,1e400,1E5,0.1e-5,-1.0,12345678901234567890]", "[1,2.5,0,null,100000,0.000001,-1,12345678901234567000]")]
    [InlineData("\"\\/\\u00e9\\uD83D\\uDE00\\u0000\\\"\"", "\"/é😀\\u0000\\\"\"")]
    [InlineData("{\"a\":1,\"a\":2}", "{\"a\":2}")]
    [InlineData("123", "123")]
    [InlineData("-4.5e-7", "-4.5e-7")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("{ \"a\": 1 }", "{\"a\":1}")]
    [InlineData("[1,\n2]", "[1,2]")]
    [InlineData("{'a':1}", null)]
    [InlineData("[1,]", null)]
    [InlineData("{\"a\":1}x", null)]
    [InlineData("0x10", null)]
    [InlineData("NaN", null)]
    [InlineData("\"tab\tinside\"", null)]
    [InlineData("", null)]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public void Payloads_are_stored_as_reSolve_stores_them(string payload, string? javaScriptText)
    {
        var e = new ResolveEvent { ThreadId = 0, ThreadCounter = 0, Timestamp = 1, AggregateId = "a", AggregateVersion = 1, Type = "T" };
        if (javaScriptText is null)
        {
            Assert.ThrowsAny<System.Text.Json.JsonException>(() => e.PayloadJson = payload);
            return;
        }
        e.PayloadJson = payload;

        // reSolve stores json(JSON.stringify(JSON.parse(payload))) in a NUMERIC-affinity column.
        string? expected;
        using (var reference = new SqliteConnection("Data Source=:memory:"))
        {
            reference.Open();
            using var command = reference.CreateCommand();
            command.CommandText = "CREATE TABLE t(\"payload\" JSON NULL); INSERT INTO t VALUES (json($p)); SELECT typeof(\"payload\") || ':' || quote(\"payload\") FROM t";
            command.Parameters.AddWithValue("$p", javaScriptText);
            expected = (string?)command.ExecuteScalar();
        }

        var target = Path.Combine(TestFiles.NewDirectory(), "payload.db");
        using (var import = SqliteEventImport.Begin(target, ImportMode.IntoEmptyStore))
        {
            import.Add(e);
            import.Commit();
        }
        using var connection = new SqliteConnection($"Data Source={target};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT typeof(\"payload\") || ':' || quote(\"payload\") FROM \"events\"";
        Assert.Equal(expected, (string?)read.ExecuteScalar());
    }

    [Fact]
    public void Refuses_a_store_that_holds_events_unless_told()
    {
        var source = TestFiles.CopyFixture("resolve-lite-600.db");
        var target = TestFiles.CopyFixture("resolve-lite-600.db");
        var before = File.ReadAllBytes(target);
        var ex = Assert.Throws<EventStoreException>(() => SqliteEventImport.Begin(target, ImportMode.IntoEmptyStore));
        Assert.Equal(EventStoreErrorKind.TargetNotEmpty, ex.Kind);
        Assert.Equal(before, File.ReadAllBytes(target));

        Copy(source, target, ImportMode.Replace);
        Assert.Equal(Rows(source), Rows(target));
    }

    [Fact]
    public void A_failing_import_leaves_the_store_as_it_was()
    {
        var source = TestFiles.CopyFixture("resolve-lite-600.db");
        var target = TestFiles.CopyFixture("resolve-lite-600.db");
        var before = File.ReadAllBytes(target);
        using (var import = SqliteEventImport.Begin(target, ImportMode.Replace))
        {
            using var reader = SqliteEventReader.Open(source);
            var events = reader.ReadEvents().ToList();
            foreach (var e in events.Take(300)) import.Add(e);
            var ex = Assert.Throws<EventStoreException>(() => import.Add(events[10]));
            Assert.Equal(EventStoreErrorKind.DuplicateEvent, ex.Kind);
            Assert.Same(events[10], ex.Event);
        }
        Assert.Equal(before, File.ReadAllBytes(target));
    }

    [Fact]
    public void A_failing_import_into_a_new_file_leaves_no_file()
    {
        var target = Path.Combine(TestFiles.NewDirectory(), "never.db");
        using (var import = SqliteEventImport.Begin(target, ImportMode.IntoEmptyStore))
        {
            Assert.Throws<EventStoreException>(() => import.Add(new ResolveEvent { ThreadId = 256, Type = "T", AggregateVersion = 1 }));
        }
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(target)!));
    }

    [Fact]
    public void A_new_store_appears_only_at_commit_and_two_imports_into_one_new_path_do_not_mix()
    {
        var target = Path.Combine(TestFiles.NewDirectory(), "raced.db");
        var first = new ResolveEvent { ThreadId = 1, ThreadCounter = 0, Type = "FIRST", AggregateId = "a", AggregateVersion = 1 };
        var second = new ResolveEvent { ThreadId = 2, ThreadCounter = 0, Type = "SECOND", AggregateId = "b", AggregateVersion = 1 };
        using (var winner = SqliteEventImport.Begin(target, ImportMode.IntoEmptyStore))
        using (var loser = SqliteEventImport.Begin(target, ImportMode.IntoEmptyStore))
        {
            winner.Add(first);
            loser.Add(second);
            Assert.False(File.Exists(target));
            winner.Commit();
            Assert.Equal(EventStoreErrorKind.TargetNotEmpty, Assert.Throws<EventStoreException>(loser.Commit).Kind);
        }
        Assert.Equal(["FIRST"], Rows(target).Select(row => (string)row[5]));
        Assert.Equal(["raced.db"], Directory.GetFileSystemEntries(Path.GetDirectoryName(target)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Cancelling_ends_a_wait_for_another_connections_lock()
    {
        var target = TestFiles.CopyFixture("resolve-lite-600.db");
        using var holder = new SqliteConnection($"Data Source={target};Pooling=False");
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => SqliteEventImport.Begin(target, ImportMode.Append, stop.Token));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.3, 3);
    }

    [Fact]
    public void A_store_left_with_a_hot_journal_by_a_dead_writer_reads_as_before_that_writer()
    {
        var store = TestFiles.CopyFixture("resolve-lite-600.db");
        var expected = Rows(store);
        // A copy of the file and its journal taken while a writer's transaction has spilled into the file is
        // what a writer killed at that moment leaves: a hot journal that no process holds a lock for.
        var crashed = Path.Combine(TestFiles.NewDirectory(), "crashed.db");
        using (var writer = new SqliteConnection($"Data Source={store};Pooling=False"))
        {
            writer.Open();
            using var command = writer.CreateCommand();
            command.CommandText = """PRAGMA cache_size=1; BEGIN; UPDATE "events" SET "payload" = json('{"overwritten":true}')""";
            command.ExecuteNonQuery();
            File.Copy(store, crashed);
            File.Copy(store + "-journal", crashed + "-journal");
            command.CommandText = "ROLLBACK";
            command.ExecuteNonQuery();
        }
        Assert.NotEqual(File.ReadAllBytes(store), File.ReadAllBytes(crashed));

        using (var reader = SqliteEventReader.Open(crashed))
            Assert.Equal(600, reader.ReadEvents().Count());
        Assert.False(File.Exists(crashed + "-journal"));
        Assert.Equal(expected, Rows(crashed));
    }

    [Fact]
    public void Cancelling_interrupts_building_the_indexes_of_a_new_store_and_leaves_no_store()
    {
        var target = Path.Combine(TestFiles.NewDirectory(), "interrupted.db");
        using var stop = new CancellationTokenSource();
        using (var import = SqliteEventImport.Begin(target, ImportMode.IntoEmptyStore, stop.Token))
        {
            // Enough events that building the secondary indexes takes far longer than the 20 ms before the stop.
            for (var i = 0; i < 300_000; i++)
            {
                import.Add(new ResolveEvent
                {
                    ThreadId = i % 256, ThreadCounter = i / 256, Timestamp = 1_700_000_000_000 + i, AggregateId = Guid.NewGuid().ToString(),
                    AggregateVersion = 1, Type = "T" + (i % 5), PayloadJson = $$"""{"n":{{i}}}""",
                });
            }
            var commit = Task.Run(import.Commit);
            Thread.Sleep(20);
            stop.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => commit.GetAwaiter().GetResult());
        }
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(target)!));
    }

    [Fact]
    public void A_store_path_that_is_a_directory_or_a_read_only_file_is_refused()
    {
        var dir = TestFiles.NewDirectory();
        Assert.Equal(EventStoreErrorKind.InvalidStorePath, Assert.Throws<EventStoreException>(() => SqliteEventImport.Begin(dir, ImportMode.Append)).Kind);
        var readOnly = TestFiles.CopyFixture("resolve-lite-600.db");
        File.SetAttributes(readOnly, FileAttributes.ReadOnly);
        Assert.Equal(EventStoreErrorKind.StoreReadOnly, Assert.Throws<EventStoreException>(() => SqliteEventImport.Begin(readOnly, ImportMode.Append)).Kind);
    }

    [Fact]
    public void Reading_a_missing_store_or_a_non_database_fails_clearly()
    {
        var dir = TestFiles.NewDirectory();
        Assert.Equal(EventStoreErrorKind.StoreNotFound, Assert.Throws<EventStoreException>(() => SqliteEventReader.Open(Path.Combine(dir, "none.db"))).Kind);
        var text = Path.Combine(dir, "text.db");
        File.WriteAllText(text, "this is not a database, it is long enough to have a header of sorts........");
        Assert.Equal(EventStoreErrorKind.NotAnEventStore, Assert.Throws<EventStoreException>(() => SqliteEventReader.Open(text)).Kind);
    }
}
