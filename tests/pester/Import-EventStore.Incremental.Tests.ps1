BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Import-EventStore -Incremental' {
    It 'gives reSolve''s store for the fixture case <Case>, from -InFile and from the pipeline' -ForEach @(
        @{ Case = 'new-only' }
        @{ Case = 'new-unordered' }
        @{ Case = 'dups-only' }
        @{ Case = 'dups-and-new' }
        @{ Case = 'equal-latest-ts' }
    ) {
        $fromFile = New-IncrementalBaseStore 'file.db'
        $summary = Import-EventStore $fromFile -InFile (Get-IncrementalInput $Case) -Incremental
        $summary.PushedCount | Should -Be @(Get-Content (Get-IncrementalInput $Case)).Count
        Get-StoreDump $fromFile | Should -BeExactly (Get-IncrementalExpected $Case)

        $fromPipeline = New-IncrementalBaseStore 'pipeline.db'
        Get-Content (Get-IncrementalInput $Case) | ConvertFrom-Json | Import-EventStore $fromPipeline -Incremental | Out-Null
        Get-StoreDump $fromPipeline | Should -BeExactly (Get-IncrementalExpected $Case)
        (Get-EventStore $fromPipeline).HasOpenIncrementalImport | Should -BeFalse
    }

    It 'brings a copy up to date from its original, and a second run changes nothing' {
        $original = New-IncrementalBaseStore 'original.db'
        $copy = New-IncrementalBaseStore 'copy.db'
        Import-EventStore $original -InFile (Get-IncrementalInput 'new-only') -Incremental | Out-Null
        $first = Export-EventStore $original | Import-EventStore $copy -Incremental
        $first.ImportedCount | Should -Be 5
        $first.SkippedDuplicateCount | Should -Be 1000
        $first.CollapsedRepeatCount | Should -Be 0
        $second = Export-EventStore $original | Import-EventStore $copy -Incremental
        $second.ImportedCount | Should -Be 0
        Get-StoreDump $copy | Should -BeExactly (Get-StoreDump $original)
    }

    It 'warns about and counts a repeat collapsed into a stored event: v1 and v2 identical in one millisecond, into a store holding v1' {
        $repeat = @{ Timestamp = 1700000005000; Aggregate = 'order-1'; Type = 'ITEM_ADDED'; Payload = @{ sku = 'a' } }
        $source = New-TestPath 'repeat-source.db'
        @(
            New-TestEvent -Thread 8 -Counter 0 @repeat -Version 1
            New-TestEvent -Thread 8 -Counter 1 @repeat -Version 2
        ) | Import-EventStore $source | Out-Null
        $target = New-TestPath 'repeat-target.db'
        Export-EventStore $source -First 1 | Import-EventStore $target | Out-Null

        $summary = Export-EventStore $source | Import-EventStore $target -Incremental -WarningVariable warned -WarningAction SilentlyContinue
        $summary.PushedCount | Should -Be 2
        $summary.ImportedCount | Should -Be 0
        $summary.SkippedDuplicateCount | Should -Be 2
        $summary.CollapsedRepeatCount | Should -Be 1
        $summary.FirstCollapsedRepeat.AggregateId | Should -Be 'order-1'
        $warned | Should -HaveCount 1
        $warned[0].Message | Should -Match '^1 event was skipped as a duplicate though the store holds it fewer times than the input: reSolve''s duplicate rule .* ignores the version'
        $warned[0].Message | Should -Match 'First: aggregate ''order-1'', type ''ITEM_ADDED'', timestamp 1700000005000, payload \{"sku":"a"\}\. .*Import-EventStore -Append'
        Get-EventCount $target | Should -Be 1

        # The store holding both copies: every pushed copy has its stored one, nothing collapses.
        $whole = New-TestPath 'repeat-whole.db'
        Copy-Item $source $whole
        $summary = Export-EventStore $source | Import-EventStore $whole -Incremental -WarningVariable warned -WarningAction SilentlyContinue
        $summary.SkippedDuplicateCount | Should -Be 2
        $summary.CollapsedRepeatCount | Should -Be 0
        $warned | Should -BeNullOrEmpty

        # The same from -InFile and through the step cmdlets.
        $file = New-TestPath 'repeat.ndjson'
        Export-EventStore $source -OutFile $file
        (Import-EventStore $target -InFile $file -Incremental -WarningAction SilentlyContinue).CollapsedRepeatCount | Should -Be 1
        $id = (Start-IncrementalImport $target).ImportId
        Export-EventStore $source | Add-IncrementalImport $target -ImportId $id | Out-Null
        $summary = Complete-IncrementalImport $target -ImportId $id -WarningVariable warned -WarningAction SilentlyContinue
        $summary.CollapsedRepeatCount | Should -Be 1
        $warned | Should -HaveCount 1
    }

    It 'undoes its import on an error: the store is as it was and no import stays open' {
        $store = New-IncrementalBaseStore
        $before = Get-StoreRows $store
        $badInput = New-TestPath 'bad.ndjson'
        (Get-Content (Get-IncrementalInput 'new-only'))[0..1] + '{"timestamp":1,"type":"T"}' | Set-Content $badInput
        $failure = { Import-EventStore $store -InFile $badInput -Incremental -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImportEventStoreInvalidInput,EventStoreTools.Cmdlets.ImportEventStoreCommand' -PassThru
        $failure.TargetObject.LineNumber | Should -Be 3
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
        Get-StoreRows $store | Should -Be $before
    }

    It 'leaves an import it did not start alone' {
        $store = New-IncrementalBaseStore
        $id = (Start-IncrementalImport $store).ImportId
        { Import-EventStore $store -InFile (Get-IncrementalInput 'new-only') -Incremental -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImportEventStoreImportAlreadyOpen,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        (Get-EventStore $store).IncrementalImportId | Should -BeExactly $id
    }

    It 'refuses -Append and -Replace, and changes nothing with -WhatIf' {
        $store = New-IncrementalBaseStore
        { Import-EventStore $store -InFile (Get-IncrementalInput 'new-only') -Incremental -Append -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImportEventStoreConflictingParameters,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $hash = (Get-FileHash $store).Hash
        # The dry run (issue 14) reports what a commit would do, and writes nothing.
        $run = Invoke-Captured { Import-EventStore $store -InFile (Get-IncrementalInput 'new-only') -Incremental -WhatIf }
        $run.WhatIf | Should -Be "What if: Performing the operation `"Import the events the store lacks (incremental import)`" on target `"$store`"."
        $dry = $run.Output
        $dry.WhatIf | Should -BeTrue
        $dry.ImportedCount | Should -Be 5
        (Get-FileHash $store).Hash | Should -Be $hash
    }
}
