using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>How a command uses a store, so that two commands of one pipeline do not wait for each other.</summary>
public abstract partial class EventStoreCmdlet
{
    /// <summary>
    /// Records how this command uses the store until the result is disposed; fails (an
    /// <see cref="EventStoreException"/>, for <see cref="Run"/>) when another command of this session's pipelines
    /// uses it so that the two would wait for each other (see <see cref="StoreClaims"/>).
    /// </summary>
    protected static IDisposable ClaimStore(IEventStore store, StoreUse use) =>
        StoreClaims.Take(System.Management.Automation.Runspaces.Runspace.DefaultRunspace, store, use);

    /// <summary>Runs one step of work on a store (see <see cref="Run"/>), with a <see cref="StoreUse.Step"/> claim on it.</summary>
    protected void RunOnStore(IEventStore store, Action action) => Run(() =>
    {
        using var claim = ClaimStore(store, StoreUse.Step);
        action();
    }, store.DisplayName);

    /// <summary>
    /// <see cref="RunOnListedStore(Action, object?)"/> with a <see cref="StoreUse.Step"/> claim on the store. A store on
    /// both sides of one pipeline is a mistake of the whole command, so that refusal ends it.
    /// </summary>
    protected bool RunOnListedStore(IEventStore store, Action action)
    {
        IDisposable? claim = null;
        Run(() => claim = ClaimStore(store, StoreUse.Step), store.DisplayName);
        using (claim) return RunOnListedStore(action, store.DisplayName);
    }
}
