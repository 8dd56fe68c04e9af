namespace EventStoreTools.Core;

/// <summary>How a command uses a store, as far as the other commands of its pipeline are concerned.</summary>
public enum StoreUse
{
    /// <summary>
    /// A read (also an export streaming into the pipeline, which holds no lock between its short pages) or a write
    /// that ends within the command's own step (Start-, Complete-, Undo-IncrementalImport).
    /// </summary>
    Step,

    /// <summary>An import holding its write transaction open until its pipeline input ends.</summary>
    PipelineTransaction,
}

/// <summary>
/// The stores the commands of each session are using. In one session (a PowerShell runspace) the commands of a
/// pipeline run in turn on one thread, so a command that waits for the lock of an import holding its write
/// transaction until its pipeline input ends, or such an import that waits for the export feeding it, waits for
/// itself: with a 60 s lock wait per try (`Export-EventStore s.db | Import-EventStore s.db -Incremental` once
/// waited over 14 minutes), and forever on PostgreSQL (a -Replace waits for the export's transaction). A claim
/// that meets another of the same session on the same store, one of them a
/// <see cref="StoreUse.PipelineTransaction"/>, fails at once instead. Sessions do not block each other here:
/// another runspace's import finishes on its own, so waiting for it is right.
/// </summary>
public static class StoreClaims
{
    private static readonly List<Claim> Held = [];

    /// <summary>Records the use until the result is disposed; fails with <see cref="EventStoreErrorKind.StoreInUseByPipeline"/> on a conflict.</summary>
    /// <param name="session">The session the command runs in (compared by reference).</param>
    public static IDisposable Take(object session, IEventStore store, StoreUse use)
    {
        var claim = new Claim(session, store.Identity, use);
        lock (Held)
        {
            var other = Held.FirstOrDefault(held => ReferenceEquals(held.Session, session) && held.Store == claim.Store
                && (held.Use == StoreUse.PipelineTransaction || use == StoreUse.PipelineTransaction));
            if (other is not null) throw Conflict(store.DisplayName, use, other.Use);
            Held.Add(claim);
        }
        return claim;
    }

    private static EventStoreException Conflict(string store, StoreUse wanted, StoreUse held)
    {
        var what = (wanted, held) switch
        {
            (StoreUse.Step, _) => "an import in this same pipeline holds its write transaction open until its input ends, and this command would wait for it",
            (_, StoreUse.Step) => "an export in this same pipeline is reading it, and this import would wait for that export, which waits for this import",
            _ => "another import in this same pipeline holds its write transaction open, and this one would wait for it forever",
        };
        return new EventStoreException(EventStoreErrorKind.StoreInUseByPipeline,
            $"The store '{store}' cannot be both sides of one pipeline: {what}. Export it to a file first (Export-EventStore -OutFile), then import the file.");
    }

    private sealed class Claim(object session, string store, StoreUse use) : IDisposable
    {
        public object Session { get; } = session;

        public string Store { get; } = store;

        public StoreUse Use { get; } = use;

        public void Dispose()
        {
            lock (Held) Held.Remove(this);
        }
    }
}
