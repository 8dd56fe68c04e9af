# Compare-EventStore with anything on either side: SQLite stores, NDJSON exports (plain, compressed), backup folders;
# payloads as JSON values or as the stored bytes.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Export = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'
}

Describe 'Compare-EventStore across kinds' {
    It 'finds a store identical to its NDJSON export, its .gz export and its compressed backup folder, on either side' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $gz = Join-Path $TestDrive 'export.ndjson.gz'
        Export-EventStore $store -OutFile $gz
        $folder = Join-Path $TestDrive 'folder'
        Export-EventStore $store -Directory $folder -Compression Zstandard
        foreach ($other in $Export, $gz, $folder) {
            $summary = Compare-EventStore $store $other -Summary
            $summary.Identical | Should -BeTrue
            $summary.EqualCount | Should -Be 600
            (Compare-EventStore $other $store -Summary).Identical | Should -BeTrue
        }
        (Compare-EventStore $Export $folder -Summary).Identical | Should -BeTrue
        Get-ChildItem ([IO.Path]::GetTempPath()) -Filter 'eventstoretools-compare-*' | Should -BeNullOrEmpty -Because 'the temporary stores are deleted'
    }

    It 'locates a changed, a missing and an extra event between a store and an export' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $lines = [Collections.Generic.List[string]]::new([string[]](Get-Content $Export))
        $changed = $lines[5] | ConvertFrom-Json
        $lines[5] = $lines[5].Replace('"type":"' + $changed.type + '"', '"type":"Edited"')
        $missing = $lines[7] | ConvertFrom-Json
        $lines.RemoveAt(7)
        $edited = Join-Path $TestDrive 'edited.ndjson'
        [IO.File]::WriteAllText($edited, ($lines -join "`n") + "`n")
        $differences = Compare-EventStore $store $edited
        $differences.Count | Should -Be 2
        ($differences | Where-Object Change -EQ 'Changed').ThreadId | Should -Be $changed.threadId
        ($differences | Where-Object Change -EQ 'Changed').ChangedFields | Should -Be 'Type'
        ($differences | Where-Object Change -EQ 'Missing').ThreadCounter | Should -Be $missing.threadCounter
        (Compare-EventStore $edited $store | Where-Object Change -EQ 'Extra').ThreadId | Should -Be $missing.threadId
    }

    It 'compares payloads as JSON values by default and as the stored bytes with -PayloadComparison Bytes (Text is its older name)' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $copy = Copy-Fixture 'resolve-lite-600.db' 'reordered.db'
        Invoke-SqliteQuery $copy 'UPDATE events SET payload = ''{ "b" : 2, "a" : 1.0 }'' WHERE rowid = 1'
        Invoke-SqliteQuery $store 'UPDATE events SET payload = ''{"a":1,"b":2}'' WHERE rowid = 1'
        (Compare-EventStore $store $copy -Summary).Identical | Should -BeTrue
        (Compare-EventStore $store $copy -PayloadComparison Json -Summary).Identical | Should -BeTrue
        foreach ($mode in 'Bytes', 'Text') {
            $bytes = Compare-EventStore $store $copy -PayloadComparison $mode
            $bytes.Change | Should -Be 'Changed'
            $bytes.ChangedFields | Should -Be 'Payload'
        }
    }

    It 'finds with -PayloadComparison Bytes a number spelled otherwise in the same key order, which reads back as the same text' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $copy = Copy-Fixture 'resolve-lite-600.db' 'spelled.db'
        Invoke-SqliteQuery $store 'UPDATE events SET payload = ''{"a":[1,100]}'' WHERE rowid = 7'
        Invoke-SqliteQuery $copy 'UPDATE events SET payload = ''{"a":[1.0,1E2]}'' WHERE rowid = 7'
        (Export-EventStore $copy | Where-Object PayloadJson -eq '{"a":[1,100]}') | Should -Not -BeNullOrEmpty -Because 'export writes the canonical text of both'
        (Compare-EventStore $store $copy -Summary).Identical | Should -BeTrue
        $summary = Compare-EventStore $store $copy -PayloadComparison Bytes -Summary
        $summary.ChangedCount, $summary.EqualCount | Should -Be @(1, 599)
        (Compare-EventStore $store $store -PayloadComparison Bytes -Summary).Identical | Should -BeTrue
    }

    It 'refuses a backup folder that does not match its manifest, and asks for the difference store' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $folder = Join-Path $TestDrive 'tampered'
        Export-EventStore $store -Directory $folder
        Add-Content (Join-Path $folder 'events.db') '{"threadId":0,"threadCounter":99,"timestamp":1,"aggregateId":"x","aggregateVersion":1,"type":"T","payload":null}'
        { Compare-EventStore $store $folder } | Should -Throw -ErrorId 'CompareEventStoreBackupManifestMismatch,*'
        { Compare-EventStore $store } | Should -Throw -ErrorId 'CompareEventStoreStoreNotSpecified,*'
        { Compare-EventStore $store -DifferenceConnectionString 'Host=localhost' } | Should -Throw -ErrorId 'CompareEventStoreStoreNotSpecified,*'
    }
}
