# New-EventStore: an empty store with reSolve's tables, or a generated, repeatable sample, on SQLite and PostgreSQL.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'New-EventStore on SQLite' {
    It 'creates an empty store with reSolve''s tables, which Test-EventStore finds valid' {
        $store = New-TestPath 'empty.db'
        $description = New-EventStore $store
        $description.EventCount | Should -Be 0
        $description.SecretCount | Should -Be 0
        $tables = Invoke-SqliteQuery $store "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name" | ForEach-Object { $_ }
        $tables | Should -Be @('events', 'secrets', 'snapshots', 'subscribers')
        (Test-EventStore $store).IsValid | Should -BeTrue
    }

    It 'fills a store with a generated sample that Test-EventStore finds valid, with the counts asked for' {
        $store = New-TestPath 'sample.db'
        $description = New-EventStore $store -SampleEventCount 3000 -AggregateCount 40 -SecretCount 7 -Seed 5
        $description.EventCount | Should -Be 3000
        $description.SecretCount | Should -Be 7
        $test = Test-EventStore $store
        $test.Problems | Should -BeNullOrEmpty
        $test.IsValid | Should -BeTrue
        $test.AggregateCount | Should -Be 40
        $events = @(Export-EventStore $store)
        ($events | Group-Object Type).Name | Sort-Object | Should -Be @('ACCOUNT_OPENED', 'ACCOUNT_RENAMED', 'DEPOSIT_MADE', 'STATEMENT_ISSUED', 'WITHDRAWAL_MADE')
        @($events | Where-Object Type -eq 'ACCOUNT_OPENED').Count | Should -Be 40 -Because 'each account is opened once, by its first event'
        @($events | Where-Object { $_.Type -eq 'ACCOUNT_OPENED' -and $_.AggregateVersion -ne 1 }).Count | Should -Be 0
        ($events | Group-Object Timestamp | Where-Object Count -gt 1) | Should -Not -BeNullOrEmpty -Because 'some events share a millisecond, as in a busy application'
        ($events.PayloadJson | Measure-Object Length -Maximum).Maximum | Should -BeGreaterThan 1000 -Because 'statements make payloads of kilobytes'
        (Invoke-SqliteQuery $store 'SELECT count(*) FROM secrets WHERE id IN (SELECT aggregateId FROM events)')[0] | Should -Be 7
        if ($IsLinux) { stat -c %a $store | Should -Be '600' -Because 'a store holding secrets is its owner''s only' }
    }

    It 'gives the same bytes for the same seed and counts, and other events for another seed' {
        $first, $second, $other = 'seed-a.db', 'seed-b.db', 'seed-c.db' | ForEach-Object { New-TestPath $_ }
        New-EventStore $first -SampleEventCount 2000 -Seed 11 | Out-Null
        New-EventStore $second -SampleEventCount 2000 -Seed 11 | Out-Null
        New-EventStore $other -SampleEventCount 2000 -Seed 12 | Out-Null
        (Get-FileHash $second).Hash | Should -Be (Get-FileHash $first).Hash
        $exports = foreach ($store in $first, $other) { $out = "$store.ndjson"; Export-EventStore $store -OutFile $out; (Get-FileHash $out).Hash }
        $exports[1] | Should -Not -Be $exports[0]
    }

    It 'refuses a store that exists, and leaves it byte for byte' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'existing.db'
        $before = (Get-FileHash $store).Hash
        { New-EventStore $store -SampleEventCount 10 } | Should -Throw -ErrorId 'NewEventStoreStoreExists,EventStoreTools.Cmdlets.NewEventStoreCommand'
        $error[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $error[0].Exception.Message | Should -Match 'Import-EventStore'
        (Get-FileHash $store).Hash | Should -Be $before
    }

    It 'refuses sample options without -SampleEventCount, naming them' {
        $store = New-TestPath 'options.db'
        { New-EventStore $store -Seed 3 -SecretCount 1 } | Should -Throw -ErrorId 'NewEventStoreSampleCountMissing,EventStoreTools.Cmdlets.NewEventStoreCommand'
        $error[0].Exception.Message | Should -Match '-SecretCount, -Seed|-Seed, -SecretCount'
        $store | Should -Not -Exist
        { New-EventStore $store -SampleEventCount 10 -AggregateCount 2 -SecretCount 3 } | Should -Throw -ErrorId 'NewEventStoreInvalidSample,EventStoreTools.Cmdlets.NewEventStoreCommand'
        $store | Should -Not -Exist
    }

    It 'creates a name with wildcard characters through -LiteralPath' {
        $store = New-TestPath 'shop [1].db'
        (New-EventStore -LiteralPath $store -SampleEventCount 20).EventCount | Should -Be 20
        Test-Path -LiteralPath $store | Should -BeTrue
    }
}

Describe 'New-EventStore and reSolve''s own adapter' -Tag 'Compat' {
    It 'creates an empty store that reSolve''s eventstore-lite writes to and reads back, and a sample it exports as we do' {
        $empty = New-TestPath 'for-resolve.db'
        New-EventStore $empty | Out-Null
        $sample = New-TestPath 'sample-for-resolve.db'
        New-EventStore $sample -SampleEventCount 500 -Seed 3 | Out-Null
        $ours = New-TestPath 'sample-ours.ndjson'
        Export-EventStore $sample -OutFile $ours
        $script = @'
const resolve = require(process.argv[1])
const [empty, sample] = process.argv.slice(2)
;(async () => {
  await resolve.saveEvents({ engine: 'sqlite', file: empty }, null, [{ aggregateId: 'a', aggregateVersion: 1, type: 'T', timestamp: 1, payload: { n: 1 } }])
  const lines = (await resolve.exportEvents({ engine: 'sqlite', file: empty }, null)).toString('utf8').split('\n').filter(Boolean)
  process.stdout.write(JSON.stringify({ saved: lines.length }) + '\n')
  process.stdout.write((await resolve.exportEvents({ engine: 'sqlite', file: sample }, null)).toString('base64') + '\n')
})().catch((error) => { console.error(error); process.exit(1) })
'@
        $output = @(node -e $script (Join-Path $RepoRoot 'tests/compat/lib/resolve.js') $empty $sample 2>&1 | ForEach-Object { "$_" })
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        ($output[0] | ConvertFrom-Json).saved | Should -Be 1
        [Convert]::FromBase64String($output[1]) | Should -Be ([IO.File]::ReadAllBytes($ours)) -Because 'reSolve exports the generated store byte for byte as we do'
    }
}

Describe 'New-EventStore on PostgreSQL' -Tag 'Postgres' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
        $script:Server = Start-TestPostgres
        $script:Pg = $Server.ConnectionString
    }

    AfterAll { Stop-TestPostgres $Server }

    It 'creates an empty schema and a sample schema that Test-EventStore finds valid, the sample equal to its SQLite twin' {
        $empty = New-TestSchema
        (New-EventStore -ConnectionString $Pg -Schema $empty).EventCount | Should -Be 0
        (Test-EventStore -ConnectionString $Pg -Schema $empty).IsValid | Should -BeTrue

        $schema = New-TestSchema
        $description = New-EventStore -ConnectionString $Pg -Schema $schema -SampleEventCount 1500 -SecretCount 4 -Seed 9
        $description.EventCount | Should -Be 1500
        $description.SecretCount | Should -Be 4
        (Test-EventStore -ConnectionString $Pg -Schema $schema).IsValid | Should -BeTrue
        $twin = New-TestPath 'pg-twin.db'
        New-EventStore $twin -SampleEventCount 1500 -SecretCount 4 -Seed 9 | Out-Null
        # JSONB keeps an object's keys in its own order, so the two are equal as JSON values, not as text.
        $summary = Compare-EventStore $twin -DifferenceConnectionString $Pg -DifferenceSchema $schema -Summary
        $summary.Identical | Should -BeTrue -Because ($summary | Out-String)

        { New-EventStore -ConnectionString $Pg -Schema $schema } | Should -Throw -ErrorId 'NewEventStoreStoreExists,EventStoreTools.Cmdlets.NewEventStoreCommand'
        (Get-EventStore -ConnectionString $Pg -Schema $schema).EventCount | Should -Be 1500
    }
}
