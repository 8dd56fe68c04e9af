namespace EventStoreTools.Core.Verification;

/// <summary>What Test-EventStore looked at.</summary>
public enum StoreKind
{
    SqliteFile,
    PostgresSchema,
    NdjsonFile,
    BackupFolder,
}

/// <summary>
/// One thing wrong with a store or a backup, located as precisely as the check can: the event's
/// (threadId, threadCounter), the aggregate and version, or the line of an NDJSON file.
/// </summary>
public sealed record StoreCheckProblem(string Check, string Message)
{
    public int? ThreadId { get; init; }
    public long? ThreadCounter { get; init; }
    public string? AggregateId { get; init; }
    public long? AggregateVersion { get; init; }
    public long? LineNumber { get; init; }

    /// <summary>The file of a backup folder the problem is in, when it is not the store itself.</summary>
    public string? File { get; init; }

    public override string ToString() => Message;
}

/// <summary>What Test-EventStore found in one store: counts, markers and every problem.</summary>
public sealed class StoreCheckResult
{
    /// <summary>The problems kept in <see cref="Problems"/>; the rest are only counted, so a wrecked store cannot fill memory.</summary>
    public const int MaxProblemsListed = 1000;

    private readonly List<StoreCheckProblem> _problems = [];
    private readonly List<string> _notes = [];

    public StoreCheckResult(string store, StoreKind kind, bool quick)
    {
        Store = store;
        Kind = kind;
        Quick = quick;
    }

    public string Store { get; }

    public StoreKind Kind { get; }

    /// <summary>True when the checks that read every event were skipped (-Quick).</summary>
    public bool Quick { get; }

    public bool IsValid => ProblemCount == 0;

    /// <summary>All problems found, also those beyond <see cref="MaxProblemsListed"/>.</summary>
    public long ProblemCount { get; private set; }

    public IReadOnlyList<StoreCheckProblem> Problems => _problems;

    /// <summary>Events read (or counted by the store with -Quick); null when they could not be counted.</summary>
    public long? EventCount { get; set; }

    public long? SecretCount { get; set; }

    /// <summary>Threads and aggregates seen while reading every event (null with -Quick).</summary>
    public long? ThreadCount { get; set; }

    public long? AggregateCount { get; set; }

    /// <summary>
    /// Threads whose counters do not run from 0 without a gap (null with -Quick): a subset, or rows removed. A
    /// note, or with <see cref="Complete"/> a problem each.
    /// </summary>
    public long? IncompleteThreadCount { get; set; }

    /// <summary>Aggregates whose versions do not run from 1 without a gap (null with -Quick), as <see cref="IncompleteThreadCount"/>.</summary>
    public long? IncompleteAggregateCount { get; set; }

    /// <summary>True when the store was expected whole (-Complete): gaps in threads and aggregates are problems, not notes.</summary>
    public bool Complete { get; init; }

    public long? FirstTimestamp { get; set; }

    public long? LastTimestamp { get; set; }

    /// <summary>reSolve's freeze marker is present: reSolve refuses new events until it is removed.</summary>
    public bool IsFrozen { get; set; }

    /// <summary>An incremental import that was begun and neither committed nor rolled back.</summary>
    public string? OpenIncrementalImportId { get; set; }

    /// <summary>What is worth knowing but not wrong: markers, checks that could not run, a backup without manifest.</summary>
    public IReadOnlyList<string> Notes => _notes;

    public void Add(StoreCheckProblem problem)
    {
        ProblemCount++;
        if (_problems.Count < MaxProblemsListed) _problems.Add(problem);
    }

    public void Note(string note) => _notes.Add(note);
}
