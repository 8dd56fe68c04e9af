BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Import-EventStore' {
    BeforeAll {
        $script:ReferenceExport = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'
    }

    It 'copies a store through the pipeline, every column byte for byte' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $target = New-TestPath 'copy.db'
        $result = Export-EventStore $source | Import-EventStore $target
        $result.ImportedCount | Should -Be 600
        Get-StoreRows $target | Should -Be (Get-StoreRows $source)
        $out = New-TestPath 'copy.ndjson'
        Export-EventStore $target -OutFile $out
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $ReferenceExport).Hash
    }

    It 'imports reSolve''s NDJSON export with -InFile into the store reSolve wrote' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $target = New-TestPath 'fromfile.db'
        (Import-EventStore $target -InFile $ReferenceExport).ImportedCount | Should -Be 600
        Get-StoreRows $target | Should -Be (Get-StoreRows $source)
    }

    It 'accepts PSCustomObjects from ConvertFrom-Json' {
        $lines = Get-Content $ReferenceExport | Where-Object { $_ -notmatch '""\s*:' }
        $target = New-TestPath 'fromjson.db'
        $lines | ConvertFrom-Json | Import-EventStore $target | Out-Null
        (Export-EventStore $target | ForEach-Object { $_.PayloadJson }) | Should -Be ($lines | ForEach-Object { ($_ -split '"payload":', 2)[1] -replace '}$' })
    }

    It 'accepts ordered hashtables from ConvertFrom-Json -AsHashtable' {
        $target = New-TestPath 'fromjson.db'
        Get-Content $ReferenceExport | ConvertFrom-Json -AsHashtable | Import-EventStore $target | Out-Null
        $out = New-TestPath 'fromjson.ndjson'
        Export-EventStore $target -OutFile $out
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $ReferenceExport).Hash
    }

    It 'accepts hashtables and round-trips Export-Csv / Import-Csv through PayloadJson' {
        $target = New-TestPath 'hash.db'
        @(
            New-TestEvent -Thread 1 -Counter 0 -Timestamp 10 -Aggregate 'x' -Version 1 -Payload ([ordered]@{ n = 1; s = 'ü'; list = @(1, 'two', $null) })
            New-TestEvent -Thread 1 -Counter 1 -Timestamp 11 -Aggregate 'x' -Version 2 -Payload 42
        ) | Import-EventStore $target | Out-Null
        $events = Export-EventStore $target
        $events[0].PayloadJson | Should -BeExactly '{"n":1,"s":"ü","list":[1,"two",null]}'
        $events[1].PayloadJson | Should -BeExactly '42'

        $csv = New-TestPath 'events.csv'
        $events | Export-Csv $csv
        $csvTarget = New-TestPath 'fromcsv.db'
        Import-Csv $csv | Import-EventStore $csvTarget | Out-Null
        Get-StoreRows $csvTarget | Should -Be (Get-StoreRows $target)
    }

    It 'keeps unicode, control characters, big numbers and nulls on every path' {
        $target = New-TestPath 'edge.db'
        $payloads = @(
            '{"emoji":"😀 𝄞","ctl":"\u0001\t\n\"\\","nested":{"a":[{"b":[]}]}}'
            '12345678901234567890'
            '-0'
            '0.1'
            '1e+300'
            'null'
            '"just a string"'
        )
        $i = 0
        $payloads | ForEach-Object { $i++; New-TestEvent -Thread 2 -Counter $i -Timestamp $i -Aggregate 'edge' -Version $i | ForEach-Object { $_.Remove('payload'); $_.payloadJson = $payloads[$i - 1]; $_ } } |
            Import-EventStore $target | Out-Null
        $exported = Export-EventStore $target
        $exported.PayloadJson | Should -Be @(
            '{"emoji":"😀 𝄞","ctl":"\u0001\t\n\"\\","nested":{"a":[{"b":[]}]}}'
            '12345678901234567000'
            '0'
            '0.1'
            '1e+300'
            'null'
            '"just a string"'
        )
        $copy = New-TestPath 'edge-copy.db'
        $exported | Import-EventStore $copy | Out-Null
        Get-StoreRows $copy | Should -Be (Get-StoreRows $target)
    }

    It 'writes a changed payload' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $target = New-TestPath 'changed.db'
        Export-EventStore $source | Select-Object -First 1 | ForEach-Object { $_.Payload.name = 'Renamed'; $_ } | Import-EventStore $target | Out-Null
        (Export-EventStore $target).Payload.name | Should -Be 'Renamed'
    }

    It 'refuses a store that holds events, leaving it untouched' {
        $target = Copy-Fixture 'resolve-lite-600.db'
        $before = (Get-FileHash $target).Hash
        { New-TestEvent -Aggregate 'new' | Import-EventStore $target -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImportEventStoreTargetNotEmpty,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        (Get-FileHash $target).Hash | Should -Be $before
    }

    It 'appends with -Append' {
        $target = Copy-Fixture 'resolve-lite-600.db'
        $result = New-TestEvent -Thread 0 -Counter 1000 -Aggregate 'appended' | Import-EventStore $target -Append
        $result.PreviousCount | Should -Be 600
        (Export-EventStore $target | Measure-Object).Count | Should -Be 601
    }

    It 'replaces with -Replace -Force, and -WhatIf changes nothing' {
        $target = Copy-Fixture 'resolve-lite-600.db'
        $before = (Get-FileHash $target).Hash
        New-TestEvent -Aggregate 'only' | Import-EventStore $target -Replace -WhatIf
        (Get-FileHash $target).Hash | Should -Be $before
        New-TestEvent -Aggregate 'only' | Import-EventStore $target -Replace -Force | Out-Null
        (Export-EventStore $target).AggregateId | Should -Be 'only'
    }

    It 'is atomic: a duplicate event fails the whole import and names the event' {
        $target = Copy-Fixture 'resolve-lite-600.db'
        $before = (Get-FileHash $target).Hash
        $events = @(
            New-TestEvent -Thread 0 -Counter 500 -Aggregate 'dup' -Version 1
            New-TestEvent -Thread 0 -Counter 501 -Aggregate 'dup' -Version 1
        )
        $err = $null
        try { $events | Import-EventStore $target -Append -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ImportEventStoreDuplicateEvent,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.TargetObject.ThreadCounter | Should -Be 501
        (Get-FileHash $target).Hash | Should -Be $before
    }

    It 'names the line of a bad -InFile line and leaves no new store' {
        $file = New-TestPath 'bad.ndjson'
        $lines = Get-Content $ReferenceExport -TotalCount 3
        Set-Content $file -Value @($lines[0], $lines[1], '{"broken":', $lines[2])
        $target = New-TestPath 'bad.db'
        $err = $null
        try { Import-EventStore $target -InFile $file -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ImportEventStoreInvalidInput,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $err.TargetObject.LineNumber | Should -Be 3
        $err.Exception.Message | Should -Match '^Line 3:'
        Test-Path $target | Should -BeFalse
    }

    It 'reports the missing fields of a wrongly shaped object' {
        $target = New-TestPath 'shape.db'
        $err = $null
        try { [pscustomobject]@{ Id = 1; Name = 'x' } | Import-EventStore $target -ErrorAction Stop } catch { $err = $_ }
        $err.Exception.Message | Should -Match 'The field "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type" is required'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        Test-Path $target | Should -BeFalse
    }
}
