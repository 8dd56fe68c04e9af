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

/// <summary>Where a mirror stands after a batch, for the progress display; <see cref="Poll"/> says what the poll found and how long it took.</summary>
public sealed record MirrorProgress(long CopiedCount, long LagEvents, double LagSeconds, double EventsPerSecond, bool CaughtUp, string Poll = "");

/// <summary>How the destination compares with the source at the end of a cutover.</summary>
/// <param name="SecretsIdentical">Whether both stores hold the same secret rows, deleted secrets (reSolve's rows with a null secret) included.</param>
public sealed record MirrorVerification(bool Identical, bool Full, long SourceEventCount, long DestinationEventCount, EventDifference? FirstDifference, bool SecretsIdentical = true);

/// <summary>What a mirror run did.</summary>
public sealed class MirrorResult
{
    public required string Source { get; init; }
    public required string Destination { get; init; }
    public long CopiedCount { get; set; }
    public long BatchCount { get; set; }

    /// <summary>Events the destination held when the run began (what it resumed from), counted by its cursor.</summary>
    public long PreviousCount { get; set; }

    /// <summary>The cursor after the last event of the destination: where a next run resumes.</summary>
    public string Cursor { get; set; } = "";

    public bool SourceFrozen { get; set; }

    /// <summary>Whether the destination had caught up with the source when the run ended (false when -Timeout ended it during the catch-up).</summary>
    public bool CaughtUp { get; set; }

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
/// leaves the destination at the end of a batch, from where the next run goes on. Before writing anything it checks
/// the destination's tail against the source (each thread's last events), and refuses a destination that is not a
/// prefix of the source there; what lies deeper only a cutover's -Verify or Compare-EventStore compare, so a restart
/// costs the same at any size.
/// Secret rows are copied as they are, a deleted secret as reSolve keeps it (a row with a null secret).
/// </summary>
public sealed class EventStoreMirror
{
    // Lag samples kept for the median: plenty for a benchmark, bounded for a mirror that runs for days.
    private const int MaxLagSamples = 1_000_000;

    /// <summary>Events per thread, up to its last, that a restart compares with the source (keys only, and the last one whole).</summary>
    private const int TailEventsPerThread = 16;

    /// <summary>
    /// How often an idle follow compares the secrets (reSolve deletes a secret by setting it to null, which no index
    /// shows); they are compared at once after each batch of events and when the run ends.
    /// </summary>
    private static readonly TimeSpan IdleSecretsInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times <see cref="MirrorOptions.BatchSize"/> a page of a catch-up holds: each page costs a few lookups
    /// besides its events, and the reader still takes it in short reads (SQLite's of a few thousand rows each).
    /// </summary>
    private const int CatchUpPageFactor = 10;

    /// <summary>
    /// How long a catch-up keeps one destination transaction open across pages before it commits: a second per 300,000
    /// events the destination holds, 1 to 30 s. Each commit writes every page the transaction changed twice (rollback
    /// journal, then store) and syncs both, and in a large destination the random inserts into reSolve's unique index
    /// change most of its pages within a second; longer transactions write them far fewer times. The initial sync of
    /// 10M events took 381 s with 1 s transactions, 284 s with up to 10 s and 209 s with up to 30 s, against 208 s for
    /// the pipeline copy's one transaction. A run killed meanwhile resumes after the last commit.
    /// </summary>
    private TimeSpan CatchUpTransactionTime =>
        TimeSpan.FromSeconds(Math.Clamp((Result.PreviousCount + Result.CopiedCount) / 300_000.0, 1, 30));

    private readonly IEventStore _source;
    private readonly IEventStore _destination;
    private readonly MirrorOptions _options;
    private readonly List<double> _lagSamples = [];
    private EventStorePoller? _poller;
    private IEventImport? _batch;
    private readonly System.Diagnostics.Stopwatch _batchAge = new();
    private readonly List<long> _uncommittedTimestamps = [];
    private bool _indexesEnsured;
    private readonly System.Diagnostics.Stopwatch _sinceSecretsCompared = new();

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
    /// The first event in which the destination's tail is not a prefix of the source: among each thread's last
    /// <see cref="TailEventsPerThread"/> events of the destination, one the source lacks or holds differently, or a
    /// source event there that the destination lacks. Null when the tail agrees (or the destination does not exist yet).
    /// </summary>
    public EventDifference? FindDivergence(CancellationToken cancellation = default)
    {
        if (!_destination.Exists()) return null;
        using var destination = _destination.OpenSource();
        var destinationLast = destination.ReadLastEventPerThread(cancellation);
        using var source = _source.OpenSource();
        var sourceLast = source.ReadLastEventPerThread(cancellation, below: CursorAfter(destinationLast).Counters).ToDictionary(e => e.ThreadId);
        var sourceTail = new List<ResolveEvent>();
        var destinationTail = new List<ResolveEvent>();
        foreach (var last in destinationLast)
        {
            var from = Math.Max(0, last.ThreadCounter - TailEventsPerThread + 1);
            destinationTail.AddRange(destination.ReadThreadKeys(last.ThreadId, from, last.ThreadCounter, cancellation));
            destinationTail.Add(last);
            sourceTail.AddRange(source.ReadThreadKeys(last.ThreadId, from, last.ThreadCounter, cancellation));
            if (sourceLast.TryGetValue(last.ThreadId, out var sourceEvent) && sourceEvent.ThreadCounter == last.ThreadCounter) sourceTail.Add(sourceEvent);
        }
        return new EventStoreComparison(sourceTail, destinationTail, Payloads).Differences().FirstOrDefault();
    }

    private static ResolveCursor CursorAfter(IEnumerable<ResolveEvent> lastEventPerThread)
    {
        var cursor = ResolveCursor.Start;
        foreach (var e in lastEventPerThread) cursor.Advance(e);
        return cursor;
    }

    /// <summary>The cursor after the destination's newest event of every thread: where the copy resumes.</summary>
    private ResolveCursor DestinationCursor(CancellationToken cancellation)
    {
        if (!_destination.Exists()) return ResolveCursor.Start;
        using var destination = _destination.OpenSource();
        return CursorAfter(destination.ReadLastEventPerThread(cancellation));
    }

    /// <summary>Copies, follows or cuts over as the options say; reports after each batch and each idle poll.</summary>
    public MirrorResult Run(Action<MirrorProgress> report, CancellationToken cancellation = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (FindDivergence(cancellation) is { } difference)
            throw new EventStoreException(EventStoreErrorKind.DestinationDiverged, DescribeDivergence(difference)) { Event = difference };
        var start = DestinationCursor(cancellation);
        _poller = new EventStorePoller(_source, start, _options.BatchSize);
        Result.PreviousCount = start.Counters.Sum();
        try
        {
            Copy(report, clock, cancellation);
        }
        finally
        {
            // A run that fails or is stopped mid-transaction leaves the destination at its last commit.
            _batch?.Dispose();
            _batch = null;
        }
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

    /// <summary>
    /// Polls and writes until the run ends (see <see cref="Ends"/>), reporting after each poll. While catching up it
    /// reads the next page while it writes this one (each still one short read), as the pipeline copy does.
    /// </summary>
    private void Copy(Action<MirrorProgress> report, System.Diagnostics.Stopwatch clock, CancellationToken cancellation)
    {
        var caughtUpOnce = false;
        Task<PolledPage>? readAhead = null;
        var catchUpPage = (int)Math.Min(1_000_000L, (long)_options.BatchSize * CatchUpPageFactor);
        try
        {
            while (true)
            {
                PolledPage polled;
                try
                {
                    polled = readAhead?.GetAwaiter().GetResult() ?? PolledPage.Next(_poller!, caughtUpOnce ? _options.BatchSize : catchUpPage, cancellation);
                }
                catch (EventStoreException) when (catchUpPage > _options.BatchSize)
                {
                    // The source refused a page of the catch-up (a thread out of counter order): it is read again batch by
                    // batch, so that the batches before the refused one are written.
                    readAhead = null;
                    catchUpPage = _options.BatchSize;
                    continue;
                }
                catch (EventStoreException)
                {
                    // A page the source refuses ends the run after the pages read before it.
                    readAhead = null;
                    Write([], recordLag: false, commit: true, secretsDue: false, cancellation);
                    throw;
                }
                readAhead = null;
                var ends = Ends(polled);
                if (!ends && !polled.CaughtUp) readAhead = Task.Run(() => PolledPage.Next(_poller!, catchUpPage, cancellation), cancellation);
                var page = polled.Events;
                var copyClock = System.Diagnostics.Stopwatch.StartNew();
                var secretsDue = ends || page.Count > 0 || !_sinceSecretsCompared.IsRunning || _sinceSecretsCompared.Elapsed >= IdleSecretsInterval;
                Write(page, recordLag: caughtUpOnce, commit: ends || polled.CaughtUp, secretsDue, cancellation);
                caughtUpOnce |= polled.CaughtUp;
                var lastTimestamp = page.Count > 0 ? page[^1].Timestamp : (long?)null;
                report(new MirrorProgress(Result.CopiedCount, polled.EventsBehind,
                    polled.CaughtUp || lastTimestamp is null ? 0 : Math.Max(0, (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - lastTimestamp.Value) / 1000.0),
                    Result.CopiedCount / Math.Max(clock.Elapsed.TotalSeconds, 0.001), polled.CaughtUp,
                    $"Poll: {page.Count:N0} new events, {polled.EventsBehind:N0} more behind{(polled.SourceFrozen ? ", source frozen" : "")}; " +
                    $"read in {polled.Duration.TotalMilliseconds:N1} ms, written in {copyClock.Elapsed.TotalMilliseconds:N1} ms."));
                if (ends)
                {
                    Result.SourceFrozen = polled.SourceFrozen;
                    Result.CaughtUp = polled.CaughtUp;
                    return;
                }
                if (!polled.CaughtUp) continue;
                if (_options.Cutover && !polled.SourceFrozen)
                {
                    // Caught up with a live source: freeze it now, so the drain that follows is short.
                    FrozeSource = _source.SetFrozen(true);
                    continue;
                }
                EventStorePoller.Wait(_options.PollInterval, cancellation);
            }
        }
        finally
        {
            // A page still being read when the run fails is waited for: no read of the source outlives the run.
            try
            {
                readAhead?.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
            }
        }
    }

    /// <summary>
    /// Whether the page just read is the run's last: the source is drained, or (not in a cutover) the run is caught up
    /// and not following, or its deadline has passed, which ends a follow during its catch-up too.
    /// </summary>
    private bool Ends(PolledPage polled)
    {
        if (polled.Drained) return true;
        if (_options.Cutover) return false;
        return (polled.CaughtUp && !_options.Follow) || DateTimeOffset.UtcNow >= _options.Deadline;
    }

    /// <summary>
    /// Writes a page into the destination's open transaction (begun, with the secrets when they changed, when none is
    /// open), and commits it when asked or once it has been open <see cref="CatchUpTransactionTime"/>: during a catch-up
    /// a transaction spans several pages, as a commit costs about as much as a page of 1,000 events, and those commits
    /// leave the secondary indexes to the commit once caught up (<see cref="IEventImport.DeferIndexBuild"/>), which
    /// builds them once instead of row by row. The secrets are compared only between transactions, when the
    /// destination has nothing uncommitted.
    /// </summary>
    private void Write(IReadOnlyList<ResolveEvent> page, bool recordLag, bool commit, bool secretsDue, CancellationToken cancellation)
    {
        // The run's first commit that is not deferred builds the indexes a killed run may have left out.
        var ensureIndexes = commit && !_indexesEnsured && _destination.Exists();
        if (_batch is null && (page.Count > 0 || secretsDue || ensureIndexes))
        {
            var secrets = ChangedSecrets(cancellation);
            if (page.Count == 0 && secrets is null && !ensureIndexes) return;
            // A follow runs for days: a destination frozen meanwhile stops it before the next batch, as at the start.
            StoreWriteGuard.Check(_destination, StoreWrite.Mirror, _options.WriteIntoFrozenDestination).ThrowIfRefused();
            _batch = _destination.BeginImport(ImportMode.Append);
            _batchAge.Restart();
            if (secrets is not null)
            {
                _batch.DropSecrets();
                foreach (var secret in secrets) _batch.AddSecret(secret);
            }
            secretsDue = false;
        }
        foreach (var e in page)
        {
            cancellation.ThrowIfCancellationRequested();
            _batch!.Add(e);
            if (recordLag) _uncommittedTimestamps.Add(e.Timestamp);
        }
        if (_batch is null || !(commit || _batchAge.Elapsed >= CatchUpTransactionTime)) return;
        // A commit in the middle of a catch-up leaves the secondary indexes to the commit once caught up.
        if (!commit) _batch.DeferIndexBuild();
        _batch.Commit();
        _indexesEnsured |= commit;
        var committedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var timestamp in _uncommittedTimestamps)
            if (_lagSamples.Count < MaxLagSamples) _lagSamples.Add(committedAt - timestamp);
        _uncommittedTimestamps.Clear();
        Result.CopiedCount += _batch.EventCount;
        Result.BatchCount++;
        _batch.Dispose();
        _batch = null;
        // The last write of a run compares the secrets after its events, with nothing uncommitted.
        if (commit && secretsDue) Write([], recordLag: false, commit: true, secretsDue: true, cancellation);
    }

    /// <summary>The source's secret rows (deleted secrets included) when the destination's differ from them, else null.</summary>
    private List<ResolveSecret>? ChangedSecrets(CancellationToken cancellation)
    {
        _sinceSecretsCompared.Restart();
        List<ResolveSecret> wanted;
        using (var source = _source.OpenSource()) wanted = source.ReadSecretsById(cancellation).ToList();
        if (!_destination.Exists()) return wanted.Count > 0 ? wanted : null;
        using var destination = _destination.OpenSource();
        return destination.ReadSecretsById(cancellation).SequenceEqual(wanted) ? null : wanted;
    }

    /// <summary>
    /// Counts, secret rows and each thread's last event (or, when full, every event) of the destination against the
    /// source.
    /// </summary>
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
        var secretsIdentical = source.ReadSecretsById(cancellation).SequenceEqual(destination.ReadSecretsById(cancellation));
        return new MirrorVerification(first is null && sourceCount == destinationCount && secretsIdentical, full, sourceCount, destinationCount, first, secretsIdentical);
    }

    private string DescribeDivergence(EventDifference difference) =>
        $"The destination {_destination.DisplayName} is not a prefix of the source {_source.DisplayName}, so it cannot be mirrored into; nothing was written. " +
        $"First difference: {DescribeDifference(difference)}";

    private string DescribeMismatch(MirrorVerification verification) =>
        $"After the cutover the destination {_destination.DisplayName} differs from the source {_source.DisplayName} " +
        $"({Quantity.Of(verification.SourceEventCount, "event")} in the source, {verification.DestinationEventCount:N0} in the destination" +
        (verification.SecretsIdentical ? ")" : "; their secret rows differ)") +
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
