BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Add-IncrementalImport' {
    BeforeEach {
        $script:store = New-IncrementalBaseStore
        $script:id = (Start-IncrementalImport $store).ImportId
    }

    It 'pushes PSCustomObjects, hashtables and typed events, from several commands, durably' {
        $lines = Get-Content (Get-IncrementalInput 'new-only')
        $lines[0..1] | ConvertFrom-Json | Add-IncrementalImport $store -ImportId $id
        $lines[2..3] | ConvertFrom-Json -AsHashtable | Add-IncrementalImport $store -ImportId $id
        $typed = [EventStoreTools.Core.ResolveEvent]@{ Timestamp = 4102445759817; AggregateId = '00000000-0000-4000-8000-00000000abcd'; Type = 'NEW_EVENT_2'; PayloadJson = '{"emoji":"👩‍💻"}' }
        $result = $typed | Add-IncrementalImport $store -ImportId $id -PassThru
        $result.PushedCount | Should -Be 1
        $result.ImportId | Should -BeExactly $id
        Get-PendingCount $store | Should -Be 5
        # In a fresh process, the pushed events are there to commit.
        $output = Invoke-FreshPwsh "(Complete-IncrementalImport '$store' -ImportId '$id').ImportedCount"
        "$output".Trim() | Should -Be '5'
        Get-StoreDump $store | Should -BeExactly (Get-IncrementalExpected 'new-only')
    }

    It 'stores threadId = timestamp % 256 and the payload text, as reSolve''s push does' {
        @{ timestamp = 4102445800001; aggregateId = 'a'; type = 'T'; threadId = 7; aggregateVersion = 99; payload = [ordered]@{ b = 1; a = @(1, 'x') } } |
            Add-IncrementalImport $store -ImportId $id
        $row = Invoke-SqliteQuery $store 'SELECT threadId, threadCounter, aggregateVersion, payload FROM "events-incremental-import"'
        $row[0] | Should -Be (4102445800001 % 256)
        $row[1] | Should -BeOfType [DBNull]
        $row[2] | Should -BeOfType [DBNull]
        $row[3] | Should -BeExactly '{"b":1,"a":[1,"x"]}'
    }

    It 'fails on a wrong id with reSolve''s message' {
        $failure = { @{ timestamp = 1; aggregateId = 'a'; type = 'T' } | Add-IncrementalImport $store -ImportId 'nope' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AddIncrementalImportImportNotFound,EventStoreTools.Cmdlets.AddIncrementalImportCommand' -PassThru
        $failure.Exception.Message | Should -BeExactly 'Incremental importId=nope does not exist.'
    }

    It 'treats an empty push as a no-op' {
        @() | Add-IncrementalImport $store -ImportId $id
        (@() | Add-IncrementalImport $store -ImportId $id -PassThru).PushedCount | Should -Be 0
        Get-PendingCount $store | Should -Be 0
        (Complete-IncrementalImport $store -ImportId $id).ImportedCount | Should -Be 0
    }

    It 'keeps none of a push that fails, and names the event' {
        $events = @(
            @{ timestamp = 4102445800000; aggregateId = 'a'; type = 'T' }
            @{ timestamp = 4102445800001; aggregateId = 'a' }
        )
        $failure = { $events | Add-IncrementalImport $store -ImportId $id -ErrorAction Stop } |
            Should -Throw -ErrorId 'AddIncrementalImportInvalidInput,EventStoreTools.Cmdlets.AddIncrementalImportCommand' -PassThru
        $failure.Exception.Message | Should -Match '"type"'
        Get-PendingCount $store | Should -Be 0
    }

    It 'changes nothing with -WhatIf' {
        $before = (Get-FileHash $store).Hash
        $run = Invoke-Captured { @{ timestamp = 4102445800000; aggregateId = 'a'; type = 'T' } | Add-IncrementalImport $store -ImportId $id -WhatIf }
        $run.WhatIf | Should -Be "What if: Performing the operation `"Add events to the incremental import '$id'`" on target `"$store`"."
        (Get-FileHash $store).Hash | Should -Be $before
    }
}
