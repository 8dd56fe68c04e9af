BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Complete-IncrementalImport' {
    It 'gives reSolve''s store for the fixture case <Case>' -ForEach @(
        @{ Case = 'new-only'; Imported = 5; Duplicates = 0 }
        @{ Case = 'new-unordered'; Imported = 5; Duplicates = 0 }
        @{ Case = 'dups-only'; Imported = 0; Duplicates = 5 }
        @{ Case = 'dups-and-new'; Imported = 5; Duplicates = 5 }
        @{ Case = 'equal-latest-ts'; Imported = 1; Duplicates = 0 }
    ) {
        $store = New-IncrementalBaseStore
        $id = (Start-IncrementalImport $store).ImportId
        Get-Content (Get-IncrementalInput $Case) | ConvertFrom-Json | Add-IncrementalImport $store -ImportId $id
        $summary = Complete-IncrementalImport $store -ImportId $id -WarningVariable warnings
        $summary | Should -BeOfType [EventStoreTools.Core.Incremental.IncrementalImportSummary]
        $summary.ImportId | Should -BeExactly $id
        $summary.ImportedCount | Should -Be $Imported
        $summary.SkippedDuplicateCount | Should -Be $Duplicates
        $summary.SkippedOlderCount | Should -Be 0
        $warnings | Should -BeNullOrEmpty
        Get-StoreDump $store | Should -BeExactly (Get-IncrementalExpected $Case)
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
    }

    It 'skips older events with one warning that counts them and gives the newest stored timestamp' {
        $store = New-IncrementalBaseStore
        $newest = (Get-EventStore $store).LastTimestamp
        $id = (Start-IncrementalImport $store).ImportId
        @(
            @{ timestamp = $newest - 1; aggregateId = 'old-1'; type = 'T' }
            @{ timestamp = 5; aggregateId = 'old-2'; type = 'T' }
            @{ timestamp = $newest; aggregateId = 'same-time'; type = 'T' }
        ) | Add-IncrementalImport $store -ImportId $id
        $summary = Complete-IncrementalImport $store -ImportId $id -WarningVariable warnings -WarningAction SilentlyContinue
        $summary.SkippedOlderCount | Should -Be 2
        $summary.ImportedCount | Should -Be 1
        $summary.NewestStoredTimestamp | Should -Be $newest
        $warnings.Count | Should -Be 1
        "$warnings" | Should -Match "^2 events .* older .*$newest"
        (Export-EventStore $store | Where-Object AggregateId -like 'old-*') | Should -BeNullOrEmpty
        (Export-EventStore $store | Where-Object AggregateId -eq 'same-time').AggregateVersion | Should -Be 1
    }

    It 'compares payloads as JSON values: other key order and spacing is a duplicate' {
        $store = New-IncrementalBaseStore
        $stored = Export-EventStore $store | Select-Object -First 1
        $reordered = [ordered]@{}
        $stored.Payload.Keys | Sort-Object -Descending | ForEach-Object { $reordered[$_] = $stored.Payload[$_] }
        $id = (Start-IncrementalImport $store).ImportId
        @{ timestamp = $stored.Timestamp; aggregateId = $stored.AggregateId; type = $stored.Type; payload = $reordered } | Add-IncrementalImport $store -ImportId $id
        (Complete-IncrementalImport $store -ImportId $id).SkippedDuplicateCount | Should -Be 1
    }

    It 'is a no-op when the same import runs again' {
        $store = New-IncrementalBaseStore
        foreach ($run in 1, 2) {
            $id = (Start-IncrementalImport $store).ImportId
            Get-Content (Get-IncrementalInput 'dups-and-new') | ConvertFrom-Json | Add-IncrementalImport $store -ImportId $id
            $summary = Complete-IncrementalImport $store -ImportId $id
        }
        $summary.ImportedCount | Should -Be 0
        $summary.SkippedDuplicateCount | Should -Be 10
        Get-StoreDump $store | Should -BeExactly (Get-IncrementalExpected 'dups-and-new')
    }

    It 'leaves the store unchanged and the pushed events in place when the commit fails; a retry commits' {
        $store = New-IncrementalBaseStore
        $id = (Start-IncrementalImport $store).ImportId
        Get-Content (Get-IncrementalInput 'new-only') | ConvertFrom-Json | Add-IncrementalImport $store -ImportId $id
        Invoke-SqliteQuery $store "CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END" | Out-Null
        $before = Get-StoreRows $store
        { Complete-IncrementalImport $store -ImportId $id -ErrorAction Stop } | Should -Throw '*refused by a trigger*'
        Get-StoreRows $store | Should -Be $before
        Get-PendingCount $store | Should -Be 5
        Invoke-SqliteQuery $store 'DROP TRIGGER refuse' | Out-Null
        (Complete-IncrementalImport $store -ImportId $id).ImportedCount | Should -Be 5
        Get-StoreDump $store | Should -BeExactly (Get-IncrementalExpected 'new-only')
    }

    It 'fails on a wrong id and changes nothing; -WhatIf changes nothing' {
        $store = New-IncrementalBaseStore
        $id = (Start-IncrementalImport $store).ImportId
        Get-Content (Get-IncrementalInput 'new-only') | ConvertFrom-Json | Add-IncrementalImport $store -ImportId $id
        $before = (Get-FileHash $store).Hash
        { Complete-IncrementalImport $store -ImportId 'nope' -ErrorAction Stop } |
            Should -Throw -ErrorId 'CompleteIncrementalImportImportNotFound,EventStoreTools.Cmdlets.CompleteIncrementalImportCommand'
        $run = Invoke-Captured { Complete-IncrementalImport $store -ImportId $id -WhatIf }
        $run.Output | Should -BeNullOrEmpty
        $run.WhatIf | Should -Be "What if: Performing the operation `"Commit the incremental import '$id'`" on target `"$store`"."
        (Get-FileHash $store).Hash | Should -Be $before
    }

    It 'shows the summary as a list' {
        $store = New-IncrementalBaseStore
        $text = Import-EventStore $store -InFile (Get-IncrementalInput 'dups-and-new') -Incremental | Format-List | Out-String
        $text | Should -Match 'SkippedDuplicateCount\s*:\s*5'
        $text | Should -Match 'NewestStoredTime\s*:\s*2100-01-01 00:15:55.817 UTC'
    }
}
