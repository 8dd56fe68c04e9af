@{
    Synopsis    = 'Commits an incremental import: writes the pushed events the store lacks, in one transaction.'
    Description = @'
Complete-IncrementalImport commits the open incremental import named by -ImportId (reSolve's commitIncrementalImport) in one transaction and closes it:

- A pushed event equal to a stored one on timestamp, aggregateId, type and payload is a duplicate and is skipped. Payloads are compared as JSON values: key order and whitespace do not matter (as reSolve's PostgreSQL adapter compares them; its SQLite adapter compares text). Duplicates among the pushed events themselves are kept, as in reSolve. The rule ignores the version: when the pushed events repeat an event more often than the store holds it (an aggregate's identical events of one millisecond, say its version 1 and 2, into a store holding version 1), the extra copies are skipped too. They are counted in CollapsedRepeatCount, and one warning gives their number and the first of them; if they are distinct events, add them with Import-EventStore -Append, which keeps their versions.
- A pushed event that is not a duplicate and is older than the newest stored event is skipped, and one warning gives the number of such events and the newest stored timestamp. This is what reSolve's documentation says; reSolve's code rejects the whole batch instead. An event whose timestamp equals the newest stored one is imported.
- The other events are written as reSolve's adapter for the store writes them, aggregateVersion continuing each aggregate in (timestamp, push) order. SQLite: threadId = timestamp % 256, threadCounter continuing each thread in that order. PostgreSQL: the events are ranked by (timestamp, push) order, and rank r gets threadId = r % 256 and threadCounter = the thread's largest stored counter + 1 + floor(r / 256); events-threads moves past them.

Re-running an import that was already committed changes nothing: every event is a duplicate. If the commit fails, the store is left unchanged and the pushed events stay, so the commit can be run again (reSolve drops them); Undo-IncrementalImport drops them. The same holds when the commit is stopped with Ctrl+C (its running statement is interrupted and rolled back) or its process is killed.

It writes a summary: store, import id, events pushed, imported, skipped as duplicates (CollapsedRepeatCount of them repeats collapsed into fewer stored copies, the first in FirstCollapsedRepeat), skipped as older, the newest stored time before the commit, and the time taken.
'@
    Parameters  = @{
        Force = 'Commit the import into a frozen store anyway (reSolve''s "events-freeze" marker, set by Set-EventStore -Frozen or a cutover): the command warns, and the store stays frozen. Without -Force a frozen store is refused with CompleteIncrementalImportStoreFrozen (PermissionDenied) before anything is written; unfreeze it with Set-EventStore -Frozen:$false.'
        Path        = 'The SQLite store file holding the open import. Relative paths, ~ and PSDrives work. Wildcards must match one file (several fail with CompleteIncrementalImportAmbiguousPath; a pattern that matches nothing is taken as the name as it is; one that matches a file of another name, such as st[1].db matching st1.db, is refused with CompleteIncrementalImportWildcardMatchedOtherName). Only FileSystem paths are taken (Env:, Variable: and other providers are refused with CompleteIncrementalImportNotAFileSystemPath); blank names and NUL characters are refused with CompleteIncrementalImportInvalidPath.'
        LiteralPath = 'The SQLite store file holding the open import, named exactly: wildcard characters such as [ ] are part of the name. Aliases PSPath and LP.'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string. Use with -Schema.'
        Schema = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with CompleteIncrementalImportAuthenticationFailed (AuthenticationError), an unreachable server with CompleteIncrementalImportConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        ImportId = 'The open import: the session that Start-IncrementalImport or Get-EventStore wrote, or its id string; taken from the pipeline too (a session binds by property name, with its store). Tab completes it with the open import of the store named before it on the line (-Path, -LiteralPath, or -ConnectionString and -Schema).'
    }
    Notes       = @'
Errors: every error ends the command (terminating); on failure the store is unchanged and the pushed events stay. A frozen store is refused with CompleteIncrementalImportStoreFrozen (PermissionDenied) before anything is written, unless -Force; -WhatIf says so. Undo-IncrementalImport works on a frozen store: it drops pending events, not stored ones.
'@
    Examples    = @(
        @{
            Code    = '$import | Complete-IncrementalImport'
            Remarks = 'Commits the import begun with $import = Start-IncrementalImport ./app.db and shows the summary (Complete-IncrementalImport ./app.db -ImportId $import does the same).'
        }
        @{
            Code    = @'
$summary = Complete-IncrementalImport ./app.db -ImportId $id -WarningVariable older
if ($summary.SkippedOlderCount) { Write-Host "$($summary.SkippedOlderCount) events were too old" }
'@
            Remarks = 'Commits and looks at what was skipped.'
        }
        @{
            Code    = 'Start-IncrementalImport ./app.db | ForEach-Object { Import-Csv ./rows.csv | Add-IncrementalImport ./app.db -ImportId $_; Complete-IncrementalImport ./app.db -ImportId $_ -WhatIf }'
            Remarks = 'Shows what the commit would import, skip as duplicates and skip as older, without committing: the pushed events stay, ready for the real commit.'
        }
    )
    Links       = @('Start-IncrementalImport', 'Add-IncrementalImport', 'Undo-IncrementalImport', 'Import-EventStore')
}
