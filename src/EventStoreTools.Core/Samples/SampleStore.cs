using System.Collections.Specialized;

namespace EventStoreTools.Core.Samples;

/// <summary>What a generated sample store holds; the same specification gives the same events and secrets.</summary>
/// <param name="EventCount">How many events (0: an empty store).</param>
/// <param name="AggregateCount">Over how many aggregates (bank accounts) the events are spread.</param>
/// <param name="SecretCount">How many of the aggregates get a secret (their encryption key, with the aggregate's id).</param>
/// <param name="Seed">The seed of every random choice.</param>
public sealed record SampleStoreSpecification(long EventCount, int AggregateCount, int SecretCount, int Seed)
{
    /// <summary>The aggregates a sample of this many events is spread over when none are given: one per 50 events, 1 to 100,000.</summary>
    public static int DefaultAggregateCount(long eventCount) => (int)Math.Clamp(eventCount / 50, 1, 100_000);

    /// <summary>Why the specification cannot be generated, or null.</summary>
    public string? Problem =>
        EventCount < 0 ? "The number of events cannot be negative."
        : AggregateCount < 1 ? "A sample needs at least one aggregate."
        : SecretCount < 0 ? "The number of secrets cannot be negative."
        : SecretCount > AggregateCount ? $"A sample has one secret per aggregate at most: {Quantity.Of(SecretCount, "secret")} for {Quantity.Of(AggregateCount, "aggregate")}."
        : null;
}

/// <summary>
/// A realistic, repeatable store of bank accounts, as a reSolve application writes one: aggregates opened and then
/// changed at random, in time order (some events in the same millisecond), spread over reSolve's 256 threads,
/// payloads of a few dozen bytes to a few kilobytes with non-ASCII text, and each account's encryption key as a
/// secret. Every choice comes from one seeded generator, so a specification always gives the same events.
/// </summary>
public static class SampleStore
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Owners = ["Ana", "José", "Zoë", "Łukasz", "Søren", "美咲", "Ayşe", "Nguyễn Văn An", "Ольга", "O'Brien"];
    private static readonly string[] Currencies = ["EUR", "USD", "GBP", "JPY", "CHF"];
    private static readonly string[] Memos = ["Rent", "Überweisung", "Café ☕", "Salary", "Refund №", "Groceries", "Travel ✈", "Gift 🎁"];

    /// <summary>The aggregate ids of a sample, in the order they are numbered (deterministic GUIDs).</summary>
    public static IReadOnlyList<string> AggregateIds(SampleStoreSpecification specification)
    {
        var random = new Random(specification.Seed);
        var ids = new string[specification.AggregateCount];
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < ids.Length; i++)
        {
            random.NextBytes(bytes);
            bytes[7] = (byte)(bytes[7] & 0x0F | 0x40); // a version-4 GUID, as an application's uuid() gives
            bytes[8] = (byte)(bytes[8] & 0x3F | 0x80);
            ids[i] = new Guid(bytes).ToString();
        }
        return ids;
    }

    /// <summary>The sample's events in time order (reSolve's read order within each thread), generated as they are read.</summary>
    public static IEnumerable<ResolveEvent> Events(SampleStoreSpecification specification)
    {
        var aggregates = AggregateIds(specification);
        var versions = new long[aggregates.Count];
        var counters = new long[256];
        var random = new Random(unchecked(specification.Seed * 31 + 7));
        var timestamp = Start.ToUnixTimeMilliseconds();
        for (long n = 0; n < specification.EventCount; n++)
        {
            // Accounts open over time: an event goes to one of the accounts opened so far or opens the next one.
            var opened = (int)Math.Min(aggregates.Count, 1 + n * aggregates.Count / Math.Max(1, specification.EventCount / 2));
            var aggregate = random.Next(opened);
            var version = ++versions[aggregate];
            var threadId = random.Next(256);
            timestamp += random.Next(4) == 0 ? 0 : random.Next(1, 2_000);
            var (type, payload) = version == 1 ? Opened(random, aggregate) : Changed(random, n);
            yield return new ResolveEvent
            {
                ThreadId = threadId,
                ThreadCounter = counters[threadId]++,
                Timestamp = timestamp,
                AggregateId = aggregates[aggregate],
                AggregateVersion = version,
                Type = type,
                Payload = payload,
            };
        }
    }

    /// <summary>The sample's secrets: the first <see cref="SampleStoreSpecification.SecretCount"/> accounts' keys, idx from 0.</summary>
    public static IEnumerable<ResolveSecret> Secrets(SampleStoreSpecification specification)
    {
        var aggregates = AggregateIds(specification);
        var random = new Random(unchecked(specification.Seed * 31 + 11));
        var key = new byte[32];
        for (var i = 0; i < specification.SecretCount; i++)
        {
            random.NextBytes(key);
            yield return new ResolveSecret(Convert.ToBase64String(key), aggregates[i], i);
        }
    }

    private static (string Type, OrderedDictionary Payload) Opened(Random random, int aggregate) =>
        ("ACCOUNT_OPENED", new OrderedDictionary
        {
            ["owner"] = Owners[random.Next(Owners.Length)],
            ["currency"] = Currencies[random.Next(Currencies.Length)],
            ["number"] = $"ACC-{aggregate + 1:D6}",
            ["overdraftLimit"] = random.Next(5) == 0 ? 500 : 0,
        });

    private static (string Type, OrderedDictionary Payload) Changed(Random random, long n)
    {
        var pick = random.Next(100);
        if (pick < 55)
            return ("DEPOSIT_MADE", Movement(random, n));
        if (pick < 90)
            return ("WITHDRAWAL_MADE", Movement(random, n));
        if (pick < 97)
            return ("ACCOUNT_RENAMED", new OrderedDictionary { ["owner"] = Owners[random.Next(Owners.Length)], ["reason"] = null });
        // Now and then a statement with many lines: a payload of a few kilobytes.
        var lines = new List<object?>();
        for (var i = random.Next(20, 60); i > 0; i--)
            lines.Add(new OrderedDictionary { ["memo"] = Memos[random.Next(Memos.Length)], ["amount"] = Amount(random) });
        return ("STATEMENT_ISSUED", new OrderedDictionary { ["period"] = $"{2024 + n / 100_000}-{1 + n / 8_000 % 12:D2}", ["lines"] = lines, ["final"] = random.Next(2) == 0 });
    }

    private static OrderedDictionary Movement(Random random, long n) => new()
    {
        ["amount"] = Amount(random),
        ["memo"] = $"{Memos[random.Next(Memos.Length)]} {n}",
        ["tags"] = random.Next(3) == 0 ? new List<object?> { "recurring", n % 7 } : new List<object?>(),
    };

    // Cents as a decimal number of the currency, as an application's JSON carries money (12.5, 99.99, 3).
    private static double Amount(Random random) => random.Next(1, 500_000) / 100.0;
}
