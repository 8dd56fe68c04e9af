# A linear mirror (issue 30): Sync-EventStore pages with a seek past its cursor on SQLite and PostgreSQL (a page may
# end inside one timestamp shared by every thread), keeps deleted secrets as reSolve does, honours -Timeout during
# the catch-up, says what each poll found, and resumes after kill -9 during the initial sync of a larger store.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres

    # 256 threads x 12 counters; each timestamp is shared by 3 counters of every thread (768 events), so the pages of
    # 1,000 events of a catch-up with -BatchSize 100 (10 batches a page) end inside one timestamp.
    function New-SharedTimestampStore([string] $Name) {
        $path = New-TestPath $Name
        @() | Import-EventStore $path | Out-Null
        Add-GeneratedRows $path 3072 'events' "i % 256, i / 256, 1700000000000 + i / 768, 'acc-' || (i % 256), i / 256 + 1, 'DEPOSIT_MADE', json_object('i', i)"
        $path
    }

    function Get-VerboseText([scriptblock] $Command) {
        $verbose = & $Command 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($verbose | ForEach-Object Message)
    }
}

AfterAll {
    Stop-TestPostgres $Server
}

Describe 'Sync-EventStore pages through the source with a seek' -Tag 'Mirror', 'Postgres' {
    It 'SQLite to SQLite: pages that end inside one timestamp give an identical mirror, and -Verbose tells each poll' {
        $source = New-SharedTimestampStore 'shared-source.db'
        $destination = New-TestPath 'shared-destination.db'
        $lines = Get-VerboseText { Sync-EventStore $source -DestinationPath $destination -BatchSize 100 -Verbose | Out-Null }
        (Compare-EventStore $source $destination -Summary).Identical | Should -BeTrue
        Get-StoreRows $destination | Should -Be (Get-StoreRows $source)
        $polls = @($lines | Where-Object { $_ -match 'Poll: ' })
        $polls.Count | Should -Be 4
        $polls[0] | Should -Match 'Poll: 1,000 new events, 2,072 more behind; read in [\d.,]+ ms, written in [\d.,]+ ms\.'
        $polls[3] | Should -Match 'Poll: 72 new events, 0 more behind'
    }

    It 'SQLite to PostgreSQL and back: identical, row for row, in the read order' {
        $source = New-SharedTimestampStore 'shared-pg-source.db'
        $schema = New-TestSchema
        $result = Sync-EventStore $source -DestinationConnectionString $Server.ConnectionString -DestinationSchema $schema -BatchSize 100
        $result.CopiedCount | Should -Be 3072
        (Compare-EventStore -ConnectionString $Server.ConnectionString -Schema $schema -DifferencePath $source -Summary).Identical | Should -BeTrue

        $back = New-TestPath 'shared-back.db'
        $result = Sync-EventStore -ConnectionString $Server.ConnectionString -Schema $schema -DestinationPath $back -BatchSize 100
        $result.CopiedCount | Should -Be 3072
        Get-StoreRows $back | Should -Be (Get-StoreRows $source)
        (Export-EventStore $back | ConvertTo-Json -Compress) | Should -Be (Export-EventStore $source | ConvertTo-Json -Compress)
    }
}

Describe 'Sync-EventStore keeps deleted secrets as reSolve keeps them' -Tag 'Mirror', 'Postgres' {
    BeforeAll {
        $script:Source = New-TestPath 'secrets-source.db'
        New-EventStore $Source -SampleEventCount 500 -AggregateCount 10 -SecretCount 4 | Out-Null
        # reSolve's deleteSecret sets the secret to NULL and keeps the row, so that its id cannot be used again.
        Invoke-SqliteQuery $Source "UPDATE secrets SET secret = NULL WHERE idx = 1" | Out-Null
    }

    It 'into <Engine>: the row whose secret is null is mirrored, and the stores compare identical' -ForEach @(
        @{ Engine = 'SQLite' }
        @{ Engine = 'PostgreSQL' }
    ) {
        if ($Engine -eq 'SQLite') {
            $destination = @{ DestinationPath = (New-TestPath 'secrets-destination.db') }
            $mirror = @{ Path = $destination.DestinationPath }
        }
        else {
            $schema = New-TestSchema
            $destination = @{ DestinationConnectionString = $Server.ConnectionString; DestinationSchema = $schema }
            $mirror = @{ ConnectionString = $Server.ConnectionString; Schema = $schema }
        }
        Sync-EventStore $Source @destination | Out-Null
        $store = Get-EventStore @mirror
        $store.SecretCount, $store.DeletedSecretCount | Should -Be @(3, 1)
        $summary = if ($mirror.Path) { Compare-EventStore $mirror.Path $Source -Summary } else { Compare-EventStore @mirror -DifferencePath $Source -Summary }
        $summary.SecretsCompared | Should -BeTrue
        $summary.Identical | Should -BeTrue
    }

    It 'a secret deleted while following reaches the mirror as a null row; Compare-EventStore notices that row missing' {
        $copy = New-TestPath 'secrets-follow.db'
        Copy-Item $Source $copy
        $destination = New-TestPath 'secrets-follow-destination.db'
        $child = Start-ChildPwsh "Sync-EventStore '$copy' -DestinationPath '$destination' -Follow -Timeout 00:00:20 -PollInterval 00:00:00.1 | Out-Null"
        $nullRows = { try { (Invoke-SqliteQuery $destination 'SELECT count(*) FROM secrets WHERE secret IS NULL')[0] } catch { -1 } }
        Wait-Until { (Test-Path $destination) -and (& $nullRows) -eq 1 } -Child $child -TimeoutSeconds 60
        # Nothing else changes: an idle follow compares the secrets every few seconds.
        Invoke-SqliteQuery $copy "UPDATE secrets SET secret = NULL WHERE idx = 2" | Out-Null
        Wait-Until { (& $nullRows) -eq 2 } -Child $child -TimeoutSeconds 15
        (Wait-ChildPwsh $child).ExitCode | Should -Be 0
        (Compare-EventStore $copy $destination -Summary).Identical | Should -BeTrue

        Invoke-SqliteQuery $destination "DELETE FROM secrets WHERE idx = 2" | Out-Null
        $summary = Compare-EventStore $copy $destination -Summary
        $summary.Identical | Should -BeFalse
        $summary.MissingSecretCount | Should -Be 1
    }

    It 'a cutover verifies the secret rows too' {
        $copy = New-TestPath 'secrets-cutover.db'
        Copy-Item $Source $copy
        $destination = New-TestPath 'secrets-cutover-destination.db'
        $result = Sync-EventStore $copy -DestinationPath $destination -Cutover -Verify
        $result.Verification.Identical | Should -BeTrue
        $result.Verification.SecretsIdentical | Should -BeTrue
        (Invoke-SqliteQuery $destination 'SELECT count(*) FROM secrets WHERE secret IS NULL')[0] | Should -Be 1
    }
}

Describe 'Sync-EventStore on a larger store' -Tag 'Mirror' {
    BeforeAll {
        $script:Large = New-TestPath 'large.db'
        New-EventStore $Large -SampleEventCount 100000 | Out-Null
    }

    It 'ends at -Timeout during the catch-up, not only once caught up; a rerun goes on from there' {
        $destination = New-TestPath 'timeout.db'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        # A timeout shorter than any page: the run ends after its first page, wherever the catch-up stands.
        $result = Sync-EventStore $Large -DestinationPath $destination -Follow -Timeout 00:00:00.001 -BatchSize 100
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
        $result.CaughtUp | Should -BeFalse
        $result.CopiedCount | Should -BeGreaterThan 0
        $result.CopiedCount | Should -BeLessThan 100000
        $rest = Sync-EventStore $Large -DestinationPath $destination
        $rest.PreviousCount | Should -Be $result.CopiedCount
        $rest.CaughtUp | Should -BeTrue
        (Compare-EventStore $Large $destination -Summary).Identical | Should -BeTrue
    }

    It 'killed with kill -9 during the initial sync, a rerun resumes to an identical mirror' {
        $destination = New-TestPath 'killed.db'
        # Pages of ten events (-BatchSize 1) make the catch-up take seconds, however fast the machine: the kill lands in it.
        $child = Start-ChildPwsh "Sync-EventStore '$Large' -DestinationPath '$destination' -BatchSize 1 | Out-Null"
        # A count that meets the writer's lock is tried again at the next poll.
        Wait-Until { (Test-Path $destination) -and (& { try { Get-EventCount $destination } catch { 0 } }) -ge 5000 } -Child $child -TimeoutSeconds 120
        $child.Kill()
        $child.WaitForExit()
        $copied = Get-EventCount $destination
        $copied | Should -BeLessThan 100000 -Because 'the kill came during the initial sync'
        $copied % 10 | Should -Be 0 -Because 'each transaction holds whole pages'

        $result = Sync-EventStore $Large -DestinationPath $destination
        $result.PreviousCount | Should -Be $copied
        $result.CopiedCount | Should -Be (100000 - $copied)
        (Compare-EventStore $Large $destination -Summary).Identical | Should -BeTrue
    }
}
