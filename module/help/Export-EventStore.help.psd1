@{
    Synopsis    = 'Exports the events of a reSolve event store, as objects, as reSolve''s NDJSON export or as a backup folder with secrets; filtered and resumable.'
    Description = @'
Export-EventStore reads every event of a reSolve eventstore-lite SQLite store (-Path) or eventstore-postgresql schema (-ConnectionString and -Schema) in reSolve's read order (timestamp, threadCounter, threadId) with one ordered, streaming query, and writes one typed event object at a time to the pipeline. Memory stays flat however large the store is.

With -OutFile it writes the NDJSON that reSolve's exportEvents() writes, byte for byte: one JSON.stringify(event) per line, keys in the order threadCounter, threadId, type, timestamp, aggregateId, aggregateVersion, payload. The file is written beside the target and renamed at the end, so a failed export never leaves a truncated file.

Filters run in the store's query, not in PowerShell: -EventType and -AggregateId (exact values or patterns with * and ?, case-sensitive), -Since and -Until (inclusive, as a DateTime, a date string or milliseconds since 1970-01-01 UTC; a DateTime without a kind is taken as UTC), -First. Tab completion offers the event types and aggregate ids of the store given in -Path.

-Cursor resumes after a previous export, and -CursorVariable sets a variable in the caller's scope to the cursor after the last exported event. Both use reSolve's cursor format (256 thread counters, 6 bytes big-endian each, base64, 2048 characters): a cursor from reSolve's exportEvents() resumes here, and ours resumes in reSolve. Exporting with -First and then with the cursor gives the same events, in the same order, as one export. A malformed cursor fails with ExportEventStoreInvalidCursor.

-Directory writes reSolve's backup layout (what reSolve's exportEventStore and module-admin write): events.db (the NDJSON export) and secrets.db (the secrets, one {"secret","id","idx"} line each, without deleted secrets). Secrets are sensitive, so secrets.db holds them only with -IncludeSecrets; without it the file is written empty, so that reSolve's importer, which requires both files, still accepts the folder. Import-EventStore -Directory restores it.

The store is only read: it is not frozen (reSolve freezes it and may leave it frozen after an error), and a concurrent writer waits until the export's consistent snapshot has been read.
'@
    Parameters  = @{
        Path      = 'The SQLite store file to export. Relative paths, ~ and PSDrives work. Give -Path or -ConnectionString.'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string such as ''Host=127.0.0.1;Port=5432;Username=app;Password=...;Database=app''. Use with -Schema.'
        Schema    = 'With -ConnectionString: the schema that holds the store (reSolve''s databaseName option).'
        OutFile   = 'Write reSolve''s NDJSON export to this file instead of writing objects to the pipeline. An existing file is replaced (see -NoClobber). A name ending in .gz writes gzip, .zst Zstandard, compressed while writing (no temporary plain copy); the file decompresses to exactly the bytes of the plain export. - writes the NDJSON to the process''s standard output (nothing else goes there, progress neither), for pwsh -c ''Export-EventStore app.db -OutFile -'' | gzip | ssh ...'
        Compression = 'With -Directory: None (default: events.db and secrets.db, which reSolve''s importer reads), GZip (events.db.gz, secrets.db.gz) or Zstandard (events.db.zst, secrets.db.zst). Import-EventStore -Directory and Test-EventStore read all three.'
        CompressionLevel = 'How hard a compressed -OutFile or -Directory -Compression compresses: Optimal (default), Fastest, SmallestSize or NoCompression, as Compress-Archive names them. For Zstandard these are its levels 3, 1, 19 and 1.'
        NoClobber = 'With -OutFile or -Directory: fail instead of replacing an existing file.'
        Directory = 'Write reSolve''s backup layout into this folder (created when missing): events.db and secrets.db, both NDJSON, and eventstoretools-manifest.json (event and secret counts, first and last timestamp, the cursor after the last event, the size and SHA-256 of each file, the tool''s version). reSolve''s importer ignores the manifest; Import-EventStore -Directory and Test-EventStore refuse a folder whose files do not match it.'
        IncludeSecrets = 'With -Directory: write the store''s secrets (those not deleted, with their idx) into secrets.db. Without it secrets.db is written empty.'
        Cursor = 'Resume after a previous export: a cursor in reSolve''s format (2048 base64 characters), from -CursorVariable, from reSolve''s exportEvents() stream, or from Get-EventStore (LatestCursor). Only events with threadCounter >= cursor[threadId] are read. An empty cursor reads from the start.'
        CursorVariable = 'The name of a variable (without $) that is set, in the caller''s scope, to the cursor after the last exported event; with -OutFile or -Directory only once the files are written. Pass it to -Cursor to resume.'
        EventType = 'Only events of these types. * and ? are wildcards (case-sensitive); tab completion lists the types in the store.'
        AggregateId = 'Only events of these aggregates. * and ? are wildcards (case-sensitive); tab completion lists the aggregate ids in the store.'
        Since = 'Only events at or after this time: a DateTime, a date string such as ''2024-01-31T12:00Z'' or milliseconds since 1970-01-01 UTC.'
        Until = 'Only events at or before this time (inclusive), given as for -Since.'
        First = 'At most this many events (in read order). With -CursorVariable, the next export resumes after them.'
    }
    Inputs      = @('System.String (the store path, by property name Path or FullName)')
    Outputs     = @('EventStoreTools.Core.ResolveEvent')
    Notes       = 'Each event has ThreadId, ThreadCounter, Type, Timestamp (ms since epoch), AggregateId, AggregateVersion, Payload (parsed on first use), PayloadJson (the stored text) and Time (UTC). An event whose Payload is not changed is written back byte for byte.'
    Examples    = @(
        @{
            Code    = 'Export-EventStore ./app.db -OutFile ./backups/app-2026-12-03.ndjson.zst -CompressionLevel Fastest'
            Remarks = 'A compressed export, written through Zstandard as it is read from the store.'
        }
        @{
            Code    = "pwsh -NoProfile -c 'Export-EventStore ./app.db -OutFile -' | gzip | ssh backup-host 'cat > app.ndjson.gz'"
            Remarks = 'Streams the export to another machine through standard output; nothing but the NDJSON is written there.'
        }
        @{
            Code    = 'Export-EventStore ./app.db | Import-EventStore ./copy.db'
            Remarks = 'Copies a store: thread ids, counters, versions, timestamps and payload bytes are kept.'
        }
        @{
            Code    = 'Export-EventStore ./app.db -OutFile ./events.db'
            Remarks = 'Writes reSolve''s export format (NDJSON, named events.db in reSolve''s tooling) for reSolve''s importEvents() or Import-EventStore -InFile.'
        }
        @{
            Code    = 'Export-EventStore ./app.db -EventType USER_* -Since (Get-Date).AddDays(-1) -First 5 | ForEach-Object { $_.Payload.name }'
            Remarks = 'Reads a payload field of the first five events of the last day whose type starts with USER_; the filter runs in SQL.'
        }
        @{
            Code    = @'
Export-EventStore ./app.db -OutFile ./part1.ndjson -First 100000 -CursorVariable cursor
Export-EventStore ./app.db -OutFile ./part2.ndjson -Cursor $cursor -CursorVariable cursor
'@
            Remarks = 'Exports in two parts; the parts together are byte-identical to one export. Keep $cursor to export only the newer events next time.'
        }
        @{
            Code    = 'Export-EventStore ./app.db -Directory ./backup -IncludeSecrets'
            Remarks = 'A whole-store backup in reSolve''s layout: ./backup/events.db and ./backup/secrets.db. Restore it with Import-EventStore ./restored.db -Directory ./backup.'
        }
        @{
            Code    = 'Export-EventStore -ConnectionString ''Host=127.0.0.1;Port=5432;Username=app;Database=app'' -Schema app -OutFile ./events.db'
            Remarks = 'Writes the NDJSON reSolve''s eventstore-postgresql export writes: payload keys in JSONB order (shorter keys first), as reSolve reads them back from PostgreSQL.'
        }
    )
    Links       = @('Import-EventStore', 'Get-EventStore', 'Compare-EventStore')
}
