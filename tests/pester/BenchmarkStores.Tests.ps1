# The benchmark's stores (bench/BenchmarkSqlite.ps1): made by New-EventStore as a user's fixture store is, and the
# incremental scenario's input really is half stored events and half new ones after them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot '../../bench/BenchmarkSqlite.ps1')
}

Describe 'The benchmark''s generated stores' {
    It 'are New-EventStore samples with one account per ten events, valid under Test-EventStore' {
        $store = New-TestPath 'bench-2000.db'
        New-GeneratedEventStore -Path $store -Count 2000
        $test = Test-EventStore $store
        $test.IsValid | Should -BeTrue
        $test.EventCount | Should -Be 2000
        $test.AggregateCount | Should -Be 200
        $twin = New-TestPath 'twin.db'
        New-EventStore $twin -SampleEventCount 2000 -AggregateCount 200 -Seed 1 | Out-Null
        $benchNdjson, $twinNdjson = (New-TestPath 'bench.ndjson'), (New-TestPath 'twin.ndjson')
        Export-EventStore $store -OutFile $benchNdjson -WarningAction SilentlyContinue
        Export-EventStore $twin -OutFile $twinNdjson -WarningAction SilentlyContinue
        (Get-Item $benchNdjson).Length | Should -BeGreaterThan 100000
        (Get-FileHash $benchNdjson).Hash | Should -Be (Get-FileHash $twinNdjson).Hash
    }

    It 'give the incremental scenario half stored events and half new ones after the large store''s newest' {
        $large = New-TestPath 'large.db'
        New-GeneratedEventStore -Path $large -Count 3000
        $incremental = New-TestPath 'incremental.db'
        New-IncrementalInput -Path $incremental -LargeStore $large -Count 400
        (Test-EventStore $incremental).IsValid | Should -BeTrue
        $newest = [long](Invoke-SqliteQuery $large 'SELECT max("timestamp") FROM "events"')[0]
        $after = [long](Invoke-SqliteQuery $incremental "SELECT count(*) FROM `"events`" WHERE `"timestamp`" > $newest")[0]
        $after | Should -Be 200
        $summary = Export-EventStore $incremental | Import-EventStore $large -Incremental
        $summary.ImportedCount | Should -Be 200
        $summary.SkippedDuplicateCount | Should -Be 200
        (Get-EventStore $large).EventCount | Should -Be 3200
    }
}
