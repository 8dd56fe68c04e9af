using EventStoreTools.Core.Ndjson;
using EventStoreTools.Core.Sqlite;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class SqliteFilterTests
{
    private static readonly string Store = TestFiles.CopyFixture("resolve-lite-600.db");

    private static List<ResolveEvent> Read(EventFilter? filter = null)
    {
        using var reader = SqliteEventReader.Open(Store);
        return reader.ReadEvents(filter).ToList();
    }

    private static string Keys(IEnumerable<ResolveEvent> events) => string.Join(",", events.Select(e => $"{e.ThreadId}:{e.ThreadCounter}"));

    [Fact]
    public void Filters_by_exact_type_and_wildcard_type()
    {
        var all = Read();
        var type = all[0].Type;
        Assert.Equal(Keys(all.Where(e => e.Type == type)), Keys(Read(new EventFilter { EventTypes = [type] })));
        var prefix = type[..3];
        Assert.Equal(Keys(all.Where(e => e.Type.StartsWith(prefix, StringComparison.Ordinal))),
            Keys(Read(new EventFilter { EventTypes = [prefix + "*"] })));
        Assert.Empty(Read(new EventFilter { EventTypes = [prefix.ToLowerInvariant() + "*"] }));
        Assert.Empty(Read(new EventFilter { EventTypes = [] }));
    }

    [Fact]
    public void Filters_by_aggregate_and_time_and_count_in_read_order()
    {
        var all = Read();
        var ids = all.Select(e => e.AggregateId).Distinct().Take(2).ToList();
        Assert.Equal(Keys(all.Where(e => ids.Contains(e.AggregateId))), Keys(Read(new EventFilter { AggregateIds = ids })));
        var since = all[100].Timestamp;
        var until = all[200].Timestamp;
        Assert.Equal(Keys(all.Where(e => e.Timestamp >= since && e.Timestamp <= until)), Keys(Read(new EventFilter { Since = since, Until = until })));
        Assert.Equal(Keys(all.Take(17)), Keys(Read(new EventFilter { First = 17 })));
    }

    [Fact]
    public void A_cursor_resumes_where_the_first_part_ended()
    {
        var all = Read();
        var cursor = ResolveCursor.Start;
        var first = Read(new EventFilter { First = 250 });
        foreach (var e in first) cursor.Advance(e);
        var rest = Read(new EventFilter { ThreadCounters = ResolveCursor.Parse(cursor.ToString()).Counters });
        Assert.Equal(Keys(all), Keys(first.Concat(rest)));
    }

    [Fact]
    public void Describes_the_store()
    {
        var all = Read();
        using var reader = SqliteEventReader.Open(Store);
        var description = reader.Describe();
        Assert.Equal(600, description.EventCount);
        Assert.Equal(all.Min(e => e.Timestamp), description.FirstTimestamp);
        Assert.Equal(all.Max(e => e.Timestamp), description.LastTimestamp);
        Assert.False(description.IsFrozen);
        Assert.Null(description.IncrementalImportId);
        var cursor = ResolveCursor.Start;
        foreach (var e in all) cursor.Advance(e);
        Assert.Equal(cursor.ToString(), description.LatestCursor.ToString());
        Assert.Empty(reader.ReadEvents(new EventFilter { ThreadCounters = description.LatestCursor.Counters }));
    }

    [Fact]
    public void Lists_distinct_values_by_prefix_ignoring_case()
    {
        var types = Read().Select(e => e.Type).Distinct().Order(StringComparer.Ordinal).ToList();
        using var reader = SqliteEventReader.Open(Store);
        Assert.Equal(types, reader.ListValues(EventField.Type, "", 100));
        var prefix = types[0][..2].ToLowerInvariant();
        Assert.All(reader.ListValues(EventField.Type, prefix, 100), t => Assert.StartsWith(prefix, t, StringComparison.OrdinalIgnoreCase));
        Assert.Single(reader.ListValues(EventField.AggregateId, "", 1));
    }

    [Fact]
    public void Secrets_round_trip_with_their_idx_and_key_order()
    {
        var target = Path.Combine(TestFiles.NewDirectory(), "secrets.db");
        using (var import = SqliteEventImport.Begin(target, ImportMode.IntoEmptyStore))
        {
            import.AddSecret(new ResolveSecret("s3cr\"et", "user-1", 5));
            import.AddSecret(new ResolveSecret(null, "user-2", 6));
            import.AddSecret(new ResolveSecret("ü", "user-3", 9));
            import.Commit();
        }
        using var reader = SqliteEventReader.Open(target);
        var secrets = reader.ReadSecrets().ToList();
        Assert.Equal([new ResolveSecret("s3cr\"et", "user-1", 5), new ResolveSecret("ü", "user-3", 9)], secrets);
        Assert.Equal("{\"secret\":\"s3cr\\\"et\",\"id\":\"user-1\",\"idx\":5}\n", NdjsonSecrets.FormatLine(secrets[0]));
        var file = Path.Combine(TestFiles.NewDirectory(), "secrets.ndjson");
        NdjsonSecrets.Write(file, secrets);
        Assert.Equal(secrets, NdjsonSecrets.Read(file).ToList());
        Assert.Equal(2, reader.Describe().SecretCount);
        Assert.Equal(1, reader.Describe().DeletedSecretCount);
    }

    [Fact]
    public void Compares_two_stores_by_key()
    {
        var copy = Path.Combine(TestFiles.NewDirectory(), "copy.db");
        var all = Read();
        using (var import = SqliteEventImport.Begin(copy, ImportMode.IntoEmptyStore))
        {
            foreach (var e in all.Skip(1))
            {
                if (e == all[10]) e.PayloadJson = "{\"changed\":true}";
                import.Add(e);
            }
            import.Add(new ResolveEvent { ThreadId = 255, ThreadCounter = 999_999, Timestamp = 1, AggregateId = "extra", AggregateVersion = 1, Type = "X" });
            import.Commit();
        }
        using var a = SqliteEventReader.Open(Store);
        using var b = SqliteEventReader.Open(copy);
        var comparison = new EventStoreComparison(a.ReadEventsByKey(), b.ReadEventsByKey());
        var differences = comparison.Differences().ToList();
        Assert.Equal(3, differences.Count);
        Assert.Contains(differences, d => d.Change == EventChange.Missing && d.ThreadId == all[0].ThreadId && d.ThreadCounter == all[0].ThreadCounter);
        Assert.Contains(differences, d => d.Change == EventChange.Changed && d.ChangedFields.SequenceEqual(["Payload"]) && d.ThreadCounter == all[10].ThreadCounter);
        Assert.Contains(differences, d => d.Change == EventChange.Extra && d.DifferenceEvent!.AggregateId == "extra");
        Assert.Equal(598, comparison.EqualCount);
    }
}
