@{
    Synopsis    = 'Begins an incremental import into a reSolve event store and writes it as a session object (store, import id, start time).'
    Description = @'
Start-IncrementalImport begins an incremental import (reSolve's beginIncrementalImport) in an existing eventstore-lite SQLite store (-Path) or eventstore-postgresql schema (-ConnectionString and -Schema) and writes it as an IncrementalImportSession: Store, ImportId (a string in reSolve's format) and StartedAt (the time the id carries). Push events into it with Add-IncrementalImport (from one or several commands or processes), then commit it with Complete-IncrementalImport or drop it with Undo-IncrementalImport. The three take the session from the pipeline by property name (its ImportId, and the store by PSPath, or ConnectionString and Schema), or with -ImportId, which takes the session or its id string alike (the session's text is its id). The session can be resumed from another PowerShell process with the id alone, as reSolve's can.

The import lives in reSolve's own table "events-incremental-import", which carries the id as reSolve writes it (in SQLite a comment in the table's SQL, in PostgreSQL the table's COMMENT), so reSolve sees an import begun here and the other way round. Only one import can be open in a store: a second start fails with "Previous incremental import is not finished" and names the open import (error id StartIncrementalImportImportAlreadyOpen). Get-EventStore shows the open import as such a session (its IncrementalImport property).

The store must exist and be a reSolve event store; an incremental import never creates one (use Import-EventStore for that).
'@
    Parameters  = @{
        Force = 'Start the import into a frozen store anyway (reSolve''s "events-freeze" marker, set by Set-EventStore -Frozen or a cutover): the command warns, and the store stays frozen. Without -Force a frozen store is refused with StartIncrementalImportStoreFrozen (PermissionDenied) before anything is written; unfreeze it with Set-EventStore -Frozen:$false.'
        Path = 'The SQLite store file. Relative paths, ~ and PSDrives work; Wildcards must match one file (several fail with StartIncrementalImportAmbiguousPath; a pattern that matches nothing is taken as the name as it is; one that matches a file of another name, such as st[1].db matching st1.db, is refused with StartIncrementalImportWildcardMatchedOtherName). Only FileSystem paths are taken (Env:, Variable: and other providers are refused with StartIncrementalImportNotAFileSystemPath); blank names and NUL characters are refused with StartIncrementalImportInvalidPath.'
        LiteralPath = 'The SQLite store file, named exactly: wildcard characters such as [ ] are part of the name. A store object from Get-EventStore or a file from Get-ChildItem binds here by its PSPath (aliases PSPath, LP, FullName).'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string. Use with -Schema.'
        Schema = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with StartIncrementalImportAuthenticationFailed (AuthenticationError), an unreachable server with StartIncrementalImportConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
    }
    Notes       = @'
Errors: a store that fails (missing, not a store, frozen: StartIncrementalImportStoreFrozen, an import already open: StartIncrementalImportImportAlreadyOpen) is a non-terminating error, so that with stores piped in the others still get their import; -ErrorAction Stop or $ErrorActionPreference = 'Stop' end the command there, SilentlyContinue and Ignore go on without showing it. Terminating: wrong parameters (no store, a path and a connection string, a wildcard that matches several files), the same store on both sides of one pipeline (StartIncrementalImportStoreInUseByPipeline), and every error of a PostgreSQL store (-ConnectionString), the only store of the command then.

-WhatIf and -Confirm say when the store is frozen ("refused: the store is frozen").
'@
    Examples    = @(
        @{
            Code    = '$import = Start-IncrementalImport ./app.db'
            Remarks = 'Begins an import and keeps the session for Add-IncrementalImport, Complete-IncrementalImport and Undo-IncrementalImport.'
        }
        @{
            Code    = 'Start-IncrementalImport ./app.db | Add-IncrementalImport -InputObject (Import-Csv ./rows.csv) -PassThru | Complete-IncrementalImport'
            Remarks = 'Begin, push and commit in one pipeline: each step binds the session the step before it writes.'
        }
        @{
            Code    = @'
$import = Start-IncrementalImport ./app.db
try {
    Get-Content ./new-events.ndjson | ConvertFrom-Json -AsHashtable -DateKind String | Add-IncrementalImport ./app.db -ImportId $import
    $import | Complete-IncrementalImport
}
catch {
    $import | Undo-IncrementalImport
    throw
}
'@
            Remarks = 'The whole begin/push/commit pattern: on any error the pushed events are dropped.'
        }
        @{
            Code    = @'
$pg = 'Host=127.0.0.1;Port=5432;Username=app;Database=app'
$import = Start-IncrementalImport -ConnectionString $pg -Schema app
Export-EventStore ./new.db | Add-IncrementalImport -ConnectionString $pg -Schema app -ImportId $import
$import | Complete-IncrementalImport
'@
            Remarks = 'The same steps on a PostgreSQL store (reSolve''s eventstore-postgresql schema "app"); new events get thread ids and counters as reSolve''s PostgreSQL adapter gives them.'
        }
    )
    Links       = @('Add-IncrementalImport', 'Complete-IncrementalImport', 'Undo-IncrementalImport', 'Import-EventStore', 'Get-EventStore')
}
