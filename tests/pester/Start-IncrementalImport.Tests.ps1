BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Start-IncrementalImport' {
    It 'opens an import in reSolve''s table and writes its id' {
        $store = New-IncrementalBaseStore
        $id = Start-IncrementalImport $store
        $id | Should -BeOfType [string]
        $id | Should -Match '^[A-Za-z0-9]{28,}$'
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
}
