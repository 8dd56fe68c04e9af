@{
    Synopsis    = 'Freezes or unfreezes a reSolve event store with reSolve''s own freeze marker.'
    Description = @'
Set-EventStore -Frozen creates reSolve's freeze marker (the "events-freeze" table, as reSolve's freeze() does): reSolve's saveEvent then fails with EventstoreFrozenError instead of writing. On PostgreSQL it returns only after every save that began before the marker has ended. Set-EventStore -Frozen:$false drops the marker, as reSolve's unfreeze() does, so the application can write again: use it to undo a cutover (Sync-EventStore -Cutover leaves the source frozen) or to clear a freeze that an aborted reSolve export or import left behind. Setting the state the store already has changes nothing (-Verbose says so).
'@
    Parameters  = @{
        Path = 'The SQLite store file. Relative paths, ~ and PSDrives work; a wildcard must match one file. Give -Path, -LiteralPath or -ConnectionString.'
        LiteralPath = 'The SQLite store file, named exactly: wildcard characters such as [ ] are part of the name. A store object from Get-EventStore or a file from Get-ChildItem binds here by its PSPath (aliases PSPath, LP, FullName).'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with SetEventStoreAuthenticationFailed (AuthenticationError), an unreachable server with SetEventStoreConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string. Use with -Schema.'
        Schema = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        Frozen = 'A switch: -Frozen freezes the store, -Frozen:$false unfreezes it. Required: the command says which state to set.'
        PassThru = 'Write the store''s description (as Get-EventStore does) afterwards.'
    }
    Notes       = @'
Errors: a store that fails (missing, not a store, locked) is a non-terminating error, so that with stores piped in (Get-ChildItem ./stores -Filter *.db | Set-EventStore -Frozen) the others are still set; -ErrorAction Stop or $ErrorActionPreference = 'Stop' end the command there. Terminating: wrong parameters, and every error of a PostgreSQL store (-ConnectionString), the only store of the command then.

A frozen store refuses the writes of these tools too: Import-EventStore (every mode), Start-, Add- and Complete-IncrementalImport and Sync-EventStore into it fail with <Cmdlet>StoreFrozen before writing anything, unless given -Force (which warns; the store stays frozen). Reading it (Export-EventStore, Get-EventStore, Test-EventStore, Compare-EventStore) and Undo-IncrementalImport work.
'@
    Examples    = @(
        @{
            Code    = 'Set-EventStore ./app.db -Frozen:$false'
            Remarks = 'Unfreezes a store, for instance to undo a cutover and let the application write to it again.'
        }
        @{
            Code    = 'Get-ChildItem ./stores -Filter *.db | Get-EventStore | Where-Object IsFrozen | Set-EventStore -Frozen:$false -WhatIf'
            Remarks = 'Shows which stores that reSolve left frozen would be unfrozen.'
        }
        @{
            Code    = 'Set-EventStore ./old.db -Frozen -PassThru | Select-Object Store, IsFrozen, EventCount'
            Remarks = 'Freezes a store that an application must no longer write to (after a migration, for instance) and shows its state; reSolve''s saveEvent then fails with EventstoreFrozenError.'
        }
    )
    Links       = @('Sync-EventStore', 'Get-EventStore')
}
