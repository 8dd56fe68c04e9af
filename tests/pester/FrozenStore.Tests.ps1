# A frozen store stays frozen (issue 24): reSolve's freeze marker ("events-freeze") refuses every write of these tools
# (each Import-EventStore mode, the incremental cmdlets, Sync-EventStore into it) before anything is written, unless
# -Force, which writes with a warning; -Replace keeps the marker and does not drop another session's open import.
# On SQLite files and on a PostgreSQL server this file starts.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres
    $script:Pg = $Server.ConnectionString
    $script:ReferenceExport = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'
    # The module loads Npgsql on first use; Invoke-PostgresQuery needs it before that.
    try { Get-EventStore -ConnectionString $Pg -Schema 'none' -ErrorAction Stop } catch { }

    # A store of the fixture's 600 events on the engine, as the splat every cmdlet takes.
    function New-Store([string] $Engine) {
        if ($Engine -eq 'SQLite') { return @{ Path = (Copy-Fixture 'resolve-lite-600.db' "store$(Get-Random).db") } }
        $store = @{ ConnectionString = $Pg; Schema = (New-TestSchema) }
        Import-EventStore @store -InFile $ReferenceExport | Out-Null
        $store
    }

    # What a write would change. SQLite: the file's bytes. PostgreSQL: the row counts, the newest threadCounter, the
    # pushed events and the freeze marker.
    function Get-StoreState([hashtable] $Store) {
        if ($Store.Path) { return (Get-FileHash $Store.Path).Hash }
        $s = $Store.Schema
        $tables = Invoke-PostgresQuery $Pg "SELECT table_name FROM information_schema.tables WHERE table_schema = '$s' ORDER BY 1" | ForEach-Object { $_[0] }
        $state = foreach ($table in $tables) {
            $count = (Invoke-PostgresQuery $Pg ('SELECT count(*) FROM "{0}"."{1}"' -f $s, $table))[0]
            "$table $count"
        }
        $max = (Invoke-PostgresQuery $Pg ('SELECT max("threadCounter") FROM "{0}"."events"' -f $s))[0]
        ($state + "max threadCounter $max") -join '; '
    }

    # An event after every stored one (the fixture's newest is of 2100), in a thread the fixture does not fill that far.
    $script:NewEvent = { New-TestEvent -Thread 7 -Counter 100000 -Timestamp 4200000000000 -Aggregate 'frozen-test' }

    # Every write, on the store ($store), with the import the test opened before the freeze ($id) and the extra
    # parameters ($more: -Force or nothing); each as the cmdlet whose error it gives.
    $script:Writes = [ordered]@{
        'Import-EventStore -InFile'               = { param($store, $id, $more) Import-EventStore @store -InFile $ReferenceExport @more }
        'Import-EventStore -Append'               = { param($store, $id, $more) & $NewEvent | Import-EventStore @store -Append @more }
        'Import-EventStore -Append -CommitEvery'  = { param($store, $id, $more) & $NewEvent | Import-EventStore @store -Append -CommitEvery 1 @more }
        'Import-EventStore -Replace'              = { param($store, $id, $more) Import-EventStore @store -InFile $ReferenceExport -Replace -Confirm:$false @more }
        'Import-EventStore -Incremental'          = { param($store, $id, $more) & $NewEvent | Import-EventStore @store -Incremental @more }
        'Start-IncrementalImport'                 = { param($store, $id, $more) Start-IncrementalImport @store @more }
        'Add-IncrementalImport'                   = { param($store, $id, $more) & $NewEvent | Add-IncrementalImport @store -ImportId $id @more }
        'Complete-IncrementalImport'              = { param($store, $id, $more) Complete-IncrementalImport @store -ImportId $id @more }
        'Sync-EventStore'                         = { param($store, $id, $more)
            $source = Copy-Fixture 'resolve-lite-600.db' "source$(Get-Random).db"
            & $NewEvent | Import-EventStore $source -Append | Out-Null
            $destination = if ($store.Path) { @{ DestinationPath = $store.Path } } else { @{ DestinationConnectionString = $Pg; DestinationSchema = $store.Schema } }
            Sync-EventStore $source @destination @more
        }
    }

    # A store with one event pushed into an open import (so that Add- and Complete-IncrementalImport have one), then frozen.
    function New-FrozenStore([string] $Engine) {
        $store = New-Store $Engine
        $id = (Start-IncrementalImport @store).ImportId
        & $NewEvent | Add-IncrementalImport @store -ImportId $id
        Set-EventStore @store -Frozen
        $store, $id
    }
}

AfterAll { Stop-TestPostgres $Server }

Describe 'A frozen store refuses every write' -Tag 'Postgres' {
    It '<Engine>: every write is refused with <Cmdlet>StoreFrozen (PermissionDenied), saying how to go on, and the store is unchanged' -ForEach @(
        @{ Engine = 'SQLite' }
        @{ Engine = 'PostgreSQL' }
    ) {
        foreach ($write in $Writes.GetEnumerator()) {
            $store, $id = New-FrozenStore $Engine
            $before = Get-StoreState $store

            $err = Get-ErrorRecord { & $write.Value $store $id @{ ErrorAction = 'Stop' } }
            $cmdlet = ($write.Key -split ' ')[0]
            Assert-ErrorRecord $err $cmdlet 'StoreFrozen' 'PermissionDenied'
            $err.Exception.Message | Should -Match 'is frozen' -Because $write.Key
            $err.Exception.Message | Should -Match 'Set-EventStore -Frozen:\$false' -Because $write.Key
            $err.Exception.Message | Should -Match '-Force' -Because $write.Key
            Get-StoreState $store | Should -Be $before -Because $write.Key
        }
    }

    It '<Engine>: -Force writes into the frozen store with a warning, and the store stays frozen' -ForEach @(
        @{ Engine = 'SQLite' }
        @{ Engine = 'PostgreSQL' }
    ) {
        # Without -Append or -Replace an import into a store that holds events is refused for that, frozen or not.
        foreach ($write in $Writes.GetEnumerator() | Where-Object Key -NE 'Import-EventStore -InFile') {
            $store, $id = New-FrozenStore $Engine
            $before = Get-StoreState $store
            # These two open an import of their own: the test's is dropped first (Undo-IncrementalImport works on a frozen store).
            if ($write.Key -in 'Start-IncrementalImport', 'Import-EventStore -Incremental') { Undo-IncrementalImport @store -ImportId $id; $before = Get-StoreState $store }

            # -WarningVariable would set the variable in the scriptblock's scope: the warnings are taken from its output instead.
            $w = & $write.Value $store $id @{ Force = $true; ErrorAction = 'Stop'; WarningAction = 'Continue' } 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
            ($w -join "`n") | Should -Match 'is frozen; with -Force, .* goes on anyway' -Because $write.Key
            ($w -join "`n") | Should -Match 'stays frozen' -Because $write.Key
            (Get-EventStore @store).IsFrozen | Should -BeTrue -Because $write.Key
            Get-StoreState $store | Should -Not -Be $before -Because "$($write.Key) wrote"
        }
    }

    It '<Engine>: reading a frozen store stays allowed' -ForEach @(
        @{ Engine = 'SQLite' }
        @{ Engine = 'PostgreSQL' }
    ) {
        $store, $id = New-FrozenStore $Engine
        (Export-EventStore @store | Measure-Object).Count | Should -Be 600
        (Get-EventStore @store).IsFrozen | Should -BeTrue
        (Test-EventStore @store -Quick).IsFrozen | Should -BeTrue
    }

    It 'Import-EventStore -WhatIf on a frozen store says Refuse and changes nothing' {
        $store, $id = New-FrozenStore 'SQLite'
        $before = Get-StoreState $store
        $run = Invoke-Captured { Import-EventStore @store -InFile $ReferenceExport -Append -WhatIf }
        $run.Output.Action | Should -Be 'Refused'
        $run.WhatIf | Should -Match 'frozen'
        Get-StoreState $store | Should -Be $before
    }

    It 'the -WhatIf message of a write into a frozen store mentions the freeze' {
        $store, $id = New-FrozenStore 'SQLite'
        $before = Get-StoreState $store
        $lines = Invoke-FreshPwsh "Start-IncrementalImport '$($store.Path)' -WhatIf; Import-EventStore '$($store.Path)' -InFile '$ReferenceExport' -Replace -WhatIf | Out-Null"
        ($lines -join "`n") | Should -Match 'What if: .*Start an incremental import \(refused: the store is frozen'
        ($lines -join "`n") | Should -Match 'What if: .*Replace all events .*\(refused: the store is frozen'
        Get-StoreState $store | Should -Be $before
    }
}

Describe 'A store frozen while it is written to' {
    It 'Import-EventStore -Append -CommitEvery stops before its next batch, keeping the batches committed before' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'batches.db'
        # The second event freezes the store first, between the first batch's commit and the next batch.
        $err = Get-ErrorRecord {
            1..3 | ForEach-Object {
                if ($_ -eq 2) { Set-EventStore $store -Frozen }
                New-TestEvent -Thread 7 -Counter (100000 + $_) -Timestamp (4200000000000 + $_) -Aggregate "batch-$_"
            } | Import-EventStore $store -Append -CommitEvery 1
        }
        Assert-ErrorRecord $err 'Import-EventStore' 'StoreFrozen' 'PermissionDenied'
        (Get-EventStore $store).EventCount | Should -Be 601
    }
}

Describe '-Replace keeps the store frozen and respects an open incremental import' -Tag 'Postgres' {
    It '<Engine>: a frozen store replaced with -Force is frozen again afterwards and holds the new events' -ForEach @(
        @{ Engine = 'SQLite' }
        @{ Engine = 'PostgreSQL' }
    ) {
        $store = New-Store $Engine
        Set-EventStore @store -Frozen
        $w = $null
        & $NewEvent | Import-EventStore @store -Replace -Force -WarningVariable w -WarningAction SilentlyContinue | Out-Null
        $w | Should -Match 'frozen'
        $info = Get-EventStore @store
        $info.IsFrozen | Should -BeTrue
        $info.EventCount | Should -Be 1
    }

    It '<Engine>: -Replace refuses to drop another session''s open import (ImportAlreadyOpen, naming its id); -Force discards it with a warning' -ForEach @(
        @{ Engine = 'SQLite' }
        @{ Engine = 'PostgreSQL' }
    ) {
        $store = New-Store $Engine
        $id = (Start-IncrementalImport @store).ImportId
        & $NewEvent | Add-IncrementalImport @store -ImportId $id
        $before = Get-StoreState $store

        $err = Get-ErrorRecord { Import-EventStore @store -InFile $ReferenceExport -Replace -Confirm:$false }
        Assert-ErrorRecord $err 'Import-EventStore' 'ImportAlreadyOpen' 'ResourceBusy'
        $err.Exception.Message | Should -Match ([regex]::Escape("'$id'"))
        $err.Exception.Message | Should -Match 'Undo-IncrementalImport'
        Get-StoreState $store | Should -Be $before
        (Get-EventStore @store).IncrementalImportId | Should -Be $id

        $w = $null
        Import-EventStore @store -InFile $ReferenceExport -Replace -Force -WarningVariable w -WarningAction SilentlyContinue | Out-Null
        $w | Should -Match ([regex]::Escape("discards its open incremental import '$id'"))
        $info = Get-EventStore @store
        $info.IncrementalImportId | Should -BeNullOrEmpty
        $info.EventCount | Should -Be 600
        $info.IsFrozen | Should -BeFalse
    }
}

Describe 'Set-EventStore -Frozen is a switch' {
    It '-Frozen freezes the store and -Frozen:$false unfreezes it; the syntax shows no value for it' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'switch.db'
        Set-EventStore $store -Frozen
        (Get-EventStore $store).IsFrozen | Should -BeTrue
        Set-EventStore $store -Frozen:$false
        (Get-EventStore $store).IsFrozen | Should -BeFalse
        (Get-Command Set-EventStore).Parameters['Frozen'].ParameterType | Should -Be ([switch])
        (Get-Command Set-EventStore -Syntax) | Should -Match '-Frozen(?! <)'
    }
}
