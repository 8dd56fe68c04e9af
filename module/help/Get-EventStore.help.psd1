@{
    Synopsis    = 'Tells what a reSolve event store holds: counts, time range, freeze flag, open incremental import and latest cursor.'
    Description = @'
Get-EventStore opens a reSolve eventstore-lite SQLite store read-only and writes one object describing it, like reSolve's describe({ calculateCursor: true }):

- EventCount, SecretCount (secrets with a value) and DeletedSecretCount;
- FirstTimestamp and LastTimestamp (ms since epoch) and FirstEventTime and LastEventTime (UTC), empty for an empty store;
- IsFrozen: whether reSolve's freeze marker table ("events-freeze") exists; reSolve refuses new events while it does, and an export or import that reSolve aborted can leave it behind;
- IncrementalImportId and HasOpenIncrementalImport: an incremental import that was begun and neither committed nor rolled back (the "events-incremental-import" table);
- LatestCursor: the cursor after the newest event of every thread (max(threadCounter)+1 per thread). Export-EventStore -Cursor with it reads only events added later.

Paths come as arguments or from the pipeline (Get-ChildItem *.db | Get-EventStore); a file that is not a store is reported as an error and the next one is read.
'@
    Parameters  = @{
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string. Use with -Schema. The cursor is the store''s events-threads table, as reSolve''s PostgreSQL describe() gives it.'
        Schema      = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        Path = 'The SQLite store file to describe. Relative paths, ~ and PSDrives work; takes paths and FileInfo objects from the pipeline.'
    }
    Examples    = @(
        @{
            Code    = 'Get-EventStore ./app.db'
            Remarks = 'Shows the event and secret counts, the time range, whether the store is frozen or has an open incremental import, and the start of the latest cursor.'
        }
        @{
            Code    = @'
$cursor = (Get-EventStore ./app.db).LatestCursor.ToString()
# ... later: only the events written since
Export-EventStore ./app.db -Cursor $cursor
'@
            Remarks = 'Remembers where the store ends now and later exports only the newer events.'
        }
        @{
            Code    = 'Get-ChildItem ./stores -Filter *.db | Get-EventStore | Where-Object IsFrozen'
            Remarks = 'Lists the stores that reSolve left frozen.'
        }
    )
    Links       = @('Export-EventStore', 'Compare-EventStore')
}
