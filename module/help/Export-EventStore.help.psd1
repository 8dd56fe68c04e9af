@{
    Synopsis    = 'Exports the events of a reSolve event store, as objects, as reSolve''s NDJSON export or as a backup folder with secrets; filtered and resumable.'
    Description = @'
Export-EventStore reads every event of a reSolve eventstore-lite SQLite store (-Path) or eventstore-postgresql schema (-ConnectionString and -Schema) in reSolve's read order (timestamp, threadCounter, threadId) with one ordered, streaming query, and writes one typed event object at a time to the pipeline. Memory stays flat however large the store is.

With -OutFile it writes the NDJSON that reSolve's exportEvents() writes, byte for byte: one JSON.stringify(event) per line, keys in the order threadCounter, threadId, type, timestamp, aggregateId, aggregateVersion, payload. The file is written beside the target under its own hidden temporary name (.<name>.<id>.exporting) and renamed at the end, so a failed export never leaves a truncated file and two exports to one path never mix; a file that another process wrote, replaced or created while the export ran is left as it is and the export fails with ExportEventStoreOutputChanged. A symbolic link is written through: the file it points to is replaced, the link stays. Beside the file goes its manifest, <name>.manifest.json (counts, first and last timestamp, cursor, filters, what became of the store's secrets, size and SHA-256 of each file), and with -IncludeSecrets the secrets file (app.ndjson.zst: app.ndjson.secrets.zst); all are replaced together, so the NDJSON stays byte for byte reSolve's export. An output that is the store itself (however the path is spelled: .., links, letter case) is refused with ExportEventStoreOutputIsInput before anything is written.

Payloads come out as reSolve exports them: JSON.stringify(JSON.parse(stored text)), so text another tool stored (extra spaces, 1.0, duplicate keys, array-index keys such as "10" after other keys) and PostgreSQL's JSONB text are written in JavaScript's canonical form. A stored payload that is not JSON fails with ExportEventStoreCorruptPayload, and a threadId, threadCounter, timestamp or aggregateVersion that the store holds as something other than a whole number (reSolve's saveEvent lets an aggregateVersion of 1.5 through) fails with ExportEventStoreUnsupportedStoredValue rather than being changed; both are InvalidData errors that name the event's threadId and threadCounter, on every kind of output.

Filters run in the store's query, not in PowerShell: -EventType and -AggregateId (exact values or patterns with * and ?, case-sensitive), -Since and -Until (inclusive times: a DateTimeOffset, a DateTime, an ISO-8601 string or milliseconds since 1970-01-01 UTC; a time without an offset is taken as UTC), -First. Tab completion offers the event types and aggregate ids of the store given in -Path.

-Cursor resumes after a previous export, and -CursorVariable sets a variable in the caller's scope to the cursor after the last exported event. Both use reSolve's cursor format (256 thread counters, 6 bytes big-endian each, base64, 2048 characters): a cursor from reSolve's exportEvents() resumes here, and ours resumes in reSolve. Exporting with -First and then with the cursor gives the same events, in the same order, as one export. A malformed cursor fails with ExportEventStoreInvalidCursor.

The cursor relies on reSolve's invariant that timestamps never decrease within a thread as its threadCounter grows. An export with -Cursor, -CursorVariable or -Follow checks it on what it reads: a thread read out of counter order, or a read that stops (-First, a page of -Follow) with an event of a thread below the cursor it would hand out still unread, fails with ExportEventStoreThreadTimestampsDecrease (InvalidData), naming the thread, both counters and their timestamps, instead of handing out a cursor that would skip that event. -OutFile and -Directory then write nothing, and the -CursorVariable variable keeps what it held. Test-EventStore lists every such thread; an export without -Cursor, -CursorVariable and -First reads every event whatever a thread's order.

-Directory writes reSolve's backup layout (what reSolve's exportEventStore and module-admin write): events.db (the NDJSON export) and secrets.db (the secrets, one {"secret","id","idx"} line each, without deleted secrets). Secrets are sensitive, so secrets.db holds them only with -IncludeSecrets; without it the file is written empty, so that reSolve's importer, which requires both files, still accepts the folder. Import-EventStore -Directory restores it. The two files replace the folder's old pair together: both are written beside, then the old ones are moved aside, the new ones in, and the old ones deleted; any failure (a full disk, Ctrl+C, an error) leaves the old pair as it was. A folder holds one backup: the files of another compression (yesterday's events.db beside today's events.db.gz) are removed in the same swap, and a symbolic link planted as events.db, secrets.db or the manifest is replaced, never written through. An export that leaves the store's secrets out warns with their number.

The store is only read: it is not frozen (reSolve freezes it and may leave it frozen after an error). A SQLite store is read in short pages, each its own read transaction, so a concurrent writer waits for one page at most (about 50 ms), not for the whole export; what it adds meanwhile is exported or not per thread, never half, and the cursor after the export resumes exactly with the rest. A store whose events table is not reSolve's is refused (NotAnEventStore), and so is exporting a store into an import of the same store in one pipeline (StoreInUseByPipeline).
'@
    Parameters  = @{
        Path      = 'The SQLite store files to export, one or more, in the order given; wildcards are expanded (Export-EventStore ./*.db). Relative paths, ~ and PSDrives work. To the pipeline the events of each store follow each other; -OutFile and -Directory take one store, and several (by -Path, wildcards or the pipeline) are refused with ExportEventStoreSeveralStores before anything is written, as are several stores with -Cursor or -CursorVariable. Give -Path, -LiteralPath or -ConnectionString. Only FileSystem paths are taken (Env:, Variable: and other providers are refused with ExportEventStoreNotAFileSystemPath); blank names and NUL characters are refused with ExportEventStoreInvalidPath.'
        LiteralPath = 'The SQLite store files to export, named exactly: wildcard characters such as [ ] are part of the name. Aliases PSPath and LP; Get-ChildItem''s output binds here (by PSPath).'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string such as ''Host=127.0.0.1;Port=5432;Username=app;Password=...;Database=app''. Use with -Schema.'
        Schema    = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with ExportEventStoreAuthenticationFailed (AuthenticationError), an unreachable server with ExportEventStoreConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        OutFile   = 'Write reSolve''s NDJSON export to this file instead of writing objects to the pipeline. An existing file is replaced as a whole once the export is complete (see -NoClobber) when it is an earlier export of ours; any other file, a SQLite store above all, is refused with ExportEventStoreOutputNotOurs unless -Force; a symbolic link is followed, so the file it points to is replaced and the link stays. The store itself is refused. Wildcards must match one file (several fail with ExportEventStoreAmbiguousPath; a pattern that matches nothing is taken as the name as it is; one that matches a file of another name, such as st[1].db matching st1.db, is refused with ExportEventStoreWildcardMatchedOtherName). Escape wildcard characters with a backtick to name a file that contains them. A name ending in .gz writes gzip, .zst Zstandard (every frame with its content checksum), compressed while writing (no temporary plain copy); the file decompresses to exactly the bytes of the plain export. A name of a compression the module does not write (.bz2, .xz, .zip, .tgz, .gzip, .zstd and the like) is refused with ExportEventStoreUnsupportedCompression before anything is written, rather than given plain NDJSON. The new file is never more readable than the file it replaces (a 0600 export stays 0600, and replaced by root keeps its owner). - writes the NDJSON to the process''s standard output (nothing else goes there, progress neither), for pwsh -c ''Export-EventStore app.db -OutFile -'' | gzip | ssh ...'
        Compression = 'With -Directory: None (default: events.db and secrets.db, which reSolve''s importer reads), GZip (events.db.gz, secrets.db.gz) or Zstandard (events.db.zst, secrets.db.zst). Import-EventStore -Directory and Test-EventStore read all three.'
        CompressionLevel = 'How hard a compressed -OutFile or -Directory -Compression compresses: Optimal (default), Fastest, SmallestSize or NoCompression, as Compress-Archive names them. For Zstandard these are its levels 3, 1, 19 and 1.'
        NoClobber = 'With -OutFile or -Directory: fail instead of replacing an existing file.'
        Force = 'With -OutFile or -Directory: replace an existing file that is not an export or backup of EventStoreTools. Without it such a file (a SQLite database, such as a store named by mistake, or any file that is neither empty, gzip, zstd, NDJSON whose first line is an event or a secret, nor a manifest of ours) is refused with ExportEventStoreOutputNotOurs before anything is written. An earlier export of ours is replaced without -Force.'
        Directory = 'Write reSolve''s backup layout into this folder (created when missing): events.db and secrets.db, both NDJSON, and eventstoretools-manifest.json (event and secret counts, first and last timestamp, the cursor after the last event, the size and SHA-256 of each file, the tool''s version). The manifest also records the filters and start cursor of the export and whether the store''s secrets were included (secretsIncluded, sourceSecretCount). reSolve''s importer ignores the manifest; Import-EventStore -Directory and Test-EventStore read exactly the files it names and refuse a folder whose files or content (counts, time range, cursor) do not match it. The files replace the folder''s old ones together, and the files of another -Compression are removed; a folder that holds the store as events.db or secrets.db is refused, and one whose events.db or secrets.db is not an export of ours (a SQLite store, any other file) is refused with ExportEventStoreOutputNotOurs unless -Force. Wildcards must match one folder.'
        IncludeSecrets = 'Write the store''s secrets (those not deleted, with their idx): with -Directory into secrets.db (without it secrets.db is written empty), with -OutFile into a file beside it named like it with .secrets before the compression extension (app.ndjson.zst: app.ndjson.secrets.zst), compressed like it; Import-EventStore -InFile restores them. Not with -OutFile - (standard output carries only the events: ExportEventStoreSecretsToStandardOutput). Without it, a store that has secrets gets a warning with their number, and the manifest says they were left out.'
        Cursor = 'Resume after a previous export: a cursor in reSolve''s format (2048 base64 characters), from -CursorVariable, from reSolve''s exportEvents() stream, or from Get-EventStore (LatestCursor). Only events with threadCounter >= cursor[threadId] are read. An empty cursor reads from the start.'
        CursorVariable = 'The name of a variable (without $) that is set, in the caller''s scope, to the cursor after the last exported event; with -OutFile or -Directory only once the files are written. Pass it to -Cursor to resume.'
        EventType = 'Only events of these types. * and ? are wildcards (case-sensitive); tab completion lists the types in the store.'
        AggregateId = 'Only events of these aggregates. * and ? are wildcards (case-sensitive); tab completion lists the aggregate ids in the store.'
        Since = 'Only events at or after this time (inclusive; by default no lower bound). A [DateTimeOffset]: give a DateTimeOffset, a DateTime, an ISO-8601 string such as ''2024-01-31T12:00:00.123Z'' or milliseconds since 1970-01-01 UTC (reSolve''s timestamps), as a number or a string of digits. A time without an offset (a DateTime of unspecified kind, ''2024-01-31T12:00'') is taken as UTC; a local DateTime such as (Get-Date) is converted to UTC. Milliseconds are kept exactly; finer fractions are cut off.'
        Until = 'Only events at or before this time (inclusive; by default no upper bound), given as for -Since.'
        First = 'At most this many events (in read order). With -CursorVariable, the next export resumes after them.'
        Follow = 'After the stored events, keep reading with reSolve''s per-thread cursor and write each event appended later, in reSolve''s read order, until Ctrl+C, -Until (once the clock is past it), -Timeout, or the store is frozen with reSolve''s marker and drained. No event is skipped or written twice while reSolve writers append: an event committed after a later one of another thread (an older timestamp) is still found, because the cursor is per thread. Each read opens the store and closes it again, so no read lock is held between reads and reSolve''s writer on a SQLite file is never blocked by the follower; each read seeks to the first event past the cursor, so a poll that finds nothing reads no events, the same at any store size. Works on SQLite and PostgreSQL.'
        PollInterval = 'With -Follow: how long to wait between reads once caught up (a TimeSpan such as ''00:00:01''; default 500 ms).'
        Timeout = 'With -Follow: stop following after this long (a TimeSpan). -CursorVariable then holds the cursor to resume from.'
    }
    Notes       = @'
Each event has ThreadId, ThreadCounter, Type, Timestamp (ms since epoch), AggregateId, AggregateVersion, Payload (parsed on first use), PayloadJson (the stored text) and Time (UTC). An event whose Payload is not changed is written back byte for byte.

Errors: to the pipeline, each store of -Path or -LiteralPath (one or several, or piped in) that cannot be read (missing: ExportEventStoreStoreNotFound; not a store: ExportEventStoreNotAnEventStore; an event that cannot be exported) is a non-terminating error, and the next store is exported, as Get-Content a, b does: -ErrorAction Stop or $ErrorActionPreference = 'Stop' end the command at it, Continue writes it and goes on, SilentlyContinue and Ignore go on without showing it. Terminating whatever -ErrorAction says: what concerns the whole command (several stores for one -OutFile, -Directory or cursor: ExportEventStoreSeveralStores; a malformed cursor; the same store on both sides of one pipeline: ExportEventStoreStoreInUseByPipeline; wrong parameters), every error of -OutFile and -Directory, which take one store, and every error of a PostgreSQL store (-ConnectionString), the only store then. A frozen store is read like any other.
'@
    Examples    = @(
        @{
            Code    = 'Export-EventStore ./app.db | Import-EventStore ./copy.db'
            Remarks = 'Copies a store: thread ids, counters, versions, timestamps and payload bytes are kept.'
        }
        @{
            Code    = 'Export-EventStore ./app.db -OutFile ./events.db'
            Remarks = 'Writes reSolve''s export format (NDJSON, named events.db in reSolve''s tooling) for reSolve''s importEvents() or Import-EventStore -InFile.'
        }
        @{
            Code    = 'Export-EventStore -ConnectionString ''Host=127.0.0.1;Port=5432;Username=app;Database=app'' -Schema app -OutFile ./events.db'
            Remarks = 'Writes the NDJSON reSolve''s eventstore-postgresql export writes: payload keys in JSONB order (shorter keys first), as reSolve reads them back from PostgreSQL.'
        }
        @{
            Code    = 'Export-EventStore ./app.db -EventType USER_* -Since (Get-Date).AddDays(-1) -First 5 | ForEach-Object { $_.Payload.name }'
            Remarks = 'Reads a payload field of the first five events of the last day whose type starts with USER_; the filter runs in SQL.'
        }
        @{
            Code    = 'Export-EventStore ./app.db -Directory ./backup -IncludeSecrets'
            Remarks = 'A whole-store backup in reSolve''s layout: ./backup/events.db and ./backup/secrets.db, with ./backup/eventstoretools-manifest.json. Restore it with Import-EventStore ./restored.db -Directory ./backup.'
        }
        @{
            Code    = 'Export-EventStore ./app.db -OutFile ./backups/app-2026-12-03.ndjson.zst -CompressionLevel Fastest'
            Remarks = 'A compressed export, written through Zstandard as it is read from the store.'
        }
        @{
            Code    = @'
Export-EventStore ./app.db -OutFile ./part1.ndjson -First 100000 -CursorVariable cursor
Export-EventStore ./app.db -OutFile ./part2.ndjson -Cursor $cursor -CursorVariable cursor
'@
            Remarks = 'Exports in two parts; the parts together are byte-identical to one export. Keep $cursor to export only the newer events next time.'
        }
        @{
            Code    = 'Get-ChildItem ./stores -Filter *.db | ForEach-Object { Export-EventStore -LiteralPath $_.FullName -OutFile "./exports/$($_.BaseName).ndjson" }'
            Remarks = 'Exports each store to its own file. One -OutFile takes one store: Get-ChildItem ./stores | Export-EventStore -OutFile all.ndjson is refused (ExportEventStoreSeveralStores) before anything is written.'
        }
        @{
            Code    = "pwsh -NoProfile -c 'Export-EventStore ./app.db -OutFile -' | gzip | ssh backup-host 'cat > app.ndjson.gz'"
            Remarks = 'Streams the export to another machine through standard output; nothing but the NDJSON is written there.'
        }
        @{
            Code    = 'Export-EventStore ./app.db -Follow -PollInterval 00:00:01 -CursorVariable c | Import-EventStore -ConnectionString $pg -Schema app -Append -CommitEvery 1000 -CommitInterval 00:00:02'
            Remarks = 'Copies a live SQLite store into PostgreSQL and keeps copying what the application writes, committing every 1000 events or every 2 seconds, until Ctrl+C or the store is frozen. (Sync-EventStore does this with resumption and verification.)'
        }
    )
    Links       = @('Import-EventStore', 'Get-EventStore', 'Compare-EventStore')
}
