# Import-EventStore for restores: partial restores (filters), dry runs (-WhatIf that says something), compressed
# and standard-stream inputs, verified backup folders.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Export = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'

    function Get-FileHashText([string] $Path) { (Get-FileHash $Path -Algorithm SHA256).Hash }
    function Get-Keys([string] $Path) { Export-EventStore $Path | ForEach-Object { "$($_.ThreadId)/$($_.ThreadCounter)" } | Sort-Object }
}

Describe 'Import-EventStore partial restores' {
    It 'takes -EventType and -AggregateId (wildcards) with -InFile: exactly the events Export-EventStore selects' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $first = Export-EventStore $source -First 1
        $type = $first.Type
        $aggregate = $first.AggregateId.Substring(0, $first.AggregateId.Length - 1) + '*'
        $expected = Export-EventStore $source -EventType $type -AggregateId $aggregate | ForEach-Object { "$($_.ThreadId)/$($_.ThreadCounter)" } | Sort-Object
        $target = New-TestPath 'partial.db'
        $result = Import-EventStore $target -InFile $Export -EventType $type -AggregateId $aggregate
        $expected.Count | Should -BeGreaterThan 0
        $expected.Count | Should -BeLessThan 600
        Get-Keys $target | Should -Be $expected
        $result.ImportedCount | Should -Be $expected.Count
        $result.FilteredOutCount | Should -Be (600 - $expected.Count)
    }

    It 'takes -Since and -Until with -Directory and on the pipeline' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $events = Export-EventStore $source
        $since = $events[100].Timestamp
        $until = $events[199].Timestamp
        $expected = Export-EventStore $source -Since $since -Until $until | ForEach-Object { "$($_.ThreadId)/$($_.ThreadCounter)" } | Sort-Object
        $folder = Join-Path $TestDrive 'backup-window'
        Export-EventStore $source -Directory $folder
        $fromFolder = New-TestPath 'window-folder.db'
        Import-EventStore $fromFolder -Directory $folder -Since $since -Until $until | Out-Null
        Get-Keys $fromFolder | Should -Be $expected
        $fromPipeline = New-TestPath 'window-pipeline.db'
        $events | Import-EventStore $fromPipeline -Since ([DateTimeOffset]::FromUnixTimeMilliseconds($since).UtcDateTime) -Until $until | Out-Null
        Get-Keys $fromPipeline | Should -Be $expected
    }
}

Describe 'Import-EventStore -WhatIf' {
    It 'says how many events would be written and that the store would be created, and creates nothing' {
        $target = New-TestPath 'never.db'
        $run = Invoke-Captured { Import-EventStore $target -InFile $Export -WhatIf }
        $run.WhatIf[-1] | Should -Be "What if: Performing the operation `"Create the store and write 600 events`" on target `"$target`"."
        $result = $run.Output
        $result.WhatIf | Should -BeTrue
        $result.Action | Should -Be 'Created'
        $result.ImportedCount | Should -Be 600
        Test-Path $target | Should -BeFalse
    }

    It 'says append, replace or refuse for an existing store, with its event count, and changes no byte of it' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $before = Get-FileHashText $store
        $append = Invoke-Captured { Import-EventStore $store -InFile $Export -Append -WhatIf }
        $append.Output.Action | Should -Be 'Appended'
        $append.Output.PreviousCount | Should -Be 600
        $append.Output.ImportedCount | Should -Be 600
        $append.WhatIf[-1] | Should -Be "What if: Performing the operation `"Append 600 events to its 600 events`" on target `"$store`"."
        $replace = Invoke-Captured { Import-EventStore $store -InFile $Export -Replace -WhatIf }
        $replace.Output.Action | Should -Be 'Replaced'
        $replace.WhatIf[-1] | Should -Match '"Replace its 600 events with 600 events"'
        $refuse = Invoke-Captured { Import-EventStore $store -InFile $Export -WhatIf }
        $refuse.Output.Action | Should -Be 'Refused'
        $refuse.WhatIf[-1] | Should -Match '"Refuse: it holds 600 events \(use -Append or -Replace\); 600 events were read"'
        $folder = Join-Path $TestDrive 'whatif-folder'
        Export-EventStore $store -Directory $folder -IncludeSecrets
        $filtered = Invoke-Captured { Import-EventStore $store -Directory $folder -Append -WhatIf -EventType 'nothing-like-this' }
        $filtered.Output.ImportedCount | Should -Be 0
        $filtered.WhatIf[-1] | Should -Match '"Append 0 events to its 600 events \(600 events left out by the filters\)"'
        Get-FileHashText $store | Should -Be $before
    }

    It 'fails in the dry run where the import would, naming the line, and creates nothing' {
        $bad = New-TestPath 'bad-version.ndjson'
        Set-Content $bad ((Get-Content $Export -TotalCount 2) + '{"threadId":1,"threadCounter":900,"timestamp":5,"aggregateId":"x","aggregateVersion":0,"type":"T","payload":null}')
        $target = New-TestPath 'never-bad.db'
        $failure = { Invoke-Captured { Import-EventStore $target -InFile $bad -WhatIf } } | Should -Throw -ErrorId 'ImportEventStoreInvalidInput,*' -PassThru
        $failure.TargetObject.LineNumber | Should -Be 3
        Test-Path $target | Should -BeFalse
    }

    It '-Incremental -WhatIf counts imported, duplicates and older events in a rolled-back transaction, as the real run then does' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $events = @(Export-EventStore $store)
        $newest = ($events | Measure-Object Timestamp -Maximum).Maximum
        $incoming = @($events) + @(
            (New-TestEvent -Timestamp ($newest + 10) -Aggregate 'whatif-new' -Type 'Added' -Payload @{ n = 1 }),
            (New-TestEvent -Timestamp ($newest + 11) -Aggregate 'whatif-new' -Type 'Added' -Payload @{ n = 2 }),
            (New-TestEvent -Timestamp ($events[0].Timestamp) -Aggregate 'whatif-old' -Type 'Late' -Payload @{ n = 3 }))
        $before = Get-FileHashText $store
        $run = Invoke-Captured { $incoming | Import-EventStore $store -Incremental -WhatIf }
        $run.WhatIf | Should -Be "What if: Performing the operation `"Import the events the store lacks (incremental import)`" on target `"$store`"."
        $run.Warnings | Should -Match "^1 event was skipped because it is older than the newest stored event, timestamp $newest"
        $dry = $run.Output
        $dry.WhatIf | Should -BeTrue
        $dry.ImportedCount | Should -Be 2
        $dry.SkippedDuplicateCount | Should -Be 600
        $dry.SkippedOlderCount | Should -Be 1
        Get-FileHashText $store | Should -Be $before
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
        $real = $incoming | Import-EventStore $store -Incremental -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Message | Should -Be $run.Warnings
        $real.WhatIf | Should -BeFalse
        $real.ImportedCount, $real.SkippedDuplicateCount, $real.SkippedOlderCount | Should -Be 2, 600, 1
    }
}
