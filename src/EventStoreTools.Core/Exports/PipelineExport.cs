namespace EventStoreTools.Core.Exports;

/// <summary>
/// An export to a pipeline: the events of one store as objects, read ahead on another core, the read's cursor
/// advanced past each before it is handed on. A reader downstream may stop taking them (Select-Object -First), which
/// the read itself does not see: <see cref="CheckStop"/> then says whether the cursor after the events handed on
/// would pass over one that was not.
/// </summary>
public sealed class PipelineExport(IEventStore store, ExportRead read, bool handsOutCursor)
{
    /// <summary>What was handed on, when the cursor after it is handed out.</summary>
    private CursorRead? _handedOn;

    /// <summary>The events to expect, for a progress bar (see <see cref="ExportRead.ProgressTotal"/>); known once the first is asked for.</summary>
    public long Total { get; private set; }

    /// <summary>The cursor after the events handed on.</summary>
    public ResolveCursor Cursor => read.Start;

    public IEnumerable<ResolveEvent> Events(CancellationToken cancellation)
    {
        using var reader = store.OpenSource();
        Total = read.ProgressTotal(reader);
        _handedOn = handsOutCursor ? new CursorRead(read.Filter, read.Start.Counters) : null;
        foreach (var e in read.Events(reader, cancellation).Ahead(e => e, eventsStayInside: false, cancellation))
        {
            read.Start.Advance(e);
            _handedOn?.Add(e);
            yield return e;
        }
    }

    /// <summary>Whether a stop downstream is checked (the cursor is handed out).</summary>
    public bool ChecksStop => _handedOn is not null;

    /// <summary>
    /// After a stop downstream: fails (an <see cref="EventStoreException"/>) when the cursor after the events handed
    /// on would pass over one not handed on. The store is opened again: the stopped read's transaction on PostgreSQL
    /// was aborted by its cancelled query.
    /// </summary>
    public void CheckStop(CancellationToken cancellation)
    {
        if (_handedOn is null) return;
        using var reader = store.OpenSource();
        _handedOn.CheckStop(reader, cancellation);
    }
}
