# Incremental import (Start-/Add-/Complete-/Undo-IncrementalImport, Import-EventStore -Incremental) into
# reSolve's eventstore-postgresql schema, against a real server that this file starts and stops.
BeforeDiscovery {
    # Every case of reSolve's incremental fixtures.
    $Cases = Get-ChildItem (Join-Path $PSScriptRoot '../fixtures/incremental') -Filter '*.input.ndjson' |
        ForEach-Object { @{ Case = $_.Name -replace '\.input\.ndjson$' } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres
    $script:Pg = $Server.ConnectionString

    # The fixtures' starting store: reSolve's export of 1000 events, imported keeping threads and counters.
    function New-PgBaseStore {
        $schema = New-TestSchema
        Import-EventStore -ConnectionString $Pg -Schema $schema -InFile (Join-Path $Fixtures 'incremental/base.export.ndjson') | Out-Null
        $schema
    }

    function Get-Ordinal([string[]] $Lines) {
        [Array]::Sort($Lines, [StringComparer]::Ordinal)
        $Lines -join "`n"
    }

    # The store in the fixtures' dump format, lines sorted (PostgreSQL's read order of new events differs from lite's).
    function Get-PgDump([string] $Schema) {
        Get-Ordinal ((ConvertTo-StoreDump (Export-EventStore -ConnectionString $Pg -Schema $Schema)) -split "`n")
    }

    # What reSolve's PostgreSQL adapter leaves for a fixture case, lines sorted. The expected dumps were made by
    # eventstore-lite, which numbers new events its own way (threadId = timestamp % 256, counters per thread).
    # Every other field (aggregateId, aggregateVersion, payload, timestamp, type), and the threads and counters of
    # the stored events, do not depend on the engine; so the dump's new events (the lines not in the starting
    # store's dump, which is dups-only's) get spec 6.3's numbering instead: rank r in (timestamp, push order),
    # which is their order in the dump, goes to thread r % 256 with counter (that thread's largest stored
    # counter) + 1 + r / 256.
    function Get-PgIncrementalExpected([string] $Case) {
        $threadFields = '"threadCounter":(\d+),"threadId":(\d+)(,"timestamp":\d+,"type":"(?:[^"\\]|\\.)*"\})$'
        $stored = Get-Content (Join-Path $Fixtures 'incremental/dups-only.expected.dump.ndjson')
        $storedLines = [System.Collections.Generic.HashSet[string]]::new([string[]] $stored, [StringComparer]::Ordinal)
        $tails = [long[]]::new(256)
        foreach ($thread in 0..255) { $tails[$thread] = -1 }
        foreach ($line in $stored) {
            if ($line -notmatch $threadFields) { throw "Not a dump line: $line" }
            $tails[[int]$Matches[2]] = [Math]::Max($tails[[int]$Matches[2]], [long]$Matches[1])
        }
        $rank = 0
        $expected = foreach ($line in Get-Content (Join-Path $Fixtures "incremental/$Case.expected.dump.ndjson")) {
            if ($storedLines.Contains($line)) { $line; continue }
            $thread = $rank % 256
            $counter = $tails[$thread] + 1 + [long][Math]::Floor($rank / 256)
            [regex]::Replace($line, $threadFields, { param($m) """threadCounter"":$counter,""threadId"":$thread$($m.Groups[3].Value)" })
            $rank++
        }
        Get-Ordinal $expected
    }

    function Get-PendingRows([string] $Schema) {
        (Invoke-PostgresQuery $Pg "SELECT count(*) FROM ""$Schema"".""events-incremental-import""")[0]
    }
}

AfterAll { Stop-TestPostgres $Server }

Describe 'Incremental import into PostgreSQL stores' -Tag 'Postgres' {
    It 'gives reSolve''s PostgreSQL store for the fixture case <Case>: Import-EventStore -Incremental -InFile, and the step cmdlets' -ForEach $Cases {
        $expected = Get-PgIncrementalExpected $Case
        # None of the inputs is older than the store: each event is imported (a line more in the dump) or a duplicate.
        $pushed = @(Get-Content (Get-IncrementalInput $Case)).Count
        $Imported = @(Get-Content (Join-Path $Fixtures "incremental/$Case.expected.dump.ndjson")).Count - @(Get-Content (Join-Path $Fixtures 'incremental/base.export.ndjson')).Count
        $Duplicates = $pushed - $Imported
        $oneShot = New-PgBaseStore
        $summary = Import-EventStore -ConnectionString $Pg -Schema $oneShot -InFile (Get-IncrementalInput $Case) -Incremental -WarningVariable warnings
        $summary | Should -BeOfType [EventStoreTools.Core.Incremental.IncrementalImportSummary]
        ($summary.PushedCount, $summary.ImportedCount, $summary.SkippedDuplicateCount, $summary.SkippedOlderCount) |
            Should -Be @($pushed, $Imported, $Duplicates, 0)
        $warnings | Should -BeNullOrEmpty
        Get-PgDump $oneShot | Should -BeExactly $expected

        $steps = New-PgBaseStore
        $id = (Start-IncrementalImport -ConnectionString $Pg -Schema $steps).ImportId
        Get-Content (Get-IncrementalInput $Case) | ConvertFrom-Json | Add-IncrementalImport -ConnectionString $Pg -Schema $steps -ImportId $id
        (Complete-IncrementalImport -ConnectionString $Pg -Schema $steps -ImportId $id).ImportedCount | Should -Be $Imported
        Get-PgDump $steps | Should -BeExactly $expected
        (Get-EventStore -ConnectionString $Pg -Schema $steps).HasOpenIncrementalImport | Should -BeFalse
        # events-threads holds each thread's next counter, past the new events.
        (Invoke-PostgresQuery $Pg "SELECT count(*) FROM ""$steps"".""events-threads"" t WHERE t.""threadCounter"" <> COALESCE((SELECT max(e.""threadCounter"") + 1 FROM ""$steps"".""events"" e WHERE e.""threadId"" = t.""threadId""), 0)")[0] |
            Should -Be 0
    }

    It 'skips a duplicate whose payload has other key order and spacing (JSONB equality)' {
        $schema = New-PgBaseStore
        $stored = Export-EventStore -ConnectionString $Pg -Schema $schema -First 1
        $keys = @($stored.Payload.Keys)
        $reordered = '{ ' + (($keys | Sort-Object -Descending | ForEach-Object { "$([EventStoreTools.Core.Json.JsJson]::QuoteString($_)) : $([EventStoreTools.Core.Json.JsJson]::Serialize($stored.Payload[$_]))" }) -join ' , ') + ' }'
        $line = '{{"timestamp":{0},"aggregateId":{1},"type":{2},"payload":{3}}}' -f $stored.Timestamp, [EventStoreTools.Core.Json.JsJson]::QuoteString($stored.AggregateId), [EventStoreTools.Core.Json.JsJson]::QuoteString($stored.Type), $reordered
        $inFile = New-TestPath 'reordered.ndjson'
        Set-Content $inFile $line
        $keys.Count | Should -BeGreaterThan 1
        (Get-Content $inFile -Raw) | Should -Not -Match ([regex]::Escape($stored.PayloadJson))

        $summary = Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $inFile -Incremental
        ($summary.PushedCount, $summary.ImportedCount, $summary.SkippedDuplicateCount, $summary.SkippedOlderCount) | Should -Be @(1, 0, 1, 0)
    }

    It 'skips older events with one warning and imports one with the newest stored timestamp' {
        $schema = New-PgBaseStore
        $newest = (Get-EventStore -ConnectionString $Pg -Schema $schema).LastTimestamp
        $id = (Start-IncrementalImport -ConnectionString $Pg -Schema $schema).ImportId
        @(
            @{ timestamp = $newest - 1; aggregateId = 'old-1'; type = 'T' }
            @{ timestamp = 5; aggregateId = 'old-2'; type = 'T' }
            @{ timestamp = $newest; aggregateId = 'same-time'; type = 'T' }
        ) | Add-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId $id
        $summary = Complete-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId $id -WarningVariable warnings -WarningAction SilentlyContinue
        ($summary.PushedCount, $summary.ImportedCount, $summary.SkippedOlderCount, $summary.NewestStoredTimestamp) | Should -Be @(3, 1, 2, $newest)
        $warnings.Count | Should -Be 1
        "$warnings" | Should -Match "^2 events .* older .*$newest"
        Export-EventStore -ConnectionString $Pg -Schema $schema -AggregateId 'old-*' | Should -BeNullOrEmpty
        $same = Export-EventStore -ConnectionString $Pg -Schema $schema -AggregateId 'same-time'
        ($same.AggregateVersion, $same.Timestamp, $same.PayloadJson) | Should -Be @(1, $newest, 'null')
    }

    It 'brings a copy up to date from its original, and a second run changes nothing' {
        $original = New-PgBaseStore
        $copy = New-PgBaseStore
        Import-EventStore -ConnectionString $Pg -Schema $original -InFile (Get-IncrementalInput 'new-only') -Incremental | Out-Null
        $first = Export-EventStore -ConnectionString $Pg -Schema $original | Import-EventStore -ConnectionString $Pg -Schema $copy -Incremental
        ($first.PushedCount, $first.ImportedCount, $first.SkippedDuplicateCount, $first.CollapsedRepeatCount) | Should -Be @(1005, 5, 1000, 0)
        $after = Get-PgDump $copy
        $after | Should -BeExactly (Get-PgDump $original)

        $second = Export-EventStore -ConnectionString $Pg -Schema $original | Import-EventStore -ConnectionString $Pg -Schema $copy -Incremental
        ($second.ImportedCount, $second.SkippedDuplicateCount, $second.SkippedOlderCount) | Should -Be @(0, 1005, 0)
        Get-PgDump $copy | Should -BeExactly $after
    }

    It 'warns about and counts a repeat collapsed into a stored event: v1 and v2 identical in one millisecond, into a store holding v1' {
        $repeat = @{ Timestamp = 1700000005000; Aggregate = 'order-1'; Type = 'ITEM_ADDED' }
        $source = New-TestSchema
        @(
            New-TestEvent -Thread 8 -Counter 0 @repeat -Version 1 -Payload @{ sku = 'a' }
            New-TestEvent -Thread 8 -Counter 1 @repeat -Version 2 -Payload @{ sku = 'a' }
            New-TestEvent -Thread 9 -Counter 0 -Timestamp 1700000006000 -Aggregate 'order-2' -Version 1 -Type 'ITEM_ADDED'
        ) | Import-EventStore -ConnectionString $Pg -Schema $source | Out-Null
        $target = New-TestSchema
        Export-EventStore -ConnectionString $Pg -Schema $source -First 1 | Import-EventStore -ConnectionString $Pg -Schema $target | Out-Null

        $summary = Export-EventStore -ConnectionString $Pg -Schema $source -AggregateId 'order-1' |
            Import-EventStore -ConnectionString $Pg -Schema $target -Incremental -WarningVariable warned -WarningAction SilentlyContinue
        ($summary.PushedCount, $summary.ImportedCount, $summary.SkippedDuplicateCount, $summary.CollapsedRepeatCount) | Should -Be @(2, 0, 2, 1)
        $summary.FirstCollapsedRepeat.AggregateId | Should -Be 'order-1'
        $warned | Should -HaveCount 1
        $warned[0].Message | Should -Match '^1 event was skipped as a duplicate though the store holds it fewer times than the input: .*First: aggregate ''order-1'', type ''ITEM_ADDED'', timestamp 1700000005000'
        (Export-EventStore -ConnectionString $Pg -Schema $target | Measure-Object).Count | Should -Be 1

        $whole = New-TestSchema
        Export-EventStore -ConnectionString $Pg -Schema $source | Import-EventStore -ConnectionString $Pg -Schema $whole | Out-Null
        $summary = Export-EventStore -ConnectionString $Pg -Schema $source | Import-EventStore -ConnectionString $Pg -Schema $whole -Incremental -WarningVariable warned -WarningAction SilentlyContinue
        ($summary.SkippedDuplicateCount, $summary.CollapsedRepeatCount) | Should -Be @(3, 0)
        $warned | Should -BeNullOrEmpty
    }

    It 'leaves the store unchanged and the pushed events in place when the commit fails; a retry commits' {
        $schema = New-PgBaseStore
        $before = Get-PgDump $schema
        $id = (Start-IncrementalImport -ConnectionString $Pg -Schema $schema).ImportId
        Get-Content (Get-IncrementalInput 'new-only') | ConvertFrom-Json | Add-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId $id
        Invoke-PostgresQuery $Pg @"
CREATE FUNCTION "$schema".refuse() RETURNS trigger LANGUAGE plpgsql AS `$`$ BEGIN RAISE EXCEPTION 'refused by a trigger'; END `$`$;
CREATE TRIGGER refuse BEFORE INSERT ON "$schema"."events" FOR EACH ROW EXECUTE FUNCTION "$schema".refuse();
"@ | Out-Null

        { Complete-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId $id -ErrorAction Stop } |
            Should -Throw '*refused by a trigger*'
        Get-PgDump $schema | Should -BeExactly $before
        (Get-EventStore -ConnectionString $Pg -Schema $schema).IncrementalImportId | Should -BeExactly $id
        Get-PendingRows $schema | Should -Be 5

        Invoke-PostgresQuery $Pg "DROP TRIGGER refuse ON ""$schema"".""events""" | Out-Null
        (Complete-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId $id).ImportedCount | Should -Be 5
        Get-PgDump $schema | Should -BeExactly (Get-PgIncrementalExpected 'new-only')
    }

    It 'drops the pushed events with Undo-IncrementalImport, never stored ones' {
        $schema = New-PgBaseStore
        $before = Get-PgDump $schema
        $id = (Start-IncrementalImport -ConnectionString $Pg -Schema $schema).ImportId
        Get-Content (Get-IncrementalInput 'new-only') | ConvertFrom-Json | Add-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId $id
        $undone = Undo-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId $id -PassThru
        ($undone.ImportId, $undone.DroppedCount) | Should -Be @($id, 5)
        (Get-EventStore -ConnectionString $Pg -Schema $schema).HasOpenIncrementalImport | Should -BeFalse
        Get-PgDump $schema | Should -BeExactly $before
        { Complete-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId $id -ErrorAction Stop } |
            Should -Throw -ErrorId 'CompleteIncrementalImportImportNotFound,EventStoreTools.Cmdlets.CompleteIncrementalImportCommand'
    }

    It 'a PostgreSQL session pipes from Start through Add to Complete, and a store object of Get-EventStore binds by ConnectionString and Schema' {
        $schema = New-PgBaseStore
        $before = (Get-EventStore -ConnectionString $Pg -Schema $schema).EventCount
        $events = @(Get-Content (Get-IncrementalInput 'new-only') | ConvertFrom-Json)
        $summary = Start-IncrementalImport -ConnectionString $Pg -Schema $schema | Add-IncrementalImport -InputObject $events -PassThru | Complete-IncrementalImport
        $summary.ImportId | Should -Not -BeNullOrEmpty
        $store = Get-EventStore -ConnectionString $Pg -Schema $schema
        $store.EventCount | Should -Be ($before + 5)
        $store.ConnectionString | Should -Not -Match 'Password'
        @($store | Export-EventStore).Count | Should -Be ($before + 5)
        ($store | Start-IncrementalImport | Undo-IncrementalImport -PassThru).DroppedCount | Should -Be 0
    }

    It 'refuses a second start and names the open import; Get-EventStore shows it' {
        $schema = New-PgBaseStore
        $id = (Start-IncrementalImport -ConnectionString $Pg -Schema $schema).ImportId
        $id | Should -Match '^[A-Za-z0-9]+$'
        (Get-EventStore -ConnectionString $Pg -Schema $schema).IncrementalImportId | Should -BeExactly $id
        $failure = { Start-IncrementalImport -ConnectionString $Pg -Schema $schema -ErrorAction Stop } |
            Should -Throw -ErrorId 'StartIncrementalImportImportAlreadyOpen,EventStoreTools.Cmdlets.StartIncrementalImportCommand' -PassThru
        $failure.Exception.Message | Should -BeLike "Previous incremental import is not finished*$id*"
        { Import-EventStore -ConnectionString $Pg -Schema $schema -InFile (Get-IncrementalInput 'new-only') -Incremental -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImportEventStoreImportAlreadyOpen,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        (Get-EventStore -ConnectionString $Pg -Schema $schema).IncrementalImportId | Should -BeExactly $id
    }

    It 'fails on a wrong id with reSolve''s message and keeps the open import' {
        $schema = New-PgBaseStore
        $id = (Start-IncrementalImport -ConnectionString $Pg -Schema $schema).ImportId
        $failure = { @{ timestamp = 1; aggregateId = 'a'; type = 'T' } | Add-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId 'wrong' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AddIncrementalImportImportNotFound,EventStoreTools.Cmdlets.AddIncrementalImportCommand' -PassThru
        $failure.Exception.Message | Should -BeExactly 'Incremental importId=wrong does not exist.'
        { Complete-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId 'wrong' -ErrorAction Stop } |
            Should -Throw -ErrorId 'CompleteIncrementalImportImportNotFound,EventStoreTools.Cmdlets.CompleteIncrementalImportCommand'
        { Undo-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId 'wrong' -ErrorAction Stop } |
            Should -Throw -ErrorId 'UndoIncrementalImportImportNotFound,EventStoreTools.Cmdlets.UndoIncrementalImportCommand'
        (Get-EventStore -ConnectionString $Pg -Schema $schema).IncrementalImportId | Should -BeExactly $id
        Get-PendingRows $schema | Should -Be 0
    }

    It 'undoes its own import when the one-shot form fails: the store is as it was and no import stays open' {
        $schema = New-PgBaseStore
        $before = Get-PgDump $schema
        $badInput = New-TestPath 'bad.ndjson'
        (Get-Content (Get-IncrementalInput 'new-only'))[0..1] + '{"timestamp":1,"type":"T"}' | Set-Content $badInput
        $failure = { Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $badInput -Incremental -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImportEventStoreInvalidInput,EventStoreTools.Cmdlets.ImportEventStoreCommand' -PassThru
        $failure.TargetObject.LineNumber | Should -Be 3
        (Get-EventStore -ConnectionString $Pg -Schema $schema).HasOpenIncrementalImport | Should -BeFalse
        Get-PgDump $schema | Should -BeExactly $before
    }

    It 'Start-IncrementalImport fails on a missing store and creates nothing (a one-shot import creates it: Import-EventStore.IncrementalNewStore.Tests.ps1)' {
        $schema = New-TestSchema
        { Start-IncrementalImport -ConnectionString $Pg -Schema $schema -ErrorAction Stop } |
            Should -Throw -ErrorId 'StartIncrementalImportStoreNotFound,EventStoreTools.Cmdlets.StartIncrementalImportCommand'
        (Invoke-PostgresQuery $Pg "SELECT count(*) FROM pg_namespace WHERE nspname = '$schema'")[0] | Should -Be 0
    }
}
