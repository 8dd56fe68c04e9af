using EventStoreTools.Core.Writes;

namespace EventStoreTools.Core;

/// <summary>How a mirror runs: once to the end, following, or as a cutover that freezes the source.</summary>
public sealed record MirrorOptions
{
    /// <summary>Events per batch; each batch is one transaction on the destination.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>Keep copying what the source's writers append, until Ctrl+C, the deadline or a frozen, drained source.</summary>
    public bool Follow { get; init; }

    /// <summary>Catch up, freeze the source with reSolve's marker, drain and verify.</summary>
    public bool Cutover { get; init; }

    /// <summary>With <see cref="Cutover"/>: compare every event, not only the counts and each thread's last event.</summary>
    public bool FullVerify { get; init; }

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>When following ends (null: never by time).</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Write into a frozen destination (-Force); otherwise a destination found frozen before a batch ends the run.</summary>
    public bool WriteIntoFrozenDestination { get; init; }
}

/// <summary>Where a mirror stands after a batch, for the progress display.</summary>
public sealed record MirrorProgress(long CopiedCount, long LagEvents, double LagSeconds, double EventsPerSecond, bool CaughtUp);

/// <summary>How the destination compares with the source at the end of a cutover.</summary>
public sealed record MirrorVerification(bool Identical, bool Full, long SourceEventCount, long DestinationEventCount, EventDifference? FirstDifference);

/// <summary>What a mirror run did.</summary>
public sealed class MirrorResult
{
    public required string Source { get; init; }
    public required string Destination { get; init; }
    public long CopiedCount { get; set; }
    public long BatchCount { get; set; }

    /// <summary>Events the destination held when the run began (what it resumed from).</summary>
    public long PreviousCount { get; set; }

    /// <summary>The cursor after the last event of the destination: where a next run resumes.</summary>
    public string Cursor { get; set; } = "";

    public bool SourceFrozen { get; set; }

    /// <summary>Median time from an event's timestamp to its commit in the destination, in ms, over the events copied once the mirror had caught up.</summary>
    public double? MedianLagMilliseconds { get; set; }

    /// <summary>The worst such time, in ms.</summary>
    public double? MaxLagMilliseconds { get; set; }

    public MirrorVerification? Verification { get; set; }

    public TimeSpan Elapsed { get; set; }
}

/// <summary>
/// Keeps a destination store an exact copy of a source store (thread ids, counters, timestamps, versions,
/// payloads, secrets), any engine to any engine. It resumes from the destination's own latest cursor, so no
/// checkpoint is kept anywhere: each batch is one transaction on the destination, and a run killed at any moment
/// leaves the destination at the end of a batch, from where the next run goes on. It refuses a destination that
/// is not a prefix of the source before writing anything.
/// </summary>
public sealed class EventStoreMirror
{
    // Lag samples kept for the median: plenty for a benchmark, bounded for a mirror that runs for days.
    private const int MaxLagSamples = 1_000_000;

    private readonly IEventStore _source;
    private readonly IEventStore _destination;
    private readonly MirrorOptions _options;
    private readonly List<double> _lagSamples = [];
    private EventStorePoller? _poller;
    private long _destinationCount;

    public EventStoreMirror(IEventStore source, IEventStore destination, MirrorOptions options)
    {
        _source = source;
        _destination = destination;
        _options = options;
        Result = new MirrorResult { Source = source.DisplayName, Destination = destination.DisplayName };
    }

    public MirrorResult Result { get; }

    private PayloadComparison Payloads => EventStoreComparison.PayloadComparisonFor(_source, _destination);

    /// <summary>Whether this run froze the source (a cutover); the caller unfreezes it when the run fails.</summary>
    public bool FrozeSource { get; private set; }

    /// <summary>
    /// The first event in which the destination is not a prefix of the source: an event the destination holds
    /// that the source lacks or holds differently, or a source event below the destination's cursor that the
    /// destination lacks. Null when the destination is a prefix (or does not exist yet).
    /// </summary>
    public EventDifference? FindDivergence(CancellationToken cancellation = default)
    {
        if (!_destination.Exists()) return null;
        var counters = DestinationCursor(cancellation).Counters;
        using var source = _source.OpenSource();
        using var destination = _destination.OpenSource();
        var mirrored = source.ReadEventsByKey(cancellation).Where(e => e.ThreadCounter < counters[e.ThreadId]);
        return new EventStoreComparison(mirrored, destination.ReadEventsByKey(cancellation), Payloads).Differences().FirstOrDefault();
    }

    /// <summary>The cursor after the destination's newest event of every thread: where the copy resumes.</summary>
    private ResolveCursor DestinationCursor(CancellationToken cancellation)
    {
        var cursor = ResolveCursor.Start;
        if (!_destination.Exists()) return cursor;
        using var destination = _destination.OpenSource();
        foreach (var e in destination.ReadLastEventPerThread(cancellation)) cursor.Advance(e);
        _destinationCount = destination.CountEvents();
        return cursor;
    }

    /// <summary>Copies, follows or cuts over as the options say; reports after each batch and each idle poll.</summary>
    public MirrorResult Run(Action<MirrorProgress> report, CancellationToken cancellation = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (FindDivergence(cancellation) is { } difference)
            throw new EventStoreException(EventStoreErrorKind.DestinationDiverged, DescribeDivergence(difference)) { Event = difference };
        _poller = new EventStorePoller(_source, DestinationCursor(cancellation), _options.BatchSize);
        Result.PreviousCount = _destinationCount;
        var caughtUpOnce = false;
        while (true)
        {
            var page = _poller.NextPage(cancellation);
            CopySecretsAndEvents(page, recordLag: caughtUpOnce, cancellation);
            caughtUpOnce |= _poller.CaughtUp;
            var lastTimestamp = page.Count > 0 ? page[^1].Timestamp : (long?)null;
            report(new MirrorProgress(Result.CopiedCount, Math.Max(0, _poller.SourceEventCount - _destinationCount),
                _poller.CaughtUp || lastTimestamp is null ? 0 : Math.Max(0, (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - lastTimestamp.Value) / 1000.0),
                Result.CopiedCount / Math.Max(clock.Elapsed.TotalSeconds, 0.001), _poller.CaughtUp));
            if (!_poller.CaughtUp) continue;
            if (_poller.Drained) break;
            if (_options.Cutover)
            {
                // Caught up with a live source: freeze it now, so the drain that follows is short.
                FrozeSource = _source.SetFrozen(true);
                continue;
            }
            if (!_options.Follow || DateTimeOffset.UtcNow >= _options.Deadline) break;
            EventStorePoller.Wait(_options.PollInterval, cancellation);
        }
        Result.SourceFrozen = _poller.SourceFrozen;
        Result.Cursor = _poller.Cursor.ToString();
        if (_lagSamples.Count > 0)
        {
            _lagSamples.Sort();
            Result.MedianLagMilliseconds = _lagSamples[_lagSamples.Count / 2];
            Result.MaxLagMilliseconds = _lagSamples[^1];
        }
        if (_options.Cutover)
        {
            Result.Verification = Verify(_options.FullVerify, cancellation);
            if (!Result.Verification.Identical)
                throw new EventStoreException(EventStoreErrorKind.MirrorMismatch, DescribeMismatch(Result.Verification)) { Event = Result.Verification.FirstDifference };
        }
        Result.Elapsed = clock.Elapsed;
        return Result;
    }

    /// <summary>One batch in one destination transaction: the page's events, and the secrets when they changed.</summary>
    private void CopySecretsAndEvents(IReadOnlyList<ResolveEvent> page, bool recordLag, CancellationToken cancellation)
    {
        var secrets = ChangedSecrets(cancellation);
        if (page.Count == 0 && secrets is null) return;
        // A follow runs for days: a destination frozen meanwhile stops it before the next batch, as at the start.
        StoreWriteGuard.Check(_destination, StoreWrite.Mirror, _options.WriteIntoFrozenDestination).ThrowIfRefused();
        using (var batch = _destination.BeginImport(ImportMode.Append))
        {
            foreach (var e in page)
            {
                cancellation.ThrowIfCancellationRequested();
                batch.Add(e);
            }
            if (secrets is not null)
            {
                batch.DropSecrets();
                foreach (var secret in secrets) batch.AddSecret(secret);
            }
            batch.Commit();
        }
        var committedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (recordLag)
        {
            foreach (var e in page)
                if (_lagSamples.Count < MaxLagSamples) _lagSamples.Add(committedAt - e.Timestamp);
        }
        Result.CopiedCount += page.Count;
        _destinationCount += page.Count;
        Result.BatchCount++;
    }

    /// <summary>The source's secrets when the destination's differ from them, else null.</summary>
    private List<ResolveSecret>? ChangedSecrets(CancellationToken cancellation)
    {
        List<ResolveSecret> wanted;
        using (var source = _source.OpenSource()) wanted = source.ReadSecrets(cancellation).ToList();
        if (!_destination.Exists()) return wanted.Count > 0 ? wanted : null;
        using var destination = _destination.OpenSource();
        return destination.ReadSecrets(cancellation).SequenceEqual(wanted) ? null : wanted;
    }

    /// <summary>Counts and each thread's last event (or, when full, every event) of the destination against the source.</summary>
    public MirrorVerification Verify(bool full, CancellationToken cancellation = default)
    {
        using var source = _source.OpenSource();
        using var destination = _destination.OpenSource();
        var comparison = full
            ? new EventStoreComparison(source.ReadEventsByKey(cancellation), destination.ReadEventsByKey(cancellation), Payloads)
            : new EventStoreComparison(source.ReadLastEventPerThread(cancellation), destination.ReadLastEventPerThread(cancellation), Payloads);
        var first = comparison.Differences().FirstOrDefault();
        var sourceCount = source.CountEvents();
        var destinationCount = destination.CountEvents();
        return new MirrorVerification(first is null && sourceCount == destinationCount, full, sourceCount, destinationCount, first);
    }

    private string DescribeDivergence(EventDifference difference) =>
        $"The destination {_destination.DisplayName} is not a prefix of the source {_source.DisplayName}, so it cannot be mirrored into; nothing was written. " +
        $"First difference: {DescribeDifference(difference)}";

    private string DescribeMismatch(MirrorVerification verification) =>
        $"After the cutover the destination {_destination.DisplayName} differs from the source {_source.DisplayName} " +
        $"({Quantity.Of(verification.SourceEventCount, "event")} in the source, {verification.DestinationEventCount:N0} in the destination)" +
        (verification.FirstDifference is { } difference ? $"; first difference: {DescribeDifference(difference)}" : ".");

    public static string DescribeDifference(EventDifference difference)
    {
        var key = $"threadId {difference.ThreadId}, threadCounter {difference.ThreadCounter}";
        return difference.Change switch
        {
            EventChange.Missing => $"the source's event {key} ({difference.ReferenceEvent}) is not in the destination.",
            EventChange.Extra => $"the destination's event {key} ({difference.DifferenceEvent}) is not in the source.",
            _ => $"the event {key} differs in {string.Join(", ", difference.ChangedFields)}: source {difference.ReferenceEvent}, destination {difference.DifferenceEvent}.",
        };
    }
}
