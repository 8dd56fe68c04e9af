@{
    Synopsis    = 'Drops an open incremental import and the events pushed into it.'
    Description = @'
Undo-IncrementalImport drops the open incremental import (reSolve's rollbackIncrementalImport) and every event pushed into it. Events already in the store are never touched.

With -ImportId it drops only that import and fails with "Incremental importId=<id> does not exist" (error id UndoIncrementalImportImportNotFound) when another import, or none, is open. Without -ImportId it drops whatever import is open, as reSolve's rollback does, and warns when none is.

It supports -WhatIf and -Confirm. It does not ask by default (ConfirmImpact Medium): it deletes only events that were never committed, and it is meant for the catch block of unattended scripts, where a prompt would fail.
'@
    Parameters  = @{
        Path        = 'The SQLite store file holding the open import. Relative paths, ~ and PSDrives work. Wildcards must match one file (several fail with UndoIncrementalImportAmbiguousPath; a pattern that matches nothing is taken as the name as it is; one that matches a file of another name, such as st[1].db matching st1.db, is refused with UndoIncrementalImportWildcardMatchedOtherName). Only FileSystem paths are taken (Env:, Variable: and other providers are refused with UndoIncrementalImportNotAFileSystemPath); blank names and NUL characters are refused with UndoIncrementalImportInvalidPath.'
        LiteralPath = 'The SQLite store file holding the open import, named exactly: wildcard characters such as [ ] are part of the name. Aliases PSPath and LP.'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string. Use with -Schema.'
        Schema = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with UndoIncrementalImportAuthenticationFailed (AuthenticationError), an unreachable server with UndoIncrementalImportConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        ImportId = 'The id of the import to drop. Without it, the open import, whatever its id. Tab completes it with the open import of the store named before it on the line (-Path, -LiteralPath, or -ConnectionString and -Schema).'
        PassThru = 'Write an object with the store, the id of the dropped import and the number of pushed events dropped.'
    }
    Examples    = @(
        @{
            Code    = '$import | Undo-IncrementalImport'
            Remarks = 'Drops the import begun with $import = Start-IncrementalImport ./app.db (the session names its store and id; Undo-IncrementalImport ./app.db -ImportId $import does the same).'
        }
        @{
            Code    = 'if ((Get-EventStore ./app.db).HasOpenIncrementalImport) { Undo-IncrementalImport ./app.db -PassThru }'
            Remarks = 'Drops an import left open by a crashed script (or by reSolve) and shows how many events it held.'
        }
        @{
            Code    = 'Get-ChildItem ./stores -Filter *.db | Get-EventStore | Where-Object HasOpenIncrementalImport | ForEach-Object { Undo-IncrementalImport -LiteralPath $_.Store -ImportId $_.IncrementalImportId -PassThru }'
            Remarks = 'Drops the imports left open in every store of a folder (their pushed events only, never stored ones), saying how many events each held.'
        }
    )
    Links       = @('Start-IncrementalImport', 'Add-IncrementalImport', 'Complete-IncrementalImport', 'Get-EventStore')
}
