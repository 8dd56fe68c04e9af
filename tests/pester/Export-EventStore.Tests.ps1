BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Export-EventStore' {
    It 'writes NDJSON byte-identical to reSolve''s exportEvents() of the same store' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $out = New-TestPath 'export.ndjson'
        Export-EventStore $store -OutFile $out
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash (Join-Path $Fixtures 'resolve-lite-600.export.ndjson')).Hash
    }

    It 'streams typed events in reSolve''s read order' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $events = Export-EventStore $store
        $events.Count | Should -Be 600
        $events[0] | Should -BeOfType ([EventStoreTools.Core.ResolveEvent])
        $keys = $events | ForEach-Object { '{0:D16}|{1:D10}|{2:D3}' -f $_.Timestamp, $_.ThreadCounter, $_.ThreadId }
        ($keys -join "`n") | Should -BeExactly (($keys | Sort-Object -CaseSensitive) -join "`n")
    }

    It 'makes payload fields readable in a script' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $first = Export-EventStore $store | Select-Object -First 1
        $first.Payload.name | Should -Be 'Zoë'
        $first.Payload.createdBy.roles | Should -Be @('admin', 'user')
        $first.Time | Should -Be ([DateTimeOffset]::FromUnixTimeMilliseconds($first.Timestamp))
    }

    It 'resolves relative paths against the current location' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        Push-Location $TestDrive
        try { (Export-EventStore ./resolve-lite-600.db | Measure-Object).Count | Should -Be 600 }
        finally { Pop-Location }
    }

    It 'fails with ObjectNotFound for a missing store' {
        { Export-EventStore (Join-Path $TestDrive 'missing.db') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ExportEventStoreStoreNotFound,EventStoreTools.Cmdlets.ExportEventStoreCommand'
    }

    It 'fails with <ErrorId>/<Category> for a store path <Name>' -ForEach @(
        @{ Name = 'that is a directory'; ErrorId = 'InvalidStorePath'; Category = 'InvalidArgument'; Make = { param($path) New-Item -ItemType Directory $path | Out-Null } }
        @{ Name = 'that is not SQLite'; ErrorId = 'NotAnEventStore'; Category = 'InvalidType'; Make = { param($path) Set-Content $path ('text ' * 100) } }
        @{ Name = 'of another schema'; ErrorId = 'NotAnEventStore'; Category = 'InvalidType'; Make = { param($path) Invoke-SqliteQuery $path 'CREATE TABLE people(name TEXT)' } }
    ) {
        $path = New-TestPath 'not-a-store'
        Remove-Item $path -Recurse -Force -ErrorAction Ignore
        & $Make $path
        $err = $null
        try { Export-EventStore $path -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be "ExportEventStore$ErrorId,EventStoreTools.Cmdlets.ExportEventStoreCommand"
        $err.CategoryInfo.Category | Should -Be $Category
        $err.TargetObject | Should -Be $path
    }

    It 'does not write -OutFile under -WhatIf' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $out = New-TestPath 'whatif.ndjson'
        $run = Invoke-Captured { Export-EventStore $store -OutFile $out -WhatIf }
        $run.Output | Should -BeNullOrEmpty
        $run.WhatIf | Should -Be "What if: Performing the operation `"Export the events of '$store' as NDJSON with whatif.ndjson.manifest.json`" on target `"$out`"."
        Test-Path $out | Should -BeFalse
    }

    It 'refuses to overwrite with -NoClobber' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $out = New-TestPath 'exists.ndjson'
        Set-Content $out 'keep me'
        { Export-EventStore $store -OutFile $out -NoClobber -ErrorAction Stop } | Should -Throw -ErrorId 'ExportEventStoreOutFileExists*'
        Get-Content $out | Should -Be 'keep me'
    }

    It 'releases the store file when done' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        Export-EventStore $store | Select-Object -First 3 | Out-Null
        Remove-Item $store
        Test-Path $store | Should -BeFalse
    }
}
