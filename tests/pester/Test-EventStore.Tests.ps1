# Test-EventStore on real stores and exports: reSolve's fixture is valid, and each kind of damage is found and located.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Export = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'

    # The fixture's export with its lines changed by a script block over the array of lines.
    function New-EditedExport([string] $Name, [scriptblock] $Edit) {
        $path = New-TestPath $Name
        $lines = [System.Collections.Generic.List[string]]::new([string[]](Get-Content $Export))
        & $Edit $lines
        [IO.File]::WriteAllText($path, ($lines -join "`n") + "`n")
        $path
    }
}

Describe 'Test-EventStore' {
    It 'finds reSolve''s own store and export valid, with their counts' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $result = Test-EventStore $store
        $result.IsValid | Should -BeTrue
        $result.Problems | Should -BeNullOrEmpty
        $result.Kind | Should -Be 'SqliteFile'
        $result.EventCount | Should -Be 600
        $result.AggregateCount | Should -BeGreaterThan 1
        (Test-EventStore $Export).IsValid | Should -BeTrue
        (Test-EventStore $Export).EventCount | Should -Be 600
    }

    It 'finds a byte flipped in the middle of a SQLite store' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        (Test-EventStore $store).IsValid | Should -BeTrue
        $bytes = [IO.File]::ReadAllBytes($store)
        $middle = [int]($bytes.Length / 2)
        $bytes[$middle] = $bytes[$middle] -bxor 0xFF
        [IO.File]::WriteAllBytes($store, $bytes)
        $result = Test-EventStore $store
        $result.IsValid | Should -BeFalse
        $result.Problems[0].Check | Should -Be 'Integrity'
    }

    It 'locates a missing event under -Complete: thread counter and aggregate version gaps with their thread and aggregate' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $row = Invoke-SqliteQuery $store 'SELECT threadId, threadCounter, aggregateId, aggregateVersion FROM events WHERE threadCounter = 0 AND threadId IN (SELECT threadId FROM events GROUP BY threadId HAVING count(*) > 1) AND aggregateVersion < (SELECT max(aggregateVersion) FROM events e2 WHERE e2.aggregateId = events.aggregateId) LIMIT 1'
        $row | Should -Not -BeNullOrEmpty
        Invoke-SqliteQuery $store "DELETE FROM events WHERE threadId = $($row[0]) AND threadCounter = 0"
        $result = Test-EventStore $store -Complete
        $result.IsValid | Should -BeFalse
        $result.Complete | Should -BeTrue
        $thread = $result.Problems | Where-Object Check -EQ 'ThreadCounter'
        $thread.ThreadId | Should -Be $row[0]
        $thread.ThreadCounter | Should -Be 0
        $aggregate = $result.Problems | Where-Object Check -EQ 'AggregateVersion'
        $aggregate.AggregateId | Should -Be $row[2]
        $aggregate.AggregateVersion | Should -Be $row[3]
    }

    It 'finds a payload that is not JSON, by its thread and counter' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        Invoke-SqliteQuery $store "UPDATE events SET payload = '{""broken"":' WHERE threadId = (SELECT min(threadId) FROM events) AND threadCounter = 0"
        $thread = (Invoke-SqliteQuery $store 'SELECT min(threadId) FROM events')[0]
        $problem = (Test-EventStore $store).Problems | Where-Object Check -EQ 'Payload'
        $problem.ThreadId | Should -Be $thread
        $problem.ThreadCounter | Should -Be 0
    }

    It 'compares the schema with reSolve''s DDL: a dropped index and a changed column are reported' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        Invoke-SqliteQuery $store 'DROP INDEX "type-idx"'
        Invoke-SqliteQuery $store 'CREATE TABLE s2 AS SELECT * FROM snapshots; DROP TABLE snapshots; CREATE TABLE snapshots ("snapshotKey" TEXT, "content" BLOB)'
        $messages = (Test-EventStore $store).Problems | Where-Object Check -EQ 'Schema' | ForEach-Object Message
        $messages -match 'type-idx' | Should -Not -BeNullOrEmpty
        $messages -match 'snapshots.*content' | Should -Not -BeNullOrEmpty
    }

    It 'reports the freeze marker and an open incremental import without calling the store invalid' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        # The import is opened first: a frozen store refuses to start one.
        $id = (Start-IncrementalImport $store).ImportId
        Invoke-SqliteQuery $store 'CREATE TABLE "events-freeze" ("surrogate" BIGINT NOT NULL)'
        $result = Test-EventStore $store
        $result.IsValid | Should -BeTrue
        $result.IsFrozen | Should -BeTrue
        $result.OpenIncrementalImportId | Should -Be $id
        $result.Notes.Count | Should -Be 2
    }

    It '-Quick skips what reads every event, and says so in a note' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        Invoke-SqliteQuery $store 'DELETE FROM events WHERE threadCounter = 0 AND rowid = (SELECT min(rowid) FROM events WHERE threadCounter = 0)'
        $quick = Test-EventStore $store -Quick -Complete
        $quick.IsValid | Should -BeTrue
        $quick.EventCount | Should -Be 599
        $quick.AggregateCount | Should -BeNullOrEmpty
        $quick.IncompleteThreadCount | Should -BeNullOrEmpty
        $quick.Notes | Should -HaveCount 1
        $quick.Notes[0] | Should -Match '^Quick: .*no event, payload or secret was read.*removed row'
        (Test-EventStore $store -Complete).IsValid | Should -BeFalse
        (Test-EventStore $store).Notes -match '^Quick' | Should -BeNullOrEmpty
    }

    It '-Quick on a .gz export says that only its first line was read: truncated, it tests valid with that note without a manifest, and invalid by the manifest''s size with one' {
        $gz = New-TestPath 'quick.ndjson.gz'
        Export-EventStore (Copy-Fixture 'resolve-lite-600.db') -OutFile $gz
        $bytes = [IO.File]::ReadAllBytes($gz)
        [IO.File]::WriteAllBytes($gz, $bytes[0..([int]($bytes.Length / 2))])
        (Test-EventStore $gz -Quick).IsValid | Should -BeFalse -Because 'the manifest beside it records the file''s size'
        Remove-Item "$gz.manifest.json"
        $quick = Test-EventStore $gz -Quick
        $quick.IsValid | Should -BeTrue
        $quick.Notes -match '^Quick: only the first line was read: a truncated \.gz' | Should -HaveCount 1
        $quick.Notes -match 'has no manifest' | Should -HaveCount 1
        (Test-EventStore $gz).IsValid | Should -BeFalse
    }

    It 'locates NDJSON damage by line: a line that is not an event, lines out of read order, a gap' {
        $broken = New-EditedExport 'broken.ndjson' { param($lines) $lines[9] = '{"threadId": 1,' }
        $problem = (Test-EventStore $broken).Problems | Where-Object Check -EQ 'Line'
        $problem.LineNumber | Should -Be 10

        $swapped = New-EditedExport 'swapped.ndjson' { param($lines) $line = $lines[20]; $lines[20] = $lines[21]; $lines[21] = $line }
        $problem = (Test-EventStore $swapped).Problems | Where-Object Check -EQ 'ReadOrder'
        $problem.LineNumber | Should -Be 22

        $gap = New-EditedExport 'gap.ndjson' { param($lines) $lines.RemoveAt(0) }
        $first = (Get-Content $Export -TotalCount 1) | ConvertFrom-Json
        $problems = (Test-EventStore $gap -Complete).Problems
        ($problems | Where-Object Check -EQ 'ThreadCounter').ThreadId | Should -Be $first.threadId
        (Test-EventStore $gap).EventCount | Should -Be 599
    }

    It 'reads a whole store as one result from the pipeline, and a missing path is an error for that path only' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $results = @($store, (Join-Path $TestDrive 'nope.db'), $Export | Test-EventStore -ErrorVariable failures -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'TestEventStoreStoreNotFound*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'checks every match of a wildcard, and -LiteralPath (and Get-ChildItem) names files with wildcard characters' {
        $folder = New-Item (Join-Path $TestDrive 'many') -ItemType Directory
        $stores = 'a.db', 'b.db', 'c[1].db' | ForEach-Object { Copy-Item (Join-Path $Fixtures 'resolve-lite-600.db') (Join-Path $folder $_); Join-Path $folder $_ }
        $results = @(Test-EventStore (Join-Path $folder '?.db'))
        $results.Count | Should -Be 2
        $results.EventCount | Should -Be @(600, 600)
        (Test-EventStore -LiteralPath $stores[2]).IsValid | Should -BeTrue
        @(Get-ChildItem $folder | Test-EventStore).Count | Should -Be 3

        Test-EventStore (Join-Path $folder 'x*.db') -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'TestEventStoreStoreNotFound*'
    }

    It 'checks a backup folder''s secrets: a repeated id or idx, and a line that is not a secret, are problems' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $folder = Join-Path $TestDrive 'secrets-folder'
        Export-EventStore $store -Directory $folder
        Remove-Item (Join-Path $folder 'eventstoretools-manifest.json')
        $secrets = Join-Path $folder 'secrets.db'
        [IO.File]::WriteAllText($secrets, "{""secret"":""a"",""id"":""user-1"",""idx"":0}`n{""secret"":""b"",""id"":""user-1"",""idx"":0}`n")
        $messages = (Test-EventStore $folder).Problems | Where-Object Check -EQ 'Secret' | ForEach-Object Message
        $messages -match 'user-1' | Should -Not -BeNullOrEmpty
        $messages -match 'idx 0' | Should -Not -BeNullOrEmpty
        [IO.File]::WriteAllText($secrets, "{""secret"":""a""}`n")
        $problem = (Test-EventStore $folder).Problems | Where-Object Check -EQ 'Secret'
        $problem.LineNumber | Should -Be 1
    }
}

Describe 'Test-EventStore tells a subset from damage' {
    BeforeAll {
        $script:Store = Copy-Fixture 'resolve-lite-600.db' 'subset-source.db'
        $script:All = Export-EventStore $Store

        # A result that is valid with the gap note and invalid under -Complete, with ThreadCounter problems.
        function Assert-Subset([string] $Path) {
            $result = Test-EventStore $Path
            $result.Problems | Should -BeNullOrEmpty
            $result.IsValid | Should -BeTrue
            $result.IncompleteThreadCount | Should -BeGreaterThan 0
            $result.Notes -match "^$($result.IncompleteThreadCount) threads? do(es)? not start at 0 or have gaps \(first: thread \d+, threadCounter \d+ missing\): a subset .*, or rows removed" |
                Should -HaveCount 1
            $complete = Test-EventStore $Path -Complete
            $complete.IsValid | Should -BeFalse
            ($complete.Problems | Where-Object Check -EQ 'ThreadCounter').Count | Should -Be $result.IncompleteThreadCount
            $complete.Notes -match 'do(es)? not start' | Should -BeNullOrEmpty
        }
    }

    It 'a filtered copy (<Filter>) restored into a store, and as an NDJSON export, tests valid with a gap note and invalid under -Complete' -ForEach @(
        @{ Filter = '-AggregateId'; Select = { @{ AggregateId = $All[0].AggregateId } } }
        @{ Filter = '-EventType'; Select = { @{ EventType = $All[0].Type } } }
        @{ Filter = '-Since'; Select = { @{ Since = $All[300].Timestamp } } }
    ) {
        $selection = & $Select
        $copy = New-TestPath "filtered$Filter.db"
        $events = @(Export-EventStore $Store @selection)
        $events.Count | Should -BeLessThan 600
        $events | Import-EventStore $copy | Out-Null
        Assert-Subset $copy
        $file = New-TestPath "filtered$Filter.ndjson"
        Export-EventStore $Store @selection -OutFile $file
        Assert-Subset $file
    }

    It 'a partial restore (Import-EventStore -AggregateId) and the second part of an export resumed with -Cursor test valid with a gap note' {
        $restored = New-TestPath 'partial.db'
        Import-EventStore $restored -InFile $Export -AggregateId $All[0].AggregateId | Out-Null
        Assert-Subset $restored
        $part1 = New-TestPath 'part1.ndjson'
        $part2 = New-TestPath 'part2.ndjson'
        Export-EventStore $Store -OutFile $part1 -First 250 -CursorVariable cursor
        Export-EventStore $Store -OutFile $part2 -Cursor $cursor
        Assert-Subset $part2
        (Test-EventStore $part1).IsValid | Should -BeTrue
    }

    It 'a store with a row deleted from the middle of a thread is valid with the note, and under -Complete invalid, naming the thread and counter' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'line-deleted.db'
        $row = Invoke-SqliteQuery $store 'SELECT threadId, threadCounter FROM events e WHERE threadCounter > 0 AND threadCounter < (SELECT max(threadCounter) FROM events WHERE threadId = e.threadId) LIMIT 1'
        Invoke-SqliteQuery $store "DELETE FROM events WHERE threadId = $($row[0]) AND threadCounter = $($row[1])"
        Assert-Subset $store
        $problem = (Test-EventStore $store -Complete).Problems | Where-Object Check -EQ 'ThreadCounter'
        $problem.ThreadId | Should -Be $row[0]
        $problem.ThreadCounter | Should -Be $row[1]
        $problem.Message | Should -Match "threadCounter $($row[1]) is missing"
    }

    It 'a thread whose timestamps decrease is a problem naming the thread, counters and timestamps, in the store and in its export' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'backwards.db'
        $row = Invoke-SqliteQuery $store 'SELECT threadId, timestamp FROM events WHERE threadCounter = 0 AND threadId IN (SELECT threadId FROM events WHERE threadCounter = 2) LIMIT 1'
        $thread = $row[0]
        $earlier = $row[1] - 1
        Invoke-SqliteQuery $store "UPDATE events SET timestamp = $earlier WHERE threadId = $thread AND threadCounter = 1"
        $counter0 = $row[1]
        foreach ($path in $store, (New-TestPath 'backwards.ndjson')) {
            if ($path -like '*.ndjson') { Export-EventStore $store -OutFile $path }
            $result = Test-EventStore $path
            $result.IsValid | Should -BeFalse
            $problem = $result.Problems | Where-Object Check -EQ 'ThreadTimestamps'
            $problem | Should -HaveCount 1
            $problem.ThreadId | Should -Be $thread
            $problem.ThreadCounter | Should -Be 1
            $problem.Message | Should -Match "^The timestamps of thread $($thread): threadCounter 1 has timestamp $earlier, earlier than threadCounter 0's timestamp $counter0"
        }
    }
}
