BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Undo-IncrementalImport' {
    BeforeEach {
        $script:store = New-IncrementalBaseStore
        $script:before = Get-StoreRows $store
        $script:id = (Start-IncrementalImport $store).ImportId
        Get-Content (Get-IncrementalInput 'new-only') | ConvertFrom-Json | Add-IncrementalImport $store -ImportId $id
    }

    It 'drops the import and its pushed events, never stored ones' {
        $result = Undo-IncrementalImport $store -ImportId $id -PassThru
        $result.ImportId | Should -BeExactly $id
        $result.DroppedCount | Should -Be 5
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
        Get-StoreRows $store | Should -Be $before
        { Complete-IncrementalImport $store -ImportId $id -ErrorAction Stop } |
            Should -Throw -ErrorId 'CompleteIncrementalImportImportNotFound,EventStoreTools.Cmdlets.CompleteIncrementalImportCommand'
        Start-IncrementalImport $store | Should -Not -BeNullOrEmpty
    }

    It 'drops whatever import is open without -ImportId, and warns when none is' {
        Undo-IncrementalImport $store | Should -BeNullOrEmpty
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
        Undo-IncrementalImport $store -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match 'No incremental import is open'
    }

    It 'fails on a wrong id and keeps the open import' {
        { Undo-IncrementalImport $store -ImportId 'nope' -ErrorAction Stop } |
            Should -Throw -ErrorId 'UndoIncrementalImportImportNotFound,EventStoreTools.Cmdlets.UndoIncrementalImportCommand'
        Get-PendingCount $store | Should -Be 5
    }

    It 'changes nothing with -WhatIf' {
        $hash = (Get-FileHash $store).Hash
        $run = Invoke-Captured { Undo-IncrementalImport $store -ImportId $id -WhatIf }
        $run.Output | Should -BeNullOrEmpty
        $run.WhatIf | Should -Be "What if: Performing the operation `"Drop the incremental import '$id' and its pushed events`" on target `"$store`"."
        (Get-FileHash $store).Hash | Should -Be $hash
        Get-PendingCount $store | Should -Be 5
    }

    It 'runs the try/catch pattern of the README: an error drops the pushed events' {
        Undo-IncrementalImport $store -ImportId $id
        $caught = $null
        $importId = (Start-IncrementalImport $store).ImportId
        try {
            @(
                @{ timestamp = 4102445800000; aggregateId = 'a'; type = 'T' }
                @{ timestamp = 'not a number'; aggregateId = 'a'; type = 'T' }
            ) | Add-IncrementalImport $store -ImportId $importId
            Complete-IncrementalImport $store -ImportId $importId
        }
        catch {
            $caught = $_
            Undo-IncrementalImport $store -ImportId $importId
        }
        $caught.FullyQualifiedErrorId | Should -Be 'AddIncrementalImportInvalidInput,EventStoreTools.Cmdlets.AddIncrementalImportCommand'
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
        Get-StoreRows $store | Should -Be $before
    }
}
