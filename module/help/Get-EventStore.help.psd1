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
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with GetEventStoreAuthenticationFailed (AuthenticationError), an unreachable server with GetEventStoreConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        Path = 'The SQLite store files to describe, one or more (Get-EventStore a.db, b.db). Wildcards are expanded (Get-EventStore ./*.db); a pattern that matches nothing is reported as GetEventStoreStoreNotFound and the next path is read. Relative paths, ~ and PSDrives work; takes strings from the pipeline. Only FileSystem paths are taken (Env:, Variable: and other providers are refused with GetEventStoreNotAFileSystemPath); blank names and NUL characters are refused with GetEventStoreInvalidPath.'
        LiteralPath = 'The SQLite store files to describe, named exactly: wildcard characters such as [ ] are part of the name. Aliases PSPath and LP; Get-ChildItem''s output binds here (by PSPath), so Get-ChildItem -Filter *.db | Get-EventStore works.'
    }
    Examples    = @(
        @{
            Code    = 'Get-EventStore ./app.db'
            Remarks = 'Shows the event and secret counts, the time range, whether the store is frozen or has an open incremental import, and the start of the latest cursor.'
        }
        @{
            Code    = 'Get-EventStore ./stores/*.db, ./archive.db | Format-Table'
            Remarks = 'Describes several stores, wildcards expanded, as a table (without the cursor).'
        }
        @{
            Code    = 'Get-ChildItem ./stores -Filter *.db | Get-EventStore | Where-Object IsFrozen'
            Remarks = 'Lists the stores that reSolve left frozen.'
        }
        @{
            Code    = @'
$cursor = (Get-EventStore ./app.db).LatestCursor.ToString()
# ... later: only the events written since
Export-EventStore ./app.db -Cursor $cursor
'@
            Remarks = 'Remembers where the store ends now and later exports only the newer events.'
        }
    )
    Links       = @('Export-EventStore', 'Compare-EventStore')
}
