@{
    Synopsis    = 'Makes a destination event store an exact, resumable mirror of a live source, any engine to any engine; -Follow keeps it in step, -Cutover freezes the source and verifies.'
    Description = @'
Sync-EventStore copies the events of a reSolve store (a SQLite file with -Path, or a PostgreSQL schema with -ConnectionString and -Schema) into a destination store (-DestinationPath, or -DestinationConnectionString and -DestinationSchema), created when missing, keeping thread ids, thread counters, timestamps, aggregate versions, payloads and secrets (a deleted secret as reSolve keeps it: a row whose secret is null, so that its id cannot be used again), so that the destination is an exact mirror.

It reads the source page by page with reSolve's per-thread cursor, while reSolve's application keeps writing to it. Each page is one short read that seeks through the timestamp index to the first event past the cursor, so a page costs the same at the start of a large store as at its end, and no read lock is held between pages. Once caught up it reads pages of -BatchSize events and writes each as one transaction; while catching up it reads pages of ten batches, the next while it writes the last, and one transaction takes the pages of up to a second per 300,000 events in the destination (1 to 30 s), and the destination's secondary indexes are built once when the run catches up. It needs no checkpoint file: it resumes from the destination's own latest cursor, so a run stopped at any moment, even killed with kill -9, is simply run again, and nothing is lost or copied twice.

The cursor relies on reSolve's invariant that timestamps never decrease within a thread as its threadCounter grows. Each page is checked: a source thread that breaks it, read out of counter order or with an event left unread below the cursor after the page, stops the run with SyncEventStoreThreadTimestampsDecrease (InvalidData), naming the thread, both counters and their timestamps, before that page is written; the destination keeps every batch committed before it, each thread without a gap. Test-EventStore on the source lists every such thread.

Before writing anything it checks the destination's tail against the source: each thread's last 16 events of the destination must be in the source, identical (the last one with its payload), with no source event missing among them. Otherwise it fails with SyncEventStoreDestinationDiverged, naming the first difference, and leaves the destination unchanged. This check costs the same at any size; -Cutover -Verify and Compare-EventStore compare everything.

-Follow keeps copying what is appended until Ctrl+C, -Timeout (which also ends a catch-up, after its current page), or the source is frozen with reSolve's marker and drained. A poll that finds nothing new reads no events: a few index lookups per thread, the same at any size. The secrets are compared after each write and every 5 seconds while nothing else changes. -Cutover catches up, freezes the source with reSolve's own freeze marker (reSolve's saveEvent then fails with EventstoreFrozenError), drains what was written before the freeze, verifies the destination (the counts, every secret row and the last event of every thread; with -Verify every event) and leaves the source frozen, so the application can be pointed at the destination. If the cutover is stopped (Ctrl+C) or fails before it ends, the source is unfrozen again and a warning says so. Set-EventStore -Frozen:$false unfreezes a store by hand.

The progress shows the events copied, the rate and the lag in events and seconds; -Verbose says what each poll found and how long its read and write took. The output object tells the events copied (CopiedCount), the transactions (BatchCount), the events the destination held, where the run resumed from (PreviousCount), whether it had caught up (CaughtUp), the cursor (Cursor, not shown by default), the median and worst lag (MedianLagMilliseconds, MaxLagMilliseconds: ms from an event's timestamp to its commit in the destination, over the events copied once caught up) and, after a cutover, the verification.
'@
    Parameters  = @{
        LiteralPath = 'The source store, named exactly as it is (wildcard characters included). A store object from Get-EventStore or a file from Get-ChildItem binds here by its PSPath.'
        DestinationLiteralPath = 'The destination SQLite file, named exactly as it is (wildcard characters included); created when missing.'
        DestinationCredential = 'With -DestinationConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret); they replace any user and password of the connection string, and never appear in a message or an error.'
        Force = 'Mirror into a frozen destination anyway (reSolve''s "events-freeze" marker): the command warns, and the destination stays frozen. Without -Force a frozen destination is refused with SyncEventStoreStoreFrozen (PermissionDenied) before anything is written. A frozen source needs no -Force: it is only read (a cutover leaves it frozen, and a later run resumes from the destination''s own cursor).'
        Path = 'The source SQLite store file. Relative paths, ~ and PSDrives work. Give -Path or -ConnectionString.'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with SyncEventStoreAuthenticationFailed (AuthenticationError), an unreachable server with SyncEventStoreConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error. It applies to the source only; give the destination''s user and password in -DestinationConnectionString.'
        ConnectionString = 'A PostgreSQL source (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string. Use with -Schema.'
        Schema = 'With -ConnectionString: the schema that holds the source store (reSolve''s databaseName option).'
        DestinationPath = 'The destination SQLite store file, created when missing. Give -DestinationPath or -DestinationConnectionString.'
        DestinationConnectionString = 'A PostgreSQL destination: an Npgsql connection string. Use with -DestinationSchema.'
        DestinationSchema = 'With -DestinationConnectionString: the schema of the destination store, created when missing.'
        Follow = 'Keep copying the events appended to the source until Ctrl+C, -Timeout, or the source is frozen and drained.'
        Cutover = 'Catch up, freeze the source with reSolve''s freeze marker, drain, verify and report; the source stays frozen. Stopped or failed before the end, it unfreezes the source and warns.'
        Verify = 'With -Cutover: compare every event of the two stores, not only the counts and each thread''s last event.'
        PollInterval = 'How long to wait between reads of the source once caught up (a TimeSpan; default 250 ms). An event waits up to one interval before a poll reads it: measured at 200 events/s on a 1M-event PostgreSQL store, 250 ms gave a lag of 169 ms median and 355 ms worst, 100 ms gave 80 ms and 174 ms, at 2.5 times the polls while nothing changes.'
        Timeout = 'Stop after this long (a TimeSpan; default: no limit), also during the catch-up of a large backlog: the run ends after its current page, committed, with CaughtUp $false in its output. Run the command again to go on.'
        BatchSize = 'Events per page read from the source once caught up, each page one transaction on the destination (default 1000, 1 to 1,000,000). While catching up a page holds ten batches (still read in short reads) and a transaction the pages of up to a second per 300,000 events in the destination (1 to 30 s). A stopped run resumes after the last committed transaction.'
    }
    Notes       = @'
Errors: every error ends the command (terminating): it mirrors one source into one destination in transactions of whole pages, so the destination is left at the end of a page. A frozen destination is refused with SyncEventStoreStoreFrozen (PermissionDenied) before anything is written, unless -Force; -WhatIf says so. A destination frozen while the mirror runs (-Follow) ends it the same way before its next batch. The freeze that -Cutover puts on the source is its own: it is removed again when the cutover does not finish.
'@
    Examples    = @(
        @{
            Code    = 'Sync-EventStore ./app.db -DestinationConnectionString $pg -DestinationSchema app -Follow'
            Remarks = 'Mirrors a live SQLite store into PostgreSQL and keeps it in step until Ctrl+C. Run it again at any time: it goes on from where the destination ends.'
        }
        @{
            Code    = 'Sync-EventStore ./app.db -DestinationConnectionString $pg -DestinationSchema app -Cutover -Verify'
            Remarks = 'The last step of a migration: catches up, freezes the SQLite store so the application can write no more, copies the rest, compares every event and leaves the source frozen. Then point the application at PostgreSQL.'
        }
        @{
            Code    = 'Sync-EventStore -ConnectionString $oldServer -Schema app -DestinationConnectionString $newServer -DestinationSchema app -Timeout 00:10:00 -Follow'
            Remarks = 'Copies from one PostgreSQL server to another and follows for ten minutes.'
        }
    )
    Links       = @('Set-EventStore', 'Export-EventStore', 'Compare-EventStore')
}
