@{
    Synopsis    = 'Exports the events of a reSolve event store, as objects or as reSolve''s NDJSON export.'
    Description = @'
Export-EventStore reads every event of a reSolve eventstore-lite SQLite store in reSolve's read order (timestamp, threadCounter, threadId) with one ordered, streaming query, and writes one typed event object at a time to the pipeline. Memory stays flat however large the store is.

With -OutFile it writes the NDJSON that reSolve's exportEvents() writes, byte for byte: one JSON.stringify(event) per line, keys in the order threadCounter, threadId, type, timestamp, aggregateId, aggregateVersion, payload. The file is written beside the target and renamed at the end, so a failed export never leaves a truncated file.

The store is only read: it is not frozen (reSolve freezes it and may leave it frozen after an error), and a concurrent writer waits until the export's consistent snapshot has been read.
'@
    Parameters  = @{
        Path      = 'The SQLite store file to export. Relative paths, ~ and PSDrives work.'
        OutFile   = 'Write reSolve''s NDJSON export to this file instead of writing objects to the pipeline. An existing file is replaced (see -NoClobber).'
        NoClobber = 'With -OutFile: fail instead of replacing an existing file.'
    }
    Inputs      = @('System.String (the store path, by property name Path or FullName)')
    Outputs     = @('EventStoreTools.Core.ResolveEvent')
    Notes       = 'Each event has ThreadId, ThreadCounter, Type, Timestamp (ms since epoch), AggregateId, AggregateVersion, Payload (parsed on first use), PayloadJson (the stored text) and Time (UTC). An event whose Payload is not changed is written back byte for byte.'
    Examples    = @(
        @{
            Code    = 'Export-EventStore ./app.db | Import-EventStore ./copy.db'
            Remarks = 'Copies a store: thread ids, counters, versions, timestamps and payload bytes are kept.'
        }
        @{
            Code    = 'Export-EventStore ./app.db -OutFile ./events.db'
            Remarks = 'Writes reSolve''s export format (NDJSON, named events.db in reSolve''s tooling) for reSolve''s importEvents() or Import-EventStore -InFile.'
        }
        @{
            Code    = 'Export-EventStore ./app.db | Where-Object Type -eq ''USER_CREATED'' | Select-Object -First 5 | ForEach-Object { $_.Payload.name }'
            Remarks = 'Filters events in flight and reads a payload field.'
        }
    )
    Links       = @('Import-EventStore')
}
