BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# A new (or emptied) store is loaded row by row in the input's order, secondary indexes built afterwards: the table
# is laid out as reSolve lays out a store it wrote (read order), so a later export reads it sequentially.
# (Loading in the unique key's order through a staging table was measured slower, 16.6 s against 13.3 s at 1M
# and 58.6 s against 39.8 s at 3M, and left a layout that exports more slowly.)
Describe 'Import-EventStore loads a new SQLite store in the input order' {
    BeforeAll {
        # Aggregates whose ids do not sort in read order: a load in key order would differ from the input's.
        $script:Source = New-TestPath 'ordered-source.db'
        @() | Import-EventStore $Source | Out-Null
        Add-GeneratedRows $Source 3000 'events' "i % 256, i / 256, 1700000000000 + i, lower(hex(randomblob(8))) || '-' || (i % 300), i / 300 + 1, 'T' || (i % 5), json_object('i', i, 'r', random() % 1000 / 7.0, 's', char(233, 10, 0x1F600))"
        $script:SourceRows = Get-StoreRows $Source
    }

    It 'writes the rows appending writes, every column, with integrity ok, laid out in read order (<Path>)' -ForEach @(
        @{ Path = 'pipeline' }
        @{ Path = 'infile' }
    ) {
        $target = New-TestPath "ordered-$Path.db"
        if ($Path -eq 'pipeline') { Export-EventStore $Source | Import-EventStore $target | Out-Null }
        else {
            $file = New-TestPath 'ordered.ndjson'
            Export-EventStore $Source -OutFile $file
            Import-EventStore $target -InFile $file | Out-Null
        }
        # Row by row: appended to a store that already holds an event, then that event removed.
        $rowByRow = New-TestPath "row-by-row-$Path.db"
        New-TestEvent -Thread 255 -Counter 999999 -Aggregate 'placeholder' | Import-EventStore $rowByRow | Out-Null
        Export-EventStore $Source | Import-EventStore $rowByRow -Append | Out-Null
        Invoke-SqliteQuery $rowByRow "DELETE FROM events WHERE aggregateId = 'placeholder'" | Out-Null

        $rows = Get-StoreRows $target
        $rows.Count | Should -Be 3000
        $rows | Should -Be (Get-StoreRows $rowByRow)
        Get-IntegrityCheck $target | Should -Be 'ok'
        # The table was filled in the input's (read) order: its rowids follow (timestamp, threadCounter, threadId).
        $inRowidOrder = Invoke-SqliteQuery $target 'SELECT threadId, threadCounter FROM events ORDER BY rowid' | ForEach-Object { "$($_[0]) $($_[1])" }
        $inReadOrder = Invoke-SqliteQuery $target 'SELECT threadId, threadCounter FROM events ORDER BY timestamp, threadCounter, threadId' | ForEach-Object { "$($_[0]) $($_[1])" }
        $inRowidOrder | Should -Be $inReadOrder
        (Invoke-SqliteQuery $target 'PRAGMA freelist_count')[0] | Should -Be 0
    }

    It 'names the first repeated key of the input, by line' {
        $file = New-TestPath 'ordered-dup.ndjson'
        Export-EventStore $Source -First 5 -OutFile $file
        $exported = @(Get-Content $file)
        # Line 6 repeats line 2's (threadId, threadCounter); line 7 repeats line 1's aggregate version.
        $second = $exported[1] | ConvertFrom-Json
        $first = $exported[0] | ConvertFrom-Json
        $dupKey = $exported[2] -replace '"aggregateId":"[^"]*"', '"aggregateId":"other"' -replace '"threadCounter":\d+,"threadId":\d+', ('"threadCounter":{0},"threadId":{1}' -f $second.threadCounter, $second.threadId)
        $dupVersion = $exported[3] -replace '"threadCounter":\d+', '"threadCounter":77777' -replace '"aggregateId":"[^"]*"', ('"aggregateId":"{0}"' -f $first.aggregateId) -replace '"aggregateVersion":\d+', ('"aggregateVersion":{0}' -f $first.aggregateVersion)
        Set-Content $file -Value ($exported + $dupKey + $dupVersion)
        # The edited file no longer matches the manifest the export wrote beside it, which would refuse it first.
        Remove-Item "$file.manifest.json"
        $target = New-TestPath 'ordered-dup.db'
        $err = Get-ErrorRecord { Import-EventStore $target -InFile $file -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -Be 'ImportEventStoreDuplicateEvent,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $err.TargetObject.LineNumber | Should -Be 6
        $err.Exception.Message | Should -Match "^Line 6: An event with threadId $($second.threadId) and threadCounter $($second.threadCounter) "
        Test-Path $target | Should -BeFalse

        $err = Get-ErrorRecord { Get-Content $file | Select-Object -SkipLast 2 | ConvertFrom-Json | Select-Object -Last 1 | ForEach-Object { $_; $_ } | Import-EventStore $target -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -Be 'ImportEventStoreDuplicateEvent,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $err.TargetObject.AggregateId | Should -Be (($exported[4] | ConvertFrom-Json).aggregateId)
        Test-Path $target | Should -BeFalse
    }
}
