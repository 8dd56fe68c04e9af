# Import-EventStore -Incremental into a store that does not exist: reSolve's incrementalImport into an empty store
# imports everything, so the store is created with reSolve's tables, whole or not at all, on SQLite and PostgreSQL.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Batch = Join-Path $Fixtures 'incremental/new-unordered.input.ndjson'
}

Describe 'Import-EventStore -Incremental into a missing SQLite file' {
    It 'creates the store and imports every event, numbered as an incremental import into an empty store is' {
        $store = New-TestPath 'new-incremental.db'
        $summary = Import-EventStore $store -InFile $Batch -Incremental
        $summary.ImportedCount | Should -Be 5
        $summary.Store | Should -Be $store
        # The same as an incremental import into an empty store that exists (made by New-EventStore).
        $empty = New-TestPath 'empty-first.db'
        New-EventStore $empty | Out-Null
        Import-EventStore $empty -InFile $Batch -Incremental | Out-Null
        Get-StoreRows $store | Should -Be (Get-StoreRows $empty)
        (Test-EventStore $store).IsValid | Should -BeTrue
        @(Get-ChildItem (Split-Path $store) -Force -Filter '.new-incremental.db.*') | Should -BeNullOrEmpty -Because 'the temporary file was moved into place'
    }

    It 'creates nothing under -WhatIf, and nothing when the input is refused' {
        $store = New-TestPath 'whatif-incremental.db'
        $run = Invoke-Captured { Import-EventStore $store -InFile $Batch -Incremental -WhatIf }
        $run.Output.ImportedCount | Should -Be 5
        $run.WhatIf | Should -Match "Create the store with reSolve's tables and import every event"
        $store | Should -Not -Exist
        $bad = New-TestPath 'bad.ndjson'
        Set-Content $bad ((Get-Content $Batch -TotalCount 2) + '{"aggregateId":"x","type":"T"}')
        { Import-EventStore $store -InFile $bad -Incremental } | Should -Throw -ErrorId 'ImportEventStoreInvalidInput,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $store | Should -Not -Exist
        @(Get-ChildItem (Split-Path $store) -Force -Filter '.whatif-incremental.db.*') | Should -BeNullOrEmpty
    }
}

Describe 'Import-EventStore -Incremental into a missing PostgreSQL schema' -Tag 'Postgres' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
        $script:Server = Start-TestPostgres
        $script:Pg = $Server.ConnectionString
    }

    AfterAll { Stop-TestPostgres $Server }

    It 'creates the schema with reSolve''s tables and imports every event; -WhatIf and refused input create nothing' {
        $whatIf = New-TestSchema
        $run = Invoke-Captured { Import-EventStore -ConnectionString $Pg -Schema $whatIf -InFile $Batch -Incremental -WhatIf }
        $run.Output.ImportedCount | Should -Be 5
        $run.WhatIf | Should -Match "Create the store with reSolve's tables"
        (Invoke-PostgresQuery $Pg "SELECT count(*) FROM pg_namespace WHERE nspname = '$whatIf'")[0] | Should -Be 0

        $bad = New-TestPath 'bad-pg.ndjson'
        Set-Content $bad '{"aggregateId":"x","type":"T"}'
        { Import-EventStore -ConnectionString $Pg -Schema $whatIf -InFile $bad -Incremental } | Should -Throw -ErrorId 'ImportEventStoreInvalidInput,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        (Invoke-PostgresQuery $Pg "SELECT count(*) FROM pg_namespace WHERE nspname = '$whatIf'")[0] | Should -Be 0

        $schema = New-TestSchema
        (Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $Batch -Incremental).ImportedCount | Should -Be 5
        $check = Test-EventStore -ConnectionString $Pg -Schema $schema
        $check.IsValid | Should -BeTrue
        $check.EventCount | Should -Be 5
    }
}
