# Compare-EventStore on reSolve's eventstore-postgresql schema (against a real server that this file starts and
# stops): pairing by (aggregateId, aggregateVersion), thread numbering apart, secrets by id.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres
    $script:Pg = $Server.ConnectionString

    # A schema holding the events of a SQLite store.
    function New-PostgresCopy([string] $Path) {
        $schema = New-TestSchema
        Export-EventStore $Path | Import-EventStore -ConnectionString $Pg -Schema $schema | Out-Null
        $schema
    }

    # (aggregateId|aggregateVersion) -> threadId:threadCounter of every event of a schema.
    function Get-Numbering([string] $Schema) {
        $numbering = @{}
        foreach ($e in Export-EventStore -ConnectionString $Pg -Schema $Schema) { $numbering["$($e.AggregateId)|$($e.AggregateVersion)"] = "$($e.ThreadId):$($e.ThreadCounter)" }
        $numbering
    }
}

AfterAll { Stop-TestPostgres $Server }

Describe 'Compare-EventStore on PostgreSQL' -Tag 'Postgres' {
    It 'reports the secrets (one deleted) that a restore without them lost, by id only' {
        $schema = New-PostgresCopy (Copy-Fixture 'resolve-lite-600.db')
        Invoke-PostgresQuery $Pg "INSERT INTO ""$schema"".""secrets""(""idx"", ""id"", ""secret"") VALUES (1, 'user-1', 'value-one'), (2, 'user-2', NULL), (3, 'user-3', 'value-three')" | Out-Null
        $restored = New-TestSchema
        Export-EventStore -ConnectionString $Pg -Schema $schema | Import-EventStore -ConnectionString $Pg -Schema $restored | Out-Null

        $summary = Compare-EventStore -ConnectionString $Pg -Schema $schema -DifferenceConnectionString $Pg -DifferenceSchema $restored -Summary
        $summary.SameEvents | Should -BeTrue
        $summary.Identical | Should -BeFalse
        $summary.MissingSecretCount, $summary.ExtraSecretCount, $summary.ChangedSecretCount | Should -Be @(3, 0, 0)
        $differences = Compare-EventStore -ConnectionString $Pg -Schema $schema -DifferenceConnectionString $Pg -DifferenceSchema $restored
        $differences.Change | Sort-Object -Unique | Should -Be 'SecretMissing'
        $differences.SecretId | Should -Be @('user-1', 'user-2', 'user-3')
        ($differences | Format-List * | Out-String -Width 300) + ($summary | Out-String) | Should -Not -Match 'value-'

        # The SQLite restore of the same store lost them too; a secret deleted on one side only is a changed secret.
        $sqlite = New-TestPath 'restored.db'
        Export-EventStore -ConnectionString $Pg -Schema $schema | Import-EventStore $sqlite | Out-Null
        (Compare-EventStore -ConnectionString $Pg -Schema $schema -DifferencePath $sqlite -Summary).MissingSecretCount | Should -Be 3
        Invoke-SqliteQuery $sqlite "INSERT INTO secrets(idx, id, secret) VALUES (1, 'user-1', 'value-one'), (2, 'user-2', 'value-two'), (3, 'user-3', 'value-three')" | Out-Null
        $deleted = Compare-EventStore -ConnectionString $Pg -Schema $schema -DifferencePath $sqlite
        "$($deleted.Change) $($deleted.SecretId) $($deleted.ChangedFields)" | Should -Be 'SecretChanged user-2 Deleted'
        Invoke-SqliteQuery $sqlite "UPDATE secrets SET secret = NULL WHERE id = 'user-2'" | Out-Null
        (Compare-EventStore -ConnectionString $Pg -Schema $schema -DifferencePath $sqlite -Summary).Identical | Should -BeTrue
    }

    It 'finds an incremental import into a schema holding the first half to hold the same events, numbered differently' {
        $source = New-TestPath 'source.db'
        New-GeneratedStore $source 2000
        $full = New-PostgresCopy $source
        $half = New-TestSchema
        Export-EventStore $source -First 1000 | Import-EventStore -ConnectionString $Pg -Schema $half | Out-Null
        Export-EventStore -ConnectionString $Pg -Schema $full | Import-EventStore -ConnectionString $Pg -Schema $half -Incremental | Out-Null

        $fullNumbering = Get-Numbering $full
        $halfNumbering = Get-Numbering $half
        $halfNumbering.Count | Should -Be 2000
        $renumbered = @($fullNumbering.Keys | Where-Object { $fullNumbering[$_] -ne $halfNumbering[$_] }).Count
        $renumbered | Should -BeGreaterThan 0 -Because 'reSolve''s PostgreSQL incremental import numbers threads by rank'

        $summary = Compare-EventStore -ConnectionString $Pg -Schema $full -DifferenceConnectionString $Pg -DifferenceSchema $half -Summary
        $summary.MissingCount, $summary.ExtraCount, $summary.ChangedCount, $summary.EqualCount | Should -Be @(0, 0, 0, 2000)
        $summary.RenumberedCount | Should -Be $renumbered
        $summary.SameEvents | Should -BeTrue
        $summary.Identical | Should -BeFalse
        (Compare-EventStore $source -DifferenceConnectionString $Pg -DifferenceSchema $half -Summary).RenumberedCount | Should -Be $renumbered
    }

    It 'finds a payload changed by one digit as exactly one changed event' {
        $source = New-TestPath 'generated.db'
        New-GeneratedStore $source 3000
        $schema = New-PostgresCopy $source
        Invoke-PostgresQuery $Pg "UPDATE ""$schema"".""events"" SET ""payload"" = jsonb_set(""payload"", '{i}', '1235') WHERE ""aggregateId"" = 'generated-234' AND ""aggregateVersion"" = 2" | Out-Null
        $summary = Compare-EventStore $source -DifferenceConnectionString $Pg -DifferenceSchema $schema -Summary
        $summary.MissingCount, $summary.ExtraCount, $summary.ChangedCount, $summary.RenumberedCount, $summary.EqualCount | Should -Be @(0, 0, 1, 0, 2999)
        $changed = Compare-EventStore $source -DifferenceConnectionString $Pg -DifferenceSchema $schema
        "$($changed.Change) $($changed.AggregateId)|$($changed.AggregateVersion) $($changed.ChangedFields)" | Should -Be 'Changed generated-234|2 Payload'
    }
}
