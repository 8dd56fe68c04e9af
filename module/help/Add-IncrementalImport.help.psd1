@{
    Synopsis    = 'Pushes events from the pipeline into an open incremental import.'
    Description = @'
Add-IncrementalImport stores the events it receives in the open incremental import named by -ImportId (reSolve's pushIncrementalImport), in one transaction: when the command ends, all of its events are stored durably, or, on any error or Ctrl+C, none of them. Several commands, also from other processes, can push into the same import before it is committed; nothing reaches the store's events until Complete-IncrementalImport.

Events are our event objects, PSCustomObjects (ConvertFrom-Json, Import-Csv) or hashtables. As in reSolve, only timestamp, aggregateId, type and payload (or payloadJson) are used: thread ids, counters and versions are given at the commit. A negative timestamp is refused. In a SQLite store each event gets threadId = timestamp % 256, as reSolve's SQLite adapter gives it; in a PostgreSQL store the thread is left empty until the commit, and the push is one binary COPY.

An id that does not name the open import fails with "Incremental importId=<id> does not exist" (error id AddIncrementalImportImportNotFound). An empty pipeline pushes nothing and is not an error.
'@
    Parameters  = @{
        Path        = 'The SQLite store file holding the open import.'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string. Use with -Schema.'
        Schema = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        ImportId    = 'The id that Start-IncrementalImport wrote.'
        InputObject = 'An event from the pipeline: an event object, a PSCustomObject or a hashtable with timestamp, aggregateId, type and payload.'
        PassThru    = 'Write an object with the store, the import id and the number of events pushed.'
    }
    Examples    = @(
        @{
            Code    = 'Get-Content ./new-events.ndjson | ConvertFrom-Json | Add-IncrementalImport ./app.db -ImportId $id'
            Remarks = 'Pushes events given as JSON lines.'
        }
        @{
            Code    = 'Export-EventStore ./other.db | Add-IncrementalImport ./app.db -ImportId $id -PassThru'
            Remarks = 'Pushes every event of another store and shows how many were pushed.'
        }
        @{
            Code    = '@{ timestamp = 1767225600000; aggregateId = ''user-1''; type = ''USER_CREATED''; payload = @{ name = ''Ana'' } } | Add-IncrementalImport ./app.db -ImportId $id'
            Remarks = 'Pushes one event given as a hashtable.'
        }
    )
    Links       = @('Start-IncrementalImport', 'Complete-IncrementalImport', 'Undo-IncrementalImport')
}
