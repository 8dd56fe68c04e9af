BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Start-IncrementalImport' {
    It 'opens an import in reSolve''s table and writes it as a session: store, import id and start time, its text the id' {
        $store = New-IncrementalBaseStore
        $before = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $session = Start-IncrementalImport $store
        $session.Store | Should -Be $store
        $session.ImportId | Should -Match '^[A-Za-z0-9]{28,}$'
        $session.StartedAt.ToUnixTimeMilliseconds() | Should -BeGreaterOrEqual $before
        $session.StartedAt.ToUnixTimeMilliseconds() | Should -BeLessOrEqual ([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds())
        "$session" | Should -BeExactly $session.ImportId
        $id = $session.ImportId
        (Get-EventStore $store).IncrementalImportId | Should -BeExactly $id
        (Invoke-SqliteQuery $store "SELECT sql FROM sqlite_master WHERE name = 'events-incremental-import'")[0] |
            Should -Match ([regex]::Escape("-- RESOLVE INCREMENTAL-IMPORT '$id' OWNED TABLE"))
    }

    It 'refuses a second start and names the open import' {
        $store = New-IncrementalBaseStore
        $id = Start-IncrementalImport $store
        $failure = { Start-IncrementalImport $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'StartIncrementalImportImportAlreadyOpen,EventStoreTools.Cmdlets.StartIncrementalImportCommand' -PassThru
        $failure.Exception.Message | Should -Match 'Previous incremental import is not finished'
        $failure.Exception.Message | Should -Match $id
        $failure.CategoryInfo.Category | Should -Be 'ResourceBusy'
    }

    It 'fails on a missing store and creates no file' {
        $store = New-TestPath 'missing.db'
        { Start-IncrementalImport $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'StartIncrementalImportStoreNotFound,EventStoreTools.Cmdlets.StartIncrementalImportCommand'
        Test-Path $store | Should -BeFalse
    }

    It 'changes nothing with -WhatIf' {
        $store = New-IncrementalBaseStore
        $before = (Get-FileHash $store).Hash
        $run = Invoke-Captured { Start-IncrementalImport $store -WhatIf }
        $run.Output | Should -BeNullOrEmpty
        $run.WhatIf | Should -Be "What if: Performing the operation `"Start an incremental import`" on target `"$store`"."
        (Get-FileHash $store).Hash | Should -Be $before
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
    }

    It 'a session pipes from Start through Add to Complete: the events are imported' {
        $store = New-IncrementalBaseStore
        $events = @(Export-EventStore (Join-Path $Fixtures 'resolve-lite-600.db') -First 5 | ForEach-Object { @{ timestamp = 4300000000000 + $_.Timestamp % 1000; aggregateId = "new-$($_.AggregateId)"; type = $_.Type; payload = $_.Payload } })
        $before = (Get-EventStore $store).EventCount
        $summary = Start-IncrementalImport $store | Add-IncrementalImport -InputObject $events -PassThru | Complete-IncrementalImport
        $summary.ImportId | Should -Not -BeNullOrEmpty
        (Get-EventStore $store).EventCount | Should -Be ($before + 5)
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
    }

    It 'a session pipes into Undo, and the store is as before' {
        $store = New-IncrementalBaseStore
        $before = Get-StoreRows $store
        $session = Start-IncrementalImport $store
        @{ timestamp = 4300000000000; aggregateId = 'x'; type = 'T'; payload = @{} } | Add-IncrementalImport $store -ImportId $session
        ($session | Undo-IncrementalImport -PassThru).DroppedCount | Should -Be 1
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
        Get-StoreRows $store | Should -Be $before
    }

    It 'Get-EventStore shows the open import as a session that pipes on by itself, and an id string still works' {
        $store = New-IncrementalBaseStore
        $id = (Start-IncrementalImport $store).ImportId
        @{ timestamp = 4300000000000; aggregateId = 'y'; type = 'T'; payload = 1 } | Add-IncrementalImport $store -ImportId $id
        $open = (Get-EventStore $store).IncrementalImport
        $open.ImportId | Should -BeExactly $id
        ($open | Complete-IncrementalImport).ImportId | Should -BeExactly $id
        (Get-EventStore $store).IncrementalImport | Should -BeNullOrEmpty
    }

    It 'a session begun in one PowerShell process is pushed to and completed from another, as reSolve''s is' {
        $store = New-IncrementalBaseStore
        $before = (Get-EventStore $store).EventCount
        $id = Invoke-FreshPwsh "(Start-IncrementalImport '$store').ImportId"
        $id = @($id)[-1].Trim()
        (Get-EventStore $store).IncrementalImportId | Should -BeExactly $id
        Invoke-FreshPwsh "@{ timestamp = 4300000000000; aggregateId = 'z'; type = 'T'; payload = 2 } | Add-IncrementalImport '$store' -ImportId '$id'" | Out-Null
        (Get-EventStore $store).IncrementalImport | Complete-IncrementalImport | Out-Null
        (Get-EventStore $store).EventCount | Should -Be ($before + 1)
    }
}
