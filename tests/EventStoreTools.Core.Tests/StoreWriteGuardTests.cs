using EventStoreTools.Core.Postgres;
using EventStoreTools.Core.Sqlite;
using EventStoreTools.Core.Writes;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>The one check before every write: a frozen store and another session's open import, on real stores.</summary>
public class StoreWriteGuardTests : IClassFixture<PostgresServerFixture>
{
    private readonly PostgresServerFixture _server;

    public StoreWriteGuardTests(PostgresServerFixture server) => _server = server;

    private static ResolveEvent Event(int thread, long counter, long timestamp) => new()
    {
        ThreadId = thread,
        ThreadCounter = counter,
        Timestamp = timestamp,
        AggregateId = $"a{thread}-{counter}",
        AggregateVersion = 1,
        Type = "T",
        PayloadJson = "null",
    };

    private static void Replace(IEventStore store, params ResolveEvent[] events)
    {
        using var import = store.BeginImport(ImportMode.Replace);
        foreach (var e in events) import.Add(e);
        import.Commit();
    }

    private static bool IsFrozen(IEventStore store)
    {
        using var source = store.OpenSource();
        return source.IsFrozen();
    }

    [Theory]
    [InlineData(StoreWrite.Import)]
    [InlineData(StoreWrite.Replace)]
    [InlineData(StoreWrite.IncrementalImport)]
    [InlineData(StoreWrite.StartIncrementalImport)]
    [InlineData(StoreWrite.PushIncrementalImport)]
    [InlineData(StoreWrite.CompleteIncrementalImport)]
    [InlineData(StoreWrite.Mirror)]
    public void EveryWriteIntoAFrozenStoreIsRefusedWithTheWayOut(StoreWrite write)
    {
        var clearance = StoreWriteGuard.Decide("s.db", new StoreWriteState(true, null), write, force: false);
        var refusal = Assert.IsType<EventStoreException>(clearance.Refusal);
        Assert.Equal(EventStoreErrorKind.StoreFrozen, refusal.Kind);
        Assert.Contains("Set-EventStore -Frozen:$false", refusal.Message);
        Assert.Contains("-Force", refusal.Message);
        Assert.Contains("Nothing was written", refusal.Message);
        Assert.Contains("frozen", clearance.Note);
        Assert.Throws<EventStoreException>(clearance.ThrowIfRefused);
    }

    [Fact]
    public void ForceWritesIntoAFrozenStoreWithAWarning()
    {
        var clearance = StoreWriteGuard.Decide("s.db", new StoreWriteState(true, null), StoreWrite.Import, force: true);
        Assert.Null(clearance.Refusal);
        var warning = Assert.Single(clearance.Warnings);
        Assert.Contains("frozen", warning);
        Assert.Contains("stays frozen", warning);
    }

    [Fact]
    public void AStoreThatIsNotFrozenIsWrittenWithoutANote()
    {
        var clearance = StoreWriteGuard.Decide("s.db", StoreWriteState.Unmarked, StoreWrite.Import, force: false);
        Assert.Null(clearance.Refusal);
        Assert.Empty(clearance.Warnings);
        Assert.Equal("", clearance.Note);
    }

    [Fact]
    public void AReplaceRefusesToDropAnOpenImportNamingItsId()
    {
        var refusal = StoreWriteGuard.Decide("s.db", new StoreWriteState(false, "imp-1"), StoreWrite.Replace, force: false).Refusal;
        Assert.Equal(EventStoreErrorKind.ImportAlreadyOpen, refusal!.Kind);
        Assert.Contains("'imp-1'", refusal.Message);
        Assert.Contains("Undo-IncrementalImport -ImportId imp-1", refusal.Message);
        var forced = StoreWriteGuard.Decide("s.db", new StoreWriteState(false, "imp-1"), StoreWrite.Replace, force: true);
        Assert.Null(forced.Refusal);
        Assert.Contains("imp-1", Assert.Single(forced.Warnings));
    }

    [Fact]
    public void ReadsTheFreezeMarkerOfASqliteStoreAndNothingOfAMissingOne()
    {
        var path = TestFiles.CopyFixture("resolve-lite-600.db");
        var store = new SqliteEventStore(path);
        Assert.Null(StoreWriteGuard.Check(store, StoreWrite.Import, force: false).Refusal);
        store.SetFrozen(true);
        var before = File.ReadAllBytes(path);
        Assert.Equal(EventStoreErrorKind.StoreFrozen, StoreWriteGuard.Check(store, StoreWrite.Mirror, force: false).Refusal!.Kind);
        Assert.Equal(before, File.ReadAllBytes(path));
        var missing = new SqliteEventStore(Path.Combine(TestFiles.NewDirectory(), "new.db"));
        Assert.Equal(StoreWriteState.Unmarked, StoreWriteGuard.ReadState(missing, StoreWrite.Replace));
    }

    [Fact]
    public void ReadsTheOpenImportOfASqliteStoreOnlyForAReplace()
    {
        var store = new SqliteEventStore(TestFiles.CopyFixture("resolve-lite-600.db"));
        var id = store.StartIncrementalImport();
        Assert.Equal(id, StoreWriteGuard.ReadState(store, StoreWrite.Replace).OpenIncrementalImportId);
        Assert.Null(StoreWriteGuard.ReadState(store, StoreWrite.PushIncrementalImport).OpenIncrementalImportId);
    }

    [Fact]
    public void ASqliteReplaceKeepsTheStoreFrozen()
    {
        var store = new SqliteEventStore(TestFiles.CopyFixture("resolve-lite-600.db"));
        store.SetFrozen(true);
        Replace(store, Event(0, 0, 1));
        Assert.True(IsFrozen(store));
        store.SetFrozen(false);
        Replace(store, Event(0, 0, 1));
        Assert.False(IsFrozen(store));
    }

    [Fact]
    public void APostgresReplaceKeepsTheStoreFrozenAndTheGuardReadsItsMarker()
    {
        var store = new PostgresEventStore(_server.ConnectionString, _server.NewSchema());
        Assert.Equal(StoreWriteState.Unmarked, StoreWriteGuard.ReadState(store, StoreWrite.Replace));
        Replace(store, Event(0, 0, 1));
        store.SetFrozen(true);
        Assert.Equal(EventStoreErrorKind.StoreFrozen, StoreWriteGuard.Check(store, StoreWrite.Import, force: false).Refusal!.Kind);
        Replace(store, Event(0, 0, 1), Event(0, 1, 2));
        Assert.True(IsFrozen(store));
        var id = store.StartIncrementalImport();
        Assert.Equal(new StoreWriteState(true, id), StoreWriteGuard.ReadState(store, StoreWrite.Replace));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AMirrorStopsBeforeTheNextBatchOnceItsDestinationIsFrozenUnlessForced(bool force)
    {
        var source = new SqliteEventStore(TestFiles.CopyFixture("resolve-lite-600.db"));
        var destination = new SqliteEventStore(Path.Combine(TestFiles.NewDirectory(), "mirror.db"));
        var options = new MirrorOptions { BatchSize = 100, WriteIntoFrozenDestination = force, Follow = true, PollInterval = TimeSpan.FromMilliseconds(10), Deadline = DateTimeOffset.UtcNow.AddSeconds(3) };
        var mirror = new EventStoreMirror(source, destination, options);
        // Once the first transaction is committed, the destination is frozen and the source gets one more event.
        void FreezeAfterFirstBatch(MirrorProgress step)
        {
            if (step.CopiedCount == 0 || IsFrozen(destination)) return;
            destination.SetFrozen(true);
            ResolveEvent last;
            using (var read = source.OpenSource()) last = read.ReadLastEventPerThread()[0];
            using var append = source.BeginImport(ImportMode.Append);
            append.Add(new ResolveEvent { ThreadId = last.ThreadId, ThreadCounter = last.ThreadCounter + 1, Timestamp = 4102444800000, AggregateId = "after-the-freeze", AggregateVersion = 1, Type = "T", PayloadJson = "{}" });
            append.Commit();
        }
        if (force)
        {
            Assert.Equal(601, mirror.Run(FreezeAfterFirstBatch).CopiedCount);
        }
        else
        {
            var refusal = Assert.Throws<EventStoreException>(() => mirror.Run(FreezeAfterFirstBatch));
            Assert.Equal(EventStoreErrorKind.StoreFrozen, refusal.Kind);
            using var copy = destination.OpenSource();
            Assert.Equal(600, copy.CountEvents());
        }
        Assert.True(IsFrozen(destination));
    }
}
