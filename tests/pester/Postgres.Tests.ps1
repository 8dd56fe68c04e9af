# Export-EventStore and Import-EventStore on reSolve's eventstore-postgresql schema, against a real server
# that this file starts and stops. The cases cross both cmdlets (round trips), so they share one server.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres
    $script:Pg = $Server.ConnectionString
    $script:ReferenceExport = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'

    function Get-PgRows([string] $Schema) {
        Invoke-PostgresQuery $Pg "SELECT ""threadId"", ""threadCounter"", ""timestamp"", ""aggregateId"", ""aggregateVersion"", ""type"" FROM ""$Schema"".""events"" ORDER BY 1, 2" |
            ForEach-Object { $_ -join '|' }
    }

    function Get-PgCount([string] $Schema) {
        (Invoke-PostgresQuery $Pg "SELECT count(*) FROM ""$Schema"".""events""")[0]
    }

    # Every field of every event, matched by thread and counter; payloads compared as JSON values (any key order).
    function Assert-SameEvents([object[]] $Actual, [object[]] $Expected) {
        $byThread = { $_.ThreadId }, { $_.ThreadCounter }
        $Actual = @($Actual | Sort-Object $byThread)
        $Expected = @($Expected | Sort-Object $byThread)
        $fields = 'ThreadId', 'ThreadCounter', 'Timestamp', 'AggregateId', 'AggregateVersion', 'Type'
        ($Actual | Select-Object $fields | ConvertTo-Csv) | Should -Be ($Expected | Select-Object $fields | ConvertTo-Csv)
        $different = for ($i = 0; $i -lt $Expected.Count; $i++) {
            $same = [System.Text.Json.Nodes.JsonNode]::DeepEquals([System.Text.Json.Nodes.JsonNode]::Parse($Actual[$i].PayloadJson), [System.Text.Json.Nodes.JsonNode]::Parse($Expected[$i].PayloadJson))
            if (-not $same) { "$($Actual[$i].PayloadJson) <> $($Expected[$i].PayloadJson)" }
        }
        $different | Should -BeNullOrEmpty -Because 'payloads are equal as JSON values'
        $Expected.Count | Should -BeGreaterThan 0
    }
}

AfterAll { Stop-TestPostgres $Server }

Describe 'PostgreSQL stores' -Tag 'Postgres' {
    It 'round-trips SQLite -> PostgreSQL -> SQLite: every event exactly, payloads equal as JSON values' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $schema = New-TestSchema
        (Export-EventStore $source | Import-EventStore -ConnectionString $Pg -Schema $schema).ImportedCount | Should -Be 600
        $back = New-TestPath 'back.db'
        (Export-EventStore -ConnectionString $Pg -Schema $schema | Import-EventStore $back).ImportedCount | Should -Be 600

        Assert-SameEvents (Export-EventStore $back) (Export-EventStore $source)
        Get-PgRows $schema | Should -Be (Invoke-SqliteQuery $source 'SELECT threadId, threadCounter, timestamp, aggregateId, aggregateVersion, type FROM events ORDER BY 1, 2' | ForEach-Object { $_ -join '|' })

        # Once in JSONB order the text is stable: the copy exports byte for byte as PostgreSQL does, in reSolve's read order.
        $fromPg = New-TestPath 'pg.ndjson'
        $fromBack = New-TestPath 'back.ndjson'
        Export-EventStore -ConnectionString $Pg -Schema $schema -OutFile $fromPg
        Export-EventStore $back -OutFile $fromBack
        (Get-FileHash $fromBack).Hash | Should -Be (Get-FileHash $fromPg).Hash
        $referenceOrder = Get-Content $ReferenceExport | ForEach-Object { ($_ | ConvertFrom-Json -AsHashtable).threadId }
        Get-Content $fromPg | ForEach-Object { ($_ | ConvertFrom-Json -AsHashtable).threadId } | Should -Be $referenceOrder
    }

    It 'imports reSolve''s NDJSON export with -InFile' {
        $schema = New-TestSchema
        (Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $ReferenceExport).ImportedCount | Should -Be 600
        $expected = Get-Content $ReferenceExport | ForEach-Object {
                $e = $_ | ConvertFrom-Json -AsHashtable
                [pscustomobject]@{ ThreadId = $e.threadId; ThreadCounter = $e.threadCounter; Timestamp = $e.timestamp; AggregateId = $e.aggregateId
                    AggregateVersion = $e.aggregateVersion; Type = $e.type; PayloadJson = ($_ -split '"payload":', 2)[1] -replace '}$' }
            }
        Assert-SameEvents (Export-EventStore -ConnectionString $Pg -Schema $schema) $expected
    }

    It 'exports payloads as reSolve reads them from JSONB: JSONB key order, JavaScript numbers, last duplicate key' {
        $schema = New-TestSchema
        $payload = '{"bb":1,"a":{"zz":true,"y":null},"ccc":[{"b":1.0,"a":1e21}],"big":12345678901234567890,"dup":1,"dup":2,"":"é\u2028"}'
        $e = [EventStoreTools.Core.ResolveEvent]@{ ThreadId = 0; ThreadCounter = 0; Timestamp = 1; AggregateId = 'a'; AggregateVersion = 1; Type = 'T'; PayloadJson = $payload }
        $e | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        (Export-EventStore -ConnectionString $Pg -Schema $schema).PayloadJson |
            Should -BeExactly "{`"`":`"é`u{2028}`",`"a`":{`"y`":null,`"zz`":true},`"bb`":1,`"big`":12345678901234567000,`"ccc`":[{`"a`":1e+21,`"b`":1}],`"dup`":2}"
    }

    It 'creates reSolve''s eventstore-postgresql tables and indexes, and computes eventSize as reSolve does' {
        $schema = New-TestSchema
        New-TestEvent -Thread 3 -Counter 0 -Aggregate "o'brien" -Version 12 -Type 'ÜBER' -Payload ([ordered]@{ s = "it's" }) |
            Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        $tables = Invoke-PostgresQuery $Pg "SELECT table_name FROM information_schema.tables WHERE table_schema = '$schema' ORDER BY 1" | ForEach-Object { $_[0] }
        $tables | Should -Be @('events', 'events-threads', 'secrets', 'snapshots', 'subscribers')
        $indexes = Invoke-PostgresQuery $Pg "SELECT indexname FROM pg_indexes WHERE schemaname = '$schema' AND tablename = 'events' ORDER BY 1" | ForEach-Object { $_[0] }
        $indexes | Should -Be @('events-aggregateId', 'events-aggregateIdAndVersion', 'events-aggregateVersion', 'events-timestamp', 'events-type', 'events_pkey')
        $columns = Invoke-PostgresQuery $Pg "SELECT column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns WHERE table_schema = '$schema' AND table_name = 'events' ORDER BY ordinal_position" | ForEach-Object { $_[0] }
        $columns | Should -Be @('threadId bigint NO', 'threadCounter bigint NO', 'timestamp bigint NO', 'aggregateId character varying NO', 'aggregateVersion bigint NO', 'type character varying NO', 'payload jsonb YES', 'eventSize bigint NO')
        # 'o''brien',12,'ÜBER','{"s":"it''s"}' is 37 bytes in UTF-8 (Buffer.byteLength in Node 20), plus reSolve's 66 reserved.
        (Invoke-PostgresQuery $Pg "SELECT ""eventSize"" FROM ""$schema"".""events""")[0] | Should -Be (37 + 66)
    }

    It 'builds the primary key of a new store after the load, as one sort: reSolve''s constraint, as compact as a rebuilt index' {
        # In reSolve's read order the 256 threads interleave, so a key inserted row by row lands inside the index
        # and splits its pages in half; one sort after the load fills them.
        $schema = New-TestSchema
        $input = New-TestPath 'threads.ndjson'
        $lines = for ($i = 0; $i -lt 30000; $i++) {
            '{{"threadId":{0},"threadCounter":{1},"timestamp":{2},"aggregateId":"a{2}","aggregateVersion":1,"type":"T","payload":null}}' -f ($i % 256), [Math]::Floor($i / 256), $i
        }
        Set-Content $input $lines
        (Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $input).ImportedCount | Should -Be 30000
        $definition = Invoke-PostgresQuery $Pg "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '""$schema"".""events""'::regclass AND contype = 'p'"
        $definition -join '|' | Should -Be 'events_pkey|PRIMARY KEY ("threadId", "threadCounter")'
        $loaded = (Invoke-PostgresQuery $Pg "SELECT pg_relation_size('""$schema"".events_pkey')")[0]
        Invoke-PostgresQuery $Pg "REINDEX INDEX ""$schema"".events_pkey" | Out-Null
        $loaded | Should -Be (Invoke-PostgresQuery $Pg "SELECT pg_relation_size('""$schema"".events_pkey')")[0]
    }

    It 'keeps thread ids and counters and moves events-threads forward, never back' {
        $schema = New-TestSchema
        @(
            New-TestEvent -Thread 5 -Counter 7 -Timestamp 10 -Aggregate 'a' -Version 1
            New-TestEvent -Thread 5 -Counter 3 -Timestamp 9 -Aggregate 'b' -Version 1
            New-TestEvent -Thread 200 -Counter 0 -Timestamp 11 -Aggregate 'c' -Version 1
        ) | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        $threads = Invoke-PostgresQuery $Pg "SELECT ""threadId"", ""threadCounter"" FROM ""$schema"".""events-threads"" ORDER BY 1"
        $threads.Count | Should -Be 256
        ($threads | Where-Object { $_[1] -ne 0 } | ForEach-Object { $_ -join '=' }) | Should -Be @('5=8', '200=1')

        Invoke-PostgresQuery $Pg "UPDATE ""$schema"".""events-threads"" SET ""threadCounter"" = 50 WHERE ""threadId"" = 200" | Out-Null
        New-TestEvent -Thread 200 -Counter 1 -Timestamp 12 -Aggregate 'c' -Version 2 | Import-EventStore -ConnectionString $Pg -Schema $schema -Append | Out-Null
        (Invoke-PostgresQuery $Pg "SELECT ""threadCounter"" FROM ""$schema"".""events-threads"" WHERE ""threadId"" = 200")[0] | Should -Be 50
        Get-PgRows $schema | Should -Be @('5|3|9|b|1|T', '5|7|10|a|1|T', '200|0|11|c|1|T', '200|1|12|c|2|T')
    }

    It 'refuses a store that holds events, appends with -Append, replaces with -Replace (secrets kept)' {
        $schema = New-TestSchema
        New-TestEvent -Aggregate 'first' | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        Invoke-PostgresQuery $Pg "INSERT INTO ""$schema"".""secrets""(""id"", ""secret"") VALUES ('k', 'v')" | Out-Null
        { New-TestEvent -Thread 1 -Aggregate 'second' | Import-EventStore -ConnectionString $Pg -Schema $schema } |
            Should -Throw -ErrorId 'ImportEventStoreTargetNotEmpty,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        Get-PgRows $schema | Should -Be @('0|0|1000|first|1|T')

        $result = New-TestEvent -Thread 1 -Aggregate 'second' | Import-EventStore -ConnectionString $Pg -Schema $schema -Append
        $result.PreviousCount | Should -Be 1
        Get-PgCount $schema | Should -Be 2

        $run = Invoke-Captured { New-TestEvent -Thread 2 -Aggregate 'third' | Import-EventStore -ConnectionString $Pg -Schema $schema -Replace -WhatIf }
        $run.WhatIf[-1] | Should -Match "^What if: Performing the operation `"Replace its 2 events with 1 event`" on target `".* schema `"$schema`"`"\.$"
        Get-PgCount $schema | Should -Be 2
        New-TestEvent -Thread 2 -Aggregate 'third' | Import-EventStore -ConnectionString $Pg -Schema $schema -Replace -Force | Out-Null
        Get-PgRows $schema | Should -Be @('2|0|1000|third|1|T')
        (Invoke-PostgresQuery $Pg "SELECT ""threadId"" FROM ""$schema"".""events-threads"" WHERE ""threadCounter"" > 0") | Should -Be @(2)
        (Invoke-PostgresQuery $Pg "SELECT ""secret"" FROM ""$schema"".""secrets""")[0] | Should -Be 'v'
    }

    It 'is atomic: a duplicate fails the whole import, leaving an existing store as it was and creating nothing new' {
        $schema = New-TestSchema
        New-TestEvent -Aggregate 'kept' | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        $events = @(
            New-TestEvent -Thread 1 -Counter 0 -Aggregate 'x' -Version 1
            New-TestEvent -Thread 1 -Counter 1 -Aggregate 'x' -Version 2
            New-TestEvent -Thread 1 -Counter 1 -Aggregate 'y' -Version 1
        )
        $err = { $events | Import-EventStore -ConnectionString $Pg -Schema $schema -Replace -Force } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'ImportEventStoreDuplicateEvent,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $err.Exception.Message | Should -Match 'threadId.*threadCounter.*\(1, 1\)'
        Get-PgRows $schema | Should -Be @('0|0|1000|kept|1|T')

        $fresh = New-TestSchema
        { $events | Import-EventStore -ConnectionString $Pg -Schema $fresh } | Should -Throw -ErrorId 'ImportEventStoreDuplicateEvent,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        Invoke-PostgresQuery $Pg "SELECT 1 FROM pg_namespace WHERE nspname = '$fresh'" | Should -BeNullOrEmpty
    }

    It 'fails on an aggregate version given twice, when the unique index is built after the load' {
        $schema = New-TestSchema
        $err = { @(New-TestEvent -Thread 1 -Aggregate 'x'; New-TestEvent -Thread 2 -Aggregate 'x') | Import-EventStore -ConnectionString $Pg -Schema $schema } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'ImportEventStoreDuplicateEvent,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $err.Exception.Message | Should -Match 'aggregateId.*aggregateVersion'
        Invoke-PostgresQuery $Pg "SELECT 1 FROM pg_namespace WHERE nspname = '$schema'" | Should -BeNullOrEmpty
    }

    It 'rejects a payload JSONB cannot hold (a NUL character), storing nothing' {
        $schema = New-TestSchema
        $err = { New-TestEvent -Payload "a`0b" | Import-EventStore -ConnectionString $Pg -Schema $schema } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'ImportEventStoreInvalidInput,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        Invoke-PostgresQuery $Pg "SELECT 1 FROM pg_namespace WHERE nspname = '$schema'" | Should -BeNullOrEmpty
    }

    It '-WhatIf creates no schema and writes nothing' {
        $schema = New-TestSchema
        # The dry run's result (issue 14) is its only output.
        $source = Copy-Fixture 'resolve-lite-600.db'
        $run = Invoke-Captured { Export-EventStore $source | Import-EventStore -ConnectionString $Pg -Schema $schema -WhatIf }
        $run.Output.Action | Should -Be 'Created'
        $run.WhatIf[-1] | Should -Match "^What if: Performing the operation `"Create the store and write 600 events`" on target `".* schema `"$schema`"`"\.$"
        Invoke-PostgresQuery $Pg "SELECT 1 FROM pg_namespace WHERE nspname = '$schema'" | Should -BeNullOrEmpty
    }

    It 'names what is wrong with the store parameters' {
        { Export-EventStore -ConnectionString $Pg } | Should -Throw -ErrorId 'ExportEventStoreStoreNotSpecified,EventStoreTools.Cmdlets.ExportEventStoreCommand'
        { Export-EventStore ./a.db -ConnectionString $Pg -Schema s } | Should -Throw -ErrorId 'ExportEventStoreStoreNotSpecified,EventStoreTools.Cmdlets.ExportEventStoreCommand'
        { Export-EventStore } | Should -Throw -ErrorId 'ExportEventStoreStoreNotSpecified,EventStoreTools.Cmdlets.ExportEventStoreCommand'
        { Export-EventStore ./a.db -Schema s } | Should -Throw -ErrorId 'ExportEventStoreStoreNotSpecified,EventStoreTools.Cmdlets.ExportEventStoreCommand'
        { Export-EventStore -ConnectionString 'Nonsense Key=1' -Schema s } | Should -Throw -ErrorId 'ExportEventStoreInvalidConnectionString,EventStoreTools.Cmdlets.ExportEventStoreCommand'
    }

    It 'fails clearly on a missing schema, a schema without events, and a server that does not answer' {
        { Export-EventStore -ConnectionString $Pg -Schema 'nowhere' } | Should -Throw -ErrorId 'ExportEventStoreStoreNotFound,EventStoreTools.Cmdlets.ExportEventStoreCommand'
        Invoke-PostgresQuery $Pg 'CREATE SCHEMA "other"; CREATE TABLE "other"."snapshots"(x int)' | Out-Null
        { Export-EventStore -ConnectionString $Pg -Schema 'other' } | Should -Throw -ErrorId 'ExportEventStoreNotAnEventStore,EventStoreTools.Cmdlets.ExportEventStoreCommand'
        { New-TestEvent | Import-EventStore -ConnectionString $Pg -Schema 'other' } | Should -Throw -ErrorId 'ImportEventStoreNotAnEventStore,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $closed = "Host=127.0.0.1;Port=$(Get-FreeTcpPort);Username=postgres;Timeout=3"
        { New-TestEvent | Import-EventStore -ConnectionString $closed -Schema 's' } | Should -Throw -ErrorId 'ImportEventStoreConnectionFailed,EventStoreTools.Cmdlets.ImportEventStoreCommand'
    }

    It 'loads Npgsql in a fresh pwsh -NoProfile and copies a store to PostgreSQL' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $schema = New-TestSchema
        $output = Invoke-FreshPwsh "(Export-EventStore '$source' | Import-EventStore -ConnectionString '$Pg' -Schema '$schema').ImportedCount"
        $LASTEXITCODE | Should -Be 0
        "$output".Trim() | Should -Be '600'
    }

    It 'backs up a store with its secrets to a folder and restores it into PostgreSQL and back' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'withsecrets.db'
        Invoke-SqliteQuery $store "INSERT INTO secrets(idx, id, secret) VALUES (0, 'user-1', 'key one'), (1, 'user-2', NULL), (7, 'user-3', 'k""ü')" | Out-Null
        $backup = New-TestPath 'backup'
        Export-EventStore $store -Directory $backup -IncludeSecrets
        $schema = New-TestSchema
        $result = Import-EventStore -ConnectionString $Pg -Schema $schema -Directory $backup
        ($result.ImportedCount, $result.ImportedSecretCount) | Should -Be @(600, 2)
        Invoke-PostgresQuery $Pg "SELECT ""idx"", ""id"", ""secret"" FROM ""$schema"".""secrets"" ORDER BY 1" | ForEach-Object { $_ -join '|' } |
            Should -Be @('0|user-1|key one', '7|user-3|k"ü')

        $again = New-TestPath 'again'
        Export-EventStore -ConnectionString $Pg -Schema $schema -Directory $again -IncludeSecrets
        Get-Content (Join-Path $again 'secrets.db') | Should -Be (Get-Content (Join-Path $backup 'secrets.db'))
        $restored = New-TestPath 'restored.db'
        Import-EventStore $restored -Directory $again | Out-Null
        Assert-SameEvents (Export-EventStore $restored) (Export-EventStore $store)
    }

    It 'describes a PostgreSQL store with Get-EventStore, its cursor from events-threads' {
        $schema = New-TestSchema
        Export-EventStore (Copy-Fixture 'resolve-lite-600.db') | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        $description = Get-EventStore -ConnectionString $Pg -Schema $schema
        $description.EventCount | Should -Be 600
        $description.IsFrozen | Should -BeFalse
        $expected = [long[]]::new(256)
        Invoke-PostgresQuery $Pg "SELECT ""threadId"", ""threadCounter"" FROM ""$schema"".""events-threads""" | ForEach-Object { $expected[$_[0]] = $_[1] }
        $description.LatestCursor.Counters | Should -Be $expected
        Export-EventStore -ConnectionString $Pg -Schema $schema -Cursor $description.LatestCursor.ToString() | Should -BeNullOrEmpty
    }

    It 'filters a PostgreSQL export in SQL: types with wildcards, time range, first' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $schema = New-TestSchema
        Export-EventStore $source | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        $all = Export-EventStore $source
        $type = $all[0].Type
        $pattern = $type.Substring(0, 3) + '*'
        $since = $all[100].Timestamp
        $until = $all[400].Timestamp
        $expected = $all | Where-Object { $_.Type -clike $pattern -and $_.Timestamp -ge $since -and $_.Timestamp -le $until } | Select-Object -First 50
        $actual = Export-EventStore -ConnectionString $Pg -Schema $schema -EventType $pattern -Since $since -Until $until -First 50
        $actual.Count | Should -BeGreaterThan 0
        ($actual | ForEach-Object { "$($_.ThreadId):$($_.ThreadCounter)" }) | Should -Be ($expected | ForEach-Object { "$($_.ThreadId):$($_.ThreadCounter)" })
    }

    It 'compares a PostgreSQL store with its SQLite copy' {
        $schema = New-TestSchema
        Export-EventStore (Copy-Fixture 'resolve-lite-600.db') | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        $copy = New-TestPath 'copy.db'
        Export-EventStore -ConnectionString $Pg -Schema $schema | Import-EventStore $copy | Out-Null
        (Compare-EventStore -ConnectionString $Pg -Schema $schema -DifferencePath $copy -Summary).Identical | Should -BeTrue
        Invoke-SqliteQuery $copy 'DELETE FROM events WHERE rowid = 1' | Out-Null
        (Compare-EventStore -ConnectionString $Pg -Schema $schema -DifferencePath $copy).Change | Should -Be 'Missing'
    }

    It 'stops a streaming export early (Select-Object -First cancels the query) without an error' {
        $schema = New-TestSchema
        Export-EventStore (Copy-Fixture 'resolve-lite-600.db') | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        (Export-EventStore -ConnectionString $Pg -Schema $schema | Select-Object -First 2).Count | Should -Be 2
        (Export-EventStore -ConnectionString $Pg -Schema $schema | Measure-Object).Count | Should -Be 600
    }

    It 'completes event types and aggregate ids from a PostgreSQL store' {
        $schema = New-TestSchema
        @(
            New-TestEvent -Thread 0 -Aggregate 'order-1' -Type 'ITEM_ADDED'
            New-TestEvent -Thread 1 -Aggregate 'order-2' -Type 'ITEM_REMOVED'
            New-TestEvent -Thread 2 -Aggregate 'user-1' -Type 'USER_CREATED'
        ) | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        $line = "Export-EventStore -ConnectionString '$Pg' -Schema $schema -EventType it"
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('ITEM_ADDED', 'ITEM_REMOVED')
        $line = "Export-EventStore -ConnectionString '$Pg' -Schema $schema -AggregateId order"
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('order-1', 'order-2')
    }
}
