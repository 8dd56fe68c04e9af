# Test-EventStore and Compare-EventStore on reSolve's eventstore-postgresql schema, against a real server that
# this file starts and stops.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres
    $script:Pg = $Server.ConnectionString
    $script:Export = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'
}

AfterAll { Stop-TestPostgres $Server }

Describe 'Backups on PostgreSQL' -Tag 'Postgres' {
    It 'Test-EventStore finds a restored schema valid, then an invalid index, a threads table behind its events and a dropped index' {
        $schema = New-TestSchema
        Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $Export | Out-Null
        $result = Test-EventStore -ConnectionString $Pg -Schema $schema
        $result.Problems | Should -BeNullOrEmpty
        $result.IsValid | Should -BeTrue
        $result.Kind | Should -Be 'PostgresSchema'
        $result.EventCount | Should -Be 600
        (Invoke-PostgresQuery $Pg "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'eventstoretools-expected-%'")[0] | Should -Be 0 -Because 'the scratch schema is rolled back'

        $thread = (Invoke-PostgresQuery $Pg "SELECT min(""threadId"") FROM ""$schema"".""events""")[0]
        Invoke-PostgresQuery $Pg "UPDATE ""$schema"".""events-threads"" SET ""threadCounter"" = 0 WHERE ""threadId"" = $thread" | Out-Null
        Invoke-PostgresQuery $Pg "UPDATE pg_index SET indisvalid = false WHERE indexrelid = '""$schema"".""events-type""'::regclass" | Out-Null
        Invoke-PostgresQuery $Pg "DROP INDEX ""$schema"".""events-timestamp""" | Out-Null
        $problems = (Test-EventStore -ConnectionString $Pg -Schema $schema).Problems
        ($problems | Where-Object { $_.Check -eq 'Catalog' -and $_.ThreadId -eq $thread }) | Should -Not -BeNullOrEmpty
        ($problems | Where-Object { $_.Check -eq 'Catalog' -and $_.Message -match 'events-type' }) | Should -Not -BeNullOrEmpty
        ($problems | Where-Object { $_.Check -eq 'Schema' -and $_.Message -match 'events-timestamp' }) | Should -Not -BeNullOrEmpty
    }

    It 'Test-EventStore reports an open incremental import in a PostgreSQL schema' {
        $schema = New-TestSchema
        Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $Export | Out-Null
        $id = (Start-IncrementalImport -ConnectionString $Pg -Schema $schema).ImportId
        $result = Test-EventStore -ConnectionString $Pg -Schema $schema -Quick
        $result.OpenIncrementalImportId | Should -Be $id
        $result.IsValid | Should -BeTrue
    }

    It 'Compare-EventStore finds a PostgreSQL copy identical to its SQLite source and export (payloads as JSON), and JSONB''s key order as stored bytes that differ' {
        $schema = New-TestSchema
        $source = Copy-Fixture 'resolve-lite-600.db'
        Export-EventStore $source | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        (Compare-EventStore $source -DifferenceConnectionString $Pg -DifferenceSchema $schema -Summary).Identical | Should -BeTrue
        (Compare-EventStore -ConnectionString $Pg -Schema $schema -DifferencePath $Export -Summary).Identical | Should -BeTrue
        $asBytes = Compare-EventStore $source -DifferenceConnectionString $Pg -DifferenceSchema $schema -PayloadComparison Bytes -Summary
        $asBytes.ChangedCount | Should -BeGreaterThan 0 -Because 'JSONB stores keys in its own order'
    }

    It 'Import-EventStore -WhatIf on PostgreSQL: says create for a new schema and creates nothing; -Incremental counts in a rolled-back transaction' {
        $schema = New-TestSchema
        $run = Invoke-Captured { Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $Export -WhatIf }
        $run.WhatIf[-1] | Should -Match "^What if: Performing the operation `"Create the store and write 600 events`" on target `".* schema `"$schema`"`"\.$"
        $dry = $run.Output
        $dry.Action | Should -Be 'Created'
        $dry.ImportedCount | Should -Be 600
        (Invoke-PostgresQuery $Pg "SELECT count(*) FROM pg_namespace WHERE nspname = '$schema'")[0] | Should -Be 0
        Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $Export | Out-Null
        $newest = (Get-EventStore -ConnectionString $Pg -Schema $schema).LastTimestamp
        $events = @(Export-EventStore -ConnectionString $Pg -Schema $schema) + @(New-TestEvent -Timestamp ($newest + 1) -Aggregate 'pg-whatif' -Type 'Added' -Payload @{ n = 1 })
        $run = Invoke-Captured { $events | Import-EventStore -ConnectionString $Pg -Schema $schema -Incremental -WhatIf }
        $run.WhatIf | Should -Match "^What if: Performing the operation `"Import the events the store lacks \(incremental import\)`" on target `".* schema `"$schema`"`"\.$"
        $run.Warnings | Should -BeNullOrEmpty
        $summary = $run.Output
        $summary.WhatIf | Should -BeTrue
        $summary.ImportedCount | Should -Be 1
        $summary.SkippedDuplicateCount | Should -Be 600
        $after = Get-EventStore -ConnectionString $Pg -Schema $schema
        $after.EventCount | Should -Be 600
        $after.HasOpenIncrementalImport | Should -BeFalse
    }
}
