namespace EventStoreTools.Core.Samples;

/// <summary>
/// Creates a store that does not exist yet, with reSolve's tables (what an application's first start leaves),
/// empty or filled with a generated sample through the same import that Import-EventStore uses.
/// </summary>
public static class EventStoreCreation
{
    /// <summary>How often, in events, the progress callback is called.</summary>
    private const int ProgressInterval = 4096;

    /// <summary>
    /// Creates the store; refuses one that exists (nothing in it is touched). The store appears whole or not at all:
    /// the import is one transaction (a new SQLite file is built beside its path and moved into place).
    /// </summary>
    public static EventStoreDescription Create(IEventStore store, SampleStoreSpecification? sample, Action<long>? progress = null, CancellationToken cancellation = default)
    {
        if (sample?.Problem is { } problem) throw new ArgumentException(problem, nameof(sample));
        if (store.Exists())
        {
            throw new EventStoreException(EventStoreErrorKind.StoreExists,
                $"The store {store.DisplayName} exists already; nothing was changed. Give a new path or schema, or load events into it with Import-EventStore (-Append, -Incremental or -Replace).");
        }
        // A store that holds secrets is its owner's only, as every file the module writes with secrets in it.
        var access = sample is { SecretCount: > 0 } ? Files.NewFileAccess.Private : null;
        using (var import = store.BeginImport(ImportMode.IntoEmptyStore, access))
        {
            if (sample is not null)
            {
                foreach (var e in SampleStore.Events(sample))
                {
                    cancellation.ThrowIfCancellationRequested();
                    import.Add(e);
                    if (import.EventCount % ProgressInterval == 0) progress?.Invoke(import.EventCount);
                }
                foreach (var secret in SampleStore.Secrets(sample)) import.AddSecret(secret);
            }
            import.Commit();
        }
        using var source = store.OpenSource();
        return source.Describe();
    }
}
