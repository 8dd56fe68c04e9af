using EventStoreTools.Core.Incremental;
using EventStoreTools.Core.Json;
using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class IncrementalImportTests
{
    private static string NewBaseStore()
    {
        var path = Path.Combine(TestFiles.NewDirectory(), "base.db");
        using var import = SqliteEventImport.Begin(path, ImportMode.IntoEmptyStore);
        foreach (var e in IncrementalFixtures.BaseEvents()) import.Add(e);
        import.Commit();
        return path;
    }

    private static List<ResolveEvent> ReadInput(string file) => IncrementalFixtures.ReadInput(file);

    /// <summary>The store as the fixtures' dumps show it: read order, every field, keys sorted at every level.</summary>
    private static List<string> Dump(string store)
    {
        using var reader = SqliteEventReader.Open(store);
        return reader.ReadEvents().Select(IncrementalFixtures.DumpLine).ToList();
    }

    private static IncrementalImportSummary ImportIncrementally(SqliteEventStore store, IEnumerable<ResolveEvent> events)
    {
        var id = store.StartIncrementalImport();
        store.PushIncrementalImport(id, events);
        return store.CompleteIncrementalImport(id);
    }

    private static object? Scalar(string store, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={store};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Theory]
    [MemberData(nameof(IncrementalFixtures.Cases), MemberType = typeof(IncrementalFixtures))]
    public void Fixture_case_gives_reSolve_store(string fixtureCase, long imported, long duplicates)
    {
        var store = new SqliteEventStore(NewBaseStore());
        var input = ReadInput($"incremental/{fixtureCase}.input.ndjson");

        var summary = ImportIncrementally(store, input);

        Assert.Equal(File.ReadAllLines(TestFiles.Fixture($"incremental/{fixtureCase}.expected.dump.ndjson")), Dump(store.Path));
        Assert.Equal((input.Count, imported, duplicates, 0L), (summary.PushedCount, summary.ImportedCount, summary.SkippedDuplicateCount, summary.SkippedOlderCount));
        Assert.Null(store.OpenIncrementalImportId());
    }

    [Fact]
    public void Rerunning_an_import_is_a_no_op()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var input = ReadInput("incremental/dups-and-new.input.ndjson");
        ImportIncrementally(store, input);
        var after = Dump(store.Path);

        var again = ImportIncrementally(store, input);

        Assert.Equal((10L, 0L, 10L), (again.PushedCount, again.ImportedCount, again.SkippedDuplicateCount));
        Assert.Equal(after, Dump(store.Path));
    }

    [Fact]
    public void Duplicates_compare_payloads_as_json_values_not_text()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var stored = ReadInput("incremental/dups-only.input.ndjson")[0];
        var reordered = new ResolveEvent
        {
            Timestamp = stored.Timestamp, AggregateId = stored.AggregateId, Type = stored.Type,
            PayloadJson = JsonValueEquality.SortedKeys(stored.PayloadJson).Replace(",", " , "),
        };
        Assert.NotEqual(stored.PayloadJson, reordered.PayloadJson);
        var changed = new ResolveEvent { Timestamp = stored.Timestamp, AggregateId = stored.AggregateId, Type = stored.Type, PayloadJson = """{"name":"other"}""" };

        var summary = ImportIncrementally(store, [reordered, changed]);

        Assert.Equal((1L, 1L), (summary.SkippedDuplicateCount, summary.SkippedOlderCount));
        Assert.Equal(0L, summary.ImportedCount);
    }

    [Fact]
    public void Repeats_collapsed_into_fewer_stored_copies_are_counted_and_the_first_is_named()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var (stored, pushed) = IncrementalFixtures.CollapsedRepeats((long)Scalar(store.Path, "SELECT max(timestamp) FROM events")!);
        Assert.Equal(0L, ImportIncrementally(store, stored).CollapsedRepeatCount);

        var summary = ImportIncrementally(store, pushed);

        Assert.Equal((6L, 1L, 5L, 2L), (summary.PushedCount, summary.ImportedCount, summary.SkippedDuplicateCount, summary.CollapsedRepeatCount));
        Assert.Equal(("rep", pushed[1].Timestamp, """{"b":2,"a":1}"""), (summary.FirstCollapsedRepeat!.AggregateId, summary.FirstCollapsedRepeat.Timestamp, summary.FirstCollapsedRepeat.PayloadJson));
        Assert.Equal(0L, ImportIncrementally(store, IncrementalFixtures.BaseEvents().Take(3)).CollapsedRepeatCount);
    }

    [Fact]
    public void Older_events_are_skipped_and_counted_equal_timestamp_is_imported()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var newest = (long)Scalar(store.Path, "SELECT max(timestamp) FROM events")!;
        ResolveEvent At(long timestamp, string aggregate) => new() { Timestamp = timestamp, AggregateId = aggregate, Type = "T", PayloadJson = "{}" };

        var summary = ImportIncrementally(store, [At(newest - 1, "old"), At(newest, "same"), At(newest + 5, "new"), At(1, "ancient")]);

        Assert.Equal((4L, 2L, 0L, 2L, (long?)newest), (summary.PushedCount, summary.ImportedCount, summary.SkippedDuplicateCount, summary.SkippedOlderCount, summary.NewestStoredTimestamp));
        Assert.Equal(0L, Scalar(store.Path, "SELECT count(*) FROM events WHERE aggregateId IN ('old', 'ancient')"));
        Assert.Equal(2L, Scalar(store.Path, "SELECT count(*) FROM events WHERE aggregateId IN ('same', 'new')"));
    }

    [Fact]
    public void Duplicates_within_one_import_are_kept_with_consecutive_counters_and_versions()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var e = new ResolveEvent { Timestamp = 4102445800000, AggregateId = "twice", Type = "T", PayloadJson = """{"a":1}""" };

        var thread = 4102445800000 % 256;
        var counter = (long)Scalar(store.Path, $"SELECT max(threadCounter) FROM events WHERE threadId = {thread}")!;

        var summary = ImportIncrementally(store, [e, e]);

        Assert.Equal(2L, summary.ImportedCount);
        Assert.Equal("1,2", Scalar(store.Path, "SELECT group_concat(aggregateVersion) FROM (SELECT aggregateVersion FROM events WHERE aggregateId='twice' ORDER BY 1)"));
        Assert.Equal($"{thread}:{counter + 1},{counter + 2}", Scalar(store.Path, "SELECT threadId || ':' || group_concat(threadCounter) FROM (SELECT threadId, threadCounter FROM events WHERE aggregateId='twice' ORDER BY 2)"));
    }

    [Fact]
    public void Pushes_accumulate_durably_in_reSolve_table_across_connections()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var input = ReadInput("incremental/new-only.input.ndjson");
        var id = store.StartIncrementalImport();

        Assert.Equal(3, store.PushIncrementalImport(id, input.Take(3)));
        Assert.Equal(0, store.PushIncrementalImport(id, []));
        Assert.Equal(2, new SqliteEventStore(store.Path).PushIncrementalImport(id, input.Skip(3)));

        Assert.Matches("^[A-Za-z0-9]+$", id);
        Assert.Equal(id, store.OpenIncrementalImportId());
        Assert.Contains($"-- RESOLVE INCREMENTAL-IMPORT '{id}' OWNED TABLE", (string)Scalar(store.Path, "SELECT sql FROM sqlite_master WHERE name='events-incremental-import'")!);
        Assert.Equal(5L, Scalar(store.Path, """SELECT count(*) FROM "events-incremental-import" """));
        Assert.Equal(5L, store.CompleteIncrementalImport(id).ImportedCount);
        Assert.Equal(File.ReadAllLines(TestFiles.Fixture("incremental/new-only.expected.dump.ndjson")), Dump(store.Path));
    }

    [Fact]
    public void A_second_start_names_the_open_import()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var id = store.StartIncrementalImport();
        var ex = Assert.Throws<EventStoreException>(() => store.StartIncrementalImport());
        Assert.Equal(EventStoreErrorKind.ImportAlreadyOpen, ex.Kind);
        Assert.Contains("Previous incremental import is not finished", ex.Message);
        Assert.Contains(id, ex.Message);
    }

    [Fact]
    public void A_wrong_id_fails_push_commit_and_undo()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var id = store.StartIncrementalImport();
        var e = new ResolveEvent { Timestamp = 4102445800000, AggregateId = "a", Type = "T" };
        foreach (var action in new Action[] { () => store.PushIncrementalImport("wrong", [e]), () => store.CompleteIncrementalImport("wrong"), () => store.UndoIncrementalImport("wrong") })
        {
            var ex = Assert.Throws<EventStoreException>(action);
            Assert.Equal(EventStoreErrorKind.ImportNotFound, ex.Kind);
            Assert.Equal("Incremental importId=wrong does not exist.", ex.Message);
        }
        Assert.Equal(id, store.OpenIncrementalImportId());
    }

    [Fact]
    public void A_failing_commit_leaves_the_store_unchanged_and_can_be_retried()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var before = Dump(store.Path);
        var id = store.StartIncrementalImport();
        store.PushIncrementalImport(id, ReadInput("incremental/new-only.input.ndjson"));
        Scalar(store.Path, "CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END");

        var ex = Assert.Throws<EventStoreException>(() => store.CompleteIncrementalImport(id));

        Assert.Contains("refused by a trigger", ex.Message);
        Assert.Equal(before, Dump(store.Path));
        Assert.Equal(id, store.OpenIncrementalImportId());
        Scalar(store.Path, "DROP TRIGGER refuse");
        Assert.Equal(5L, store.CompleteIncrementalImport(id).ImportedCount);
        Assert.Equal(File.ReadAllLines(TestFiles.Fixture("incremental/new-only.expected.dump.ndjson")), Dump(store.Path));
    }

    [Fact]
    public void A_failing_push_stores_none_of_its_events()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var id = store.StartIncrementalImport();
        var good = new ResolveEvent { Timestamp = 4102445800000, AggregateId = "a", Type = "T" };
        var bad = new ResolveEvent { Timestamp = -1, AggregateId = "a", Type = "T" };

        var ex = Assert.Throws<EventStoreException>(() => store.PushIncrementalImport(id, [good, bad]));

        Assert.Equal(EventStoreErrorKind.InvalidInput, ex.Kind);
        Assert.Same(bad, ex.Event);
        Assert.Equal(0L, Scalar(store.Path, """SELECT count(*) FROM "events-incremental-import" """));
    }

    [Fact]
    public void Undo_drops_the_pushed_events()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var before = Dump(store.Path);
        Assert.Null(store.UndoIncrementalImport());
        var id = store.StartIncrementalImport();
        store.PushIncrementalImport(id, ReadInput("incremental/new-only.input.ndjson"));

        Assert.Equal(new IncrementalImportUndo(store.Path, id, 5), store.UndoIncrementalImport(id));

        Assert.Null(store.OpenIncrementalImportId());
        Assert.Equal(before, Dump(store.Path));
        Assert.Throws<EventStoreException>(() => store.CompleteIncrementalImport(id));
    }

    [Fact]
    public void Sees_an_import_reSolve_opened()
    {
        var store = new SqliteEventStore(NewBaseStore());
        Scalar(store.Path, """
            CREATE TABLE "events-incremental-import"(
            -- RESOLVE INCREMENTAL-IMPORT 'MTY3MDAwMDAwMDAwMDAuODMyOTEwNDYyNzU0MTM0Mgzz' OWNED TABLE
            "threadId" BIGINT NOT NULL, "threadCounter" BIGINT NULL, "timestamp" BIGINT NOT NULL,
            "aggregateId" VARCHAR(700) NOT NULL, "aggregateVersion" BIGINT NULL, "type" VARCHAR(700) NOT NULL, "payload" JSON NULL)
            """);
        Assert.Equal("MTY3MDAwMDAwMDAwMDAuODMyOTEwNDYyNzU0MTM0Mgzz", store.OpenIncrementalImportId());
        Assert.Equal(5, store.PushIncrementalImport("MTY3MDAwMDAwMDAwMDAuODMyOTEwNDYyNzU0MTM0Mgzz", ReadInput("incremental/new-only.input.ndjson")));
    }

    [Fact]
    public void A_session_gives_the_same_store_as_the_three_steps_in_one_transaction()
    {
        var store = new SqliteEventStore(NewBaseStore());
        using (var session = store.BeginIncrementalImport())
        {
            // Other connections see no import: it exists only inside the transaction.
            Assert.Null(store.OpenIncrementalImportId());
            Assert.Matches("^[A-Za-z0-9]+$", session.ImportId);
            foreach (var e in ReadInput("incremental/dups-and-new.input.ndjson")) session.Add(e);
            var summary = session.Complete();
            Assert.Equal((10L, 5L, 5L), (summary.PushedCount, summary.ImportedCount, summary.SkippedDuplicateCount));
        }
        Assert.Equal(File.ReadAllLines(TestFiles.Fixture("incremental/dups-and-new.expected.dump.ndjson")), Dump(store.Path));
        Assert.Null(store.OpenIncrementalImportId());
    }

    [Fact]
    public void A_session_that_fails_or_adds_nothing_leaves_the_store_byte_for_byte_and_no_import_open()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var before = File.ReadAllBytes(store.Path);
        using (var session = store.BeginIncrementalImport())
        {
            session.Add(new ResolveEvent { Timestamp = 4102445800000, AggregateId = "a", Type = "T" });
            Assert.Throws<EventStoreException>(() => session.Add(new ResolveEvent { Timestamp = -1, AggregateId = "a", Type = "T" }));
        }
        Assert.Equal(before, File.ReadAllBytes(store.Path));
        using (var session = store.BeginIncrementalImport())
        {
            foreach (var e in ReadInput("incremental/dups-only.input.ndjson")) session.Add(e);
            Assert.Equal(5L, session.Complete().SkippedDuplicateCount);
        }
        Assert.Equal(before, File.ReadAllBytes(store.Path));
        Assert.Null(store.OpenIncrementalImportId());
    }

    [Fact]
    public void A_session_refuses_a_store_with_an_open_import()
    {
        var store = new SqliteEventStore(NewBaseStore());
        var id = store.StartIncrementalImport();
        Assert.Equal(EventStoreErrorKind.ImportAlreadyOpen, Assert.Throws<EventStoreException>(() => store.BeginIncrementalImport()).Kind);
        Assert.Equal(id, store.OpenIncrementalImportId());
    }

    [Fact]
    public void Cancelling_interrupts_a_running_commit_which_rolls_back()
    {
        var path = NewBaseStore();
        var id = new SqliteEventStore(path).StartIncrementalImport();
        Scalar(path, """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 599999)
            INSERT INTO "events-incremental-import"("timestamp", "aggregateId", "type", "payload", "threadId")
            SELECT 4200000000000 + i, 'pushed-' || (i % 1000), 'PUSHED', '{"i":1}', (4200000000000 + i) % 256 FROM n
            """);
        var before = File.ReadAllBytes(path);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => new SqliteEventStore(path, stop.Token).CompleteIncrementalImport(id));

        // Uninterrupted, the commit of 600k pushed events takes several times as long.
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.2, 2.5);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(id, new SqliteEventStore(path).OpenIncrementalImportId());
    }

    [Theory]
    [InlineData("""{"a":1,"b":[1,{"c":null,"d":"x"}]}""", """ { "b" : [ 1.0 , {"d":"x","c":null} ], "a" : 1 } """, true)]
    [InlineData("""{"a":[1,2]}""", """{"a":[2,1]}""", false)]
    [InlineData("""{"a":"1"}""", """{"a":1}""", false)]
    [InlineData("null", "null", true)]
    [InlineData("""{"a":1,"a":2}""", """{"a":2}""", true)]
    public void Json_value_equality(string left, string right, bool equal) =>
        Assert.Equal(equal, JsonValueEquality.AreEqual(left, right));

    [Fact]
    public void Import_ids_have_reSolve_format()
    {
        var id = IncrementalImportId.New();
        Assert.Matches("^[A-Za-z0-9]{28,}$", id);
        Assert.NotEqual(id, IncrementalImportId.New());
        // The first 16 characters encode the first 12 digits of the time in ms (base64 of ASCII digits has no '/', '+' or '=').
        var decoded = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(id[..16]));
        Assert.StartsWith(decoded[..8], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
