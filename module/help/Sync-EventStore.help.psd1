@{
    Synopsis    = 'Makes a destination event store an exact, resumable mirror of a live source, any engine to any engine; -Follow keeps it in step, -Cutover freezes the source and verifies.'
    Description = @'
Sync-EventStore copies the events of a reSolve store (a SQLite file with -Path, or a PostgreSQL schema with -ConnectionString and -Schema) into a destination store (-DestinationPath, or -DestinationConnectionString and -DestinationSchema), created when missing, keeping thread ids, thread counters, timestamps, aggregate versions, payloads and secrets, so that the destination is an exact mirror.

It reads the source page by page with reSolve's per-thread cursor, while reSolve's application keeps writing to it, and writes each page into the destination as one transaction (-BatchSize events). It needs no checkpoint file: it resumes from the destination's own latest cursor, so a run stopped at any moment, even killed with kill -9, is simply run again, and nothing is lost or copied twice.

The cursor relies on reSolve's invariant that timestamps never decrease within a thread as its threadCounter grows. Each page is checked: a source thread that breaks it, read out of counter order or with an event left unread below the cursor after the page, stops the run with SyncEventStoreThreadTimestampsDecrease (InvalidData), naming the thread, both counters and their timestamps, before that page is written; the destination keeps every batch committed before it, each thread without a gap. Test-EventStore on the source lists every such thread.

Before writing anything it checks that the destination is a prefix of the source (every event it holds is in the source, identical, and it lacks no source event below its cursor); otherwise it fails with SyncEventStoreDestinationDiverged, naming the first difference, and leaves the destination unchanged.

-Follow keeps copying what is appended until Ctrl+C, -Timeout, or the source is frozen with reSolve's marker and drained. -Cutover catches up, freezes the source with reSolve's own freeze marker (reSolve's saveEvent then fails with EventstoreFrozenError), drains what was written before the freeze, verifies the destination (the counts and the last event of every thread; with -Verify every event) and leaves the source frozen, so the application can be pointed at the destination. If the cutover is stopped (Ctrl+C) or fails before it ends, the source is unfrozen again and a warning says so. Set-EventStore -Frozen:$false unfreezes a store by hand.

The progress shows the events copied, the rate and the lag in events and seconds. The output object tells the events copied (CopiedCount), the batches (BatchCount), the events the destination held, where the run resumed from (PreviousCount), the cursor (Cursor, not shown by default), the median and worst lag (MedianLagMilliseconds, MaxLagMilliseconds: ms from an event's timestamp to its commit in the destination, over the events copied once caught up) and, after a cutover, the verification.
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
        PollInterval = 'How long to wait between reads of the source once caught up (a TimeSpan; default 250 ms).'
        Timeout = 'With -Follow: stop after this long (a TimeSpan). Run the command again to go on.'
        BatchSize = 'Events per batch (default 1000). Each batch is one transaction on the destination; a stopped run resumes after the last committed batch.'
    }
    Notes       = @'
Errors: every error ends the command (terminating): it mirrors one source into one destination, each batch one transaction, so the destination is left at the end of a batch. A frozen destination is refused with SyncEventStoreStoreFrozen (PermissionDenied) before anything is written, unless -Force; -WhatIf says so. A destination frozen while the mirror runs (-Follow) ends it the same way before its next batch. The freeze that -Cutover puts on the source is its own: it is removed again when the cutover does not finish.
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
