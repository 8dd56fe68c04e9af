@{
    Synopsis    = 'Checks a reSolve event store or a backup without restoring it: integrity, schema, thread counters, aggregate versions, payloads, read order, secrets and backup manifests.'
    Description = @'
Test-EventStore reads a store or a backup and writes one result per store. It never writes to what it checks. What it looks at is decided by the content, not the name:

- a SQLite file (eventstore-lite): SQLite's PRAGMA integrity_check, then the tables and indexes against reSolve's DDL (columns, types, NOT NULL, keys and index columns), then every event and secret;
- a PostgreSQL schema (-ConnectionString and -Schema): the catalog (no invalid index, every thread's next counter in "events-threads" past its stored events), the tables and indexes against reSolve's DDL (created in a scratch schema inside a transaction that is rolled back), then every event and secret;
- an NDJSON export, plain, .gz or .zst, or standard input (-): every line is a valid event, the lines are in reSolve's read order (timestamp, threadCounter, threadId); with the manifest Export-EventStore -OutFile writes beside it (<name>.manifest.json), also the secrets file it names and everything the manifest records, as for a folder;
- a backup folder (events.db and secrets.db, compressed or not): exactly the files the folder's manifest names, read once: each file's size and SHA-256, the event and secret counts, first and last timestamp, the cursor after the events and the filters the export was made with, all against the manifest; a manifest that does not name every file read is a problem. Without a manifest, events.db and secrets.db are found by extension (two of a kind, such as events.db beside events.db.gz, are a problem: which is the backup cannot be told).

A backup without a manifest (reSolve's own, an older export) gets a note that its completeness cannot be proved.

For every kind, reading every event checks each thread's threadCounter and each aggregate's aggregateVersion, each thread's timestamps in counter order, and every payload. Secrets must have an id, and ids and idx must not repeat.

Problems (IsValid is False) are what breaks reSolve or a reader:
- Integrity, Schema, Catalog: the engine's own check, the tables and indexes against reSolve's DDL;
- ThreadId, ThreadCounter, AggregateVersion: a threadId outside 0-255, a counter below 0 or there twice, a version below 1 or there twice;
- ThreadTimestamps: a thread whose timestamps decrease as its threadCounter grows (named with both counters and timestamps). reSolve's cursor assumes they never do, and a read after a cursor skips events of such a thread;
- Payload, Line, ReadOrder: a payload that is not JSON, an NDJSON line that is not an event, lines out of reSolve's read order;
- Secret, Manifest, Files, Read: a bad secret, a backup that does not match its manifest, a missing file, a file that cannot be read to its end (a truncated .gz).

Notes (IsValid stays True) are worth knowing but not wrong: the freeze marker, an open incremental import, a backup folder without manifest, what -Quick did not read, and threads whose threadCounter does not run from 0 without a gap or aggregates whose aggregateVersion does not run from 1 without a gap, counted (IncompleteThreadCount, IncompleteAggregateCount). A store alone cannot tell those gaps in a subset (Export-EventStore -AggregateId, -EventType or -Since, the second part of an export resumed with -Cursor, a partial restore) from rows deleted from a whole store. -Complete, for a store that must be whole, makes each such thread and aggregate a problem (ThreadCounter, AggregateVersion, naming the first missing counter or version).

The result has IsValid, EventCount, SecretCount, ThreadCount, AggregateCount, IncompleteThreadCount, IncompleteAggregateCount, FirstTimestamp and LastTimestamp, IsFrozen and OpenIncrementalImportId (reported, not problems), Quick, Complete, Notes, ProblemCount and Problems: each problem names its check and, where it has one, the event's ThreadId and ThreadCounter, the AggregateId and AggregateVersion, or the LineNumber. At most 1000 problems are listed; ProblemCount counts all.

-Quick skips what reads every event: SQLite runs PRAGMA quick_check (which does not match indexes to rows) and the schema comparison, PostgreSQL the catalog's index check and the schema, an NDJSON export reads only its first line, and a backup folder's files are compared with the manifest by size instead of by hash. A quick result says in a note what it did not read: a truncated .gz, a flipped byte, a deleted row or a thread going back in time is not found by -Quick.

Problems are output, not errors, so scripts and Pester test the result: (Test-EventStore ./app.db).IsValid | Should -BeTrue. A path that does not exist is an error (TestEventStoreStoreNotFound), and the next path piped in is still checked.
'@
    Parameters  = @{
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with TestEventStoreAuthenticationFailed (AuthenticationError), an unreachable server with TestEventStoreConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        Path             = 'The store files, NDJSON exports or backup folders to check ("-" for standard input); * and ? match several, and each match is checked (a pattern that matches nothing is a TestEventStoreStoreNotFound error). Relative paths, ~ and PSDrives work; takes path strings from the pipeline.'
        LiteralPath      = 'Stores, exports or backup folders named exactly: wildcard characters such as [ ] are part of the name. Aliases PSPath, LP and FullName; Get-ChildItem''s output binds here, so Get-ChildItem ./backups | Test-EventStore checks each item.'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a path: an Npgsql connection string. Use with -Schema.'
        Schema           = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        Quick            = 'Skip the checks that read every event (see the description): a fast check of the structure, the counts and the markers. A note says what was not read.'
        Complete         = 'The store must be whole (a live store, a full backup): threads whose threadCounter does not run from 0 without a gap and aggregates whose aggregateVersion does not run from 1 without a gap are problems instead of a note. Without it a filtered or resumed export, or a partial restore, tests valid.'
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
            Code    = 'Test-EventStore ./app.db -Complete'
            Remarks = 'Checks the live store as a whole store: a row deleted from the middle of a thread or an aggregate is a problem, not only a note.'
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
