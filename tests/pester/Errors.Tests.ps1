# Errors follow PowerShell's rules (issue 24): a cmdlet given several stores reports a bad one as a non-terminating
# error and goes on with the others, honouring -ErrorAction and $ErrorActionPreference as Get-Content a, b does; a
# refusal that concerns the whole command stays terminating.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:A = Copy-Fixture 'resolve-lite-600.db' 'a.db'
    $script:B = New-TestPath 'b.db'
    1..3 | ForEach-Object { New-TestEvent -Counter ($_ - 1) -Timestamp (1000 + $_) -Version $_ } | Import-EventStore $B | Out-Null
    $script:Missing = Join-Path $TestDrive 'missing.db'
    $script:NotAStore = New-TestPath 'text.db'
    Set-Content $NotAStore ('text ' * 100)
}

Describe 'Export-EventStore with several stores, one of them missing' {
    It '-ErrorAction Stop ends the command at the missing store, after the events of the ones before it' {
        $out = [System.Collections.Generic.List[object]]::new()
        $err = $null
        try { Export-EventStore $A, $Missing, $B -ErrorAction Stop | ForEach-Object { $out.Add($_) } } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ExportEventStoreStoreNotFound,EventStoreTools.Cmdlets.ExportEventStoreCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $out.Count | Should -Be 600
    }

    It '$ErrorActionPreference = ''Stop'' ends it too' {
        { $ErrorActionPreference = 'Stop'; Export-EventStore $A, $Missing, $B | Out-Null } |
            Should -Throw -ErrorId 'ExportEventStoreStoreNotFound,EventStoreTools.Cmdlets.ExportEventStoreCommand'
    }

    It '-ErrorAction <Action> exports the other stores; the error is <Recorded>' -ForEach @(
        @{ Action = 'Continue'; Recorded = 'written and recorded'; InErrorVariable = $true; InError = $true }
        @{ Action = 'SilentlyContinue'; Recorded = 'recorded, not shown'; InErrorVariable = $true; InError = $true }
        @{ Action = 'Ignore'; Recorded = 'dropped'; InErrorVariable = $false; InError = $false }
    ) {
        $Error.Clear()
        $e = $null
        $events = Export-EventStore $A, $Missing, $B -ErrorAction $Action -ErrorVariable e 2>$null
        $events.Count | Should -Be 603
        if ($InErrorVariable) {
            $e.Count | Should -Be 1
            $e[0].FullyQualifiedErrorId | Should -Be 'ExportEventStoreStoreNotFound,EventStoreTools.Cmdlets.ExportEventStoreCommand'
            $e[0].TargetObject | Should -Be $Missing
            $e[0].Exception.Message | Should -Match 'missing\.db'
        }
        else { $e.Count | Should -Be 0 }
        ($Error.Count -gt 0) | Should -Be $InError
    }

    It 'a file that is not a store is a non-terminating error too, and the next store is exported' {
        $e = $null
        $events = Export-EventStore $NotAStore, $B -ErrorVariable e 2>$null
        $events.Count | Should -Be 3
        $e[0].FullyQualifiedErrorId | Should -Be 'ExportEventStoreNotAnEventStore,EventStoreTools.Cmdlets.ExportEventStoreCommand'
    }

    It 'stores piped in (Get-ChildItem) are several inputs as well' {
        $e = $null
        $events = Get-Item $A, $NotAStore, $B | Export-EventStore -ErrorVariable e 2>$null
        $events.Count | Should -Be 603
        $e.Count | Should -Be 1
    }

    It 'several stores into one -OutFile stay a terminating refusal of the whole command, even with -ErrorAction SilentlyContinue' {
        $out = New-TestPath 'out.ndjson'
        { Export-EventStore $A, $B -OutFile $out -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'ExportEventStoreSeveralStores,EventStoreTools.Cmdlets.ExportEventStoreCommand'
        Test-Path $out | Should -BeFalse
    }
}

Describe 'Cmdlets that take stores from the pipeline go on after a bad one' {
    It 'Set-EventStore freezes the other stores and reports the missing one' {
        $a = Copy-Fixture 'resolve-lite-600.db' 'set-a.db'
        $b = Copy-Fixture 'resolve-lite-600.db' 'set-b.db'
        $e = $null
        [pscustomobject]@{ FullName = $a }, [pscustomobject]@{ FullName = $Missing }, [pscustomobject]@{ FullName = $b } |
            Set-EventStore -Frozen -ErrorVariable e 2>$null
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -Match '^SetEventStore'
        (Get-EventStore $a, $b).IsFrozen | Should -Be @($true, $true)
    }

    It 'Start-IncrementalImport starts an import in the other stores and reports the frozen one' {
        $a = Copy-Fixture 'resolve-lite-600.db' 'start-a.db'
        $frozen = Copy-Fixture 'resolve-lite-600.db' 'start-frozen.db'
        $b = Copy-Fixture 'resolve-lite-600.db' 'start-b.db'
        Set-EventStore $frozen -Frozen
        $e = $null
        $ids = [pscustomobject]@{ FullName = $a }, [pscustomobject]@{ FullName = $frozen }, [pscustomobject]@{ FullName = $b } |
            Start-IncrementalImport -ErrorVariable e 2>$null
        $ids.Count | Should -Be 2
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -Be 'StartIncrementalImportStoreFrozen,EventStoreTools.Cmdlets.StartIncrementalImportCommand'
        (Get-EventStore $frozen).HasOpenIncrementalImport | Should -BeFalse
    }
}
