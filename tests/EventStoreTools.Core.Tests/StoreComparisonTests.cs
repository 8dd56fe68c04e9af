using System.Text;
using EventStoreTools.Core.Comparison;
using EventStoreTools.Core.Postgres;
using EventStoreTools.Core.Sqlite;
using Npgsql;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>The merge of two stores by (aggregateId, aggregateVersion) and of their secrets by id.</summary>
// GC.GetTotalMemory counts the whole process: the memory test runs while no other test allocates.
[Collection(MeasuresProcessMemory.Name)]
public class StoreComparisonTests
{
    private static StoredEvent Event(string aggregate, long version, int thread = 0, long counter = 0, long timestamp = 1, string type = "T", string payload = "null")
    {
        var e = new ResolveEvent
        {
            ThreadId = thread,
            ThreadCounter = counter,
            Timestamp = timestamp,
            AggregateId = aggregate,
            AggregateVersion = version,
            Type = type,
            PayloadJson = payload,
        };
        return new StoredEvent(e, Encoding.UTF8.GetBytes(payload));
    }

    private static ComparisonSide Side(IEnumerable<StoredEvent> events, IEnumerable<ResolveSecret>? secrets = null, bool keepsDeleted = true) =>
        new(events, secrets ?? [], keepsDeleted);

    [Fact]
    public void Pairs_events_by_aggregate_key_and_counts_each_kind()
    {
        var reference = new[] { Event("a", 1), Event("a", 2), Event("b", 1, type: "OLD"), Event("c", 1) };
        var difference = new[] { Event("a", 1), Event("b", 1, type: "NEW"), Event("c", 1), Event("d", 1) };
        var comparison = new StoreComparison(Side(reference), Side(difference));
        var differences = comparison.Differences().ToList();

        Assert.Equal(
            ["Missing a 2", "Changed b 1", "Extra d 1"],
            differences.Select(d => $"{d.Change} {d.AggregateId} {d.AggregateVersion}"));
        Assert.Equal(["Type"], differences[1].ChangedFields);
        Assert.Equal((4, 4, 2, 1, 1, 1, 0), (comparison.ReferenceCount, comparison.DifferenceCount, comparison.EqualCount,
            comparison.MissingCount, comparison.ExtraCount, comparison.ChangedCount, comparison.RenumberedCount));
        var summary = comparison.Summarize("r", "d", TimeSpan.Zero);
        Assert.False(summary.SameEvents);
        Assert.False(summary.Identical);
    }

    [Fact]
    public void Counts_renumbered_events_apart_from_changed_ones()
    {
        var reference = new[] { Event("a", 1, thread: 1, counter: 0), Event("a", 2, thread: 1, counter: 1), Event("b", 1, thread: 2, counter: 0, type: "X") };
        var difference = new[] { Event("a", 1, thread: 7, counter: 3), Event("a", 2, thread: 1, counter: 1), Event("b", 1, thread: 2, counter: 5, type: "Y") };
        var comparison = new StoreComparison(Side(reference), Side(difference));
        var differences = comparison.Differences().ToList();

        Assert.Equal(StoreChange.Renumbered, differences[0].Change);
        Assert.Equal(["ThreadId", "ThreadCounter"], differences[0].ChangedFields);
        Assert.Equal(StoreChange.Changed, differences[1].Change);
        Assert.Equal(["Type", "ThreadCounter"], differences[1].ChangedFields);
        Assert.Equal((2, 1, 2), (comparison.RenumberedCount, comparison.ChangedCount, comparison.EqualCount));
    }

    [Fact]
    public void A_renumbered_copy_has_the_same_events_but_is_not_identical()
    {
        var reference = Enumerable.Range(1, 1000).Select(v => Event("a", v, thread: v % 256, counter: v / 256, timestamp: v));
        var difference = Enumerable.Range(1, 1000).Select(v => Event("a", v, thread: (v + 3) % 256, counter: v / 256, timestamp: v));
        var comparison = new StoreComparison(Side(reference), Side(difference));
        Assert.Equal(1000, comparison.Differences().Count(d => d.Change == StoreChange.Renumbered));
        var summary = comparison.Summarize("r", "d", TimeSpan.Zero);
        Assert.Equal((0, 0, 0, 1000, 1000), (summary.MissingCount, summary.ExtraCount, summary.ChangedCount, summary.RenumberedCount, summary.EqualCount));
        Assert.True(summary.SameEvents);
        Assert.False(summary.Identical);
    }

    [Theory]
    [InlineData(PayloadComparison.Json, """{"a":1,"b":2}""", """{"b":2,"a":1}""", false)]
    [InlineData(PayloadComparison.Json, """{"a":1}""", """{"a":2}""", true)]
    [InlineData(PayloadComparison.Text, """{"a":1,"b":2}""", """{"b":2,"a":1}""", true)]
    [InlineData(PayloadComparison.Bytes, """{"a":1,"b":2}""", """{"a":1,"b":2}""", false)]
    public void Compares_payloads_as_asked(PayloadComparison payloads, string left, string right, bool changed)
    {
        var comparison = new StoreComparison(Side([Event("a", 1, payload: left)]), Side([Event("a", 1, payload: right)]), payloads);
        Assert.Equal(changed ? 1 : 0, comparison.Differences().Count());
    }

    [Fact]
    public void Bytes_compare_the_stored_text_where_the_canonical_text_is_the_same()
    {
        // 1.0 and a space: canonical text {"a":1} on both sides, other bytes stored.
        var stored = new StoredEvent(Event("a", 1, payload: """{"a":1}""").Event, Encoding.UTF8.GetBytes("""{"a": 1.0}"""));
        var canonical = Event("a", 1, payload: """{"a":1}""");
        Assert.Empty(new StoreComparison(Side([stored]), Side([canonical]), PayloadComparison.Text).Differences());
        var bytes = Assert.Single(new StoreComparison(Side([stored]), Side([canonical]), PayloadComparison.Bytes).Differences());
        Assert.Equal(["Payload"], bytes.ChangedFields);
    }

    [Fact]
    public void Compares_secrets_by_id_with_deleted_ones_and_never_carries_a_value()
    {
        ResolveSecret[] reference = [new("s1", "a", 1), new(null, "b", 2), new("s3", "c", 3), new("s4", "d", 4), new("s5", "e", 5)];
        ResolveSecret[] difference = [new("s1", "a", 1), new("s3", "c", 3), new("other", "d", 4), new(null, "e", 5), new("s6", "f", 6)];
        var comparison = new StoreComparison(Side([], reference), Side([], difference));
        var differences = comparison.Differences().ToList();

        Assert.Equal(["SecretMissing b", "SecretChanged d Secret", "SecretChanged e Deleted", "SecretExtra f"],
            differences.Select(d => $"{d.Change} {d.SecretId} {string.Join(",", d.ChangedFields)}".TrimEnd()));
        Assert.Equal((5, 5, 1, 1, 2), (comparison.ReferenceSecretCount, comparison.DifferenceSecretCount,
            comparison.MissingSecretCount, comparison.ExtraSecretCount, comparison.ChangedSecretCount));
        var shown = string.Join("\n", differences.Select(d => d.ToString()));
        Assert.DoesNotContain("s4", shown);
        Assert.DoesNotContain("other", shown);
        var summary = comparison.Summarize("r", "d", TimeSpan.Zero);
        Assert.True(summary.SameEvents);
        Assert.False(summary.Identical);
    }

    [Fact]
    public void A_side_without_deleted_secrets_is_compared_only_on_the_secrets_with_a_value()
    {
        ResolveSecret[] store = [new("s1", "a", 1), new(null, "b", 2)];
        ResolveSecret[] backup = [new("s1", "a", 1)];
        var comparison = new StoreComparison(Side([], store), Side([], backup, keepsDeleted: false));
        Assert.Empty(comparison.Differences());
        Assert.True(comparison.Summarize("r", "d", TimeSpan.Zero).Identical);
    }

    [Fact]
    public void A_side_without_secrets_leaves_secrets_uncompared()
    {
        var comparison = new StoreComparison(Side([Event("a", 1)], [new("s1", "a", 1)]), new ComparisonSide([Event("a", 1)], null));
        Assert.Empty(comparison.Differences());
        var summary = comparison.Summarize("r", "d", TimeSpan.Zero);
        Assert.False(summary.SecretsCompared);
        Assert.True(summary.Identical);
    }

    [Fact]
    public void Holds_one_event_of_each_side_however_many_there_are()
    {
        const int count = 400_000;
        long before = 0, during = 0;
        IEnumerable<StoredEvent> Generated(bool measure)
        {
            if (measure) before = GC.GetTotalMemory(forceFullCollection: true);
            for (var i = 0; i < count; i++)
            {
                if (measure && i == count - 1) during = GC.GetTotalMemory(forceFullCollection: true);
                yield return Event($"aggregate-{i:D7}", 1, thread: i % 256, counter: i / 256, payload: $"{{\"i\":{i}}}");
            }
        }
        var comparison = new StoreComparison(Side(Generated(measure: false)), Side(Generated(measure: true)));
        Assert.Empty(comparison.Differences());
        Assert.Equal(count, comparison.EqualCount);
        // 400,000 events held by either side would take well over 100 MB.
        Assert.True(during - before < 16 << 20, $"{(during - before) >> 20} MB more while merging the last event");
    }

    [Fact]
    public void Refuses_a_side_that_is_not_in_key_order()
    {
        var ex = Assert.Throws<EventStoreException>(() =>
            new StoreComparison(Side([Event("b", 1), Event("a", 1)]), Side([])).Differences().ToList());
        Assert.Equal(EventStoreErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("reference", ex.Message);
        var twice = Assert.Throws<EventStoreException>(() =>
            new StoreComparison(Side([]), Side([Event("a", 1), Event("a", 1, thread: 3)])).Differences().ToList());
        Assert.Contains("twice", twice.Message);
    }

    [Fact]
    public void Orders_aggregate_ids_by_their_utf8_bytes()
    {
        // U+E000 is one UTF-16 unit above every surrogate, but its UTF-8 bytes (EE ..) sort below a 4-byte character's (F0 ..).
        string[] ids = ["A", "Z", "a", "é", "\uE000", "😀"];
        foreach (var (lower, higher) in ids.Zip(ids.Skip(1)))
        {
            Assert.True(AggregateKeyOrder.CompareUtf8(lower, higher) < 0, $"{lower} < {higher}");
            Assert.True(AggregateKeyOrder.CompareUtf8(higher, lower) > 0, $"{higher} > {lower}");
            Assert.True(Encoding.UTF8.GetBytes(lower).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(higher)) < 0);
        }
        Assert.True(string.CompareOrdinal("😀", "\uE000") < 0, "UTF-16 order differs, which is why it is not used");
    }

    /// <summary>Aggregate ids in an order that UTF-16, case-insensitive and linguistic collations each get wrong.</summary>
    internal static readonly string[] AwkwardIds = ["B", "a", "é", "\uE000", "😀", "b"];

    internal static void AddAwkwardEvents(IEventImport import)
    {
        for (var i = 0; i < AwkwardIds.Length; i++)
        {
            import.Add(new ResolveEvent { ThreadId = i, ThreadCounter = 0, Timestamp = 10 + i, AggregateId = AwkwardIds[i], AggregateVersion = 2, Type = "T" });
            import.Add(new ResolveEvent { ThreadId = i, ThreadCounter = 1, Timestamp = 20 + i, AggregateId = AwkwardIds[i], AggregateVersion = 1, Type = "T" });
        }
        import.AddSecret(new ResolveSecret("v1", "😀", 1));
        import.AddSecret(new ResolveSecret(null, "\uE000", 2));
        import.AddSecret(new ResolveSecret("v3", "B", 3));
    }

    internal static readonly string[] AwkwardOrder =
        ["B 1", "B 2", "a 1", "a 2", "b 1", "b 2", "é 1", "é 2", "\uE000 1", "\uE000 2", "😀 1", "😀 2"];

    [Fact]
    public void A_sqlite_store_reads_in_aggregate_order_with_stored_payloads_and_deleted_secrets()
    {
        var path = Path.Combine(TestFiles.NewDirectory(), "store.db");
        var store = new SqliteEventStore(path);
        using (var import = store.BeginImport(ImportMode.IntoEmptyStore))
        {
            AddAwkwardEvents(import);
            import.Commit();
        }
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = """UPDATE "events" SET "payload" = '{ "b" : 2, "a" : 1.0 }' WHERE "aggregateId" = 'a' AND "aggregateVersion" = 1""";
            update.ExecuteNonQuery();
        }
        using var source = store.OpenSource();
        var events = source.ReadEventsByAggregate().ToList();
        Assert.Equal(AwkwardOrder, events.Select(e => $"{e.Event.AggregateId} {e.Event.AggregateVersion}"));
        var edited = events[2];
        Assert.Equal("""{ "b" : 2, "a" : 1.0 }""", Encoding.UTF8.GetString(edited.StoredPayload.Span));
        Assert.Equal("""{"b":2,"a":1}""", edited.Event.PayloadJson);
        Assert.Equal(["B v3", "\uE000 deleted", "😀 v1"], source.ReadSecretsById().Select(s => $"{s.Id} {s.Secret ?? "deleted"}"));
    }
}

/// <summary>Exports and backup folders, read in key order through a temporary store.</summary>
public class ComparisonSourceTests
{
    private static string[] TemporaryFolders() => Directory.GetDirectories(Path.GetTempPath(), "eventstoretools-compare-*");

    [Fact]
    public void Reads_a_backup_folder_through_a_private_temporary_store_with_its_secrets_and_deletes_it()
    {
        var folder = TestFiles.NewDirectory();
        File.Copy(TestFiles.Fixture("resolve-lite-600.export.ndjson"), Path.Combine(folder, "events.db"));
        Ndjson.NdjsonSecrets.Write(Path.Combine(folder, "secrets.db"), [new ResolveSecret("value-b", "b", 2), new ResolveSecret("value-a", "a", 1)]);
        var before = TemporaryFolders();
        string temporary;
        using (var source = ComparisonSource.Open(folder))
        {
            temporary = Assert.Single(TemporaryFolders().Except(before));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(temporary));
            var side = source.Read(CancellationToken.None);
            Assert.False(side.KeepsDeletedSecrets);
            Assert.Equal(["a", "b"], side.Secrets!.Select(s => s.Id));
            var events = side.Events.ToList();
            Assert.Equal(600, events.Count);
            Assert.Equal(events.OrderBy(e => e.Event, Comparer<ResolveEvent>.Create(AggregateKeyOrder.Compare)).Select(e => e.Event.AggregateId + e.Event.AggregateVersion),
                events.Select(e => e.Event.AggregateId + e.Event.AggregateVersion));
        }
        Assert.False(Directory.Exists(temporary));
    }

    [Fact]
    public void Reads_no_secrets_from_an_export_of_events()
    {
        using var source = ComparisonSource.Open(TestFiles.Fixture("resolve-lite-600.export.ndjson"));
        Assert.Null(source.Read(CancellationToken.None).Secrets);
    }
}

/// <summary>PostgreSQL reads in the same order as SQLite whatever the database's collation, so the two merge.</summary>
public class PostgresStoreComparisonTests : IClassFixture<PostgresServerFixture>
{
    private readonly PostgresServerFixture _server;

    public PostgresStoreComparisonTests(PostgresServerFixture server) => _server = server;

    [Fact]
    public void A_postgres_store_reads_in_the_order_sqlite_does_and_compares_equal_to_it()
    {
        var schema = _server.NewSchema();
        var postgres = new PostgresEventStore(_server.ConnectionString, schema);
        var sqlite = new SqliteEventStore(Path.Combine(TestFiles.NewDirectory(), "store.db"));
        foreach (IEventStore store in new IEventStore[] { postgres, sqlite })
        {
            using var import = store.BeginImport(ImportMode.IntoEmptyStore);
            StoreComparisonTests.AddAwkwardEvents(import);
            import.Commit();
        }
        // The test server's collation is C; a production database's is often linguistic (a, b, B), as here.
        using (var connection = new NpgsqlConnection(_server.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                ALTER TABLE "{schema}"."events" ALTER COLUMN "aggregateId" TYPE VARCHAR(190) COLLATE "und-x-icu";
                ALTER TABLE "{schema}"."secrets" ALTER COLUMN "id" TYPE VARCHAR(190) COLLATE "und-x-icu";
                """;
            command.ExecuteNonQuery();
        }
        using var pg = postgres.OpenSource();
        Assert.Equal(StoreComparisonTests.AwkwardOrder, pg.ReadEventsByAggregate().Select(e => $"{e.Event.AggregateId} {e.Event.AggregateVersion}"));
        Assert.Equal(["B", "\uE000", "😀"], pg.ReadSecretsById().Select(s => s.Id));

        using var lite = sqlite.OpenSource();
        var comparison = new StoreComparison(
            new ComparisonSide(lite.ReadEventsByAggregate(), lite.ReadSecretsById()),
            new ComparisonSide(pg.ReadEventsByAggregate(), pg.ReadSecretsById()));
        Assert.Empty(comparison.Differences());
        Assert.Equal((12, 3), (comparison.EqualCount, comparison.ReferenceSecretCount));
    }
}
