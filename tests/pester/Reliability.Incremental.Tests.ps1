# Faults of the incremental import: a killed commit or push, Ctrl+C, a wait for a lock, concurrent commits,
# -WhatIf. Nothing may be half-imported, imported twice or lost, and an import is never left open by accident.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    $script:BaseCount = 1000
    $script:PendingCount = 200000
    $script:PushCount = 100000

    $script:Shared = Join-Path $TestDrive 'shared'
    New-Item -ItemType Directory $Shared | Out-Null
    # The incremental fixtures' base store (1000 events, the newest in 2100).
    $script:BaseStore = Join-Path $Shared 'base.db'
    Import-EventStore $BaseStore -InFile (Join-Path $Fixtures 'incremental/base.export.ndjson') | Out-Null
    # The base store with an open import holding 200k pushed events, all newer than the stored ones.
    $script:PendingStore = Join-Path $Shared 'pending.db'
    Copy-Item $BaseStore $PendingStore
    $script:PendingImportId = (Start-IncrementalImport $PendingStore).ImportId
    Add-GeneratedPendingEvents $PendingStore $PendingCount
    # 100k events to push, newer than the base store's, as a store and as NDJSON.
    $script:PushSource = Join-Path $Shared 'push-source.db'
    New-GeneratedStore $PushSource $PushCount -FirstTimestamp 4300000000000
    $script:PushNdjson = Join-Path $Shared 'push.ndjson'
    Export-EventStore $PushSource -OutFile $PushNdjson

    # A copy of a shared store in a case folder of its own.
    function Copy-SharedStore([string] $Store, [string] $Folder) {
        (Copy-Item $Store (Join-Path $Folder (Split-Path $Store -Leaf)) -PassThru).FullName
    }

    # Runs a script in a child pwsh and kills it (kill -9) $Delay ms after it began to write the store (the journal
    # is there from its first write to its commit); checks integrity_check and returns whether it had finished.
    function Invoke-KilledWriter([string] $Store, [string] $Script, [int] $Delay) {
        $child = Start-ChildPwsh $Script
        Wait-Until { $child.HasExited -or (Test-Path "$Store-journal") }
        $finished = Stop-ChildPwshAfter $child $Delay
        Get-IntegrityCheck $Store | Should -Be 'ok'
        $finished
    }

    # A command in a child pwsh that prints OK and what it imported, or the error id, for the concurrency tests.
    function Start-ChildCommand([string] $Command) {
        Start-ChildPwsh "try { `$result = $Command -ErrorAction Stop; 'OK ' + `$result.ImportedCount } catch { `$_.FullyQualifiedErrorId; exit 1 }"
    }
}

Describe 'kill -9 of a process committing an incremental import' -Tag Fault {
    It 'leaves all or none of the 200k pushed events, passing integrity_check; with none the import can still be committed (kill after <Delay> ms)' -ForEach @(
        @{ Delay = (Get-Random -Maximum 800) }, @{ Delay = (Get-Random -Minimum 800 -Maximum 1800) }, @{ Delay = (Get-Random -Minimum 1800 -Maximum 3200) }
    ) {
        $store = Copy-SharedStore $PendingStore (New-CaseFolder)
        $finished = Invoke-KilledWriter $store "Complete-IncrementalImport '$store' -ImportId '$PendingImportId' | Out-Null" $Delay
        Assert-AllOrNone (Get-EventCount $store) $BaseCount $PendingCount $finished
        if ((Get-EventCount $store) -eq $BaseCount) {
            (Get-EventStore $store).IncrementalImportId | Should -BeExactly $PendingImportId
            Get-PendingCount $store | Should -Be $PendingCount
            (Complete-IncrementalImport $store -ImportId $PendingImportId).ImportedCount | Should -Be $PendingCount
            Get-EventCount $store | Should -Be ($BaseCount + $PendingCount)
        }
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
    }
}

Describe 'kill -9 of a process pushing into an incremental import' -Tag Fault {
    It 'keeps all or none of the push, passing integrity_check, and the import stays open (kill after <Delay> ms)' -ForEach @(
        @{ Delay = (Get-Random -Maximum 1200) }, @{ Delay = (Get-Random -Minimum 1200 -Maximum 3000) }
    ) {
        $store = Copy-SharedStore $BaseStore (New-CaseFolder)
        $id = (Start-IncrementalImport $store).ImportId
        $finished = Invoke-KilledWriter $store "Export-EventStore '$PushSource' | Add-IncrementalImport '$store' -ImportId '$id'" $Delay
        Assert-AllOrNone (Get-PendingCount $store) 0 $PushCount $finished
        (Get-EventStore $store).IncrementalImportId | Should -BeExactly $id
        Get-EventCount $store | Should -Be $BaseCount
    }
}

Describe 'kill -9 of Import-EventStore -Incremental' -Tag Fault {
    It 'leaves all or none of the new events and never an open import (kill after <Delay> ms)' -ForEach @(
        @{ Delay = (Get-Random -Maximum 2500) }
    ) {
        $store = Copy-SharedStore $BaseStore (New-CaseFolder)
        $finished = Invoke-KilledWriter $store "Import-EventStore '$store' -InFile '$PushNdjson' -Incremental | Out-Null" $Delay
        Assert-AllOrNone (Get-EventCount $store) $BaseCount $PushCount $finished
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
    }
}

Describe 'Ctrl+C (StopProcessing) of an incremental import' -Tag Fault {
    It 'stops <Command> promptly, rolls back and releases the store' -ForEach @(
        @{ Command = 'Complete-IncrementalImport (200k pushed events)'; Source = { $PendingStore }
           Script = { param($store) "Complete-IncrementalImport '$store' -ImportId '$PendingImportId'" } }
        @{ Command = 'Add-IncrementalImport (a push of 100k events)'; Source = { $BaseStore }
           Script = { param($store) "Export-EventStore '$PushSource' | Add-IncrementalImport '$store' -ImportId '$(Start-IncrementalImport $store)'" } }
        @{ Command = 'Import-EventStore -Incremental (100k events)'; Source = { $BaseStore }
           Script = { param($store) "Import-EventStore '$store' -InFile '$PushNdjson' -Incremental" } }
    ) {
        $folder = New-CaseFolder
        $store = Copy-SharedStore (& $Source) $folder
        $script = & $Script $store
        $before = (Get-FileHash $store).Hash
        $ps = New-ModulePowerShell
        [void]$ps.AddScript($script).BeginInvoke()
        Stop-WritingPowerShell $ps $store $folder
        (Get-FileHash $store).Hash | Should -Be $before
        Remove-Item $store
        Get-ChildItem $folder -Force | Should -BeNullOrEmpty
    }
}

Describe 'Concurrency of incremental imports' -Tag Fault {
    It 'of two concurrent Complete-IncrementalImport, one imports everything and the other fails with ImportNotFound; nothing is imported twice' {
        $store = Copy-SharedStore $PendingStore (New-CaseFolder)
        $command = "Complete-IncrementalImport '$store' -ImportId '$PendingImportId'"
        $first, $second = (Start-ChildCommand $command), (Start-ChildCommand $command)
        $results = (Wait-ChildPwsh $first), (Wait-ChildPwsh $second)
        $results.Output | Sort-Object | Should -Be @(
            'CompleteIncrementalImportImportNotFound,EventStoreTools.Cmdlets.CompleteIncrementalImportCommand'
            "OK $PendingCount"
        ) -Because ($results.Errors -join "`n")
        Get-EventCount $store | Should -Be ($BaseCount + $PendingCount)
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
    }

    It 'a push that comes while a commit runs waits for it, then fails with ImportNotFound; none of it is stored' {
        $store = Copy-SharedStore $PendingStore (New-CaseFolder)
        $commit = Start-ChildCommand "Complete-IncrementalImport '$store' -ImportId '$PendingImportId'"
        Wait-Until { Test-Path "$store-journal" } $commit
        $push = Start-ChildCommand "@{ timestamp = 4400000000000; aggregateId = 'late'; type = 'LATE' } | Add-IncrementalImport '$store' -ImportId '$PendingImportId'"
        (Wait-ChildPwsh $push).Output | Should -Be 'AddIncrementalImportImportNotFound,EventStoreTools.Cmdlets.AddIncrementalImportCommand'
        (Wait-ChildPwsh $commit).Output | Should -Be "OK $PendingCount"
        Get-EventCount $store | Should -Be ($BaseCount + $PendingCount)
        (Invoke-SqliteQuery $store "SELECT count(*) FROM events WHERE type = 'LATE'")[0] | Should -Be 0
    }
}

Describe '-WhatIf touches nothing in an incremental import' {
    It '<Command> -WhatIf leaves the store byte for byte' -ForEach @(
        @{ Command = 'Start-IncrementalImport'; Operation = 'Start an incremental import'
           Run = { param($store, $id) Invoke-Captured { Start-IncrementalImport $store -WhatIf } } }
        @{ Command = 'Add-IncrementalImport'; WithOpenImport = $true; Operation = 'Add events to the incremental import'
           Run = { param($store, $id) Invoke-Captured { @{ timestamp = 4400000000000; aggregateId = 'whatif'; type = 'T' } | Add-IncrementalImport $store -ImportId $id -WhatIf -PassThru } } }
        @{ Command = 'Complete-IncrementalImport'; WithOpenImport = $true; Operation = 'Commit the incremental import'
           Run = { param($store, $id) Invoke-Captured { Complete-IncrementalImport $store -ImportId $id -WhatIf } } }
        @{ Command = 'Undo-IncrementalImport'; WithOpenImport = $true; Operation = 'Drop the incremental import'
           Run = { param($store, $id) Invoke-Captured { Undo-IncrementalImport $store -ImportId $id -WhatIf -PassThru } } }
        # Import-EventStore's only output with -WhatIf is its dry-run result (issue 14).
        @{ Command = 'Import-EventStore -Incremental (pipeline)'; Operation = 'Import the events the store lacks'
           Run = { param($store, $id) Invoke-Captured { @{ timestamp = 4400000000000; aggregateId = 'whatif'; type = 'T' } | Import-EventStore $store -Incremental -WhatIf | Where-Object WhatIf -NE $true } } }
        @{ Command = 'Import-EventStore -Incremental -InFile'; Operation = 'Import the events the store lacks'
           Run = { param($store, $id) Invoke-Captured { Import-EventStore $store -InFile $PushNdjson -Incremental -WhatIf | Where-Object WhatIf -NE $true } } }
    ) {
        $store = Copy-SharedStore $BaseStore (New-CaseFolder)
        $id = if ($WithOpenImport) { (Start-IncrementalImport $store).ImportId }
        if ($id) { @{ timestamp = 4400000000000; aggregateId = 'pending'; type = 'T' } | Add-IncrementalImport $store -ImportId $id }
        $before = (Get-FileHash $store).Hash
        $run = & $Run $store $id
        $run.Output | Should -BeNullOrEmpty
        $run.WhatIf | Should -HaveCount 1
        $run.WhatIf | Should -BeLike "What if: Performing the operation `"$Operation*`" on target `"$store`"."
        (Get-FileHash $store).Hash | Should -Be $before
        Test-Path "$store-journal" | Should -BeFalse
    }
}
