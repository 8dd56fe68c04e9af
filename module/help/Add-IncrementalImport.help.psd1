@{
    Synopsis    = 'Pushes events from the pipeline into an open incremental import.'
    Description = @'
Add-IncrementalImport stores the events it receives in the open incremental import named by -ImportId (reSolve's pushIncrementalImport), in one transaction: when the command ends, all of its events are stored durably, or, on any error or Ctrl+C, none of them. Several commands, also from other processes, can push into the same import before it is committed; nothing reaches the store's events until Complete-IncrementalImport.

Events are our event objects, PSCustomObjects (ConvertFrom-Json, Import-Csv) or hashtables. As in reSolve, only timestamp, aggregateId, type and payload (or payloadJson) are used: thread ids, counters and versions are given at the commit. A negative timestamp is refused. In a SQLite store each event gets threadId = timestamp % 256, as reSolve's SQLite adapter gives it; in a PostgreSQL store the thread is left empty until the commit, and the push is one binary COPY.

An id that does not name the open import fails with "Incremental importId=<id> does not exist" (error id AddIncrementalImportImportNotFound). An empty pipeline pushes nothing and is not an error.
'@
    Parameters  = @{
        Force = 'Push the events into a frozen store anyway (reSolve''s "events-freeze" marker, set by Set-EventStore -Frozen or a cutover): the command warns, and the store stays frozen. Without -Force a frozen store is refused with AddIncrementalImportStoreFrozen (PermissionDenied) before anything is written; unfreeze it with Set-EventStore -Frozen:$false.'
        Path        = 'The SQLite store file holding the open import. Relative paths, ~ and PSDrives work. Wildcards must match one file (several fail with AddIncrementalImportAmbiguousPath; a pattern that matches nothing is taken as the name as it is; one that matches a file of another name, such as st[1].db matching st1.db, is refused with AddIncrementalImportWildcardMatchedOtherName). Only FileSystem paths are taken (Env:, Variable: and other providers are refused with AddIncrementalImportNotAFileSystemPath); blank names and NUL characters are refused with AddIncrementalImportInvalidPath.'
        LiteralPath = 'The SQLite store file holding the open import, named exactly: wildcard characters such as [ ] are part of the name. Aliases PSPath and LP.'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string. Use with -Schema.'
        Schema = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with AddIncrementalImportAuthenticationFailed (AuthenticationError), an unreachable server with AddIncrementalImportConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        ImportId    = 'The open import: the session that Start-IncrementalImport wrote (bound from the pipeline by property name) or its id string. Tab completes it with the open import of the store named before it on the line (-Path, -LiteralPath, or -ConnectionString and -Schema).'
        InputObject = 'An event from the pipeline: an event object, a PSCustomObject or a hashtable with timestamp, aggregateId, type and payload. Given as a parameter (when a session comes through the pipeline), it takes an array of events, pushed in order.'
        PassThru    = 'Write an object with the store, the import id and the number of events pushed.'
    }
    Notes       = @'
Errors: every error ends the command (terminating): it pushes into one store in one transaction, and nothing of the push is kept. A frozen store is refused with AddIncrementalImportStoreFrozen (PermissionDenied) before anything is pushed, unless -Force; -WhatIf says so.
'@
    Examples    = @(
        @{
            Code    = 'Get-Content ./new-events.ndjson | ConvertFrom-Json -AsHashtable -DateKind String | Add-IncrementalImport ./app.db -ImportId $id'
            Remarks = 'Pushes events given as JSON lines. -AsHashtable -DateKind String keeps every payload as it was: plain ConvertFrom-Json turns date strings into DateTime (written back with milliseconds, so the events no longer match their stored duplicates) and fails on an empty key.'
        }
        @{
            Code    = 'Export-EventStore ./other.db | Add-IncrementalImport ./app.db -ImportId $id -PassThru'
            Remarks = 'Pushes every event of another store and shows how many were pushed.'
        }
        @{
            Code    = 'Start-IncrementalImport ./app.db | Add-IncrementalImport -InputObject (Import-Csv ./rows.csv) -PassThru | Complete-IncrementalImport'
            Remarks = 'Takes the session of Start-IncrementalImport from the pipeline (its store and ImportId by property name), with the events given as -InputObject, and passes its result on to Complete-IncrementalImport.'
        }
        @{
            Code    = '@{ timestamp = 1767225600000; aggregateId = ''user-1''; type = ''USER_CREATED''; payload = @{ name = ''Ana'' } } | Add-IncrementalImport ./app.db -ImportId $id'
            Remarks = 'Pushes one event given as a hashtable.'
        }
    )
    Links       = @('Start-IncrementalImport', 'Complete-IncrementalImport', 'Undo-IncrementalImport')
}
