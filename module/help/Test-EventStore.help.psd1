@{
    Synopsis    = 'Checks a reSolve event store or a backup without restoring it: integrity, schema, thread counters, aggregate versions, payloads, read order, secrets and backup manifests.'
    Description = @'
Test-EventStore reads a store or a backup and writes one result per store. It never writes to what it checks. What it looks at is decided by the content, not the name:

- a SQLite file (eventstore-lite): SQLite's PRAGMA integrity_check, then the tables and indexes against reSolve's DDL (columns, types, NOT NULL, keys and index columns), then every event and secret;
- a PostgreSQL schema (-ConnectionString and -Schema): the catalog (no invalid index, every thread's next counter in "events-threads" past its stored events), the tables and indexes against reSolve's DDL (created in a scratch schema inside a transaction that is rolled back), then every event and secret;
- an NDJSON export, plain, .gz or .zst, or standard input (-): every line is a valid event, the lines are in reSolve's read order (timestamp, threadCounter, threadId); with the manifest Export-EventStore -OutFile writes beside it (<name>.manifest.json), also the secrets file it names and everything the manifest records, as for a folder;
- a backup folder (events.db and secrets.db, compressed or not): exactly the files the folder's manifest names, read once: each file's size and SHA-256, the event and secret counts, first and last timestamp, the cursor after the events and the filters the export was made with, all against the manifest; a manifest that does not name every file read is a problem. Without a manifest, events.db and secrets.db are found by extension (two of a kind, such as events.db beside events.db.gz, are a problem: which is the backup cannot be told).

A backup without a manifest (reSolve's own, an older export) gets a note that its completeness cannot be proved.

For every kind, reading every event checks that each thread's threadCounter runs from 0 without gap or repeat, each aggregate's aggregateVersion from 1 without gap or repeat, and every payload is valid JSON. Secrets must have an id, and ids and idx must not repeat.

The result has IsValid, EventCount, SecretCount, ThreadCount, AggregateCount, FirstTimestamp and LastTimestamp, IsFrozen and OpenIncrementalImportId (reported, not problems), Notes, ProblemCount and Problems: each problem names its check (Integrity, Schema, Catalog, ThreadCounter, AggregateVersion, Payload, Line, ReadOrder, Secret, Manifest, Files, Read) and, where it has one, the event's ThreadId and ThreadCounter, the AggregateId and AggregateVersion, or the LineNumber. At most 1000 problems are listed; ProblemCount counts all.

-Quick skips what reads every event: SQLite runs PRAGMA quick_check (which does not match indexes to rows) and the schema comparison, PostgreSQL the catalog's index check and the schema, an NDJSON export reads only its first line, and a backup folder's files are compared with the manifest by size instead of by hash.

Problems are output, not errors, so scripts and Pester test the result: (Test-EventStore ./app.db).IsValid | Should -BeTrue. A path that does not exist is an error (TestEventStoreStoreNotFound), and the next path piped in is still checked.
'@
    Parameters  = @{
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with TestEventStoreAuthenticationFailed (AuthenticationError), an unreachable server with TestEventStoreConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        Path             = 'The store files, NDJSON exports or backup folders to check ("-" for standard input); * and ? match several, and each match is checked (a pattern that matches nothing is a TestEventStoreStoreNotFound error). Relative paths, ~ and PSDrives work; takes path strings from the pipeline.'
        LiteralPath      = 'Stores, exports or backup folders named exactly: wildcard characters such as [ ] are part of the name. Aliases PSPath, LP and FullName; Get-ChildItem''s output binds here, so Get-ChildItem ./backups | Test-EventStore checks each item.'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a path: an Npgsql connection string. Use with -Schema.'
        Schema           = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        Quick            = 'Skip the checks that read every event (see the description): a fast check of the structure, the counts and the markers.'
    }
    Examples    = @(
        @{
            Code    = 'Test-EventStore ./app.db'
            Remarks = 'Checks the SQLite store: IsValid is True when SQLite''s integrity check, the schema and every event and secret are fine; otherwise Problems says what and where.'
        }
        @{
            Code    = @'
Export-EventStore ./app.db -Directory ./backup/2026-12-03 -IncludeSecrets
if (-not (Test-EventStore ./backup/2026-12-03).IsValid) { throw 'The backup is not good' }
'@
            Remarks = 'Writes tonight''s backup folder and proves it (manifest hashes, every line, read order, counters and versions) without restoring it.'
        }
        @{
            Code    = 'Get-ChildItem ./backups -Filter *.ndjson.gz | Test-EventStore | Where-Object { -not $_.IsValid } | Select-Object Store -ExpandProperty Problems'
            Remarks = 'Lists the problems of every compressed export that is not valid.'
        }
        @{
            Code    = 'Test-EventStore -ConnectionString ''Host=db;Username=app'' -Schema app -Quick'
            Remarks = 'Checks a PostgreSQL store''s catalog and schema and reports its counts, an open incremental import or a freeze marker, without reading every event.'
        }
    )
    Links       = @('Export-EventStore', 'Import-EventStore', 'Compare-EventStore', 'Get-EventStore')
}
