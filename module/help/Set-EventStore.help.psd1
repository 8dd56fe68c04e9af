@{
    Synopsis    = 'Freezes or unfreezes a reSolve event store with reSolve''s own freeze marker.'
    Description = @'
Set-EventStore -Frozen:$true creates reSolve's freeze marker (the "events-freeze" table, as reSolve's freeze() does): reSolve's saveEvent then fails with EventstoreFrozenError instead of writing. On PostgreSQL it returns only after every save that began before the marker has ended. Set-EventStore -Frozen:$false drops the marker, as reSolve's unfreeze() does, so the application can write again: use it to undo a cutover (Sync-EventStore -Cutover leaves the source frozen) or to clear a freeze that an aborted reSolve export or import left behind. Setting the state the store already has changes nothing (-Verbose says so).
'@
    Parameters  = @{
        Path = 'The SQLite store file. Relative paths, ~ and PSDrives work; takes paths from the pipeline by property name. Give -Path or -ConnectionString.'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with SetEventStoreAuthenticationFailed (AuthenticationError), an unreachable server with SetEventStoreConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string. Use with -Schema.'
        Schema = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        Frozen = '$true to freeze the store, $false to unfreeze it.'
        PassThru = 'Write the store''s description (as Get-EventStore does) afterwards.'
    }
    Examples    = @(
        @{
            Code    = 'Set-EventStore ./app.db -Frozen:$false'
            Remarks = 'Unfreezes a store, for instance to undo a cutover and let the application write to it again.'
        }
        @{
            Code    = 'Get-ChildItem ./stores -Filter *.db | Get-EventStore | Where-Object IsFrozen | Set-EventStore -Frozen:$false -WhatIf'
            Remarks = 'Shows which stores that reSolve left frozen would be unfrozen.'
        }
    )
    Links       = @('Sync-EventStore', 'Get-EventStore')
}
