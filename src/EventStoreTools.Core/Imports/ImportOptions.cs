namespace EventStoreTools.Core.Imports;

/// <summary>How an import writes: its mode, the events it selects, its commits, and whether it only works out what it would do.</summary>
public sealed record ImportOptions
{
    /// <summary>What becomes of the events the store holds (ignored with <see cref="Incremental"/>).</summary>
    public ImportMode Mode { get; init; } = ImportMode.IntoEmptyStore;

    /// <summary>reSolve's incrementalImport: only what the store lacks, in one transaction.</summary>
    public bool Incremental { get; init; }

    /// <summary>The partial-restore filter, or null when every event is imported.</summary>
    public EventFilter? Filter { get; init; }

    /// <summary>Commit after every this many events (0: no such batches); only when appending.</summary>
    public int CommitEvery { get; init; }

    /// <summary>Commit the events received so far once this long has passed since the batch began (zero: no such batches).</summary>
    public TimeSpan CommitInterval { get; init; }

    /// <summary>Write into a frozen store anyway (checked again before each batch, since batches run as long as their input).</summary>
    public bool Force { get; init; }

    /// <summary>Read everything and count what would be written (-WhatIf); write nothing.</summary>
    public bool DryRun { get; init; }

    public bool Batched => CommitEvery > 0 || CommitInterval > TimeSpan.Zero;
}
