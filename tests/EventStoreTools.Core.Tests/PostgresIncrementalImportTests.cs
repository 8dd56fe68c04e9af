using System.Collections;
using EventStoreTools.Core.Incremental;
using EventStoreTools.Core.Json;
using EventStoreTools.Core.Postgres;
using Npgsql;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class PostgresIncrementalImportTests : IClassFixture<PostgresServerFixture>
{
    private const string ResolveImportId = "MTY3MDAwMDAwMDAwMDAuODMyOTEwNDYyNzU0MTM0Mgzz";

    private readonly PostgresServerFixture _server;

    public PostgresIncrementalImportTests(PostgresServerFixture server) => _server = server;

    /// <summary>The fixtures' starting store: reSolve's export of 1000 events, imported keeping threads and counters.</summary>
    private PostgresEventStore NewBaseStore()
    {
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        using var import = store.BeginImport(ImportMode.IntoEmptyStore);
        foreach (var e in IncrementalFixtures.BaseEvents()) import.Add(e);
        import.Commit();
        return store;
    }

    private static List<ResolveEvent> ReadInput(string file) => IncrementalFixtures.ReadInput(file);

    /// <summary>The store in the fixtures' dump format (every field, keys sorted at every level), lines sorted.</summary>
    private static List<string> Dump(IEventStore store)
    {
        using var source = store.OpenSource();
        return source.ReadEvents().Select(IncrementalFixtures.DumpLine).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// What reSolve's PostgreSQL adapter leaves for a fixture case. The expected dumps were made by
    /// eventstore-lite, which numbers new events otherwise (threadId = timestamp % 256, counters per thread);
    /// every other field (aggregateId, aggregateVersion, payload, timestamp, type), and the threads and
    /// counters of the stored events, do not depend on the engine. So the new events of the dump (the lines
    /// that are not in the dump of the starting store, which is dups-only's) get spec 6.3's numbering instead:
    /// rank r in (timestamp, push order), which is their order in the dump, goes to thread r % 256 with counter
    /// (that thread's largest stored counter) + 1 + r / 256. Lines sorted.
    /// </summary>
    private static List<string> ExpectedPostgresDump(string fixtureCase)
    {
        var stored = File.ReadAllLines(TestFiles.Fixture("incremental/dups-only.expected.dump.ndjson"));
        var tails = new long[256];
        Array.Fill(tails, -1);
        foreach (var line in stored)
        {
            var e = (IDictionary)JsJson.Parse(line)!;
            var thread = Convert.ToInt32(e["threadId"]);
            tails[thread] = Math.Max(tails[thread], Convert.ToInt64(e["threadCounter"]));
        }
        var storedLines = stored.ToHashSet(StringComparer.Ordinal);
        var rank = 0;
        var expected = new List<string>();
        foreach (var line in File.ReadAllLines(TestFiles.Fixture($"incremental/{fixtureCase}.expected.dump.ndjson")))
        {
            if (storedLines.Contains(line))
            {
                expected.Add(line);
                continue;
            }
            var e = (IDictionary)JsJson.Parse(line)!;
            var thread = rank % 256;
            expected.Add(IncrementalFixtures.DumpLine((string)e["aggregateId"]!, Convert.ToInt64(e["aggregateVersion"]), JsJson.Serialize(e["payload"]),
                tails[thread] + 1 + rank / 256, thread, Convert.ToInt64(e["timestamp"]), (string)e["type"]!));
            rank++;
        }
        return expected.Order(StringComparer.Ordinal).ToList();
    }

    private static IncrementalImportSummary ImportIncrementally(IEventStore store, IEnumerable<ResolveEvent> events)
    {
        var id = store.StartIncrementalImport();
        store.PushIncrementalImport(id, events);
        return store.CompleteIncrementalImport(id);
    }

    private object? Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(_server.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    /// <summary>events-threads, the next counter of every thread.</summary>
    private long[] Threads(PostgresEventStore store) =>
        ((long[])Scalar($"""SELECT array_agg("threadCounter" ORDER BY "threadId") FROM "{store.Schema}"."events-threads" """)!);

    /// <summary>What events-threads must hold: for each thread the largest stored counter + 1, or 0.</summary>
    private long[] ThreadsPastStoredEvents(PostgresEventStore store)
    {
        var next = new long[256];
        using var source = store.OpenSource();
        foreach (var e in source.ReadEventsByKey()) next[e.ThreadId] = Math.Max(next[e.ThreadId], e.ThreadCounter + 1);
        return next;
    }

    private static ResolveEvent Pushed(long timestamp, string aggregateId = "a", string payload = "{}", string type = "T") =>
        new() { Timestamp = timestamp, AggregateId = aggregateId, Type = type, PayloadJson = payload };

    [Theory]
    [MemberData(nameof(IncrementalFixtures.Cases), MemberType = typeof(IncrementalFixtures))]
    public void Fixture_case_gives_reSolve_store_with_its_PostgreSQL_numbering(string fixtureCase, long imported, long duplicates)
    {
        var store = NewBaseStore();
        var input = ReadInput($"incremental/{fixtureCase}.input.ndjson");

        var summary = ImportIncrementally(store, input);

        Assert.Equal((input.Count, imported, duplicates, 0L), (summary.PushedCount, summary.ImportedCount, summary.SkippedDuplicateCount, summary.SkippedOlderCount));
        Assert.Equal(ExpectedPostgresDump(fixtureCase), Dump(store));
        Assert.Equal(ThreadsPastStoredEvents(store), Threads(store));
        Assert.Null(store.OpenIncrementalImportId());
    }

    [Fact]
    public void A_one_shot_import_is_one_transaction_that_leaves_nothing_behind_unless_completed()
    {
        var store = NewBaseStore();
        var before = Dump(store);
        var input = ReadInput("incremental/dups-and-new.input.ndjson");
        using (var abandoned = store.BeginIncrementalImport())
        {
            foreach (var e in input) abandoned.Add(e);
        }
        Assert.Null(store.OpenIncrementalImportId());
        Assert.Equal(before, Dump(store));

        IncrementalImportSummary summary;
        using (var session = store.BeginIncrementalImport())
        {
            foreach (var e in input) session.Add(e);
            summary = session.Complete();
        }
        Assert.Null(store.OpenIncrementalImportId());
        var stepwise = NewBaseStore();
        Assert.Equal(ImportIncrementally(stepwise, input) with { Elapsed = default, Store = "", ImportId = "" },
            summary with { Elapsed = default, Store = "", ImportId = "" });
        Assert.Equal(Dump(stepwise), Dump(store));
    }

    [Fact]
    public void Cancelling_cancels_a_running_commit_on_the_server_which_rolls_back()
    {
        var store = NewBaseStore();
        var before = Dump(store);
        var id = store.StartIncrementalImport();
        Scalar($$"""
            INSERT INTO "{{store.Schema}}"."events-incremental-import"("timestamp", "aggregateId", "type", "payload", "eventSize")
            SELECT 4200000000000 + i, 'pushed-' || (i % 1000), 'PUSHED', '{"i":1}'::jsonb, 100 FROM generate_series(0, 199999) i
            """);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // Uninterrupted, this commit of 200k events runs for seconds and succeeds: the exception is the cancel.
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new PostgresEventStore(_server.ConnectionString, store.Schema, stop.Token).CompleteIncrementalImport(id));

        Assert.Equal(before, Dump(store));
        Assert.Equal(id, store.OpenIncrementalImportId());
        Assert.Equal(200_000L, Scalar($"""SELECT count(*) FROM "{store.Schema}"."events-incremental-import" """));
        Assert.Equal(200_000L, store.CompleteIncrementalImport(id).ImportedCount);
    }

    [Fact]
    public void Rerunning_an_import_is_a_no_op()
    {
        var store = NewBaseStore();
        var input = ReadInput("incremental/dups-and-new.input.ndjson");
        ImportIncrementally(store, input);
        var after = Dump(store);
        var threads = Threads(store);

        var again = ImportIncrementally(store, input);

        Assert.Equal((10L, 0L, 10L, 0L), (again.PushedCount, again.ImportedCount, again.SkippedDuplicateCount, again.SkippedOlderCount));
        Assert.Equal(after, Dump(store));
        Assert.Equal(threads, Threads(store));
    }

    [Fact]
    public void Duplicates_compare_payloads_as_JSONB_values_older_events_are_skipped_and_the_newest_timestamp_is_imported()
    {
        var store = NewBaseStore();
        var newest = (long)Scalar($"""SELECT max("timestamp") FROM "{store.Schema}"."events" """)!;
        var stored = ReadInput("incremental/dups-only.input.ndjson")[0];
        var reordered = Pushed(stored.Timestamp, stored.AggregateId, JsonValueEquality.SortedKeys(stored.PayloadJson).Replace(",", " , "), stored.Type);
        Assert.NotEqual(stored.PayloadJson, reordered.PayloadJson);

        var summary = ImportIncrementally(store, [reordered, Pushed(stored.Timestamp, stored.AggregateId, """{"name":"other"}""", stored.Type),
            Pushed(newest - 1, "old"), Pushed(newest, "same", "null"), Pushed(newest + 5, "new"), Pushed(1, "ancient")]);

        Assert.Equal((6L, 2L, 1L, 3L, (long?)newest), (summary.PushedCount, summary.ImportedCount, summary.SkippedDuplicateCount, summary.SkippedOlderCount, summary.NewestStoredTimestamp));
        Assert.Equal(1002L, Scalar($"""SELECT count(*) FROM "{store.Schema}"."events" """));
        Assert.Equal(2L, Scalar($"""SELECT count(*) FROM "{store.Schema}"."events" WHERE "aggregateId" IN ('same', 'new')"""));
        // reSolve's push: Buffer.byteLength(`${timestamp},'same','T','null'`) + 66; a null payload is JSONB null.
        Assert.Equal(PostgresEventSize.OfPushed(Pushed(newest, "same", "null")), Scalar($"""SELECT "eventSize" FROM "{store.Schema}"."events" WHERE "aggregateId" = 'same'"""));
        Assert.Equal($"{newest}".Length + 18L + 66, PostgresEventSize.OfPushed(Pushed(newest, "same", "null")));
        Assert.Equal("null", Scalar($"""SELECT jsonb_typeof("payload") FROM "{store.Schema}"."events" WHERE "aggregateId" = 'same'"""));
    }

    [Fact]
    public void Repeats_collapsed_into_fewer_stored_copies_are_counted_and_the_first_is_named()
    {
        var store = NewBaseStore();
        var (stored, pushed) = IncrementalFixtures.CollapsedRepeats((long)Scalar($"""SELECT max("timestamp") FROM "{store.Schema}"."events" """)!);
        Assert.Equal(0L, ImportIncrementally(store, stored).CollapsedRepeatCount);

        var summary = ImportIncrementally(store, pushed);

        Assert.Equal((6L, 1L, 5L, 2L), (summary.PushedCount, summary.ImportedCount, summary.SkippedDuplicateCount, summary.CollapsedRepeatCount));
        // JSONB keeps no key order: the first repeat (the reordered push) reads back in JSONB's order.
        Assert.Equal(("rep", pushed[1].Timestamp, """{"a":1,"b":2}"""), (summary.FirstCollapsedRepeat!.AggregateId, summary.FirstCollapsedRepeat.Timestamp, summary.FirstCollapsedRepeat.PayloadJson));
        Assert.Equal(0L, ImportIncrementally(store, IncrementalFixtures.BaseEvents().Take(3)).CollapsedRepeatCount);
    }

    [Fact]
    public void Numbers_by_global_rank_past_256_events_and_keeps_duplicates_within_one_import()
    {
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        using (var import = store.BeginImport(ImportMode.IntoEmptyStore))
        {
            // Thread 1 holds counters 0..2, thread 0 nothing: the tails are per thread.
            for (var counter = 0; counter < 3; counter++)
                import.Add(new ResolveEvent { ThreadId = 1, ThreadCounter = counter, Timestamp = 10, AggregateId = "twice", AggregateVersion = counter + 1, Type = "T", PayloadJson = "{}" });
            import.Commit();
        }
        // 300 events of one timestamp, pushed in reverse aggregate order, then one exact duplicate of a pushed one.
        var events = Enumerable.Range(0, 300).Select(i => Pushed(20, $"agg{299 - i:D3}")).Append(Pushed(20, "twice", """{"n":1}""")).Append(Pushed(20, "twice", """{"n":1}""")).ToList();

        var summary = ImportIncrementally(store, events);

        Assert.Equal((302L, 302L, 0L), (summary.PushedCount, summary.ImportedCount, summary.SkippedDuplicateCount));
        string At(string aggregate) => (string)Scalar($"""SELECT "threadId" || ':' || "threadCounter" || ':' || "aggregateVersion" FROM "{store.Schema}"."events" WHERE "aggregateId" = '{aggregate}'""")!;
        Assert.Equal("0:0:1", At("agg299"));
        Assert.Equal("1:3:1", At("agg298"));
        Assert.Equal("255:0:1", At("agg044"));
        Assert.Equal("0:1:1", At("agg043"));
        Assert.Equal("1:4:1", At("agg042"));
        Assert.Equal("43:1:1", At("agg000"));
        Assert.Equal("44:1:4,45:1:5", Scalar($"""SELECT string_agg("threadId" || ':' || "threadCounter" || ':' || "aggregateVersion", ',' ORDER BY "aggregateVersion") FROM "{store.Schema}"."events" WHERE "aggregateId" = 'twice' AND "timestamp" = 20"""));
        Assert.Equal(ThreadsPastStoredEvents(store), Threads(store));
        Assert.Equal(new long[] { 2, 5, 2 }, Threads(store)[..3]);
    }

    [Fact]
    public void Pushes_accumulate_durably_in_reSolve_table_across_connections()
    {
        var store = NewBaseStore();
        var input = ReadInput("incremental/new-only.input.ndjson");
        var id = store.StartIncrementalImport();

        Assert.Equal(3, store.PushIncrementalImport(id, input.Take(3)));
        Assert.Equal(0, store.PushIncrementalImport(id, []));
        Assert.Equal(2, new PostgresEventStore(_server.ConnectionString, store.Schema).PushIncrementalImport(id, input.Skip(3)));

        Assert.Matches("^[A-Za-z0-9]+$", id);
        Assert.Equal(id, store.OpenIncrementalImportId());
        var table = $"\"{store.Schema}\".\"events-incremental-import\"";
        Assert.Equal($"RESOLVE INCREMENTAL-IMPORT '{id}' OWNED TABLE", Scalar($"SELECT obj_description('{table}'::regclass, 'pg_class')"));
        Assert.Equal("sortedIdx bigint,rowid bigint,threadId bigint,threadCounter bigint,timestamp bigint,aggregateId character varying,aggregateVersion bigint,type character varying,payload jsonb,eventSize bigint",
            Scalar($"SELECT string_agg(column_name || ' ' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = '{store.Schema}' AND table_name = 'events-incremental-import'"));
        Assert.Equal("1,2,3,4,5", Scalar($"""SELECT string_agg("rowid"::text, ',' ORDER BY "rowid") FROM {table} WHERE "threadId" IS NULL"""));
        Assert.Equal(input.Select(PostgresEventSize.OfPushed).Sum(), Convert.ToInt64(Scalar($"""SELECT sum("eventSize") FROM {table}""")));
        using (var source = store.OpenSource())
            Assert.Equal(id, source.Describe().IncrementalImportId);

        Assert.Equal(5L, store.CompleteIncrementalImport(id).ImportedCount);
        Assert.Equal(ExpectedPostgresDump("new-only"), Dump(store));
        Assert.Equal(false, Scalar($"SELECT to_regclass('{table}') IS NOT NULL"));
    }

    [Fact]
    public void A_second_start_names_the_open_import()
    {
        var store = NewBaseStore();
        var id = store.StartIncrementalImport();
        var ex = Assert.Throws<EventStoreException>(() => store.StartIncrementalImport());
        Assert.Equal(EventStoreErrorKind.ImportAlreadyOpen, ex.Kind);
        Assert.Contains("Previous incremental import is not finished", ex.Message);
        Assert.Contains(id, ex.Message);
        Assert.Equal(id, store.OpenIncrementalImportId());
    }

    [Fact]
    public void A_wrong_id_fails_push_commit_and_undo()
    {
        var store = NewBaseStore();
        foreach (var action in new Action[] { () => store.PushIncrementalImport("wrong", [Pushed(1)]), () => store.CompleteIncrementalImport("wrong") })
        {
            var none = Assert.Throws<EventStoreException>(action);
            Assert.Equal((EventStoreErrorKind.ImportNotFound, "Incremental importId=wrong does not exist."), (none.Kind, none.Message));
        }
        var id = store.StartIncrementalImport();
        foreach (var action in new Action[] { () => store.PushIncrementalImport("wrong", [Pushed(1)]), () => store.CompleteIncrementalImport("wrong"), () => store.UndoIncrementalImport("wrong") })
        {
            var ex = Assert.Throws<EventStoreException>(action);
            Assert.Equal((EventStoreErrorKind.ImportNotFound, "Incremental importId=wrong does not exist."), (ex.Kind, ex.Message));
        }
        Assert.Equal(id, store.OpenIncrementalImportId());
        Assert.Equal(0L, Scalar($"""SELECT count(*) FROM "{store.Schema}"."events-incremental-import" """));
    }

    [Fact]
    public void A_failing_commit_leaves_the_store_unchanged_and_can_be_retried()
    {
        var store = NewBaseStore();
        var before = Dump(store);
        var threads = Threads(store);
        var id = store.StartIncrementalImport();
        store.PushIncrementalImport(id, ReadInput("incremental/new-only.input.ndjson"));
        Scalar($"""
            CREATE FUNCTION "{store.Schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by a trigger'; END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON "{store.Schema}"."events" FOR EACH ROW EXECUTE FUNCTION "{store.Schema}".refuse();
            """);

        var ex = Assert.Throws<EventStoreException>(() => store.CompleteIncrementalImport(id));

        Assert.Contains("refused by a trigger", ex.Message);
        Assert.Equal(before, Dump(store));
        Assert.Equal(threads, Threads(store));
        Assert.Equal(id, store.OpenIncrementalImportId());
        Assert.Equal(5L, Scalar($"""SELECT count(*) FROM "{store.Schema}"."events-incremental-import" """));
        Scalar($"""DROP TRIGGER refuse ON "{store.Schema}"."events" """);
        Assert.Equal(5L, store.CompleteIncrementalImport(id).ImportedCount);
        Assert.Equal(ExpectedPostgresDump("new-only"), Dump(store));
    }

    [Fact]
    public void A_failing_push_stores_none_of_its_events()
    {
        var store = NewBaseStore();
        var id = store.StartIncrementalImport();
        var invalid = Pushed(-1);
        var rejected = Assert.Throws<EventStoreException>(() => store.PushIncrementalImport(id, [Pushed(1), invalid]));
        Assert.Equal(EventStoreErrorKind.InvalidInput, rejected.Kind);
        Assert.Same(invalid, rejected.Event);
        // JSONB cannot hold \u0000: the server refuses the COPY when it ends.
        var unstorable = Assert.Throws<EventStoreException>(() => store.PushIncrementalImport(id, [Pushed(1), Pushed(2, payload: "\"a\\u0000b\"")]));
        Assert.Equal(EventStoreErrorKind.InvalidInput, unstorable.Kind);
        Assert.Equal(0L, Scalar($"""SELECT count(*) FROM "{store.Schema}"."events-incremental-import" """));
        Assert.Equal(0, store.UndoIncrementalImport(id)!.DroppedCount);
    }

    [Fact]
    public void Undo_drops_the_pushed_events_only()
    {
        var store = NewBaseStore();
        var before = Dump(store);
        Assert.Null(store.UndoIncrementalImport());
        var id = store.StartIncrementalImport();
        store.PushIncrementalImport(id, ReadInput("incremental/new-only.input.ndjson"));

        Assert.Equal(new IncrementalImportUndo(store.DisplayName, id, 5), store.UndoIncrementalImport(id));

        Assert.Null(store.OpenIncrementalImportId());
        Assert.Equal(before, Dump(store));
        Assert.Equal(EventStoreErrorKind.ImportNotFound, Assert.Throws<EventStoreException>(() => store.CompleteIncrementalImport(id)).Kind);
        Assert.Null(store.UndoIncrementalImport());
    }

    [Fact]
    public void Takes_over_an_import_reSolve_began_with_its_own_statement()
    {
        var store = NewBaseStore();
        // PG/begin-incremental-import.ts, as reSolve sends it.
        Scalar($"""
            CREATE TABLE "{store.Schema}"."events-incremental-import"(
              "sortedIdx" BIGINT NULL, "rowid" BIGSERIAL, "threadId" BIGINT NULL, "threadCounter" INT8 NULL,
              "timestamp" BIGINT NOT NULL, "aggregateId" VARCHAR(190) NOT NULL, "aggregateVersion" BIGINT NULL,
              "type" VARCHAR(190) NOT NULL, "payload" JSONB, "eventSize" BIGINT NOT NULL);
            COMMENT ON TABLE "{store.Schema}"."events-incremental-import" IS 'RESOLVE INCREMENTAL-IMPORT ''{ResolveImportId}'' OWNED TABLE';
            """);

        Assert.Equal(ResolveImportId, store.OpenIncrementalImportId());
        Assert.Equal(EventStoreErrorKind.ImportAlreadyOpen, Assert.Throws<EventStoreException>(() => store.StartIncrementalImport()).Kind);
        Assert.Equal(5, store.PushIncrementalImport(ResolveImportId, ReadInput("incremental/new-only.input.ndjson")));
        Assert.Equal(5L, store.CompleteIncrementalImport(ResolveImportId).ImportedCount);
        Assert.Equal(ExpectedPostgresDump("new-only"), Dump(store));
    }

    [Fact]
    public void Imports_into_an_empty_store()
    {
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        using (var create = store.BeginImport(ImportMode.IntoEmptyStore))
            create.Commit();

        var summary = ImportIncrementally(store, [Pushed(5, "b"), Pushed(3, "a"), Pushed(3, "a")]);

        Assert.Equal((3L, 3L, 0L, 0L, (long?)null), (summary.PushedCount, summary.ImportedCount, summary.SkippedDuplicateCount, summary.SkippedOlderCount, summary.NewestStoredTimestamp));
        Assert.Equal("0:0:3:a:1,1:0:3:a:2,2:0:5:b:1", Scalar($"""
            SELECT string_agg(concat_ws(':', "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion"), ',' ORDER BY "threadId")
            FROM "{store.Schema}"."events"
            """));
        Assert.Equal(ThreadsPastStoredEvents(store), Threads(store));
    }

    [Fact]
    public void Needs_an_existing_store()
    {
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        Assert.Equal(EventStoreErrorKind.StoreNotFound, Assert.Throws<EventStoreException>(() => store.StartIncrementalImport()).Kind);
        Assert.Equal(EventStoreErrorKind.StoreNotFound, Assert.Throws<EventStoreException>(() => store.OpenIncrementalImportId()).Kind);
        Assert.Equal(EventStoreErrorKind.StoreNotFound, Assert.Throws<EventStoreException>(() => store.PushIncrementalImport("x", [])).Kind);
        Assert.False(store.Exists());
    }
}
