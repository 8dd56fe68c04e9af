BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Export-EventStore -Cursor and -CursorVariable' {
    BeforeAll {
        $script:ReferenceExport = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'
    }

    It 'resumes an export in two halves to the same bytes as one export' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $part1 = New-TestPath 'part1.ndjson'
        $part2 = New-TestPath 'part2.ndjson'
        Export-EventStore $store -OutFile $part1 -First 250 -CursorVariable cursor
        $cursor.Length | Should -Be 2048
        Export-EventStore $store -OutFile $part2 -Cursor $cursor -CursorVariable cursor
        $whole = [IO.File]::ReadAllBytes($part1) + [IO.File]::ReadAllBytes($part2)
        $hash = { param([byte[]] $bytes) [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes)) }
        & $hash $whole | Should -Be (& $hash ([IO.File]::ReadAllBytes($ReferenceExport)))
        (Get-Content $part1).Count | Should -Be 250
        Export-EventStore $store -Cursor $cursor | Should -BeNullOrEmpty
    }

    It 'gives the cursor after the events a downstream command took' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $first = Export-EventStore $store -CursorVariable cursor | Select-Object -First 10
        $rest = Export-EventStore $store -Cursor $cursor
        $keys = { '{0}:{1}' -f $_.ThreadId, $_.ThreadCounter }
        (@($first) + @($rest) | ForEach-Object $keys) | Should -Be (Export-EventStore $store | ForEach-Object $keys)
    }

    It 'resumes from a cursor built by hand in reSolve''s format' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $all = Export-EventStore $store
        $counters = [long[]]::new(256)
        $counters[$all[0].ThreadId] = $all[0].ThreadCounter + 1
        $counters[$all[1].ThreadId] = [Math]::Max($counters[$all[1].ThreadId], $all[1].ThreadCounter + 1)
        $counters[255] = [Math]::Pow(2, 48) - 1
        $expected = $all | Where-Object { $_.ThreadCounter -ge $counters[$_.ThreadId] } | ForEach-Object { '{0}:{1}' -f $_.ThreadId, $_.ThreadCounter }
        $expected.Count | Should -BeLessThan 598
        Export-EventStore $store -Cursor (ConvertTo-ResolveCursor $counters) | ForEach-Object { '{0}:{1}' -f $_.ThreadId, $_.ThreadCounter } |
            Should -Be $expected
    }

    It 'reads the spec''s example cursor (threads 0, 5 and 255)' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $example = 'AAAAAAAB' + ('A' * 32) + 'AAAAAAAD' + ('A' * (2048 - 48 - 8)) + '////////'
        $counters = [long[]]::new(256); $counters[0] = 1; $counters[5] = 3; $counters[255] = [Math]::Pow(2, 48) - 1
        ConvertTo-ResolveCursor $counters | Should -BeExactly $example
        $expected = (Export-EventStore $store | Where-Object { $_.ThreadCounter -ge $counters[$_.ThreadId] }).Count
        (Export-EventStore $store -Cursor $example | Measure-Object).Count | Should -Be $expected
    }

    It 'sets the variable to the start cursor when nothing is exported' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        Export-EventStore $store -EventType 'NO_SUCH_TYPE' -CursorVariable cursor | Should -BeNullOrEmpty
        $cursor | Should -BeExactly ('A' * 2048)
    }

    It 'rejects a malformed cursor with reSolve''s message' -ForEach @(
        @{ Cursor = 'AAAA'; Message = '^Wrong size of cursor buffer' }
        @{ Cursor = ('A' * 1000) + ' ' + ('A' * 1048); Message = 'canonical base64' }
    ) {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $err = $null
        try { Export-EventStore $store -Cursor $Cursor -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ExportEventStoreInvalidCursor,EventStoreTools.Cmdlets.ExportEventStoreCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match $Message
    }

    It 'does not advance the cursor variable under -WhatIf' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $out = New-TestPath 'whatif.ndjson'
        $cursor = 'unchanged'
        $run = Invoke-Captured { Export-EventStore $store -OutFile $out -CursorVariable cursor -WhatIf; $cursor }
        $run.Output | Should -Be 'unchanged'
        $run.WhatIf | Should -Be "What if: Performing the operation `"Export the events of '$store' as NDJSON with whatif.ndjson.manifest.json`" on target `"$out`"."
        Test-Path $out | Should -BeFalse
    }
}
