using EventStoreTools.Core.Sqlite;
using EventStoreTools.Core.Writes;
using Microsoft.Data.Sqlite;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>What -Replace says it drops is what the store holds: events, snapshots, subscribers and, with a backup's secrets, secrets.</summary>
public class ReplaceDropTests
{
    private static EventStoreDescription DescribeStoreWithExtras()
    {
        var path = TestFiles.CopyFixture("resolve-lite-600.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO snapshots VALUES ('user-1', '{}'), ('user-2', '{}');
                INSERT INTO subscribers VALUES ('app', 'projection', '{}', '{}');
                INSERT INTO secrets(idx, id, secret) VALUES (0, 'a', 's'), (1, 'b', NULL);
                """;
            command.ExecuteNonQuery();
        }
        using var source = new SqliteEventStore(path).OpenSource();
        return source.Describe();
    }

    [Fact]
    public void A_store_describes_its_snapshots_and_subscribers()
    {
        var stored = DescribeStoreWithExtras();
        Assert.Equal((600L, 2L, 1L, 1L), (stored.EventCount, stored.SnapshotCount, stored.SubscriberCount, stored.SecretCount));
    }

    [Fact]
    public void The_drop_names_every_count_and_whether_the_secrets_stay()
    {
        var stored = DescribeStoreWithExtras();
        Assert.Equal("600 events, 2 snapshots and 1 subscriber (the store's 1 secret stays)", new ReplaceDrop(stored, DropsSecrets: false).Describe());
        Assert.Equal("600 events, 2 snapshots and 1 subscriber, and, if the backup holds secrets, 1 secret", new ReplaceDrop(stored, DropsSecrets: true).Describe());
    }

    [Theory]
    [InlineData(600, 0, true)]
    [InlineData(600, 1, false)]
    [InlineData(0, 0, false)]
    public void Only_an_input_without_events_over_a_store_with_events_would_empty_it(long existing, long imported, bool empties) =>
        Assert.Equal(empties, ReplaceDrop.WouldEmpty(existing, imported));
}
