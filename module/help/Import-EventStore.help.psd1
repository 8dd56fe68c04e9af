@{
    Synopsis    = 'Imports events into a reSolve event store from the pipeline or from reSolve''s NDJSON export.'
    Description = @'
-WhatIf is a dry run that says something: the input is read to its end, and the output object (WhatIf = True) tells how many events (and secrets) would be written, and Action what it would do to the store: Created, Appended, Replaced, or Refused (a store with events, without -Append or -Replace, or a refused write). A real import says in Action what it did: Created, Appended or Replaced. With -Incremental the commit is worked out inside a transaction that is rolled back, and the summary gives ImportedCount, SkippedDuplicateCount and SkippedOlderCount. Nothing is written to the store either way.

-InFile and the files of -Directory may be compressed with gzip or zstd, told by their first bytes whatever their names (decompressed while reading, never to a temporary file; zstd's checksums are verified); an empty or frameless .gz/.zst is damaged, not an empty export; bzip2, xz, zip and a SQLite store given as a file are refused with ImportEventStoreUnsupportedInputFormat naming what they are. -InFile - reads standard input. A new store restored from a backup folder is created readable by its owner only (0600), one restored from -InFile never more readable than that file. A backup with a manifest (a folder written by Export-EventStore -Directory, or a file written by -OutFile with <name>.manifest.json beside it) is checked against it as it is read, and a mismatch (a file cut or changed, other counts, time range or cursor, an event outside the export's filters, a file the manifest does not name) fails with ImportEventStoreBackupManifestMismatch (InvalidData) before anything is committed: the target is left as it was. A backup folder without a manifest is imported with a warning that its completeness cannot be proved (a file without one, which may be any NDJSON, with a -Verbose line); one made without the store's secrets with a warning that they are not restored.

Import-EventStore writes events into a reSolve eventstore-lite SQLite store (-Path) or eventstore-postgresql schema (-ConnectionString and -Schema), keeping threadId, threadCounter, timestamp and aggregateVersion exactly as given (as reSolve's importEvents() does). A missing store is created with reSolve's exact schema. Payloads are stored as JSON text, as reSolve stores them.

Events come from the pipeline (the event objects of Export-EventStore at full speed; also PSCustomObjects from ConvertFrom-Json or Import-Csv and hashtables with the fields threadId, threadCounter, timestamp, aggregateId, aggregateVersion, type and payload, or payloadJson) or from -InFile, an NDJSON file with keys in any order.

A new store is built under a temporary name beside the target and moved into place, never over an existing file, only when the import commits: a failed, stopped or killed import leaves no store behind, and of two imports into one new path the first to finish wins while the other fails. A killed import leaves its hidden temporary (.<name>.<id>.importing): the next import into the folder removes it, once no live process holds it, and says so with -Verbose. A symbolic link as the store is written through. An empty input creates an empty store with reSolve's schema when the target is missing. An -InFile, or a -Directory file, that is the store itself is refused with ImportEventStoreOutputIsInput before anything is written.

A failed import (also on a full disk) is rolled back before the command returns: the store file holds every page in use as before, with no journal beside it, so a copy of the file alone is the store as it was.

The import is one transaction: if any event fails (a missing field, a duplicate threadId/threadCounter or aggregateId/aggregateVersion, bad JSON) nothing is written, the store is left exactly as it was and the error names the event or line. A store that already holds events is never wiped silently: by default the import refuses; -Append adds to the stored events (reSolve's manual mode) and -Replace drops them and loads the new ones in the same transaction (reSolve's auto mode, without its window in which the store is empty or frozen).

With -Directory it restores reSolve's backup layout (written by Export-EventStore -Directory or by reSolve's exportEventStore): events.db and secrets.db, both required as in reSolve. The secrets are stored with their idx (as eventstore-lite's importSecrets does), in the same transaction as the events. With -Replace the stored secrets are replaced only when secrets.db holds secrets, as in reSolve: a backup made without secrets never erases them. A secret whose id or idx is already stored fails the import (ImportEventStoreDuplicateSecret).

Progress (Write-Progress) shows the events imported and the rate, then the commit; it is silent when $ProgressPreference is SilentlyContinue.

With -Incremental it is reSolve's incrementalImport in one command: it begins an incremental import, pushes every event from the pipeline or -InFile, and commits, all in one transaction: on any error, Ctrl+C or a killed process the store is left byte for byte as it was, with no import left open. Only timestamp, aggregateId, type and payload of each event are used; duplicates of stored events and events older than the newest stored one are skipped (one warning counts the older ones, another the duplicates that repeat an event more often than the store holds it: CollapsedRepeatCount), and new events get thread ids, counters and versions as reSolve's adapter for the store (SQLite or PostgreSQL) gives them. See Complete-IncrementalImport for the rules. The store must exist, and no other incremental import may be open in it.

It writes one result object: the store (Store), what the import did to it (Action: Created, Appended or Replaced), the events imported (ImportedCount) and held before (PreviousCount), and the time taken (Elapsed); with -Incremental, the summary Complete-IncrementalImport writes.
'@
    Parameters  = @{
        Path        = 'The SQLite store file to import into. It is created when missing. Relative paths, ~ and PSDrives work. Wildcards must match one file (several fail with ImportEventStoreAmbiguousPath; a pattern that matches nothing is taken as the name as it is; one that matches a file of another name, such as st[1].db matching st1.db, is refused with ImportEventStoreWildcardMatchedOtherName). Give -Path, -LiteralPath or -ConnectionString. Only FileSystem paths are taken (Env:, Variable: and other providers are refused with ImportEventStoreNotAFileSystemPath); blank names and NUL characters are refused with ImportEventStoreInvalidPath.'
        LiteralPath = 'The SQLite store file to import into, named exactly: wildcard characters such as [ ] are part of the name. Aliases PSPath and LP. Not taken from the pipeline, which carries the events.'
        ConnectionString = 'Import into a PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string such as ''Host=127.0.0.1;Port=5432;Username=app;Password=...;Database=app''. Use with -Schema. The events are loaded with one binary COPY.'
        Schema      = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option). It and reSolve''s tables are created when missing.'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with ImportEventStoreAuthenticationFailed (AuthenticationError), an unreachable server with ImportEventStoreConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        InputObject = 'An event from the pipeline: an event object, a PSCustomObject or a hashtable.'
        InFile      = 'Read events from this NDJSON file (reSolve''s export format; keys in any order, a UTF-8 BOM and CRLF line ends are accepted), or from a JSON array of the same events (the body an application''s import handler gives reSolve''s incrementalImport; told apart by its first character that is not blank, read one element at a time with constant memory, an error naming the element''s index and byte offset). A gzip or zstd file is decompressed while reading, whatever its name (a truncated or damaged file fails, it never reads as a shorter export); a name ending in .gz or .zst that holds neither (an empty file, plain text) is refused as damaged. bzip2, xz, zip, 7-Zip and lz4 data is refused by its first bytes (ImportEventStoreUnsupportedInputFormat), a file named .br, .lzma, .tar or for another compression without such bytes by its name (ImportEventStoreUnsupportedCompression), and a SQLite store (ImportEventStoreUnsupportedInputFormat, saying to read it with Export-EventStore -Path <store> or copy it with Export-EventStore -Path <store> | Import-EventStore -Path <target>); each error says what to do instead. - reads standard input. When <name>.manifest.json lies beside it, the file is checked against it, and the secrets file it names (Export-EventStore -OutFile -IncludeSecrets) is restored in the same transaction (not with -Incremental, which warns). Wildcards must match one file (several fail with ImportEventStoreAmbiguousPath).'
        Encoding    = 'The charset -InFile is written in, as an application''s import handler decodes a request body in the charset of its content type: PowerShell''s names as Get-Content -Encoding takes them (utf8, unicode for UTF-16 LE, bigendianunicode, utf32, latin1, ascii, ansi, oem; Tab completes them), a charset name (iso-8859-1, windows-1252, utf-16) or a code page number (1252). Default UTF-8. A byte-order mark at the start of the file wins over it. The file is decoded as it is read, with constant memory, and the events stored are exactly those of its UTF-8 form; a byte that is not valid in the charset fails the import before anything is written, with its offset (ImportEventStoreInvalidInput).'
        Directory   = 'Restore a backup folder in reSolve''s layout: events.db (events, NDJSON) and secrets.db (secrets, NDJSON), plain or compressed (events.db.gz, .zst). When the folder has the manifest Export-EventStore -Directory writes, exactly the files it names are read, and they must match it (sizes and SHA-256, counts, time range, cursor, filters) before anything is committed (ImportEventStoreBackupManifestMismatch otherwise); a folder without one (reSolve''s own) is restored with a warning, and refused (ImportEventStoreBackupAmbiguous) when it holds two candidates of a file (events.db beside events.db.gz). Wildcards must match one folder.'
        Append      = 'Add the events to those the store already holds. An event the store already holds (same threadId and threadCounter, or aggregateId and aggregateVersion) fails the import with ImportEventStoreDuplicateEvent, whose message says to use -Incremental instead, which skips the events the store holds.'
        CommitEvery = 'With -Append: commit after every this many events instead of once at the end, so an unbounded input (Export-EventStore -Follow) holds no long transaction. Each commit is atomic; after a failure or Ctrl+C the batches committed before stay and the open one is rolled back. Between batches no transaction or write lock is held. Not with -Incremental or -Directory.'
        CommitInterval = 'With -Append: commit the events received so far once this long (a TimeSpan) has passed since the batch began, also when no further event arrives (sparse input). With -CommitEvery, whichever comes first.'
        Replace     = 'Drop the events the store holds (and its snapshots and subscribers, as reSolve''s import does) and import the new ones, in one transaction; PreviousCount in the result is the number of events dropped. Asks for confirmation, naming the store and how many events, snapshots and subscribers (and, with -Directory, secrets) are dropped, as -WhatIf does, unless -Force or -Confirm:$false; the default answer is No, so Enter alone drops nothing; a session that cannot ask (pwsh -NonInteractive) fails with ImportEventStoreConfirmationRequired, which says to add -Force. An input without events (an empty file, an empty pipeline) over a store that holds events is refused with ImportEventStoreEmptyInputWouldEmptyStore (InvalidData), leaving the store as it was, unless -Force.'
        Force       = 'With -Replace: do not ask for confirmation, empty a store that holds events with an input without events (with a warning), and discard an open incremental import of the store (with a warning that names it); without -Force, -Replace refuses a store with an open import with ImportEventStoreImportAlreadyOpen (ResourceBusy), naming it. In every mode: write into a frozen store (reSolve''s "events-freeze" marker) anyway, with a warning; the store stays frozen (-Replace puts the marker back). Without -Force a frozen store is refused with ImportEventStoreStoreFrozen (PermissionDenied) before anything is written. -Confirm:$false skips the question but overrides neither.'
        Incremental = 'Import only the events the store lacks, as reSolve''s incrementalImport does (begin, push, commit, in one transaction). Not with -Append, -Replace or -Directory.'
        EventType   = 'A partial restore: import only events of these types (exact names, or patterns with * and ?, case-sensitive), as Export-EventStore -EventType selects them. Works with -InFile, -Directory, the pipeline and -Incremental; the result''s FilteredOutCount counts the events left out.'
        AggregateId = 'A partial restore: import only events of these aggregates (exact ids, or patterns with * and ?), as Export-EventStore -AggregateId.'
        Since       = 'A partial restore: import only events at or after this time (inclusive; by default no lower bound). A [DateTimeOffset]: a DateTimeOffset, a DateTime, an ISO-8601 string or milliseconds since 1970-01-01 UTC, read as Export-EventStore -Since reads them (a time without an offset is UTC; milliseconds are kept exactly). A filter that selects nothing imports nothing and warns, naming the filters and how many events were read.'
        Until       = 'A partial restore: import only events at or before this time (inclusive; by default no upper bound), given as for -Since.'
    }
    Notes       = @'
Errors: every error ends the command (terminating): it writes one store, and nothing is written unless the import commits (with -CommitEvery or -CommitInterval, the batches committed before stay). Refused before anything is written: a frozen store (ImportEventStoreStoreFrozen, PermissionDenied) in every mode, and for -Replace an open incremental import (ImportEventStoreImportAlreadyOpen, ResourceBusy), both unless -Force. -WhatIf says so in its message ("refused: the store is frozen") and its result's Action is Refused. With -CommitEvery or -CommitInterval, a store frozen while the import runs ends it before its next batch (ImportEventStoreStoreFrozen), unless -Force.

-Replace keeps the store's frozen state: a frozen store is frozen again after it is replaced.
'@
    Examples    = @(
        @{
            Code    = 'Export-EventStore ./app.db | Import-EventStore ./copy.db'
            Remarks = 'Copies a store into a new file.'
        }
        @{
            Code    = 'Import-EventStore ./restored.db -InFile ./events.db'
            Remarks = 'Loads reSolve''s NDJSON export into a new store.'
        }
        @{
            Code    = 'Import-EventStore ./restored.db -Directory ./backup'
            Remarks = 'Restores a backup made with Export-EventStore -Directory ./backup -IncludeSecrets, secrets included.'
        }
        @{
            Code    = 'Import-EventStore ./app.db -InFile ./new-events.ndjson -Incremental'
            Remarks = 'Adds the events of the file that the store lacks, and shows how many were imported and skipped.'
        }
        @{
            Code    = 'Export-EventStore ./prod.db | Import-EventStore ./dev.db -Incremental'
            Remarks = 'Brings a copy up to date with the events added to the original since; run again, it changes nothing.'
        }
        @{
            Code    = 'Export-EventStore ./app.db | Where-Object Type -ne ''DEBUG_EVENT'' | Import-EventStore ./clean.db -Replace -Force'
            Remarks = 'Rewrites a store without one event type, replacing what clean.db held.'
        }
        @{
            Code    = 'Get-Content ./events.ndjson | ConvertFrom-Json -AsHashtable -DateKind String | Import-EventStore ./app.db -Append'
            Remarks = 'Adds events given as JSON lines to a store that already holds events. -AsHashtable -DateKind String keeps every payload as it was (plain ConvertFrom-Json turns date strings into DateTime and fails on an empty key); -InFile reads the file directly and faster.'
        }
        @{
            Code    = @'
$pg = 'Host=127.0.0.1;Port=5432;Username=app;Database=app'
Export-EventStore ./app.db | Import-EventStore -ConnectionString $pg -Schema app
Export-EventStore -ConnectionString $pg -Schema app | Import-EventStore ./back.db
'@
            Remarks = 'Moves a SQLite store to PostgreSQL (reSolve''s eventstore-postgresql schema, created when missing) and back.'
        }
        @{
            Code    = "Import-EventStore ./restored.db -Directory ./backup -AggregateId 'order-17*' -Since '2026-11-01'"
            Remarks = 'A partial restore: only the events of the orders 17* since November 1st go into a new store.'
        }
        @{
            Code    = 'Import-EventStore ./app.db -InFile ./request-body.json -Encoding windows-1252 -Incremental'
            Remarks = 'Imports the events of a JSON array (the body of a request to an application''s import handler, saved to a file) written in Windows-1252, adding only those the store lacks, exactly as reSolve''s incrementalImport of that array would.'
        }
        @{
            Code    = 'Import-EventStore ./app.db -InFile ./export.ndjson.gz -Incremental -WhatIf'
            Remarks = 'A dry run: reads the whole export and works the incremental import out in a transaction that is rolled back, then says (and outputs) how many events would be imported, skipped as duplicates and skipped as older. The store is left byte for byte as it was.'
        }
        @{
            Code    = 'Import-EventStore -LiteralPath ./tenant[1].db -InFile ./events.ndjson -Verbose'
            Remarks = 'Imports into a store whose name holds wildcard characters, and tells each step (store opened, mode, events written, indexes, commit, rename of the new store) with counts and times.'
        }
        @{
            Code    = 'Export-EventStore ./app.db -Follow | Import-EventStore ./follower.db -Append -CommitEvery 500 -CommitInterval 00:00:05'
            Remarks = 'Appends the events of a live store as they come, committing every 500 events, or every 5 seconds when events are sparse.'
        }
    )
    Links       = @('Export-EventStore', 'Get-EventStore', 'Compare-EventStore')
}
