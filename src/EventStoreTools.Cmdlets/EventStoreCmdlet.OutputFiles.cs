using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>What every file a cmdlet writes or reads beside a store must not be.</summary>
public abstract partial class EventStoreCmdlet
{
    /// <summary>
    /// Refuses, before anything is written, a file that is the store itself (through links, "..", letter case):
    /// an export to it or an import from it would overwrite what is read.
    /// </summary>
    protected void RefuseSameFileAsStore(IEventStore store, string file)
    {
        var same = false;
        Run(() => same = store.IsSameFileAs(file), file);
        if (!same) return;
        var error = new EventStoreException(EventStoreErrorKind.OutputIsInput,
            $"'{file}' is the store '{store.DisplayName}' itself (the same file, however the paths are spelled): writing one would destroy the other. Use another path.");
        ThrowTerminatingError(ToErrorRecord(error, file));
    }
}
