using System.Collections.Specialized;
using EventStoreTools.Core.Json;
using EventStoreTools.Core.Ndjson;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>The incremental-import fixtures made by reSolve (tests/fixtures/incremental), for every engine's tests.</summary>
internal static class IncrementalFixtures
{
    /// <summary>Every case: its name, how many of its events are imported, how many are duplicates of stored ones.</summary>
    public static TheoryData<string, long, long> Cases => new()
    {
        { "new-only", 5, 0 },
        { "new-unordered", 5, 0 },
        { "dups-only", 0, 5 },
        { "dups-and-new", 5, 5 },
        { "equal-latest-ts", 1, 0 },
    };

    /// <summary>The events of an input file, as reSolve's incrementalImport takes them (versionless).</summary>
    public static List<ResolveEvent> ReadInput(string file)
    {
        using var reader = NdjsonEventReader.Open(TestFiles.Fixture(file));
        return reader.ReadEvents(versionless: true).ToList();
    }

    /// <summary>The starting store's events: reSolve's export of 1000 events.</summary>
    public static IEnumerable<ResolveEvent> BaseEvents()
    {
        using var reader = NdjsonEventReader.Open(TestFiles.Fixture("incremental/base.export.ndjson"));
        foreach (var e in reader.ReadEvents()) yield return e;
    }

    /// <summary>An event as the fixtures' dumps show it: every field, keys sorted at every level.</summary>
    public static string DumpLine(ResolveEvent e) =>
        DumpLine(e.AggregateId, e.AggregateVersion, e.PayloadJson, e.ThreadCounter, e.ThreadId, e.Timestamp, e.Type);

    public static string DumpLine(string aggregateId, long version, string payloadJson, long threadCounter, long threadId, long timestamp, string type) =>
        JsonValueEquality.SortedKeys(JsJson.Serialize(new OrderedDictionary
        {
            ["aggregateId"] = aggregateId,
            ["aggregateVersion"] = version,
            ["payload"] = JsJson.Parse(payloadJson),
            ["threadCounter"] = threadCounter,
            ["threadId"] = threadId,
            ["timestamp"] = timestamp,
            ["type"] = type,
        }));

    /// <summary>
    /// Repeats against what a store holds, after the newest event of <see cref="BaseEvents"/>: first import "rep" once
    /// and "pair" twice (duplicates within one import are kept); then push "rep" three times (once with its keys in
    /// other order), "pair" twice and one new event. Expected: 6 pushed, 1 imported, 5 duplicates, of which 2 are
    /// repeats of "rep" collapsed into its one stored copy, the first of them the reordered one; "pair" collapses
    /// nothing, the store holding both copies.
    /// </summary>
    public static (ResolveEvent[] Stored, ResolveEvent[] Pushed) CollapsedRepeats(long newest)
    {
        ResolveEvent At(long timestamp, string aggregateId, string payload) =>
            new() { Timestamp = timestamp, AggregateId = aggregateId, Type = "T", PayloadJson = payload };
        var rep = At(newest + 10, "rep", """{"a":1,"b":2}""");
        var pair = At(newest + 10, "pair", """{"c":1}""");
        return ([rep, pair, pair], [rep, At(newest + 10, "rep", """{"b":2,"a":1}"""), rep, pair, pair, At(newest + 20, "new", "{}")]);
    }
}
