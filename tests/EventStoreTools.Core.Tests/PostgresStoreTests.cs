using EventStoreTools.Core.Postgres;
using Npgsql;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class PostgresStoreTests : IClassFixture<PostgresServerFixture>
{
    private readonly PostgresServerFixture _server;

    public PostgresStoreTests(PostgresServerFixture server) => _server = server;

    private static ResolveEvent Event(int thread, long counter, long timestamp, string aggregate = "a", long version = 1, string type = "T", string payload = "null") => new()
    {
        ThreadId = thread,
        ThreadCounter = counter,
        Timestamp = timestamp,
        AggregateId = aggregate,
        AggregateVersion = version,
        Type = type,
        PayloadJson = payload,
    };

    /// <summary>A store of three threads: thread t holds counters 0..3 with timestamps 10*counter + t.</summary>
    private PostgresEventStore NewStore()
    {
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        using var import = store.BeginImport(ImportMode.IntoEmptyStore);
        for (var thread = 0; thread < 3; thread++)
        {
            for (var counter = 0; counter < 4; counter++)
                import.Add(Event(thread, counter, 10 * counter + thread, $"agg{thread}", counter + 1, counter % 2 == 0 ? "EVEN" : "ODD"));
        }
        import.Commit();
        return store;
    }

    private static List<string> Read(IEventStore store, EventFilter? filter = null)
    {
        using var source = store.OpenSource();
        return source.ReadEvents(filter).Select(e => $"{e.ThreadId}:{e.ThreadCounter}").ToList();
    }

    [Fact]
    public void ReadsEverythingInReSolvesOrderWithoutAFilter()
    {
        var store = NewStore();
        Assert.Equal(["0:0", "1:0", "2:0", "0:1", "1:1", "2:1", "0:2", "1:2", "2:2", "0:3", "1:3", "2:3"], Read(store));
        using var source = store.OpenSource();
        Assert.Equal(12, source.CountEvents());
    }

    [Fact]
    public void AppliesReSolvesCursorVectorCondition()
    {
        var counters = new long[256];
        counters[0] = 3;
        counters[1] = 1;
        counters[2] = 4;
        Assert.Equal(["1:1", "1:2", "0:3", "1:3"], Read(NewStore(), new EventFilter { ThreadCounters = counters }));
    }

    [Fact]
    public void RejectsACursorOfAnotherSize()
    {
        var ex = Assert.Throws<EventStoreException>(() => Read(NewStore(), new EventFilter { ThreadCounters = new long[3] }));
        Assert.Equal(EventStoreErrorKind.InvalidInput, ex.Kind);
    }

    [Fact]
    public void FiltersByTypeAggregateInclusiveTimeRangeAndLimit()
    {
        var store = NewStore();
        Assert.Equal(["0:1", "1:1", "2:1", "0:3", "1:3", "2:3"], Read(store, new EventFilter { EventTypes = ["ODD"] }));
        Assert.Equal(["1:0", "1:1", "1:2", "1:3"], Read(store, new EventFilter { AggregateIds = ["agg1"] }));
        Assert.Equal(["2:0", "0:1", "1:1", "2:1", "0:2"], Read(store, new EventFilter { Since = 2, Until = 20 }));
        Assert.Equal(["0:0", "1:0"], Read(store, new EventFilter { First = 2 }));
        Assert.Equal(["2:1", "2:3"], Read(store, new EventFilter { EventTypes = ["ODD", "NONE"], AggregateIds = ["agg2"], Since = 12 }));
        Assert.Empty(Read(store, new EventFilter { EventTypes = [] }));
        Assert.Empty(Read(store, new EventFilter { AggregateIds = [] }));
    }

    [Fact]
    public void MatchesWildcardsCaseSensitivelyAndEscapesLikeCharacters()
    {
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        using (var import = store.BeginImport(ImportMode.IntoEmptyStore))
        {
            string[] types = ["USER_CREATED", "USER_DELETED", "user_created", "ORDER_PLACED", "50%_OFF", "50X_OFF"];
            for (var i = 0; i < types.Length; i++) import.Add(Event(0, i, i, $"a{i}", 1, types[i]));
            import.Commit();
        }
        Assert.Equal(["0:0", "0:1"], Read(store, new EventFilter { EventTypes = ["USER_*"] }));
        Assert.Equal(["0:0", "0:3"], Read(store, new EventFilter { EventTypes = ["USER_CREATED", "ORDER_PLACE?"] }));
        Assert.Equal(["0:4"], Read(store, new EventFilter { EventTypes = ["50%_*"] }));
        Assert.Equal(["0:4"], Read(store, new EventFilter { EventTypes = ["50%_OFF"] }));
        Assert.Equal(["0:1", "0:2"], Read(store, new EventFilter { AggregateIds = ["a1", "a?"], Until = 2, Since = 1 }));
        using var source = store.OpenSource();
        Assert.Equal(["USER_CREATED", "USER_DELETED", "user_created"], source.ListValues(EventField.Type, "us", 10));
        Assert.Equal(["50%_OFF"], source.ListValues(EventField.Type, "50%", 10));
    }

    [Fact]
    public void ReadsByKeyAndDescribesWithTheThreadsTableAsCursor()
    {
        var store = NewStore();
        using (var source = store.OpenSource())
        {
            Assert.Equal(["0:0", "0:1", "0:2", "0:3", "1:0", "1:1"], source.ReadEventsByKey().Take(6).Select(e => $"{e.ThreadId}:{e.ThreadCounter}"));
            var description = source.Describe();
            Assert.Equal(12, description.EventCount);
            Assert.Equal(0, description.FirstTimestamp);
            Assert.Equal(32, description.LastTimestamp);
            Assert.False(description.IsFrozen);
            Assert.Null(description.IncrementalImportId);
            Assert.Equal(new long[] { 4, 4, 4 }, description.LatestCursor.Counters.Take(3));
            Assert.All(description.LatestCursor.Counters.Skip(3), c => Assert.Equal(0, c));
        }
        using var connection = new NpgsqlConnection(_server.ConnectionString);
        connection.Open();
        var schema = $"\"{store.Schema}\"";
        using (var command = new NpgsqlCommand($"""
            UPDATE {schema}."events-threads" SET "threadCounter" = 9 WHERE "threadId" = 7;
            CREATE TABLE {schema}."events-freeze" ("surrogate" BIGINT NOT NULL, PRIMARY KEY("surrogate"));
            CREATE TABLE {schema}."events-incremental-import" ("x" BIGINT);
            COMMENT ON TABLE {schema}."events-incremental-import" IS 'RESOLVE INCREMENTAL-IMPORT ''it''''s-1'' OWNED TABLE'
            """, connection))
            command.ExecuteNonQuery();
        using var again = store.OpenSource();
        var changed = again.Describe();
        Assert.Equal(9, changed.LatestCursor.Counters[7]);
        Assert.True(changed.IsFrozen);
        Assert.Equal("it's-1", changed.IncrementalImportId);
    }

    [Fact]
    public void ImportsSecretsWithTheirIdxBetweenEventsAndMovesTheSequencePastThem()
    {
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        using (var import = store.BeginImport(ImportMode.IntoEmptyStore))
        {
            import.Add(Event(0, 0, 1));
            import.AddSecret(new ResolveSecret("s1", "id1", 5));
            import.AddSecret(new ResolveSecret(null, "id2", 9));
            import.Add(Event(0, 1, 2, version: 2));
            var duplicate = Assert.Throws<EventStoreException>(() => import.AddSecret(new ResolveSecret("x", "id1", 10)));
            Assert.Equal(EventStoreErrorKind.DuplicateSecret, duplicate.Kind);
            // Named by id and idx: the secret's text never becomes an error's target.
            Assert.Equal(new SecretKey("id1", 10), duplicate.Event);
        }
        Assert.False(store.Exists());

        using (var import = store.BeginImport(ImportMode.IntoEmptyStore))
        {
            import.Add(Event(0, 0, 1));
            import.AddSecret(new ResolveSecret("s1", "id1", 5));
            import.AddSecret(new ResolveSecret(null, "id2", 9));
            import.Add(Event(0, 1, 2, version: 2));
            import.Commit();
            Assert.Equal(2, import.SecretCount);
        }
        using (var source = store.OpenSource())
        {
            Assert.Equal([new ResolveSecret("s1", "id1", 5)], source.ReadSecrets().ToList());
            Assert.Equal(2, source.CountEvents());
            Assert.Equal((1, 1), (source.Describe().SecretCount, source.Describe().DeletedSecretCount));
        }
        using var connection = new NpgsqlConnection(_server.ConnectionString);
        connection.Open();
        using var insert = new NpgsqlCommand($"""INSERT INTO "{store.Schema}"."secrets"("id", "secret") VALUES ('new', 'v') RETURNING "idx" """, connection);
        Assert.Equal(10L, insert.ExecuteScalar());

        using (var replace = store.BeginImport(ImportMode.Replace))
        {
            replace.DropSecrets();
            replace.AddSecret(new ResolveSecret("only", "id9", 1));
            replace.Commit();
        }
        using var after = store.OpenSource();
        Assert.Equal([new ResolveSecret("only", "id9", 1)], after.ReadSecrets().ToList());
        Assert.Equal(0, after.CountEvents());
    }

    [Fact]
    public void CancellingDuringTheFinalIndexBuildCancelsItOnTheServerAndLeavesNoStore()
    {
        using var stop = new CancellationTokenSource();
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema(), stop.Token);
        using (var import = store.BeginImport(ImportMode.IntoEmptyStore))
        {
            // Enough events that sending the rest of the COPY and building the indexes take far longer than 50 ms.
            for (var i = 0; i < 300_000; i++)
                import.Add(Event(i % 256, i / 256, 1_700_000_000_000 + i, Guid.NewGuid().ToString(), 1, "T" + (i % 5), $$"""{"n":{{i}}}"""));
            var commit = Task.Run(import.Commit);
            Thread.Sleep(50);
            stop.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => commit.GetAwaiter().GetResult());
        }
        Assert.False(new PostgresEventStore(_server.ConnectionString, store.Schema).Exists());
    }

    [Fact]
    public void ComputesEventSizeAsReSolveDoes()
    {
        // Buffer.byteLength("'o''b',7,'Ü','{\"k\":\"é''\"}'") = 28 in Node 20; reSolve adds 66.
        Assert.Equal(28 + 66, PostgresEventSize.OfInjected(Event(0, 0, 0, "o'b", 7, "Ü", "{\"k\":\"é'\"}")));
    }

    [Theory]
    [InlineData("o'b", 7L, "Ü", "{\"k\":\"é'\"}")]
    [InlineData("''''", -12L, "'", "\"''\"")]
    [InlineData("😀 \u00e9", long.MaxValue, "T\u20ac", "[\"😀'😀\",1e+21]")]
    [InlineData("", long.MinValue, "", "null")]
    public void CountsEventSizeWithoutBuildingTheStatementText(string aggregateId, long version, string type, string payload)
    {
        // The size is the UTF-8 length of the values as reSolve's statement inlines them: counted, not built.
        var e = Event(0, 0, 1_700_000_000_000, aggregateId, version, type, payload);
        static string Quoted(string text) => PostgresSchema.QuoteLiteral(text);
        var injected = $"{Quoted(aggregateId)},{version},{Quoted(type)},{Quoted(e.PayloadJson)}";
        var pushed = $"{e.Timestamp},{Quoted(aggregateId)},{Quoted(type)},{Quoted(e.PayloadJson)}";
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(injected) + 66, PostgresEventSize.OfInjected(e));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(pushed) + 66, PostgresEventSize.OfPushed(e));
    }

    [Fact]
    public void AnImportThatIsNotCommittedLeavesNothing()
    {
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        using (var import = store.BeginImport(ImportMode.IntoEmptyStore))
            import.Add(Event(0, 0, 1));
        Assert.False(store.Exists());
    }

    [Fact]
    public async Task ASecondImportWaitsForTheFirstThenRefuses()
    {
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        using var first = store.BeginImport(ImportMode.IntoEmptyStore);
        first.Add(Event(0, 0, 1));
        var second = Task.Run(() => store.BeginImport(ImportMode.IntoEmptyStore));
        Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(300)));
        first.Commit();
        var ex = await Assert.ThrowsAsync<EventStoreException>(() => second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(EventStoreErrorKind.TargetNotEmpty, ex.Kind);
    }

    [Fact]
    public void StoresATopLevelNullPayloadAsJsonbNull()
    {
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        using (var import = store.BeginImport(ImportMode.IntoEmptyStore))
        {
            import.Add(Event(0, 0, 1));
            import.Commit();
        }
        using var connection = new NpgsqlConnection(_server.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT jsonb_typeof(\"payload\") FROM \"{store.Schema}\".\"events\"", connection);
        Assert.Equal("null", command.ExecuteScalar());
        using var source = store.OpenSource();
        Assert.Equal("null", source.ReadEvents().Single().PayloadJson);
    }
}
