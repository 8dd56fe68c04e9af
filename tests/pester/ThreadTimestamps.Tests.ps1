# reSolve's cursor relies on timestamps that never decrease within a thread. A store whose thread 7 breaks this
# (threadCounter 5 moved 1000 ms back, before counters 2-4): Test-EventStore reports it, and every read that hands
# out or follows a cursor stops with an error naming the thread instead of skipping counters 2-4, on SQLite and
# PostgreSQL. Gaps alone are not damage: a filtered copy in PostgreSQL tests valid with a note, as on SQLite.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres
    $script:Pg = $Server.ConnectionString

    # 5000 events: thread i % 256, counter i / 256, timestamp base + i, so thread 7's counters 0-19 are at base + 7 + 256 * counter.
    $script:BaseStore = New-TestPath 'healthy.db'
    @() | Import-EventStore $BaseStore | Out-Null
    Add-GeneratedRows $BaseStore 5000 'events' "i % 256, i / 256, 1700000000000 + i, 'agg-' || (i % 100), i / 100 + 1, 'T', json_object('i', i)"
    $script:MoveBack = 'UPDATE events SET timestamp = timestamp - 1000 WHERE threadId = 7 AND threadCounter = 5'

    # The store as -Path or -ConnectionString/-Schema parameters, healthy or with thread 7 going back in time.
    function New-Source([string] $Engine, [switch] $Backwards) {
        $name = "source-$Engine-$(if ($Backwards) { 'backwards' } else { 'healthy' })-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        if ($Engine -eq 'SQLite') {
            $path = New-TestPath "$name.db"
            Copy-Item $BaseStore $path
            if ($Backwards) { Invoke-SqliteQuery $path $MoveBack | Out-Null }
            return @{ Path = $path }
        }
        $schema = New-TestSchema
        Export-EventStore $BaseStore | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        if ($Backwards) { Invoke-PostgresQuery $Pg ($MoveBack -replace 'events', """$schema"".""events""" -replace 'threadId', '"threadId"' -replace 'threadCounter', '"threadCounter"' -replace 'timestamp', '"timestamp"') | Out-Null }
        @{ ConnectionString = $Pg; Schema = $schema }
    }

    $script:Named = 'thread 7: threadCounter 5 has timestamp 1700000000287, earlier than threadCounter \d'
}

AfterAll { Stop-TestPostgres $Server }

Describe 'A thread whose timestamps decrease' -Tag 'Postgres' {
    It 'on <_>: Test-EventStore reports it as a problem naming the thread, both counters and timestamps' -ForEach 'SQLite', 'PostgreSQL' {
        $source = New-Source $_ -Backwards
        $result = Test-EventStore @source
        $result.IsValid | Should -BeFalse
        $problem = $result.Problems | Where-Object Check -EQ 'ThreadTimestamps'
        $problem | Should -HaveCount 1
        $problem.ThreadId | Should -Be 7
        $problem.ThreadCounter | Should -Be 5
        $problem.Message | Should -Match '^The timestamps of thread 7: threadCounter 5 has timestamp 1700000000287, earlier than threadCounter 4''s timestamp 1700000001031'
        $healthy = New-Source $_
        (Test-EventStore @healthy).IsValid | Should -BeTrue
    }

    It 'on <_>: Export-EventStore -First 300 -CursorVariable stops with ThreadTimestampsDecrease instead of a cursor that skips threadCounters 2-4' -ForEach 'SQLite', 'PostgreSQL' {
        $healthy = New-Source $_
        $part1 = @(Export-EventStore @healthy -First 300 -CursorVariable cursor)
        $part2 = @(Export-EventStore @healthy -Cursor $cursor)
        $part1.Count + $part2.Count | Should -Be 5000 -Because 'two parts of a healthy store make the whole'

        $source = New-Source $_ -Backwards
        @(Export-EventStore @source).Count | Should -Be 5000 -Because 'a whole export reads every event whatever a thread''s order'
        $out = New-TestPath "part1-$_.ndjson"
        $stopped = $null
        $err = { Export-EventStore @source -First 300 -CursorVariable stopped -OutFile $out } | Should -Throw -ErrorId 'ExportEventStoreThreadTimestampsDecrease*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match $Named
        $err.Exception.Message | Should -Match 'Test-EventStore'
        $err.TargetObject | Should -BeOfType ([EventStoreTools.Core.ThreadTimestampDecrease])
        $out | Should -Not -Exist
        $stopped | Should -BeNullOrEmpty

        $piped = 'before'
        $err = { Export-EventStore @source -First 300 -CursorVariable piped | Out-Null } | Should -Throw -ErrorId 'ExportEventStoreThreadTimestampsDecrease*' -PassThru
        $err.Exception.Message | Should -Match $Named
        $piped | Should -Be 'before' -Because 'a cursor past an event not read is not handed out'
    }

    It 'on <_>: Export-EventStore -CursorVariable, -Cursor and -Follow stop when they read the thread out of counter order' -ForEach 'SQLite', 'PostgreSQL' {
        $source = New-Source $_ -Backwards
        { Export-EventStore @source -CursorVariable whole | Out-Null } | Should -Throw -ErrorId 'ExportEventStoreThreadTimestampsDecrease*'
        { Export-EventStore @source -Cursor ('A' * 2048) | Out-Null } | Should -Throw -ErrorId 'ExportEventStoreThreadTimestampsDecrease*'
        $err = { Export-EventStore @source -Follow -Timeout '00:00:02' | Out-Null } | Should -Throw -ErrorId 'ExportEventStoreThreadTimestampsDecrease*' -PassThru
        $err.Exception.Message | Should -Match 'thread 7: threadCounter 5 has timestamp 1700000000287, earlier than threadCounter 2''s timestamp 1700000000519'
    }

    It 'on <_>: a downstream Select-Object -First 300 leaves -CursorVariable unset, with a warning naming the thread, where the cursor would skip' -ForEach 'SQLite', 'PostgreSQL' {
        $healthy = New-Source $_
        $cursor = 'before'
        @(Export-EventStore @healthy -CursorVariable cursor | Select-Object -First 300).Count | Should -Be 300
        @(Export-EventStore @healthy -Cursor $cursor).Count | Should -Be 4700

        $source = New-Source $_ -Backwards
        $cursor = 'before'
        @(Export-EventStore @source -CursorVariable cursor -WarningVariable warned -WarningAction SilentlyContinue | Select-Object -First 300).Count | Should -Be 300
        $cursor | Should -Be 'before'
        $warned | Should -HaveCount 1
        $warned[0].Message | Should -Match "^-CursorVariable cursor was not set: The timestamps of $Named"
    }

    It 'on <_>: Sync-EventStore -BatchSize 50 stops with SyncEventStoreThreadTimestampsDecrease, the destination whole up to there' -ForEach 'SQLite', 'PostgreSQL' {
        $healthy = New-Source $_
        $copy = New-TestPath "healthy-copy-$_.db"
        (Sync-EventStore @healthy -DestinationPath $copy -BatchSize 50).CopiedCount | Should -Be 5000

        $source = New-Source $_ -Backwards
        $destination = New-TestPath "mirror-$_.db"
        $err = { Sync-EventStore @source -DestinationPath $destination -BatchSize 50 } | Should -Throw -ErrorId 'SyncEventStoreThreadTimestampsDecrease*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match $Named
        $copied = Get-EventCount $destination
        $copied | Should -BeLessThan 5000
        $result = Test-EventStore $destination -Complete
        $result.IsValid | Should -BeTrue -Because 'nothing was skipped: every thread runs from 0 without a gap'
        $result.EventCount | Should -Be $copied
        { Sync-EventStore @source -DestinationPath $destination -BatchSize 50 } | Should -Throw -ErrorId 'SyncEventStoreThreadTimestampsDecrease*'
        Get-EventCount $destination | Should -Be $copied
    }
}

Describe 'Test-EventStore on PostgreSQL tells a subset from damage' -Tag 'Postgres' {
    It 'a filtered copy (-AggregateId agg-1* -Since) and a schema with a row deleted from the middle are valid with the gap note, invalid under -Complete' {
        $copy = New-TestSchema
        Export-EventStore $BaseStore -AggregateId 'agg-1*' -Since 1700000000100 | Import-EventStore -ConnectionString $Pg -Schema $copy | Out-Null
        $deleted = New-Source 'PostgreSQL'
        Invoke-PostgresQuery $Pg "DELETE FROM ""$($deleted.Schema)"".""events"" WHERE ""threadId"" = 3 AND ""threadCounter"" = 10" | Out-Null
        foreach ($schema in $copy, $deleted.Schema) {
            $result = Test-EventStore -ConnectionString $Pg -Schema $schema
            $result.Problems | Should -BeNullOrEmpty
            $result.IsValid | Should -BeTrue
            $result.IncompleteThreadCount | Should -BeGreaterThan 0
            $result.Notes -match 'threads? do(es)? not start at 0 or have gaps .*: a subset' | Should -HaveCount 1
            $complete = Test-EventStore -ConnectionString $Pg -Schema $schema -Complete
            $complete.IsValid | Should -BeFalse
            ($complete.Problems | Where-Object Check -EQ 'ThreadCounter').Count | Should -Be $result.IncompleteThreadCount
        }
        $problem = (Test-EventStore -ConnectionString $Pg -Schema $deleted.Schema -Complete).Problems | Where-Object Check -EQ 'ThreadCounter'
        ($problem.ThreadId, $problem.ThreadCounter) | Should -Be @(3, 10)
    }
}
